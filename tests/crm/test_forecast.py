from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from rest_framework import serializers

from crm.forecast import FROM_AFTER_TO_MESSAGE, NOT_AN_ID_MESSAGE
from crm.models import Deal, Pipeline, Stage, Target, User
from crm.selectors import forecast_rows
from tests.crm import maven_csv
from tests.factories import DealFactory, UserFactory
from tokens.permissions import MISSING_PERMISSION_MESSAGE, MISSING_SCOPE_MESSAGE

URL = "/api/v1/forecast/"
# The files give open opportunities no closing date. The module's fixture dates
# them all after the last close_date, so that they form one period of their own.
OPEN_CLOSING = date(2018, 1, 31)
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The real files imported once for this module, rolled back after it."""
    folder = maven_csv.maven_folder()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_maven", str(folder), stdout=StringIO())
        Deal.objects.filter(pipeline__name="Maven", closing_date__isnull=True).update(
            closing_date=OPEN_CLOSING
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def maven(loaded, db):
    return Pipeline.objects.get(name="Maven")


def forecast(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def figures(rows, bucket):
    """{(owner name, period label): (amount, count)} for rows with such deals."""
    return {
        (row["owner"]["name"], row["period"]["label"]): (
            Decimal(row[f"{bucket}_amount"]),
            row[f"{bucket}_count"],
        )
        for row in rows
        if row[f"{bucket}_count"]
    }


def maven_user(name):
    return User.objects.get(external_id=f"maven-user:{name}")


# The real data, against sums worked out from the CSV files.


def test_closed_won_per_agent_and_quarter_matches_the_file(maven, all_seeing_client):
    rows = forecast(all_seeing_client, period="quarter")

    assert figures(rows, "closed_won") == maven_csv.closed_by_agent_and_period(
        "Won", maven_csv.quarter_label
    )


def test_closed_won_per_agent_and_month_matches_the_file(maven, all_seeing_client):
    rows = forecast(all_seeing_client, period="month")

    assert figures(rows, "closed_won") == maven_csv.closed_by_agent_and_period(
        "Won", maven_csv.month_label
    )


def test_closed_lost_per_agent_and_quarter_matches_the_file(maven, all_seeing_client):
    rows = forecast(all_seeing_client, period="quarter")

    assert figures(rows, "closed_lost") == maven_csv.closed_by_agent_and_period(
        "Lost", maven_csv.quarter_label
    )


def test_open_amounts_per_owner_match_the_file(maven, all_seeing_client):
    expected = maven_csv.open_by_agent()

    rows = forecast(all_seeing_client, period="quarter", **{"from": "2018-01-01"})

    assert {
        row["owner"]["name"]: (
            row["period"]["label"],
            Decimal(row["open_amount"]),
            row["open_count"],
            Decimal(row["weighted_amount"]),
            Decimal(row["best_case_amount"]),
            row["best_case_count"],
            Decimal(row["commit_amount"]),
            row["closed_won_count"] + row["closed_lost_count"],
        )
        for row in rows
    } == {
        agent: (
            "2018-Q1",
            open_figures["amount"],
            open_figures["count"],
            open_figures["weighted"].quantize(CENT, rounding=ROUND_HALF_EVEN),
            open_figures["best_case_amount"],
            open_figures["best_case_count"],
            Decimal(0),
            0,
        )
        for agent, open_figures in expected.items()
    }


def test_open_weighted_total_matches_the_file(maven, all_seeing_client):
    expected = sum(f["weighted"] for f in maven_csv.open_by_agent().values())

    rows = forecast(all_seeing_client, period="month", **{"from": "2018-01-01"})

    assert sum(Decimal(row["weighted_amount"]) for row in rows) == expected
    assert expected == Decimal("2442736.00")


def test_each_owner_and_quarter_has_one_row_in_the_maven_pipeline(
    maven, all_seeing_client
):
    expected = {
        (
            row["sales_agent"],
            maven_csv.quarter_label(date.fromisoformat(row["close_date"])),
        )
        for row in maven_csv.opportunities()
        if row["close_date"]
    } | {(agent, "2018-Q1") for agent in maven_csv.open_by_agent()}

    rows = forecast(all_seeing_client, period="quarter")

    keys = [(row["owner"]["name"], row["period"]["label"]) for row in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == expected
    assert {(row["pipeline"]["id"], row["pipeline"]["name"]) for row in rows} == {
        (maven.pk, "Maven")
    }


def test_rows_are_ordered_by_period_then_owner_name(maven, all_seeing_client):
    rows = forecast(all_seeing_client, period="quarter")

    keys = [(row["period"]["start"], row["owner"]["name"]) for row in rows]
    assert keys == sorted(keys)
    assert rows[0]["period"] == {"start": "2017-01-01", "label": "2017-Q1"}


def test_from_and_to_keep_deals_closing_in_that_range(maven, all_seeing_client):
    expected = {
        key: value
        for key, value in maven_csv.closed_by_agent_and_period(
            "Won", maven_csv.month_label
        ).items()
        if key[1] in {"2017-04", "2017-05", "2017-06"}
    }

    rows = forecast(
        all_seeing_client, period="month", **{"from": "2017-04-01", "to": "2017-06-30"}
    )

    assert {row["period"]["label"] for row in rows} == {"2017-04", "2017-05", "2017-06"}
    assert figures(rows, "closed_won") == expected


def test_repeated_owner_parameter_keeps_those_owners(maven, all_seeing_client):
    owners = [maven_user("Darcel Schlecht"), maven_user("Moses Frase")]

    rows = forecast(
        all_seeing_client, period="quarter", owner=[owner.pk for owner in owners]
    )

    assert {row["owner"]["id"] for row in rows} == {owner.pk for owner in owners}


def test_comma_separated_owners_give_the_same_rows_as_repeated_ones(
    maven, all_seeing_client
):
    ids = [maven_user("Darcel Schlecht").pk, maven_user("Moses Frase").pk]

    comma = forecast(all_seeing_client, period="quarter", owner=",".join(map(str, ids)))

    assert comma == forecast(all_seeing_client, period="quarter", owner=ids)


def test_pipeline_parameter_keeps_only_that_pipeline(maven, all_seeing_client):
    default = Pipeline.objects.get(name="Sales")

    assert forecast(all_seeing_client, period="quarter", pipeline=default.pk) == []
    assert forecast(all_seeing_client, period="quarter", pipeline=maven.pk) == forecast(
        all_seeing_client, period="quarter"
    )


def test_quarter_target_gives_the_share_attained(maven, all_seeing_client):
    agent = maven_user("Darcel Schlecht")
    Target.objects.create(
        user=agent, period_kind="quarter", period_start=date(2017, 4, 1), amount=200000
    )
    won, _ = maven_csv.closed_by_agent_and_period("Won", maven_csv.quarter_label)[
        ("Darcel Schlecht", "2017-Q2")
    ]

    rows = forecast(all_seeing_client, period="quarter", owner=agent.pk)

    row = next(row for row in rows if row["period"]["label"] == "2017-Q2")
    assert (row["target"], row["attainment"]) == (
        "200000.00",
        str((won / 200000).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)),
    )
    assert won == Decimal(310075)


def test_rows_without_a_target_have_null_target_and_attainment(
    maven, all_seeing_client
):
    agent = maven_user("Darcel Schlecht")
    Target.objects.create(
        user=agent, period_kind="quarter", period_start=date(2017, 4, 1), amount=1
    )

    rows = forecast(all_seeing_client, period="quarter", owner=agent.pk)

    assert [
        (row["period"]["label"], row["target"] is None, row["attainment"] is None)
        for row in rows
    ] == [
        ("2017-Q1", True, True),
        ("2017-Q2", False, False),
        ("2017-Q3", True, True),
        ("2017-Q4", True, True),
        ("2018-Q1", True, True),
    ]


def test_month_target_does_not_count_for_the_quarter(maven, all_seeing_client):
    agent = maven_user("Darcel Schlecht")
    Target.objects.create(
        user=agent, period_kind="month", period_start=date(2017, 4, 1), amount=50000
    )

    quarters = forecast(all_seeing_client, period="quarter", owner=agent.pk)
    months = forecast(all_seeing_client, period="month", owner=agent.pk)

    assert [row["target"] for row in quarters if row["target"]] == []
    assert [
        (row["period"]["label"], row["target"]) for row in months if row["target"]
    ] == [("2017-04", "50000.00")]


def test_forecast_rows_runs_two_queries(maven, django_assert_num_queries):
    Target.objects.create(
        user=maven_user("Moses Frase"),
        period_kind="quarter",
        period_start=date(2017, 1, 1),
        amount=1000,
    )

    with django_assert_num_queries(2):
        rows = forecast_rows(deals=Deal.objects.all(), period="quarter")

    assert len(rows) == 147
    assert sum(row["target"] is not None for row in rows) == 1


def test_forecast_request_query_count_is_pinned(
    maven, api_client, all_seeing_user, make_token, django_assert_num_queries
):
    _, clear = make_token(all_seeing_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    forecast(api_client, period="month")

    # The token lookup, the owner's two permission queries, deals, targets.
    with django_assert_num_queries(5):
        forecast(api_client, period="month")


# Small hand-made cases for the rules the real data does not exercise.


@pytest.fixture
def sales():
    """The default pipeline's first stage in each forecast category."""
    stages = {}
    for stage in Pipeline.objects.get(name="Sales").stages.order_by("order"):
        stages.setdefault(stage.forecast_category, stage)
    return stages


def make_deal(owner, stage, amount, closing=date(2030, 2, 10), **fields):
    return DealFactory(
        owner=owner,
        pipeline=stage.pipeline,
        stage=stage,
        probability=fields.pop("probability", stage.probability),
        amount=amount,
        closing_date=closing,
        **fields,
    )


def only_row(owner, period="quarter"):
    (row,) = forecast_rows(deals=Deal.objects.filter(owner=owner), period=period)
    return row


def test_best_case_includes_commit_deals(db, sales):
    owner = UserFactory()
    make_deal(owner, sales[Stage.ForecastCategory.PIPELINE], 1)
    make_deal(owner, sales[Stage.ForecastCategory.BEST_CASE], 20)
    make_deal(owner, sales[Stage.ForecastCategory.COMMIT], 300)
    make_deal(owner, sales[Stage.ForecastCategory.CLOSED_WON], 4000)
    make_deal(owner, sales[Stage.ForecastCategory.CLOSED_LOST], 50000)

    row = only_row(owner)

    assert {
        bucket: (row[f"{bucket}_amount"], row[f"{bucket}_count"])
        for bucket in ("open", "best_case", "commit", "closed_won", "closed_lost")
    } == {
        "open": (Decimal("321.00"), 3),
        "best_case": (Decimal("320.00"), 2),
        "commit": (Decimal("300.00"), 1),
        "closed_won": (Decimal("4000.00"), 1),
        "closed_lost": (Decimal("50000.00"), 1),
    }


def test_weighted_amount_uses_each_deal_probability(db, sales):
    owner = UserFactory()
    make_deal(
        owner, sales[Stage.ForecastCategory.PIPELINE], Decimal("1055"), probability=33
    )
    make_deal(
        owner, sales[Stage.ForecastCategory.COMMIT], Decimal("10.05"), probability=50
    )
    make_deal(owner, sales[Stage.ForecastCategory.CLOSED_WON], 999)

    # 348.15 + 5.025, rounded half to even.
    assert only_row(owner)["weighted_amount"] == Decimal("353.18")


def test_deals_without_closing_date_or_amount_add_no_amount(db, sales):
    owner = UserFactory()
    make_deal(owner, sales[Stage.ForecastCategory.PIPELINE], 10)
    make_deal(owner, sales[Stage.ForecastCategory.PIPELINE], None)
    make_deal(owner, sales[Stage.ForecastCategory.PIPELINE], 70, closing=None)

    row = only_row(owner)

    assert (row["open_amount"], row["open_count"], row["weighted_amount"]) == (
        Decimal("10.00"),
        2,
        Decimal("1.00"),
    )


def test_quarter_label_and_start_come_from_the_closing_date(db, sales):
    owner = UserFactory()
    make_deal(
        owner, sales[Stage.ForecastCategory.PIPELINE], 10, closing=date(2030, 12, 31)
    )

    assert only_row(owner)["period"] == {"start": date(2030, 10, 1), "label": "2030-Q4"}
    assert only_row(owner, "month")["period"] == {
        "start": date(2030, 12, 1),
        "label": "2030-12",
    }


def test_attainment_adds_the_owner_closed_won_over_pipelines(db, sales):
    owner = UserFactory()
    other = Pipeline.objects.create(name="Renewals")
    renewal_won = Stage.objects.create(
        pipeline=other,
        name="Won",
        order=1,
        probability=100,
        forecast_category="closed_won",
    )
    make_deal(owner, sales[Stage.ForecastCategory.CLOSED_WON], 300)
    make_deal(owner, renewal_won, 100)
    Target.objects.create(
        user=owner, period_kind="quarter", period_start=date(2030, 1, 1), amount=800
    )

    rows = forecast_rows(deals=Deal.objects.filter(owner=owner), period="quarter")

    assert [
        (
            row["pipeline"]["name"],
            row["closed_won_amount"],
            row["target"],
            row["attainment"],
        )
        for row in rows
    ] == [
        ("Renewals", Decimal("100.00"), Decimal("800.00"), Decimal("0.5000")),
        ("Sales", Decimal("300.00"), Decimal("800.00"), Decimal("0.5000")),
    ]


def test_zero_target_gives_null_attainment(db, sales):
    owner = UserFactory()
    make_deal(owner, sales[Stage.ForecastCategory.CLOSED_WON], 300)
    Target.objects.create(
        user=owner, period_kind="quarter", period_start=date(2030, 1, 1), amount=0
    )

    row = only_row(owner)

    assert (row["target"], row["attainment"]) == (Decimal("0.00"), None)


def test_attainment_over_a_tiny_target_is_answered_in_full(db, sales, scoped_client):
    owner = UserFactory(permissions=["crm.view_deal", "crm.view_target"])
    make_deal(owner, sales[Stage.ForecastCategory.CLOSED_WON], 1_500_000)
    Target.objects.create(
        user=owner,
        period_kind="quarter",
        period_start=date(2030, 1, 1),
        amount=Decimal("0.01"),
    )

    (row,) = forecast(
        scoped_client(owner, ["deals:read", "targets:read"]), period="quarter"
    )

    assert (row["target"], row["attainment"]) == ("0.01", "150000000.0000")


def test_no_deals_give_no_rows_and_no_target_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = forecast_rows(deals=Deal.objects.filter(owner=None), period="month")

    assert rows == []


def test_unknown_period_kind_is_a_value_error(db):
    with pytest.raises(ValueError, match="week"):
        forecast_rows(deals=Deal.objects.all(), period="week")


# Parameters and access.


def invalid(errors):
    return {"detail": "Invalid input.", "code": "invalid", "errors": errors}


def test_missing_period_is_400_keyed_by_period(token_client):
    response = token_client.get(URL)

    assert response.status_code == 400
    assert response.json() == invalid(
        {"period": [str(serializers.Field.default_error_messages["required"])]}
    )


def test_unknown_period_is_400_keyed_by_period(token_client):
    response = token_client.get(URL, {"period": "week"})

    message = serializers.ChoiceField.default_error_messages["invalid_choice"]
    assert response.status_code == 400
    assert response.json() == invalid({"period": [message.format(input="week")]})


def test_malformed_from_date_is_400_keyed_by_from(token_client):
    response = token_client.get(URL, {"period": "month", "from": "2017-13-01"})

    message = serializers.DateField.default_error_messages["invalid"]
    assert response.status_code == 400
    assert response.json() == invalid({"from": [message.format(format="YYYY-MM-DD")]})


def test_to_before_from_is_400_keyed_by_to(token_client):
    response = token_client.get(
        URL, {"period": "month", "from": "2017-06-01", "to": "2017-05-31"}
    )

    assert response.status_code == 400
    assert response.json() == invalid({"to": [FROM_AFTER_TO_MESSAGE]})


def test_owner_that_is_not_an_id_is_400_keyed_by_owner(token_client):
    response = token_client.get(URL, {"period": "month", "owner": ["3", "x"]})

    assert response.status_code == 400
    assert response.json() == invalid({"owner": [NOT_AN_ID_MESSAGE.format(value="x")]})


def test_pipeline_that_is_not_an_id_is_400_keyed_by_pipeline(token_client):
    response = token_client.get(URL, {"period": "month", "pipeline": "Maven"})

    message = serializers.IntegerField.default_error_messages["invalid"]
    assert response.status_code == 400
    assert response.json() == invalid({"pipeline": [str(message)]})


def test_token_without_targets_read_is_403(api_client, user, make_token):
    _, clear = make_token(user, scopes=["deals:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = api_client.get(URL, {"period": "month"})

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope="targets:read"),
        "code": "permission_denied",
    }


def test_token_without_deals_read_is_403(api_client, user, make_token):
    _, clear = make_token(user, scopes=["targets:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = api_client.get(URL, {"period": "month"})

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope="deals:read"),
        "code": "permission_denied",
    }


def test_owner_who_lost_the_target_permission_is_403(api_client, user, make_token):
    _, clear = make_token(user, scopes=["deals:read", "targets:read"])
    user.user_permissions.remove(Permission.objects.get(codename="view_target"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = api_client.get(URL, {"period": "month"})

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_PERMISSION_MESSAGE,
        "code": "permission_denied",
    }


def test_forecast_without_credentials_is_401(api_client, db):
    response = api_client.get(URL, {"period": "month"})

    assert response.status_code == 401


def test_forecast_leaves_out_deals_of_unrelated_owners(token_client, sales):
    stranger = UserFactory()
    make_deal(stranger, sales[Stage.ForecastCategory.CLOSED_WON], 100)

    rows = forecast(token_client, period="quarter", owner=stranger.pk)

    assert rows == []
