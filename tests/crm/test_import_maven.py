from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from crm.models import Account, Deal, DealLineItem, Pipeline, Product, Stage, User
from crm.services import line_items_amount
from tests.crm import maven_csv
from tests.factories import ProductFactory, UserFactory

# The files written by write_folder() name no one from the real data, so those
# tests may run while the real import is loaded.
MAVEN_USERS = {"external_id__startswith": "maven-user:"}
MAVEN_ACCOUNTS = {"external_id__startswith": "maven-account:"}
MAVEN_DEALS = {"external_id__startswith": "maven-deal:"}
MAVEN_PRODUCTS = {"external_id__startswith": "maven-product:"}
MAVEN_LINE_ITEMS = {"deal__external_id__startswith": "maven-deal:"}


def run_import(folder, *args):
    stdout, stderr = StringIO(), StringIO()
    call_command("import_maven", str(folder), *args, stdout=stdout, stderr=stderr)
    return SimpleNamespace(stdout=stdout.getvalue(), stderr=stderr.getvalue())


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """The real files imported once for this module, rolled back after it."""
    folder = maven_csv.maven_folder()
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_import(folder)
        transaction.set_rollback(True)


@pytest.fixture
def maven(first_run, db):
    return first_run


def test_first_run_reports_what_it_created_per_module(maven):
    assert maven.stdout.splitlines() == [
        "users: 41 created, 0 updated, 0 unchanged",
        "accounts: 85 created, 0 updated, 0 unchanged",
        "products: 7 created, 0 updated, 0 unchanged",
        "pipelines: 1 created, 0 updated, 0 unchanged",
        "stages: 4 created, 0 updated, 0 unchanged",
        "deals: 8800 created, 0 updated, 0 unchanged",
        "line_items: 8800 created, 0 updated, 0 unchanged",
        "skipped rows: 0",
    ]


def test_first_run_skips_no_row_of_the_real_files(maven):
    assert maven.stderr == ""


def test_agents_report_to_their_managers(maven):
    teams = maven_csv.rows("sales_teams.csv")
    users = {user.external_id: user for user in User.objects.filter(**MAVEN_USERS)}

    assert len(users) == 41
    assert {
        user.external_id: user.manager.external_id if user.manager else None
        for user in users.values()
    } == {
        **{f"maven-user:{row['manager']}": None for row in teams},
        **{
            f"maven-user:{row['sales_agent']}": f"maven-user:{row['manager']}"
            for row in teams
        },
    }


def test_user_names_come_from_the_person_name(maven):
    user = User.objects.get(external_id="maven-user:Mei-Mei Johns")

    assert (user.username, user.first_name, user.last_name) == (
        "mei-mei.johns",
        "Mei-Mei",
        "Johns",
    )
    assert user.manager.username == "melvin.marxen"


def test_imported_users_have_no_usable_password(maven):
    users = User.objects.filter(**MAVEN_USERS)

    assert not any(user.has_usable_password() for user in users)


def test_account_fields_come_from_the_accounts_file(maven):
    account = Account.objects.get(external_id="maven-account:Bluth Company")

    assert (
        account.name,
        account.industry,
        account.annual_revenue,
        account.employees,
        account.country,
        account.parent.name,
        account.description,
    ) == (
        "Bluth Company",
        "Technology",
        Decimal("1242320000.00"),
        3027,
        "United States",
        "Acme Corporation",
        "Established in 1993.",
    )


def test_every_subsidiary_gets_its_parent(maven):
    expected = {
        row["account"]: row["subsidiary_of"] or None
        for row in maven_csv.rows("accounts.csv")
    }

    accounts = Account.objects.filter(**MAVEN_ACCOUNTS).select_related("parent")

    assert {a.name: a.parent.name if a.parent else None for a in accounts} == expected


def test_sector_typo_technolgy_is_corrected(maven):
    misspelt = sum(
        row["sector"] == "technolgy" for row in maven_csv.rows("accounts.csv")
    )

    industries = Counter(
        Account.objects.filter(**MAVEN_ACCOUNTS).values_list("industry", flat=True)
    )

    assert misspelt == 12
    assert industries["Technology"] == misspelt
    assert "Technolgy" not in industries


def test_an_account_belongs_to_the_agent_with_most_opportunities_on_it(maven):
    tallies = defaultdict(Counter)
    for row in maven_csv.opportunities():
        if row["account"]:
            tallies[row["account"]][row["sales_agent"]] += 1
    expected = {
        account: min(tally, key=lambda agent: (-tally[agent], agent))
        for account, tally in tallies.items()
    }

    accounts = Account.objects.filter(**MAVEN_ACCOUNTS).select_related("owner")

    assert {a.name: a.owner.get_full_name() for a in accounts} == expected


def test_deals_per_stage_match_the_file(maven):
    stages = Counter(
        Deal.objects.filter(**MAVEN_DEALS).values_list("stage__name", flat=True)
    )

    assert stages == {"Won": 4238, "Lost": 2473, "Engaging": 1589, "Prospecting": 500}


def test_deals_without_an_account_stay_without_one(maven):
    assert Deal.objects.filter(**MAVEN_DEALS, account__isnull=True).count() == 1425


def test_maven_pipeline_has_the_documented_stages(maven):
    pipeline = Pipeline.objects.get(name="Maven")

    assert not pipeline.is_default
    assert [
        (stage.name, stage.order, stage.probability, stage.forecast_category)
        for stage in pipeline.stages.all()
    ] == [
        ("Prospecting", 1, 10, Stage.ForecastCategory.PIPELINE),
        ("Engaging", 2, 60, Stage.ForecastCategory.BEST_CASE),
        ("Won", 3, 100, Stage.ForecastCategory.CLOSED_WON),
        ("Lost", 4, 0, Stage.ForecastCategory.CLOSED_LOST),
    ]


def test_won_deal_carries_close_value_close_date_product_and_engage_date(maven):
    deal = Deal.objects.select_related("owner", "account", "stage").get(
        external_id="maven-deal:1C1I7A6R"
    )

    assert (
        deal.name,
        deal.owner.username,
        deal.account.name,
        deal.stage.name,
        deal.probability,
        deal.amount,
        deal.closing_date,
        deal.created_at,
    ) == (
        "GTX Plus Basic for Cancity",
        "moses.frase",
        "Cancity",
        "Won",
        100,
        Decimal("1054.00"),
        date(2017, 3, 1),
        timezone.make_aware(datetime(2016, 10, 20)),
    )


def test_product_gtxpro_is_named_as_in_the_product_list(maven):
    deal = Deal.objects.get(external_id="maven-deal:Z063OYW0")

    assert deal.name == "GTX Pro for Isdom"
    assert not Deal.objects.filter(**MAVEN_DEALS, name__startswith="GTXPro").exists()


def test_open_deal_is_valued_at_list_price_and_has_no_closing_date(maven):
    row = next(
        row
        for row in maven_csv.opportunities()
        if row["deal_stage"] == "Prospecting" and not row["account"]
    )

    deal = Deal.objects.get(external_id=f"maven-deal:{row['opportunity_id']}")

    assert deal.name == row["product"].replace("GTXPro", "GTX Pro")
    assert deal.amount == maven_csv.list_prices()[row["product"].replace(" ", "")]
    assert (deal.closing_date, deal.probability) == (None, 10)


def test_closed_amounts_add_up_to_the_close_values_in_the_file(maven):
    expected = defaultdict(Decimal)
    for row in maven_csv.opportunities():
        if row["close_value"]:
            expected[row["deal_stage"]] += Decimal(row["close_value"])

    totals = dict(
        Deal.objects.filter(**MAVEN_DEALS, stage__name__in=["Won", "Lost"])
        .values_list("stage__name")
        .annotate(Sum("amount"))
    )

    assert totals == {"Won": expected["Won"], "Lost": Decimal(0)}
    assert expected["Won"] == Decimal(10005534)


def test_products_come_from_the_product_list(maven):
    products = Product.objects.filter(**MAVEN_PRODUCTS)

    assert {
        (product.name, product.code, product.category, product.unit_price)
        for product in products
    } == {
        (row["product"], row["product"].replace(" ", "-").upper(), row["series"], price)
        for row in maven_csv.rows("products.csv")
        for price in [Decimal(row["sales_price"])]
    }
    assert products.count() == 7


def test_product_gtxpro_is_one_product_spelt_gtx_pro(maven):
    product = Product.objects.get(external_id="maven-product:gtxpro")

    assert (product.name, product.code) == ("GTX Pro", "GTX-PRO")
    assert not Product.objects.filter(name="GTXPro").exists()


def test_a_product_belongs_to_the_agent_with_most_opportunities_on_it(maven):
    tallies = defaultdict(Counter)
    for row in maven_csv.opportunities():
        tallies[row["product"].replace("GTXPro", "GTX Pro")][row["sales_agent"]] += 1
    expected = {
        product: min(tally, key=lambda agent: (-tally[agent], agent))
        for product, tally in tallies.items()
    }

    products = Product.objects.filter(**MAVEN_PRODUCTS).select_related("owner")

    assert {p.name: p.owner.get_full_name() for p in products} == expected


def test_each_deal_has_one_line_item_for_its_product(maven):
    expected = {
        f"maven-deal:{row['opportunity_id']}": row["product"].replace(
            "GTXPro", "GTX Pro"
        )
        for row in maven_csv.opportunities()
    }

    items = DealLineItem.objects.filter(**MAVEN_LINE_ITEMS).values_list(
        "deal__external_id", "product__name", "quantity", "discount_percent"
    )

    assert len(items) == 8800
    assert {deal: product for deal, product, _, _ in items} == expected
    assert {(quantity, discount) for _, _, quantity, discount in items} == {
        (Decimal(1), Decimal(0))
    }


def test_deal_amount_is_what_its_line_item_adds_up_to(maven):
    items = defaultdict(list)
    for item in DealLineItem.objects.filter(**MAVEN_LINE_ITEMS):
        items[item.deal_id].append(item)

    deals = Deal.objects.filter(**MAVEN_DEALS).only("amount")

    assert {deal.pk: deal.amount for deal in deals} == {
        deal_id: line_items_amount(line_items) for deal_id, line_items in items.items()
    }


def test_deal_description_no_longer_repeats_the_product(maven):
    assert not Deal.objects.filter(**MAVEN_DEALS).exclude(description="").exists()


def test_second_run_creates_and_updates_nothing(maven):
    last_change = Deal.objects.aggregate(Max("modified_at"))

    again = run_import(maven_csv.maven_folder())

    assert again.stdout.splitlines() == [
        "users: 0 created, 0 updated, 41 unchanged",
        "accounts: 0 created, 0 updated, 85 unchanged",
        "products: 0 created, 0 updated, 7 unchanged",
        "pipelines: 0 created, 0 updated, 1 unchanged",
        "stages: 0 created, 0 updated, 4 unchanged",
        "deals: 0 created, 0 updated, 8800 unchanged",
        "line_items: 0 created, 0 updated, 8800 unchanged",
        "skipped rows: 0",
    ]
    assert Deal.objects.aggregate(Max("modified_at")) == last_change


def test_rerun_restores_a_deal_changed_in_the_crm(maven):
    Deal.objects.filter(external_id="maven-deal:1C1I7A6R").update(amount=1)

    again = run_import(maven_csv.maven_folder())

    assert "deals: 0 created, 1 updated, 8799 unchanged" in again.stdout.splitlines()
    assert Deal.objects.get(external_id="maven-deal:1C1I7A6R").amount == Decimal("1054")


def test_rerun_removes_a_line_item_added_in_the_crm(maven):
    deal = Deal.objects.get(external_id="maven-deal:1C1I7A6R")
    DealLineItem.objects.create(
        deal=deal,
        product=Product.objects.get(code="GTK-500"),
        quantity=2,
        unit_price=Decimal("10"),
    )

    again = run_import(maven_csv.maven_folder())

    assert (
        "line_items: 0 created, 0 updated, 8800 unchanged, 1 removed"
        in again.stdout.splitlines()
    )
    assert list(deal.line_items.values_list("product__code", "unit_price")) == [
        ("GTX-PLUS-BASIC", Decimal("1054.00"))
    ]


def test_rerun_restores_a_line_item_changed_in_the_crm(maven):
    DealLineItem.objects.filter(deal__external_id="maven-deal:1C1I7A6R").update(
        quantity=3
    )

    again = run_import(maven_csv.maven_folder())

    assert (
        "line_items: 0 created, 1 updated, 8799 unchanged" in again.stdout.splitlines()
    )
    item = DealLineItem.objects.get(deal__external_id="maven-deal:1C1I7A6R")
    assert (item.quantity, item.unit_price) == (Decimal(1), Decimal("1054.00"))


def write_folder(folder, **files):
    """A Maven folder whose files hold the given text (header line included)."""
    defaults = {
        "products": "product,series,sales_price\nWidget,W,100\n",
        "sales_teams": (
            "sales_agent,manager,regional_office\nTest Agent,Test Boss,East\n"
        ),
        "accounts": (
            "account,sector,year_established,revenue,employees,office_location,"
            "subsidiary_of\nTest Account,retail,2000,1.5,10,Peru,\n"
        ),
        "sales_pipeline": (
            "opportunity_id,sales_agent,product,account,deal_stage,engage_date,"
            "close_date,close_value\nT1,Test Agent,Widget,Test Account,Won,"
            "2017-01-02,2017-02-03,90\n"
        ),
    }
    for name, text in {**defaults, **files}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_malformed_rows_are_reported_by_file_line_and_reason_and_skipped(db, tmp_path):
    folder = write_folder(
        tmp_path,
        products="product,series,sales_price\nWidget,W,100\nGadget,G,cheap\n",
        sales_teams=(
            "sales_agent,manager,regional_office\nTest Agent,Test Boss,East\n"
            ",Test Boss,East\n"
        ),
        accounts=(
            "account,sector,year_established,revenue,employees,office_location,"
            "subsidiary_of\nTest Account,retail,2000,1.5,10,Peru,\n"
            "Orphan,retail,2000,1,1,Peru,Nobody\n"
            "Crowd,retail,2000,1,many,Peru,\n"
        ),
        sales_pipeline=(
            "opportunity_id,sales_agent,product,account,deal_stage,engage_date,"
            "close_date,close_value\n"
            "T1,Test Agent,Widget,Test Account,Won,2017-01-02,2017-02-03,90\n"
            "T1,Test Agent,Widget,Test Account,Won,2017-01-02,2017-02-03,90\n"
            "T2,Someone Else,Widget,,Engaging,2017-01-02,,\n"
            "T3,Test Agent,Gadget,,Engaging,2017-01-02,,\n"
            "T4,Test Agent,Widget,Orphan,Engaging,2017-01-02,,\n"
            "T5,Test Agent,Widget,,Stalled,2017-01-02,,\n"
            "T6,Test Agent,Widget,,Engaging,2017-02-30,,\n"
            "T7,Test Agent,Widget,,Won,2017-01-02,,\n"
            "T8,Test Agent,Widget,,Won,2017-01-02,2017-02-03,-5\n"
            "T9,Test Agent,Widget,,Lost,2017-03-02,2017-02-03,0\n"
            "T10,Test Agent,Widget,,Engaging,2017-01-02,,\n"
        ),
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        "skipped products.csv:3: sales_price 'cheap' is not an amount",
        "skipped sales_teams.csv:3: sales_agent is empty",
        "skipped accounts.csv:4: employees 'many' is not a whole number",
        "skipped accounts.csv:3: subsidiary_of 'Nobody' is not an imported account, "
        "or the parent accounts loop",
        "skipped sales_pipeline.csv:3: opportunity 'T1' is listed twice",
        "skipped sales_pipeline.csv:4: sales_agent 'Someone Else' is not an "
        "imported agent",
        "skipped sales_pipeline.csv:5: product 'Gadget' is not in products.csv",
        "skipped sales_pipeline.csv:6: account 'Orphan' is not an imported account",
        "skipped sales_pipeline.csv:7: deal_stage 'Stalled' is not one of "
        "Prospecting, Engaging, Won, Lost",
        "skipped sales_pipeline.csv:8: engage_date '2017-02-30' is not a date "
        "(YYYY-MM-DD)",
        "skipped sales_pipeline.csv:9: a Won opportunity needs a close_date and a "
        "close_value",
        "skipped sales_pipeline.csv:10: close_value '-5' is not an amount",
        "skipped sales_pipeline.csv:11: engage_date is after close_date",
    ]
    assert result.stdout.splitlines()[-1] == "skipped rows: 13"
    assert sorted(
        Deal.objects.filter(owner__username="test.agent").values_list(
            "external_id", flat=True
        )
    ) == ["maven-deal:T1", "maven-deal:T10"]


def test_row_with_a_nul_character_in_a_cell_is_reported_and_skipped(db, tmp_path):
    folder = write_folder(
        tmp_path,
        sales_pipeline=(
            "opportunity_id,sales_agent,product,account,deal_stage,engage_date,"
            "close_date,close_value\n"
            "T1,Test Agent,Widget,Test Account,Won,2017-01-02,2017-02-03,90\n"
            "T2,Test Agent,Widget,Test Account,Engaging,2017-01-02,,\x00\n"
        ),
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        "skipped sales_pipeline.csv:3: close_value holds a NUL character"
    ]
    assert list(
        Deal.objects.filter(owner__username="test.agent").values_list(
            "external_id", flat=True
        )
    ) == ["maven-deal:T1"]


@pytest.mark.parametrize("close_value", ["0.005", "1E+3", "1e3", "12.345"])
def test_close_value_that_would_be_stored_rounded_is_reported_and_skipped(
    db, tmp_path, close_value
):
    folder = write_folder(
        tmp_path,
        sales_pipeline=(
            "opportunity_id,sales_agent,product,account,deal_stage,engage_date,"
            "close_date,close_value\n"
            "T1,Test Agent,Widget,Test Account,Won,2017-01-02,2017-02-03,90.50\n"
            "T2,Test Agent,Widget,Test Account,Won,2017-01-02,2017-02-03,"
            f"{close_value}\n"
        ),
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        f"skipped sales_pipeline.csv:3: close_value {close_value!r} is not an amount"
    ]
    assert list(
        Deal.objects.filter(owner__username="test.agent").values_list(
            "external_id", "amount"
        )
    ) == [("maven-deal:T1", Decimal("90.50"))]


@pytest.mark.parametrize("sales_price", ["99.999", "1E+2"])
def test_sales_price_that_would_be_stored_rounded_is_reported_and_skipped(
    db, tmp_path, sales_price
):
    folder = write_folder(
        tmp_path,
        products=f"product,series,sales_price\nWidget,W,100\nGadget,G,{sales_price}\n",
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        f"skipped products.csv:3: sales_price {sales_price!r} is not an amount"
    ]


def test_account_no_opportunity_names_is_skipped_without_owner(db, tmp_path):
    folder = write_folder(
        tmp_path,
        accounts=(
            "account,sector,year_established,revenue,employees,office_location,"
            "subsidiary_of\nTest Account,retail,2000,1.5,10,Peru,\n"
            "Quiet,retail,2000,1,1,Peru,\n"
        ),
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        "skipped accounts.csv:3: no imported opportunity names 'Quiet', "
        "so it has no owner"
    ]
    assert Account.objects.filter(name__in=["Test Account", "Quiet"]).count() == 1
    assert Account.objects.filter(name="Test Account").exists()


def test_owner_option_owns_accounts_no_opportunity_names(db, tmp_path):
    owner = UserFactory(username="importer")
    folder = write_folder(
        tmp_path,
        accounts=(
            "account,sector,year_established,revenue,employees,office_location,"
            "subsidiary_of\nTest Account,retail,2000,1.5,10,Peru,\n"
            "Quiet,retail,2000,1,1,Peru,\n"
        ),
    )

    result = run_import(folder, "--owner", "importer")

    assert result.stderr == ""
    assert Account.objects.get(name="Quiet").owner == owner
    assert Account.objects.get(name="Test Account").owner.username == "test.agent"


def test_unknown_owner_option_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        run_import(write_folder(tmp_path), "--owner", "nobody")


def test_missing_folder_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run_import(tmp_path / "absent")


def test_folder_without_a_file_is_a_command_error(db, tmp_path):
    write_folder(tmp_path)
    (tmp_path / "accounts.csv").unlink()

    with pytest.raises(CommandError, match="accounts.csv is missing"):
        run_import(tmp_path)


def test_file_without_a_needed_column_is_a_command_error(db, tmp_path):
    write_folder(tmp_path, products="product,price\nWidget,100\n")

    with pytest.raises(CommandError, match="lacks the columns: series, sales_price"):
        run_import(tmp_path)

    assert not User.objects.filter(username="test.agent").exists()


def test_names_that_would_share_a_user_name_are_skipped(db, tmp_path):
    folder = write_folder(
        tmp_path,
        sales_teams=(
            "sales_agent,manager,regional_office\nTest Agent,Test Boss,East\n"
            "test  agent,Test Boss,East\n"
        ),
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        "skipped sales_teams.csv:3: 'test  agent' and 'Test Agent' would share the "
        "user name 'test.agent'"
    ]


def test_managers_that_loop_are_skipped(db, tmp_path):
    folder = write_folder(
        tmp_path,
        sales_teams=(
            "sales_agent,manager,regional_office\nTest Agent,Test Boss,East\n"
            "Test Boss,Test Agent,East\n"
        ),
    )

    result = run_import(folder)

    assert result.stderr.splitlines()[:2] == [
        "skipped sales_teams.csv:2: the managers above 'Test Agent' loop",
        "skipped sales_teams.csv:2: the managers above 'Test Boss' loop",
    ]
    assert not User.objects.filter(username__in=["test.agent", "test.boss"]).exists()


def test_file_that_is_not_utf8_is_a_command_error(db, tmp_path):
    write_folder(tmp_path)
    (tmp_path / "accounts.csv").write_bytes(
        "account,sector\nZürich,x\n".encode("latin-1")
    )

    with pytest.raises(CommandError, match="accounts.csv: not readable as UTF-8 CSV"):
        run_import(tmp_path)


def test_product_whose_code_another_product_has_is_skipped_with_its_deals(db, tmp_path):
    ProductFactory(code="WIDGET")

    result = run_import(write_folder(tmp_path))

    assert result.stderr.splitlines() == [
        "skipped products.csv:2: another product already has the code 'WIDGET'",
        "skipped sales_pipeline.csv:2: opportunity 'T1' needs a skipped user, "
        "account or product",
    ]
    assert not Deal.objects.filter(external_id="maven-deal:T1").exists()


def test_products_that_would_share_a_code_are_skipped(db, tmp_path):
    folder = write_folder(
        tmp_path,
        products="product,series,sales_price\nWidget,W,10\nWidget Pro,W,100\n"
        "Widget-Pro,W,90\n",
    )
    owner = UserFactory(username="importer")

    result = run_import(folder, "--owner", "importer")

    assert result.stderr.splitlines() == [
        "skipped products.csv:4: 'Widget-Pro' and 'Widget Pro' would share the code "
        "'WIDGET-PRO'"
    ]
    assert Product.objects.get(code="WIDGET-PRO").owner == owner


def test_product_no_opportunity_names_is_skipped_without_owner(db, tmp_path):
    folder = write_folder(
        tmp_path, products="product,series,sales_price\nWidget,W,100\nSpare,S,5\n"
    )

    result = run_import(folder)

    assert result.stderr.splitlines() == [
        "skipped products.csv:3: no imported opportunity names 'Spare', "
        "so it has no owner"
    ]
    assert not Product.objects.filter(name="Spare").exists()


def test_owner_option_owns_products_no_opportunity_names(db, tmp_path):
    owner = UserFactory(username="importer")
    folder = write_folder(
        tmp_path, products="product,series,sales_price\nWidget,W,100\nSpare,S,5\n"
    )

    result = run_import(folder, "--owner", "importer")

    assert result.stderr == ""
    assert Product.objects.get(name="Spare").owner == owner
    assert Product.objects.get(name="Widget").owner.username == "test.agent"
