import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from crm.importers import records
from crm.importers.csvrows import (
    DATE_OUT_OF_RANGE,
    EMPTY_CELL,
    IN_COLUMN,
    NOT_A_DATE,
    NOT_AN_AMOUNT,
    NOT_AN_EMAIL,
    NOT_UTF8,
    NUL_IN_CELL,
    STORED_AS_FALLBACK,
    UNKNOWN_CHOICE,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_whole_number,
    parse_yes_no,
)
from crm.importers.records import REPEATED_ID, TOO_LONG, Issue
from crm.importers.zoho import (
    MISSING_COLUMN,
    MODULE_FAILED,
    NO_FOLDER,
    NO_ZOHO_CSV,
    ZohoImportError,
    zoho_import,
)
from crm.importers.zoho.activities import (
    POTENTIAL_LINKS_LEFT_OUT,
    RECORD_NOT_IMPORTED,
)
from crm.importers.zoho.common import UNKNOWN_OWNER, UNKNOWN_OWNER_ID
from crm.importers.zoho.people import (
    ACCOUNT_NOT_IMPORTED,
    EMAIL_USED_BY_LINE,
    EMAIL_USED_BY_RECORD,
)
from crm.importers.zoho.sales import (
    AMOUNT_FROM_LINE_ITEMS,
    LEAD_NOT_IMPORTED,
    UNKNOWN_STAGE,
)
from crm.management.commands import import_zoho
from crm.models import (
    Account,
    Call,
    Campaign,
    Contact,
    Deal,
    Lead,
    LeadSource,
    Meeting,
    Product,
    Task,
    Ticket,
    User,
)
from crm.services import deal_line_item_create
from tests.crm import zoho_export
from tests.crm.zoho_export import ZohoExport, counts, report_counts
from tests.factories import ContactFactory, LeadFactory, ProductFactory, UserFactory

SAMPLE_COUNTS = {
    "Users": {"created": 11, "updated": 0, "unchanged": 0, "skipped": 0},
    "Accounts": {"created": 2226, "updated": 0, "unchanged": 0, "skipped": 3},
    "Contacts": {"created": 1265, "updated": 0, "unchanged": 0, "skipped": 0},
    "Leads": {"created": 3900, "updated": 0, "unchanged": 0, "skipped": 0},
    "Campaigns": {"created": 110, "updated": 0, "unchanged": 0, "skipped": 0},
    "Potentials": {"created": 3632, "updated": 0, "unchanged": 0, "skipped": 0},
    "Products": {"created": 2000, "updated": 0, "unchanged": 0, "skipped": 0},
    "Calls": {"created": 4100, "updated": 0, "unchanged": 0, "skipped": 0},
    "Events": {"created": 2978, "updated": 0, "unchanged": 0, "skipped": 0},
    "Tasks": {"created": 2978, "updated": 0, "unchanged": 0, "skipped": 0},
    "Cases": {"created": 797, "updated": 0, "unchanged": 0, "skipped": 0},
}
SAMPLE_ROWS = {
    "users": 11,
    "accounts": 2226,
    "contacts": 1265,
    "leads": 3900,
    "campaigns": 110,
    "deals": 3632,
    "products": 2000,
    "calls": 4100,
    "meetings": 2978,
    "tasks": 2978,
    "tickets": 797,
}
SAMPLE_SKIPPED_MODULES = ["Price_Books", "Vendors"]
# Records the import makes, by the prefix of their external ids.
PREFIXES = {
    "users": (User, "zoho:"),
    "accounts": (Account, "zoho-account:"),
    "contacts": (Contact, "zoho-contact:"),
    "leads": (Lead, "zoho-lead:"),
    "campaigns": (Campaign, "zoho-campaign:"),
    "deals": (Deal, "zoho-deal:lead-"),
    "products": (Product, "zoho-product:"),
    "calls": (Call, "zoho-call:"),
    "meetings": (Meeting, "zoho-event:"),
    "tasks": (Task, "zoho-task:"),
    "tickets": (Ticket, "zoho-case:"),
}


def database_counts():
    return {
        name: model.objects.filter(external_id__startswith=prefix).count()
        for name, (model, prefix) in PREFIXES.items()
    }


class TestSampleExport:
    """The real sample export, imported once for the whole class."""

    def test_sample_import_reports_exact_counts_per_module(self, sample):
        assert report_counts(sample) == SAMPLE_COUNTS

    def test_sample_export_rows_are_stored_with_prefixed_external_ids(self, sample):
        assert database_counts() == SAMPLE_ROWS

    def test_modules_without_a_model_are_reported_as_skipped(self, sample):
        assert sample.skipped_modules == SAMPLE_SKIPPED_MODULES

    def test_accounts_with_an_empty_name_are_skipped_with_their_line(self, sample):
        message = EMPTY_CELL.format(label="Account Name")

        assert sample.module("Accounts").issues == [
            Issue("Accounts.csv", line, message, skipped=True)
            for line in (1093, 1948, 2100)
        ]
        assert not Account.objects.filter(
            external_id__in=[
                "zoho-account:1093",
                "zoho-account:1948",
                "zoho-account:2100",
            ]
        ).exists()

    def test_contact_whose_account_was_skipped_is_imported_without_the_link(
        self, sample
    ):
        contact = Contact.objects.get(external_id="zoho-contact:3292")

        assert contact.account is None
        assert contact.last_name == "Ferraro"
        assert sample.module("Contacts").issues == [
            Issue(
                "Contacts.csv",
                329,
                ACCOUNT_NOT_IMPORTED.format(account_id="1093"),
                skipped=False,
            )
        ]

    def test_contact_is_linked_to_its_account(self, sample):
        contact = Contact.objects.select_related("account").get(
            external_id="zoho-contact:2585"
        )

        assert contact.account.external_id == "zoho-account:386"
        assert contact.account.name == "WWW Realty"
        assert Contact.objects.filter(account__isnull=False).count() == 1264

    def test_zoho_users_become_users_with_faithful_names_and_no_password(self, sample):
        user = User.objects.get(external_id="zoho:1002")

        assert user.username == "santa@finepick.com"
        assert user.email == "santa@finepick.com"
        assert (user.first_name, user.last_name) == ("", "Santa Cruz Clara")
        assert user.get_full_name() == "Santa Cruz Clara"
        assert not user.has_usable_password()

    def test_owner_is_found_by_zoho_user_id(self, sample):
        account = Account.objects.get(external_id="zoho-account:386")

        assert account.owner.external_id == "zoho:1002"
        assert Account.objects.filter(owner__external_id="zoho:1001").count() == 230
        assert Contact.objects.filter(owner__external_id="zoho:1004").count() == 133

    def test_owner_is_found_by_full_name(self, sample):
        lead = Lead.objects.get(external_id="zoho-lead:4563")

        assert lead.owner.username == "david@finepick.com"
        assert Lead.objects.filter(owner__username="david@finepick.com").count() == 334
        assert Deal.objects.filter(owner__username="roger@finepick.com").count() == 305

    def test_deal_links_to_its_source_lead_and_the_contact_with_its_email(self, sample):
        deal = Deal.objects.get(external_id="zoho-deal:lead-1832")

        assert deal.lead.external_id == "zoho-lead:1832"
        assert deal.contact.external_id == "zoho-contact:3032"
        assert deal.contact.email == deal.lead.email == "JosephLGullickson@dayrep.com"
        assert deal.account.external_id == "zoho-account:833"

    def test_deal_cells_become_typed_values(self, sample):
        deal = Deal.objects.get(external_id="zoho-deal:lead-1832")

        assert deal.name == "Lewis, James"
        assert deal.amount == Decimal("22700.00")
        assert deal.stage.name == "Needs Analysis"
        assert deal.stage.pipeline == deal.pipeline
        assert deal.pipeline.is_default
        assert deal.closing_date == date(2021, 4, 16)
        assert deal.created_at == datetime(2021, 4, 15, 0, 2, tzinfo=UTC)
        assert deal.deal_type == Deal.Type.EXISTING_BUSINESS
        assert deal.lead_source == LeadSource.ADVERTISEMENT
        assert deal.owner.username == "roger@finepick.com"

    def test_deal_probability_follows_the_stage_not_the_zoho_column(self, sample):
        deal = Deal.objects.get(external_id="zoho-deal:lead-1832")

        # Zoho says 100 for this Needs Analysis deal.
        assert deal.probability == 30
        assert not Deal.objects.exclude(probability=F("stage__probability")).exists()
        assert set(
            Deal.objects.filter(stage__name="Closed Lost").values_list(
                "probability", flat=True
            )
        ) == {0}

    def test_deal_links_a_contact_only_when_one_has_the_lead_email(self, sample):
        assert Deal.objects.filter(lead__isnull=False).count() == 3632
        assert Deal.objects.filter(contact__isnull=False).count() == 1164
        assert Deal.objects.filter(account__isnull=False).count() == 1163
        assert Deal.objects.get(external_id="zoho-deal:lead-2798").contact is None

    def test_deal_stages_and_types_are_mapped(self, sample):
        stages = dict(
            Deal.objects.values_list("stage__name").annotate(total=Count("id"))
        )
        types = dict(Deal.objects.values_list("deal_type").annotate(total=Count("id")))

        assert stages == {
            "Closed Won": 1425,
            "Qualification": 698,
            "Closed Lost": 485,
            "Needs Analysis": 296,
            "Initial Offer": 283,
            "Prospect": 245,
            "Proposal/Price Quote": 136,
            "Negotiation/Review": 64,
        }
        assert types == {"new_business": 2658, "existing_business": 974}

    def test_lead_source_labels_are_normalised(self, sample):
        deal_sources = dict(
            Deal.objects.values_list("lead_source").annotate(total=Count("id"))
        )
        lead_sources = dict(
            Lead.objects.values_list("lead_source").annotate(total=Count("id"))
        )

        # Potentials write "OnlineStore", Leads "Online Store".
        assert deal_sources[LeadSource.ONLINE_STORE] == 369
        assert lead_sources[LeadSource.ONLINE_STORE] == 370
        assert deal_sources[LeadSource.SALES_EMAIL_ALIAS] == 356
        assert lead_sources[LeadSource.SALES_EMAIL_ALIAS] == 371
        assert deal_sources[""] == 3
        assert sum(deal_sources.values()) == 3632
        assert LeadSource.OTHER not in deal_sources

    def test_lead_statuses_are_mapped(self, sample):
        statuses = dict(Lead.objects.values_list("status").annotate(total=Count("id")))

        assert statuses == {
            Lead.Status.CONTACT_IN_FUTURE: 781,
            Lead.Status.CONTACTED: 780,
            Lead.Status.PRE_QUALIFIED: 776,
            Lead.Status.LOST_LEAD: 392,
            Lead.Status.NOT_CONTACTED: 392,
            Lead.Status.ATTEMPTED_TO_CONTACT: 391,
            Lead.Status.JUNK_LEAD: 388,
        }

    def test_account_types_are_mapped(self, sample):
        types = dict(
            Account.objects.values_list("account_type").annotate(total=Count("id"))
        )

        assert types == {Account.Type.CUSTOMER: 1105, Account.Type.PROSPECT: 1121}

    def test_created_time_is_stored_as_utc(self, sample):
        lead = Lead.objects.get(external_id="zoho-lead:4563")
        contact = Contact.objects.get(external_id="zoho-contact:2585")

        assert lead.created_at == datetime(2021, 4, 15, 0, 3, tzinfo=UTC)
        assert contact.created_at == datetime(2021, 4, 16, 0, 2, tzinfo=UTC)

    def test_reimport_creates_and_updates_nothing(self, sample, sample_folder):
        again = zoho_import(folder=sample_folder)

        assert report_counts(again) == {
            module: {
                "created": 0,
                "updated": 0,
                "unchanged": expected["created"],
                "skipped": expected["skipped"],
            }
            for module, expected in SAMPLE_COUNTS.items()
        }
        assert database_counts() == SAMPLE_ROWS


@pytest.fixture
def export(tmp_path):
    return ZohoExport(tmp_path / "export")


def in_column(label, error):
    return IN_COLUMN.format(label=label, error=error)


@pytest.mark.parametrize(
    ("module", "index", "label", "value", "message"),
    [
        ("Accounts", 1, "Account Name", "", EMPTY_CELL.format(label="Account Name")),
        (
            "Accounts",
            1,
            "Account Owner Id",
            "1099",
            UNKNOWN_OWNER_ID.format(label="Account Owner Id", owner_id="1099"),
        ),
        (
            "Leads",
            1,
            "Lead Owner",
            "Nobody Here",
            UNKNOWN_OWNER.format(label="Lead Owner", name="Nobody Here"),
        ),
        (
            "Leads",
            1,
            "Created Time",
            "31 Foo, 2021 00:00:00",
            in_column("Created Time", NOT_A_DATE.format(text="31 Foo, 2021 00:00:00")),
        ),
        (
            "Leads",
            1,
            "Lead Status",
            "Dormant",
            UNKNOWN_CHOICE.format(label="Lead Status", text="Dormant"),
        ),
        (
            "Potentials",
            1,
            "Amount",
            "twelve dollars",
            in_column("Amount", NOT_AN_AMOUNT.format(text="twelve dollars")),
        ),
        (
            "Potentials",
            1,
            "Stage",
            "Won Somehow",
            UNKNOWN_STAGE.format(stage="Won Somehow", pipeline="Sales"),
        ),
        (
            "Contacts",
            0,
            "Email",
            "not-an-address",
            in_column("Email", NOT_AN_EMAIL.format(text="not-an-address")),
        ),
    ],
)
def test_malformed_row_is_skipped_with_file_line_and_reason(
    db, export, module, index, label, value, message
):
    export.set(module, index, label, value)

    report = zoho_import(folder=export.write()).module(module)

    assert report.issues == [Issue(f"{module}.csv", index + 2, message, skipped=True)]
    assert (report.created, report.skipped) == (len(export.tables[module][1]) - 1, 1)


OUT_OF_RANGE_TIMES = (
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T03:00:00",
    "9999-12-31",
)


def out_of_range(text):
    return DATE_OUT_OF_RANGE.format(text=text, first=2, last=9998)


@pytest.mark.parametrize("text", OUT_OF_RANGE_TIMES)
def test_time_outside_the_storable_years_is_refused(text):
    with pytest.raises(ValueError, match=f"^{re.escape(out_of_range(text))}$"):
        parse_datetime(text)


@pytest.mark.parametrize("text", ["0002-01-01T00:00:00", "9998-12-31T23:59:59+00:00"])
def test_time_at_the_edge_of_the_storable_years_is_kept(text):
    assert parse_datetime(text) == datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("text", OUT_OF_RANGE_TIMES)
def test_row_with_a_time_outside_the_storable_years_is_skipped(db, export, text):
    export.set("Leads", 1, "Created Time", text)

    report = zoho_import(folder=export.write()).module("Leads")

    message = in_column("Created Time", out_of_range(text))
    assert report.issues == [Issue("Leads.csv", 3, message, skipped=True)]
    assert (report.created, report.skipped) == (1, 1)


@pytest.mark.parametrize("text", OUT_OF_RANGE_TIMES)
def test_task_with_a_time_outside_the_storable_years_is_skipped(db, export, text):
    export.set("Tasks", 0, "Created Time", text)

    report = zoho_import(folder=export.write()).module("Tasks")

    message = in_column("Created Time", out_of_range(text))
    assert report.issues == [Issue("Tasks.csv", 2, message, skipped=True)]
    assert report.skipped == 1


def test_row_with_a_nul_character_in_a_cell_is_skipped(db, export):
    export.set("Leads", 1, "Company", "Glo\x00bex")

    report = zoho_import(folder=export.write()).module("Leads")

    message = NUL_IN_CELL.format(label="Company")
    assert report.issues == [Issue("Leads.csv", 3, message, skipped=True)]
    assert list(
        Lead.objects.filter(external_id__startswith="zoho-lead:").values_list(
            "external_id", flat=True
        )
    ) == ["zoho-lead:30"]


def test_nul_character_does_not_stop_the_modules_after_it(db, export):
    export.set("Accounts", 0, "Website", "acme\x00.test")

    report = zoho_import(folder=export.write())

    assert report.module("Accounts").skipped == 1
    assert report.module("Cases").created == len(export.tables["Cases"][1])


def test_lead_whose_email_differs_only_in_case_from_an_earlier_row_is_skipped(
    db, export
):
    export.add("Leads", 0, LEADID="32", Email="BeckiTucker@Mail.Test")

    report = zoho_import(folder=export.write()).module("Leads")

    message = EMAIL_USED_BY_LINE.format(line=2)
    assert report.issues == [Issue("Leads.csv", 4, message, skipped=True)]
    assert not Lead.objects.filter(external_id="zoho-lead:32").exists()


def test_lead_whose_email_a_lead_made_in_the_crm_has_is_skipped(db, export):
    lead = LeadFactory(email="HALL@mail.test")

    report = zoho_import(folder=export.write()).module("Leads")

    message = EMAIL_USED_BY_RECORD.format(record="lead", pk=lead.pk)
    assert report.issues == [Issue("Leads.csv", 3, message, skipped=True)]
    assert Lead.objects.filter(email__iexact="hall@mail.test").count() == 1


def test_contact_whose_email_a_contact_made_in_the_crm_has_is_skipped(db, export):
    contact = ContactFactory(email="beckitucker@MAIL.test")

    report = zoho_import(folder=export.write()).module("Contacts")

    message = EMAIL_USED_BY_RECORD.format(record="contact", pk=contact.pk)
    assert report.issues == [Issue("Contacts.csv", 2, message, skipped=True)]


def test_reimported_lead_does_not_count_as_a_holder_of_its_own_email(db, export):
    zoho_import(folder=export.write())
    export.set("Leads", 0, "Email", "BECKITUCKER@mail.test")

    report = zoho_import(folder=export.write()).module("Leads")

    assert (report.updated, report.skipped, report.issues) == (1, 0, [])


def test_value_longer_than_its_column_is_skipped(db, export):
    export.set("Accounts", 0, "Account Name", "A" * 256)

    report = zoho_import(folder=export.write()).module("Accounts")

    assert report.issues == [
        Issue(
            "Accounts.csv",
            2,
            TOO_LONG.format(label="name", max_length=255),
            skipped=True,
        )
    ]


def test_repeated_id_in_a_file_is_skipped(db, export):
    export.add("Leads", 0, **{"Last Name": "Again"})

    report = zoho_import(folder=export.write()).module("Leads")

    assert report.issues == [
        Issue("Leads.csv", 4, REPEATED_ID.format(line=2), skipped=True)
    ]
    assert Lead.objects.get(external_id="zoho-lead:30").last_name == "Tucker"


def test_deal_whose_lead_was_skipped_is_imported_without_the_link(db, export):
    export.set("Leads", 0, "Last Name", "")

    report = zoho_import(folder=export.write()).module("Potentials")

    assert report.created == 2
    assert report.issues == [
        Issue(
            "Potentials.csv",
            2,
            LEAD_NOT_IMPORTED.format(lead_id="30"),
            skipped=False,
        )
    ]
    assert Deal.objects.get(external_id="zoho-deal:lead-30").lead is None


def test_deals_take_the_contact_of_their_lead_and_its_account(db, export):
    zoho_import(folder=export.write())

    tucker = Deal.objects.get(external_id="zoho-deal:lead-30")
    hall = Deal.objects.get(external_id="zoho-deal:lead-31")
    assert tucker.contact.external_id == "zoho-contact:20"
    assert tucker.account.external_id == "zoho-account:10"
    assert hall.contact.external_id == "zoho-contact:21"
    assert hall.account is None


def test_deal_with_iso_times_and_an_empty_source_is_imported(db, export):
    zoho_import(folder=export.write())

    deal = Deal.objects.get(external_id="zoho-deal:lead-31")
    assert deal.created_at == datetime(2021, 4, 15, 23, 3, tzinfo=UTC)
    assert deal.closing_date == date(2021, 5, 1)
    assert deal.amount == Decimal("1250.50")
    assert (deal.stage.name, deal.probability) == ("Prospect", 10)
    assert deal.lead_source == ""


def test_unknown_lead_source_is_stored_as_other_and_reported(db, export):
    export.set("Leads", 1, "Lead Source", "Facebook")

    report = zoho_import(folder=export.write()).module("Leads")

    assert Lead.objects.get(external_id="zoho-lead:31").lead_source == LeadSource.OTHER
    assert report.issues == [
        Issue(
            "Leads.csv",
            3,
            STORED_AS_FALLBACK.format(
                label="Lead Source", text="Facebook", fallback="Other"
            ),
            skipped=False,
        )
    ]


def test_changed_cell_is_updated_on_reimport(db, export):
    zoho_import(folder=export.write())
    export.set("Potentials", 0, "Amount", "$23,000.00")

    report = zoho_import(folder=export.write())

    assert counts(report.module("Potentials")) == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "skipped": 0,
    }
    deal = Deal.objects.get(external_id="zoho-deal:lead-30")
    assert deal.amount == Decimal("23000.00")
    assert deal.modified_at > deal.created_at


def deal_with_line_items(external_id, *unit_prices):
    deal = Deal.objects.get(external_id=external_id)
    for unit_price in unit_prices:
        deal_line_item_create(
            deal=deal,
            product=ProductFactory(),
            quantity=Decimal(1),
            unit_price=Decimal(unit_price),
        )
    return deal


def test_reimport_keeps_the_amount_of_a_deal_with_line_items(db, export):
    zoho_import(folder=export.write())
    deal = deal_with_line_items("zoho-deal:lead-30", "12.50", "7.50")

    zoho_import(folder=export.write())

    deal.refresh_from_db()
    assert deal.amount == Decimal("20.00")


def test_reimport_says_once_how_many_deals_keep_their_line_items_amount(db, export):
    zoho_import(folder=export.write())
    deal_with_line_items("zoho-deal:lead-30", "12.50", "7.50")
    deal_with_line_items("zoho-deal:lead-31", "3.00")

    report = zoho_import(folder=export.write()).module("Potentials")

    assert report.remarks == [
        "Potentials.csv: " + AMOUNT_FROM_LINE_ITEMS.format(count=2)
    ]
    assert report.issues == []


def test_reimport_updates_the_amount_of_a_deal_without_line_items(db, export):
    zoho_import(folder=export.write())
    Deal.objects.filter(external_id="zoho-deal:lead-30").update(amount=Decimal(5))

    report = zoho_import(folder=export.write()).module("Potentials")

    assert report.remarks == []
    deal = Deal.objects.get(external_id="zoho-deal:lead-30")
    assert deal.amount == Decimal("22700.00")


def test_reimport_keeps_a_link_to_a_record_skipped_this_time(db, export):
    zoho_import(folder=export.write())
    export.set("Accounts", 0, "Account Name", "")

    report = zoho_import(folder=export.write())

    assert counts(report.module("Contacts"))["updated"] == 0
    contact = Contact.objects.get(external_id="zoho-contact:20")
    assert contact.account.external_id == "zoho-account:10"


def test_failed_module_is_rolled_back_whole(db, export, monkeypatch):
    zoho_import(folder=export.write())
    export.set("Leads", 0, "Company", "Acme Two").set(
        "Leads", 1, "Company", "Globex Two"
    )
    monkeypatch.setattr(records, "BATCH_SIZE", 1)
    lead_updates = []

    def fail_second_lead_update(execute, sql, params, many, context):
        if sql.startswith('UPDATE "crm_lead"'):
            lead_updates.append(sql)
            if len(lead_updates) == 2:
                raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with (
        connection.execute_wrapper(fail_second_lead_update),
        pytest.raises(ZohoImportError) as raised,
    ):
        zoho_import(folder=export.write())

    assert str(raised.value) == MODULE_FAILED.format(
        file="Leads.csv", error="disk full", saved="Users, Accounts, Contacts"
    )
    assert len(lead_updates) == 2
    assert sorted(Lead.objects.values_list("company", flat=True)) == ["Acme", "Globex"]


def test_user_who_already_signed_up_keeps_their_account(db, export):
    existing = UserFactory(username="Santa@finepick.com", email="santa@finepick.com")

    zoho_import(folder=export.write())

    existing.refresh_from_db()
    assert existing.external_id == "zoho:1002"
    assert existing.username == "santa@finepick.com"
    assert existing.has_usable_password()
    assert User.objects.filter(external_id__startswith="zoho:").count() == 2


def test_missing_required_column_stops_the_import_before_writing(db, export):
    header, rows = export.tables["Leads"]
    export.tables["Leads"] = (
        header[1:],
        [row[1:] for row in rows],
    )

    with pytest.raises(ZohoImportError) as raised:
        zoho_import(folder=export.write())

    assert str(raised.value) == MISSING_COLUMN.format(
        file="Leads.csv", wanted="'LEADID'"
    )
    assert not User.objects.exists()


def test_file_that_is_not_utf8_stops_the_import_before_writing(db, export):
    folder = export.write()
    (folder / "Leads.csv").write_bytes(
        "LEADID,Last Name,Lead Owner\n30,Müller,Rozario Diego\n".encode("latin-1")
    )

    with pytest.raises(ZohoImportError) as raised:
        zoho_import(folder=folder)

    assert str(raised.value) == NOT_UTF8.format(
        file="Leads.csv", line=2, reason="invalid start byte"
    )
    assert not User.objects.exists()


def test_file_with_a_byte_order_mark_is_imported(db, export):
    folder = export.write()
    users = (folder / "Users.csv").read_text()
    (folder / "Users.csv").write_text(users, encoding="utf-8-sig")

    report = zoho_import(folder=folder)

    assert report.module("Users").created == 2


def test_line_numbers_count_line_breaks_inside_quoted_cells(db, export):
    export.set("Leads", 0, "Company", "Acme\nWest Branch")
    export.set("Leads", 1, "Last Name", "")

    report = zoho_import(folder=export.write()).module("Leads")

    assert report.issues == [
        Issue("Leads.csv", 4, EMPTY_CELL.format(label="Last Name"), skipped=True)
    ]
    assert Lead.objects.get(external_id="zoho-lead:30").company == "Acme\nWest Branch"


def test_import_queries_do_not_grow_with_rows(db, tmp_path):
    small = ZohoExport(tmp_path / "small")
    large = ZohoExport(tmp_path / "large")
    # Few enough rows for one bulk insert: SQLite binds at most 999 values a query.
    for number in range(30):
        large.add("Leads", 0, LEADID=f"5{number:03}", Email=f"lead{number}@mail.test")

    assert import_queries(small.write()) == import_queries(large.write())


def import_queries(folder):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        zoho_import(folder=folder)
        transaction.set_rollback(True)
    return len(queries)


@pytest.mark.parametrize(
    "text", ["15 Apr, 2021 23:03:00", "2021-04-15 23:03:00", "2021-04-15T23:03:00Z"]
)
def test_zoho_and_iso_dates_parse_to_the_same_utc_time(text):
    assert parse_datetime(text) == datetime(2021, 4, 15, 23, 3, tzinfo=UTC)


def test_date_cell_keeps_the_day_and_drops_the_time():
    assert parse_date("16 Apr, 2021 00:03:00") == date(2021, 4, 16)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$22,700.00", Decimal("22700.00")),
        ("$1,234,567.5", Decimal("1234567.50")),
        ("950", Decimal("950.00")),
        ("$342.09K", Decimal("342090.00")),
        ("$1,117.10K", Decimal("1117100.00")),
        ("1.5M", Decimal("1500000.00")),
        ("", None),
    ],
)
def test_amount_text_parses_to_a_decimal(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    "text",
    ["twelve", "1,23", "$12.345", "0.005", "1E+3", "-$5.00", "$", "$1.234567K", "5KK"],
)
def test_amount_text_that_is_not_a_storable_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("Yes", True), ("true", True), ("No", False), ("FALSE", False), ("", False)],
)
def test_yes_no_text_parses_to_a_boolean(text, answer):
    assert parse_yes_no(text) is answer


def test_yes_no_text_that_is_neither_is_refused():
    with pytest.raises(ValueError, match="'Maybe' is not Yes or No"):
        parse_yes_no("Maybe")


@pytest.mark.parametrize(("text", "number"), [("420", 420), ("0", 0), ("", None)])
def test_whole_number_text_parses_to_an_int(text, number):
    assert parse_whole_number(text) == number


@pytest.mark.parametrize("text", ["-5", "4.5", "five", "١٢", "1234567890"])
def test_whole_number_text_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_whole_number(text)


def test_command_prints_issues_skipped_modules_and_a_summary(db, export):
    export.set("Accounts", 1, "Account Name", "")
    folder = export.write()
    (folder / "Vendors.csv").write_text("VENDORID,Vendor Name\n1,Parts Inc\n")
    out = io.StringIO()

    call_command("import_zoho", str(folder), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:6] == [
        str(
            Issue(
                "Accounts.csv", 3, EMPTY_CELL.format(label="Account Name"), skipped=True
            )
        ),
        str(
            Issue(
                "Calls.csv",
                3,
                RECORD_NOT_IMPORTED.format(
                    record="account", record_id="11", activity="call"
                ),
                skipped=False,
            )
        ),
        "Calls.csv: " + POTENTIAL_LINKS_LEFT_OUT.format(count=1),
        "Events.csv: " + POTENTIAL_LINKS_LEFT_OUT.format(count=1),
        "Skipped modules (not imported yet): Vendors",
        "module          created    updated  unchanged    skipped",
    ]
    assert [line.split() for line in lines[6:]] == [
        ["Users", "2", "0", "0", "0"],
        ["Accounts", "1", "0", "0", "1"],
        ["Contacts", "2", "0", "0", "0"],
        ["Leads", "2", "0", "0", "0"],
        ["Campaigns", "2", "0", "0", "0"],
        ["Potentials", "2", "0", "0", "0"],
        ["Products", "2", "0", "0", "0"],
        ["Calls", "3", "0", "0", "0"],
        ["Events", "2", "0", "0", "0"],
        ["Tasks", "3", "0", "0", "0"],
        ["Cases", "2", "0", "0", "0"],
    ]


def test_command_refuses_a_missing_folder(db, tmp_path):
    folder = tmp_path / "nowhere"

    with pytest.raises(CommandError) as raised:
        call_command("import_zoho", str(folder), stdout=io.StringIO())

    assert str(raised.value) == NO_FOLDER.format(folder=folder)


def test_command_refuses_a_folder_without_zoho_csvs(db, tmp_path):
    (tmp_path / "Vendors.csv").write_text("VENDORID,Vendor Name\n1,Parts Inc\n")
    (tmp_path / "notes.txt").write_text("not a CSV\n")

    with pytest.raises(CommandError) as raised:
        call_command("import_zoho", str(tmp_path), stdout=io.StringIO())

    assert str(raised.value) == NO_ZOHO_CSV.format(
        folder=tmp_path,
        found=" (it has Vendors)",
        expected=", ".join(f"{module}.csv" for module in zoho_export.SAMPLE_MODULES),
    )


class TerminalOutput(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def progress_bars(monkeypatch):
    shown = []

    def fake_tqdm(rows, **options):
        shown.append(options["desc"])
        return rows

    monkeypatch.setattr(import_zoho, "tqdm", fake_tqdm)
    return shown


def test_command_shows_progress_in_a_terminal(db, export, progress_bars):
    call_command("import_zoho", str(export.write()), stdout=TerminalOutput())

    assert progress_bars == list(zoho_export.SAMPLE_MODULES)


def test_command_hides_progress_when_output_is_not_a_terminal(
    db, export, progress_bars
):
    call_command("import_zoho", str(export.write()), stdout=io.StringIO())

    assert progress_bars == []
