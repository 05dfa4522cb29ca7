from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from crm.models import Target
from crm.targets import PERIOD_START_MESSAGE
from tests.factories import UserFactory
from tokens.permissions import MISSING_SCOPE_MESSAGE

URL = "/api/v1/targets/"


def invalid(errors):
    return {"detail": "Invalid input.", "code": "invalid", "errors": errors}


def make_target(user, kind="quarter", start=date(2017, 1, 1), amount=1000):
    return Target.objects.create(
        user=user, period_kind=kind, period_start=start, amount=amount
    )


def test_create_target_answers_201_with_the_period_label(token_client, user):
    response = token_client.post(
        URL,
        {
            "user": user.pk,
            "period_kind": "quarter",
            "period_start": "2017-04-01",
            "amount": "125000.50",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in ("user", "period_label", "amount")} == {
        "user": user.pk,
        "period_label": "2017-Q2",
        "amount": "125000.50",
    }


def test_quarter_target_must_start_on_a_quarter(token_client, user):
    response = token_client.post(
        URL,
        {
            "user": user.pk,
            "period_kind": "quarter",
            "period_start": "2017-02-01",
            "amount": "1",
        },
    )

    assert response.status_code == 400
    assert response.json() == invalid(
        {"period_start": [PERIOD_START_MESSAGE[Target.PeriodKind.QUARTER]]}
    )


def test_month_target_must_start_on_the_first(token_client, user):
    response = token_client.post(
        URL,
        {
            "user": user.pk,
            "period_kind": "month",
            "period_start": "2017-02-02",
            "amount": "1",
        },
    )

    assert response.status_code == 400
    assert response.json() == invalid(
        {"period_start": [PERIOD_START_MESSAGE[Target.PeriodKind.MONTH]]}
    )


def test_changing_the_kind_checks_the_stored_start(token_client, user):
    target = make_target(user, kind="month", start=date(2017, 2, 1))

    response = token_client.patch(f"{URL}{target.pk}/", {"period_kind": "quarter"})

    assert response.status_code == 400
    assert response.json() == invalid(
        {"period_start": [PERIOD_START_MESSAGE[Target.PeriodKind.QUARTER]]}
    )


def test_negative_amount_is_400_keyed_by_amount(token_client, user):
    response = token_client.post(
        URL,
        {
            "user": user.pk,
            "period_kind": "month",
            "period_start": "2017-02-01",
            "amount": "-1",
        },
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount"]


def test_second_target_for_the_same_period_is_400(token_client, user):
    make_target(user)

    response = token_client.post(
        URL,
        {
            "user": user.pk,
            "period_kind": "quarter",
            "period_start": "2017-01-01",
            "amount": "5",
        },
    )

    assert response.status_code == 400
    assert response.json() == invalid(
        {"non_field_errors": ["This user already has a target for this period."]}
    )


def test_month_and_quarter_targets_may_share_a_start(db):
    user = UserFactory()
    make_target(user, kind="quarter")

    make_target(user, kind="month")

    assert Target.objects.filter(user=user).count() == 2


def test_database_refuses_a_start_inside_the_period(db):
    with pytest.raises(IntegrityError):
        make_target(UserFactory(), kind="quarter", start=date(2017, 5, 1))


def test_model_validation_names_the_period_rule(db):
    target = Target(
        user=UserFactory(), period_kind="month", period_start=date(2017, 5, 2), amount=1
    )

    with pytest.raises(ValidationError, match="first day of a month"):
        target.full_clean()


def test_targets_filter_by_user_kind_and_period(token_client, user):
    other = UserFactory(manager=user)
    wanted = make_target(user, start=date(2017, 4, 1))
    make_target(user, start=date(2017, 1, 1))
    make_target(user, kind="month", start=date(2017, 4, 1))
    make_target(other, start=date(2017, 4, 1))

    response = token_client.get(
        URL,
        {
            "user": user.pk,
            "period_kind": "quarter",
            "period_start__gte": "2017-04-01",
            "period_start__lte": "2017-06-30",
        },
    )

    assert response.status_code == 200
    assert [target["id"] for target in response.json()["results"]] == [wanted.pk]


def test_targets_filter_by_several_users(token_client, user):
    other, third = UserFactory(manager=user), UserFactory(manager=user)
    ids = {make_target(user).pk, make_target(other).pk}
    make_target(third)

    response = token_client.get(URL, {"user__in": f"{user.pk},{other.pk}"})

    assert {target["id"] for target in response.json()["results"]} == ids


def test_bad_period_start_filter_is_400_keyed_by_parameter(token_client):
    response = token_client.get(URL, {"period_start__gte": "soon"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["period_start__gte"]


def test_target_list_query_count_is_pinned(
    api_client, user, make_token, django_assert_num_queries
):
    for month in range(1, 13):
        make_target(user, kind="month", start=date(2017, month, 1))
    _, clear = make_token(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    api_client.get(URL)

    # The token lookup, the owner's two permission queries, count, page.
    with django_assert_num_queries(5):
        response = api_client.get(URL)

    assert response.json()["count"] == 12


def test_token_without_targets_scope_is_403(api_client, user, make_token):
    _, clear = make_token(user, scopes=["deals:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = api_client.get(URL)

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope="targets:read"),
        "code": "permission_denied",
    }


def test_token_that_reads_targets_cannot_create_one(api_client, user, make_token):
    _, clear = make_token(user, scopes=["targets:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")

    response = api_client.post(
        URL,
        {
            "user": user.pk,
            "period_kind": "month",
            "period_start": "2017-02-01",
            "amount": "1",
        },
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": MISSING_SCOPE_MESSAGE.format(scope="targets:create"),
        "code": "permission_denied",
    }


def test_targets_of_unrelated_users_are_not_listed(token_client):
    make_target(UserFactory())

    response = token_client.get(URL)

    assert response.json()["count"] == 0
