"""import_zoho for Campaigns, Products, Calls, Events, Tasks and Cases."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db.models import Count

from crm.importers.csvrows import (
    EMPTY_CELL,
    IN_COLUMN,
    NOT_A_WHOLE_NUMBER,
    NOT_AN_AMOUNT,
    NOT_YES_OR_NO,
    STORED_AS_FALLBACK,
    UNKNOWN_CHOICE,
)
from crm.importers.records import Issue
from crm.importers.zoho import zoho_import
from crm.importers.zoho.activities import (
    ENDS_BEFORE_START,
    POTENTIAL_LINKS_LEFT_OUT,
    RECORD_NOT_IMPORTED,
)
from crm.importers.zoho.sales import (
    CAMPAIGN_NOT_IMPORTED,
    CODE_TAKEN,
    NO_CAMPAIGN_OWNER,
    NO_CAMPAIGNS,
    REPEATED_CODE,
)
from crm.importers.zoho.sales import ENDS_BEFORE_START as CAMPAIGN_ENDS_BEFORE_START
from crm.models import (
    Call,
    Campaign,
    Deal,
    Meeting,
    Priority,
    Product,
    Task,
    Ticket,
    User,
)
from tests.crm import zoho_export
from tests.crm.zoho_export import ZohoExport, counts
from tests.factories import CallFactory, DealFactory, ProductFactory


def link_counts(model):
    """How many of the imported ``model`` records are about each kind of record."""
    records = model.objects.filter(external_id__startswith="zoho-")
    return {
        "contact": records.filter(contact__isnull=False).count(),
        "account": records.filter(account__isnull=False).count(),
        "lead": records.filter(lead__isnull=False).count(),
        "deal": records.filter(deal__isnull=False).count(),
        "none": records.filter(
            contact=None, account=None, lead=None, deal=None
        ).count(),
    }


def tally(queryset, field):
    return dict(queryset.values_list(field).annotate(total=Count("id")))


class TestSampleExport:
    """The real sample export, imported once for the whole class."""

    def test_calls_and_events_report_the_potential_links_left_out(self, sample):
        assert sample.module("Calls").remarks == [
            "Calls.csv: " + POTENTIAL_LINKS_LEFT_OUT.format(count=1489)
        ]
        assert sample.module("Events").remarks == [
            "Events.csv: " + POTENTIAL_LINKS_LEFT_OUT.format(count=1334)
        ]

    def test_new_modules_report_no_issue(self, sample):
        modules = ("Campaigns", "Products", "Calls", "Events", "Tasks", "Cases")

        assert {module: sample.module(module).issues for module in modules} == {
            module: [] for module in modules
        }

    def test_calls_link_the_contact_then_the_account_then_the_lead(self, sample):
        # 2,100 calls name a contact (962 also an account, 902 a Potential), 40 an
        # account alone, 170 a lead alone; 579 name only a Potential, 1,211 nothing.
        assert link_counts(Call) == {
            "contact": 2100,
            "account": 40,
            "lead": 170,
            "deal": 0,
            "none": 1790,
        }

    def test_call_naming_a_contact_and_an_account_is_about_the_contact(self, sample):
        call = Call.objects.select_related("contact").get(
            external_id="zoho-call:5000309"
        )

        assert call.contact.external_id == "zoho-contact:2440"
        assert (call.account, call.lead, call.deal) == (None, None, None)

    def test_call_cells_become_typed_values(self, sample):
        call = Call.objects.select_related("owner").get(external_id="zoho-call:5000309")

        assert (
            call.subject,
            call.start,
            call.duration,
            call.direction,
            call.purpose,
            call.owner.username,
            call.created_at,
        ) == (
            "US INVOICE CALL",
            datetime(2021, 4, 15, 23, 3, tzinfo=UTC),
            420,
            Call.Direction.OUTBOUND,
            Call.Purpose.PROSPECTING,
            "lazar@finepick.com",
            datetime(2021, 4, 15, 0, 3, tzinfo=UTC),
        )

    def test_call_types_and_purposes_are_mapped(self, sample):
        calls = Call.objects.filter(external_id__startswith="zoho-call:")

        assert tally(calls, "direction") == {"inbound": 3560, "outbound": 540}
        assert tally(calls, "purpose") == {
            "demo": 2250,
            "prospecting": 1610,
            "support": 160,
            "negotiation": 50,
            "administrative": 30,
        }

    def test_events_become_meetings_about_their_contact_or_lead(self, sample):
        assert link_counts(Meeting) == {
            "contact": 1860,
            "account": 0,
            "lead": 1115,
            "deal": 0,
            "none": 3,
        }

    def test_event_cells_become_typed_values(self, sample):
        meeting = Meeting.objects.select_related("owner", "lead").get(
            external_id="zoho-event:25842000000262376"
        )

        assert (
            meeting.subject,
            meeting.start,
            meeting.end,
            meeting.owner.username,
            meeting.lead.external_id,
        ) == (
            "Demo for Sara",
            datetime(2021, 4, 15, 21, 2, tzinfo=UTC),
            datetime(2021, 8, 18, 21, 7, tzinfo=UTC),
            "rozario@finepick.com",
            "zoho-lead:1007",
        )

    def test_each_task_row_is_a_task_with_its_own_id(self, sample):
        tasks = Task.objects.filter(external_id__startswith="zoho-task:")

        assert tasks.values("external_id").distinct().count() == 2978
        assert tally(tasks, "status") == {
            "completed": 2960,
            "not_started": 14,
            "in_progress": 4,
        }

    def test_task_owners_and_due_dates_follow_the_file(self, sample):
        expected = Counter(
            (row["Task Owner"], row["Due Date"][:12])
            for row in zoho_export.sample_rows("Tasks")
        )

        stored = Counter(
            (task.owner.get_full_name(), f"{task.due_date:%d %b, %Y}")
            for task in Task.objects.filter(
                external_id__startswith="zoho-task:"
            ).select_related("owner")
        )

        assert stored == expected

    def test_cases_become_tickets_with_status_and_origin(self, sample):
        tickets = Ticket.objects.filter(external_id__startswith="zoho-case:")

        assert tally(tickets, "status") == {
            "escalated": 284,
            "on_hold": 264,
            "closed": 249,
        }
        assert tally(tickets, "origin") == {
            "email": 256,
            "social_media": 152,
            "other": 144,
            "web": 135,
            "phone": 110,
        }

    def test_closed_case_closes_at_its_last_modification(self, sample):
        ticket = Ticket.objects.get(
            external_id__startswith="zoho-case:",
            created_at=datetime(2021, 4, 15, 23, 1, 19, tzinfo=UTC),
        )

        assert (ticket.subject, ticket.status, ticket.closed_at) == (
            "Email case, 15 Apr 2021",
            Ticket.Status.CLOSED,
            datetime(2021, 6, 16, 8, 4, 35, tzinfo=UTC),
        )
        assert Ticket.objects.filter(closed_at__isnull=False).count() == 249

    def test_product_cells_become_typed_values(self, sample):
        product = Product.objects.select_related("owner").get(
            external_id="zoho-product:16000000"
        )

        assert (
            product.name,
            product.code,
            product.active,
            product.manufacturer,
            product.category,
            product.unit_price,
            product.cost,
            product.taxable,
            product.owner.username,
        ) == (
            "A/C COOLER",
            "P1",
            False,
            "Lamport Corp",
            "Commercial",
            Decimal("0.00"),
            Decimal("1773.85"),
            False,
            "lazar@finepick.com",
        )

    def test_product_yes_no_columns_are_mapped(self, sample):
        products = Product.objects.filter(external_id__startswith="zoho-product:")

        assert tally(products, "active") == {True: 989, False: 1011}
        assert tally(products, "taxable") == {True: 1013, False: 987}

    def test_campaign_cells_become_typed_values(self, sample):
        campaign = Campaign.objects.get(external_id="zoho-campaign:24000011")

        assert (
            campaign.name,
            campaign.campaign_type,
            campaign.status,
            campaign.start_date,
            campaign.end_date,
            campaign.expected_revenue,
            campaign.budgeted_cost,
            campaign.actual_cost,
        ) == (
            "Campaign All users - Except Signedup",
            Campaign.Type.CONFERENCE,
            Campaign.Status.PLANNING,
            date(2021, 4, 25),
            date(2021, 5, 5),
            Decimal("342090.00"),
            Decimal("115000.00"),
            Decimal("141560.00"),
        )

    def test_campaign_types_are_mapped(self, sample):
        campaigns = Campaign.objects.filter(external_id__startswith="zoho-campaign:")

        assert tally(campaigns, "campaign_type") == {
            "public_relations": 17,
            "conference": 15,
            "partners": 14,
            "email": 13,
            "direct_mail": 11,
            "referral_program": 11,
            "advertisement": 10,
            "telemarketing": 8,
            "webinar": 8,
            "other": 3,
        }

    def test_every_deal_is_linked_to_its_campaign(self, sample):
        expected = Counter(
            row["Campaign Id"] for row in zoho_export.sample_rows("Potentials")
        )

        stored = Counter(
            Deal.objects.filter(external_id__startswith="zoho-deal:")
            .values_list("campaign__external_id", flat=True)
            .iterator()
        )

        assert stored == {
            f"zoho-campaign:{campaign_id}": total
            for campaign_id, total in expected.items()
        }
        assert sum(stored.values()) == 3632

    def test_campaign_belongs_to_the_owner_of_most_of_its_deals(self, sample):
        tallies = defaultdict(Counter)
        for row in zoho_export.sample_rows("Potentials"):
            tallies[row["Campaign Id"]][row["Potential Owner"]] += 1
        expected = {
            f"zoho-campaign:{campaign_id}": min(
                owners, key=lambda name: (-owners[name], name.casefold())
            )
            for campaign_id, owners in tallies.items()
        }

        campaigns = Campaign.objects.filter(
            external_id__startswith="zoho-campaign:"
        ).select_related("owner")

        assert {c.external_id: c.owner.get_full_name() for c in campaigns} == expected


@pytest.fixture
def export(tmp_path):
    return ZohoExport(tmp_path / "export")


def in_column(label, error):
    return IN_COLUMN.format(label=label, error=error)


@pytest.mark.parametrize(
    ("module", "index", "label", "value", "message"),
    [
        (
            "Campaigns",
            1,
            "Expected Revenue",
            "lots",
            in_column("Expected Revenue", NOT_AN_AMOUNT.format(text="lots")),
        ),
        (
            "Campaigns",
            1,
            "End Date",
            "2021-04-30",
            CAMPAIGN_ENDS_BEFORE_START.format(end="2021-04-30", start="2021-05-01"),
        ),
        (
            "Products",
            1,
            "Product Active",
            "maybe",
            in_column("Product Active", NOT_YES_OR_NO.format(text="maybe")),
        ),
        ("Products", 1, "Product Name", "", EMPTY_CELL.format(label="Product Name")),
        (
            "Calls",
            1,
            "Call Type",
            "Sideways",
            UNKNOWN_CHOICE.format(label="Call Type", text="Sideways"),
        ),
        (
            "Calls",
            1,
            "Call Start Time",
            "",
            EMPTY_CELL.format(label="Call Start Time"),
        ),
        (
            "Calls",
            1,
            "Call Duration (in seconds)",
            "five",
            in_column(
                "Call Duration (in seconds)", NOT_A_WHOLE_NUMBER.format(text="five")
            ),
        ),
        (
            "Events",
            1,
            "End DateTime",
            "2021-04-16 18:00:00",
            ENDS_BEFORE_START.format(
                end="2021-04-16 18:00:00+00:00", start="2021-04-16 19:02:00+00:00"
            ),
        ),
        (
            "Tasks",
            2,
            "Status",
            "Dormant",
            UNKNOWN_CHOICE.format(label="Status", text="Dormant"),
        ),
        (
            "Cases",
            1,
            "Status",
            "Lost",
            UNKNOWN_CHOICE.format(label="Status", text="Lost"),
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


def test_reimport_of_the_small_export_creates_and_updates_nothing(db, export):
    folder = export.write()
    first = zoho_import(folder=folder)

    again = zoho_import(folder=folder)

    assert {item.module: counts(item) for item in again.modules} == {
        item.module: {
            "created": 0,
            "updated": 0,
            "unchanged": item.created,
            "skipped": 0,
        }
        for item in first.modules
    }


def test_call_naming_a_contact_and_an_account_is_about_the_contact(db, export):
    zoho_import(folder=export.write())

    call = Call.objects.get(external_id="zoho-call:60")
    assert (call.contact.external_id, call.account, call.lead) == (
        "zoho-contact:20",
        None,
        None,
    )


def test_call_naming_an_account_and_a_lead_is_about_the_account(db, export):
    zoho_import(folder=export.write())

    call = Call.objects.get(external_id="zoho-call:61")
    assert (call.contact, call.account.external_id, call.lead) == (
        None,
        "zoho-account:11",
        None,
    )


def test_call_naming_only_a_lead_is_about_the_lead(db, export):
    zoho_import(folder=export.write())

    call = Call.objects.get(external_id="zoho-call:62")
    assert (call.contact, call.account, call.lead.external_id) == (
        None,
        None,
        "zoho-lead:31",
    )


def test_call_whose_contact_was_skipped_is_about_its_account(db, export):
    export.set("Contacts", 0, "Last Name", "")

    report = zoho_import(folder=export.write()).module("Calls")

    call = Call.objects.get(external_id="zoho-call:60")
    assert (call.contact, call.account.external_id) == (None, "zoho-account:11")
    assert report.issues == [
        Issue(
            "Calls.csv",
            2,
            RECORD_NOT_IMPORTED.format(
                record="contact", record_id="20", activity="call"
            ),
            skipped=False,
        )
    ]


def test_call_cells_become_typed_values(db, export):
    zoho_import(folder=export.write())

    call = Call.objects.get(external_id="zoho-call:62")
    assert (
        call.subject,
        call.start,
        call.duration,
        call.direction,
        call.purpose,
        call.owner.username,
        call.created_at,
    ) == (
        "Follow-up",
        datetime(2021, 4, 17, 10, 0, tzinfo=UTC),
        0,
        Call.Direction.INBOUND,
        Call.Purpose.SUPPORT,
        "santa@finepick.com",
        datetime(2021, 4, 17, 9, 0, tzinfo=UTC),
    )


def test_unknown_call_purpose_is_stored_as_other_and_reported(db, export):
    export.set("Calls", 0, "Call Purpose", "Lunch")

    report = zoho_import(folder=export.write()).module("Calls")

    assert Call.objects.get(external_id="zoho-call:60").purpose == Call.Purpose.OTHER
    assert report.issues == [
        Issue(
            "Calls.csv",
            2,
            STORED_AS_FALLBACK.format(
                label="Call Purpose", text="Lunch", fallback="Other"
            ),
            skipped=False,
        )
    ]


def test_calls_report_once_how_many_potential_links_are_left_out(db, export):
    report = zoho_import(folder=export.write()).module("Calls")

    assert report.remarks == ["Calls.csv: " + POTENTIAL_LINKS_LEFT_OUT.format(count=1)]


def test_reimport_restores_a_call_moved_to_a_deal_in_the_crm(db, export):
    folder = export.write()
    zoho_import(folder=folder)
    Call.objects.filter(external_id="zoho-call:60").update(
        contact=None, deal=DealFactory()
    )

    report = zoho_import(folder=folder).module("Calls")

    call = Call.objects.get(external_id="zoho-call:60")
    assert (call.contact.external_id, call.deal) == ("zoho-contact:20", None)
    assert (report.updated, report.unchanged) == (1, 2)


def test_calls_file_without_link_columns_leaves_links_made_in_the_crm(db, export):
    export.drop_columns("Calls", "CONTACTID", "ACCOUNTID", "POTENTIALID", "LEADID")
    zoho_import(folder=export.write())
    deal = DealFactory()
    Call.objects.filter(external_id="zoho-call:60").update(deal=deal)

    zoho_import(folder=export.write())

    assert Call.objects.get(external_id="zoho-call:60").deal == deal


def test_event_becomes_a_meeting_about_its_contact(db, export):
    zoho_import(folder=export.write())

    meeting = Meeting.objects.get(external_id="zoho-event:70")
    assert (
        meeting.subject,
        meeting.start,
        meeting.end,
        meeting.created_at,
        meeting.contact.external_id,
        meeting.owner.username,
    ) == (
        "Demo for Becki",
        datetime(2021, 4, 15, 21, 2, tzinfo=UTC),
        datetime(2021, 4, 15, 22, 0, tzinfo=UTC),
        datetime(2021, 4, 14, 10, 0, tzinfo=UTC),
        "zoho-contact:20",
        "rozario@finepick.com",
    )


def test_identical_task_rows_become_separate_tasks(db, export):
    zoho_import(folder=export.write())

    calls = Task.objects.filter(subject="Call")
    assert calls.count() == 2
    assert sorted(task.external_id[-2:] for task in calls) == ["-1", "-2"]


def test_task_cells_become_typed_values(db, export):
    zoho_import(folder=export.write())

    task = Task.objects.get(subject="Follow up")
    assert (
        task.due_date,
        task.status,
        task.priority,
        task.owner.username,
        task.created_at,
    ) == (
        date(2021, 9, 2),
        Task.Status.NOT_STARTED,
        Priority.NORMAL,
        "santa@finepick.com",
        datetime(2021, 4, 17, 0, 2, tzinfo=UTC),
    )


def test_task_whose_status_changed_is_updated_not_duplicated(db, export):
    zoho_import(folder=export.write())
    export.set("Tasks", 2, "Status", "Completed")
    export.set("Tasks", 2, "Task Owner", "Rozario Diego")

    report = zoho_import(folder=export.write()).module("Tasks")

    assert counts(report) == {"created": 0, "updated": 1, "unchanged": 2, "skipped": 0}
    task = Task.objects.get(subject="Follow up")
    assert (task.status, task.owner.username) == (
        Task.Status.COMPLETED,
        "rozario@finepick.com",
    )


def test_task_ids_do_not_depend_on_the_date_format_or_column_order(db, export):
    zoho_import(folder=export.write())
    ids = set(Task.objects.values_list("external_id", flat=True))
    header, rows = export.tables["Tasks"]
    export.tables["Tasks"] = (header[::-1], [row[::-1] for row in rows])
    export.set("Tasks", 2, "Created Time", "2021-04-17T00:02:00Z")

    report = zoho_import(folder=export.write()).module("Tasks")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert set(Task.objects.values_list("external_id", flat=True)) == ids


def test_closed_case_becomes_a_closed_ticket_named_by_origin_and_day(db, export):
    zoho_import(folder=export.write())

    ticket = Ticket.objects.get(origin=Ticket.Origin.EMAIL)
    assert (
        ticket.subject,
        ticket.status,
        ticket.created_at,
        ticket.closed_at,
        ticket.owner.username,
    ) == (
        "Email case, 15 Apr 2021",
        Ticket.Status.CLOSED,
        datetime(2021, 4, 15, 23, 1, 19, tzinfo=UTC),
        datetime(2021, 6, 16, 8, 4, 35, tzinfo=UTC),
        "rozario@finepick.com",
    )


def test_open_case_has_no_closing_time(db, export):
    zoho_import(folder=export.write())

    ticket = Ticket.objects.get(origin=Ticket.Origin.SOCIAL_MEDIA)
    assert (ticket.subject, ticket.status, ticket.closed_at) == (
        "Social media case, 15 Apr 2021",
        Ticket.Status.ESCALATED,
        None,
    )


def test_case_with_a_subject_keeps_it(db, export):
    export.add_column("Cases", "Subject", ["Cannot log in", ""])

    zoho_import(folder=export.write())

    assert set(Ticket.objects.values_list("subject", flat=True)) == {
        "Cannot log in",
        "Social media case, 15 Apr 2021",
    }


def test_product_without_a_code_gets_one_from_its_id(db, export):
    zoho_import(folder=export.write())

    product = Product.objects.get(external_id="zoho-product:51")
    assert (
        product.code,
        product.active,
        product.taxable,
        product.cost,
        product.unit_price,
        product.category,
    ) == ("ZOHO-51", False, True, Decimal("10.00"), Decimal("0.00"), "Landscape")


def test_product_with_a_unit_price_takes_it(db, export):
    export.add_column("Products", "Unit Price", ["$2,150.00", ""])

    zoho_import(folder=export.write())

    assert dict(
        Product.objects.filter(external_id__startswith="zoho-product:").values_list(
            "code", "unit_price"
        )
    ) == {"P1": Decimal("2150.00"), "ZOHO-51": Decimal("0.00")}


def test_product_repeating_a_code_of_the_file_is_skipped(db, export):
    export.set("Products", 1, "Product Code", "P1")

    report = zoho_import(folder=export.write()).module("Products")

    assert report.issues == [
        Issue("Products.csv", 3, REPEATED_CODE.format(code="P1", line=2), skipped=True)
    ]


def test_product_whose_code_another_product_has_is_skipped(db, export):
    ProductFactory(code="P1")

    report = zoho_import(folder=export.write()).module("Products")

    assert report.issues == [
        Issue("Products.csv", 2, CODE_TAKEN.format(code="P1"), skipped=True)
    ]
    assert Product.objects.filter(code="P1").count() == 1


def test_campaign_cells_become_typed_values(db, export):
    zoho_import(folder=export.write())

    campaign = Campaign.objects.get(external_id="zoho-campaign:41")
    assert (
        campaign.name,
        campaign.campaign_type,
        campaign.status,
        campaign.start_date,
        campaign.end_date,
        campaign.expected_revenue,
        campaign.budgeted_cost,
        campaign.actual_cost,
        campaign.created_at,
    ) == (
        "Trade fair",
        Campaign.Type.OTHER,
        Campaign.Status.PLANNING,
        date(2021, 5, 1),
        date(2021, 5, 3),
        Decimal("1117100.00"),
        Decimal("5700.00"),
        None,
        datetime(2021, 5, 1, tzinfo=UTC),
    )


def test_deals_are_linked_to_their_campaigns(db, export):
    zoho_import(folder=export.write())

    assert dict(Deal.objects.values_list("external_id", "campaign__external_id")) == {
        "zoho-deal:lead-30": "zoho-campaign:40",
        "zoho-deal:lead-31": "zoho-campaign:41",
    }


def test_campaign_without_owner_column_belongs_to_the_owner_of_its_deals(db, export):
    export.add("Potentials", 1, LEADID="30", **{"Campaign Id": "41"})

    zoho_import(folder=export.write())

    assert dict(Campaign.objects.values_list("external_id", "owner__username")) == {
        "zoho-campaign:40": "rozario@finepick.com",
        "zoho-campaign:41": "santa@finepick.com",
    }


def test_campaign_owner_column_names_the_owner(db, export):
    export.add_column("Campaigns", "Campaign Owner", ["Santa Cruz Clara"] * 2)

    zoho_import(folder=export.write())

    assert set(Campaign.objects.values_list("owner__username", flat=True)) == {
        "santa@finepick.com"
    }


def test_campaign_no_deal_names_is_skipped_without_an_owner(db, export):
    export.add("Campaigns", 0, CAMPAIGNID="42", **{"Campaign Name": "Quiet"})

    report = zoho_import(folder=export.write()).module("Campaigns")

    assert report.issues == [Issue("Campaigns.csv", 4, NO_CAMPAIGN_OWNER, skipped=True)]


def test_deal_whose_campaign_was_skipped_is_imported_without_the_link(db, export):
    export.set("Campaigns", 0, "Campaign Name", "")

    report = zoho_import(folder=export.write()).module("Potentials")

    assert Deal.objects.get(external_id="zoho-deal:lead-30").campaign is None
    assert report.issues == [
        Issue(
            "Potentials.csv",
            2,
            CAMPAIGN_NOT_IMPORTED.format(campaign_id="40"),
            skipped=False,
        )
    ]


def test_export_without_campaigns_says_once_that_deals_lost_their_campaign(db, export):
    export.drop("Campaigns")

    report = zoho_import(folder=export.write()).module("Potentials")

    assert report.issues == []
    assert report.remarks == ["Potentials.csv: " + NO_CAMPAIGNS]


def test_deal_with_an_empty_campaign_id_loses_its_campaign_on_reimport(db, export):
    zoho_import(folder=export.write())
    export.set("Potentials", 0, "Campaign Id", "")

    zoho_import(folder=export.write())

    assert Deal.objects.get(external_id="zoho-deal:lead-30").campaign is None


def test_activities_of_users_missing_from_the_export_are_skipped(db, export):
    export.set("Calls", 2, "Call Owner Id", "")
    export.set("Calls", 2, "Call Owner", "Nobody Here")

    report = zoho_import(folder=export.write()).module("Calls")

    assert report.skipped == 1
    assert not Call.objects.filter(external_id="zoho-call:62").exists()
    assert not User.objects.filter(last_name="Nobody Here").exists()


def test_call_made_in_the_crm_is_left_alone(db, export):
    own = CallFactory(subject="Made here")

    zoho_import(folder=export.write())

    own.refresh_from_db()
    assert (own.subject, own.external_id) == ("Made here", "")
