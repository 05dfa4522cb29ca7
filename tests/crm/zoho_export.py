"""Zoho exports for the import tests: the real sample, and small ones to change.

The small export uses the sample's column labels; tests change cells, add rows
or drop files, then write it to a folder.
"""

import csv

import pytest
from django.conf import settings

SAMPLE_FOLDER_NAME = "zoho-crm-analytics-sample"
SAMPLE_MODULES = (
    "Users",
    "Accounts",
    "Contacts",
    "Leads",
    "Campaigns",
    "Potentials",
    "Products",
    "Calls",
    "Events",
    "Tasks",
    "Cases",
)


def sample_folder():
    """The shared sample export; the test fails, never skips, when it is missing."""
    folder = settings.SHARED_DATA_DIR / SAMPLE_FOLDER_NAME
    missing = [
        str(folder / f"{module}.csv")
        for module in SAMPLE_MODULES
        if not (folder / f"{module}.csv").is_file()
    ]
    if missing:
        pytest.fail(
            f"The Zoho sample export is missing from {folder}: no "
            f"{', '.join(missing)}. Point CRM_SHARED_DATA at the shared data folder.",
            pytrace=False,
        )
    return folder


def sample_rows(module):
    """The sample file's rows as dicts, read with the csv module alone."""
    path = sample_folder() / f"{module}.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def counts(module_report):
    return {
        name: getattr(module_report, name)
        for name in ("created", "updated", "unchanged", "skipped")
    }


def report_counts(report):
    return {item.module: counts(item) for item in report.modules}


USERS = (
    ["USER_ID", "First Name", "Last Name", "Email"],
    [
        ["1001", "", "Rozario Diego", "rozario@finepick.com"],
        ["1002", "", "Santa Cruz Clara", "Santa@Finepick.com"],
    ],
)
ACCOUNTS = (
    [
        "ACCOUNTID",
        "Account Name",
        "Account Owner Id",
        "Account Owner",
        "Account Type",
        "Industry",
        "Website",
    ],
    [
        ["10", "Acme", "1001", "Rozario Diego", "Customer", "Technology", "acme.test"],
        [
            "11",
            "Globex",
            "1002",
            "Santa Cruz Clara",
            "Prospect",
            "Pharma",
            "globex.test",
        ],
    ],
)
CONTACTS = (
    [
        "CONTACTID",
        "Last Name",
        "Contact Owner Id",
        "Contact Owner",
        "Account Id",
        "Email",
        "Lead Source",
        "Mobile",
        "Created Time",
    ],
    [
        [
            "20",
            "Tucker",
            "1001",
            "Rozario Diego",
            "10",
            "BeckiTucker@mail.test",
            "Partner",
            "555-0100",
            "16 Apr, 2021 00:02:00",
        ],
        [
            "21",
            "Hall",
            "1002",
            "Santa Cruz Clara",
            "",
            "hall@mail.test",
            "Web Research",
            "555-0101",
            "2021-04-16 09:30:00",
        ],
    ],
)
LEADS = (
    [
        "LEADID",
        "Last Name",
        "Company",
        "Lead Owner",
        "Email",
        "Mobile",
        "Website",
        "Industry",
        "Lead Source",
        "Lead Status",
        "Created Time",
        "CONVERTED",
    ],
    [
        [
            "30",
            "Tucker",
            "Acme",
            "Rozario Diego",
            "beckitucker@mail.test",
            "555-0100",
            "acme.test",
            "Technology",
            "Online Store",
            "Contacted",
            "15 Apr, 2021 00:03:00",
            "Yes",
        ],
        [
            "31",
            "Hall",
            "Globex",
            "Santa Cruz Clara",
            "hall@mail.test",
            "555-0101",
            "globex.test",
            "Pharma",
            "Sales Mail Alias",
            "Pre Qualified",
            "2021-04-15 23:03:00",
            "Yes",
        ],
    ],
)
POTENTIALS = (
    [
        "Potential Name",
        "Potential Owner",
        "Created Time",
        "Closing Date",
        "Amount",
        "Stage",
        "Type",
        "Lead Source",
        "Probability",
        "LEADID",
        "Campaign Id",
    ],
    [
        [
            "Tucker, Becki",
            "Rozario Diego",
            "15 Apr, 2021 00:02:00",
            "16 Apr, 2021 00:03:00",
            "$22,700.00",
            "Closed Lost",
            "New Business",
            "OnlineStore",
            "100",
            "30",
            "40",
        ],
        [
            "Hall, Mary",
            "Santa Cruz Clara",
            "2021-04-15 23:03:00",
            "2021-05-01",
            "$1,250.50",
            "Prospect",
            "Existing Business",
            "",
            "",
            "31",
            "41",
        ],
    ],
)
CAMPAIGNS = (
    [
        "CAMPAIGNID",
        "Campaign Name",
        "Type",
        "Status",
        "Created Time",
        "Start Date",
        "End Date",
        "Expected Revenue",
        "Budgeted Cost",
        "Actual Cost",
    ],
    [
        [
            "40",
            "Spring webinar",
            "Webinar",
            "Active",
            "2021-04-01",
            "2021-04-01",
            "2021-04-30",
            "$342.09K",
            "$115.00K",
            "$141.56K",
        ],
        [
            "41",
            "Trade fair",
            "Others",
            "Planning",
            "2021-05-01",
            "2021-05-01",
            "2021-05-03",
            "$1,117.10K",
            "$5.70K",
            "",
        ],
    ],
)
PRODUCTS = (
    [
        "PRODUCTID",
        "Product Name",
        "Product Owner",
        "Product Code",
        "Product Active",
        "Product Manufacturer",
        "Product Category",
        "Created Time",
        "Cost",
        "Taxable",
    ],
    [
        [
            "50",
            "A/C Cooler",
            "Rozario Diego",
            "P1",
            "Yes",
            "Lamport Corp",
            "Commercial",
            "04 Nov, 2019 09:13:43",
            "$1,773.85",
            "No",
        ],
        [
            "51",
            "Lawn feed",
            "Santa Cruz Clara",
            "",
            "No",
            "NYC Ltd.",
            "Landscape",
            "25 Apr, 2019 03:44:32",
            "$10.00",
            "Yes",
        ],
    ],
)
CALLS = (
    [
        "TASKID",
        "Call Start Time",
        "Call Duration (in seconds)",
        "Call Owner",
        "Call Owner Id",
        "Subject",
        "Call Type",
        "Call Purpose",
        "Created Time",
        "CONTACTID",
        "ACCOUNTID",
        "POTENTIALID",
        "LEADID",
    ],
    [
        # Names a contact and an account: linked to the contact.
        [
            "60",
            "2021-04-15 23:03:00",
            "420",
            "Rozario Diego",
            "1001",
            "Invoice call",
            "Outbound",
            "Prospecting",
            "2021-04-15 00:03:00",
            "20",
            "11",
            "0",
            "",
        ],
        # Names an account, a Potential and a lead: linked to the account.
        [
            "61",
            "2021-04-16 10:00:00",
            "300",
            "Santa Cruz Clara",
            "1002",
            "Books",
            "Inbound",
            "Demo",
            "2021-04-16 09:00:00",
            "",
            "11",
            "26512",
            "31",
        ],
        # Names only a lead.
        [
            "62",
            "2021-04-17 10:00:00",
            "0",
            "Santa Cruz Clara",
            "1002",
            "Follow-up",
            "Inbound",
            "Support",
            "2021-04-17 09:00:00",
            "",
            "",
            "",
            "31",
        ],
    ],
)
EVENTS = (
    [
        "EVENTID",
        "Event Owner",
        "Event Owner Id",
        "Subject",
        "Start DateTime",
        "End DateTime",
        "Created Time",
        "CONTACTID",
        "ACCOUNTID",
        "POTENTIALID",
        "LEADID",
    ],
    [
        [
            "70",
            "Rozario Diego",
            "1001",
            "Demo for Becki",
            "2021-04-15 21:02:00",
            "2021-04-15 22:00:00",
            "2021-04-14 10:00:00",
            "20",
            "",
            "25379",
            "",
        ],
        [
            "71",
            "Santa Cruz Clara",
            "1002",
            "Training",
            "2021-04-16 19:02:00",
            "2021-04-16 20:07:00",
            "2021-04-15 10:00:00",
            "",
            "",
            "",
            "31",
        ],
    ],
)
TASKS = (
    ["Task Owner", "Subject", "Created Time", "Due Date", "Status", "Modified Time"],
    [
        # The first two rows are the same: two tasks all the same.
        [
            "Rozario Diego",
            "Call",
            "16 Apr, 2021 00:02:00",
            "20 Aug, 2021 00:06:00",
            "Completed",
            "15 Oct, 2020 00:08:00",
        ],
        [
            "Rozario Diego",
            "Call",
            "16 Apr, 2021 00:02:00",
            "20 Aug, 2021 00:06:00",
            "Completed",
            "15 Oct, 2020 00:08:00",
        ],
        [
            "Santa Cruz Clara",
            "Follow up",
            "17 Apr, 2021 00:02:00",
            "02 Sep, 2021 00:07:00",
            "Not Started",
            "17 Apr, 2021 00:02:00",
        ],
    ],
)
CASES = (
    [
        "Case Owner",
        "Status",
        "Case Origin",
        "Created Time",
        "Modified Time",
        "Days to Closed",
    ],
    [
        [
            "Rozario Diego",
            "Closed",
            "Email",
            "15 Apr, 2021 23:01:19",
            "16 Jun, 2021 08:04:35",
            "62",
        ],
        [
            "Santa Cruz Clara",
            "Escalated",
            "Social Media",
            "15 Apr, 2021 20:01:36",
            "18 May, 2021 17:03:10",
            "",
        ],
    ],
)
SMALL_EXPORT = {
    "Users": USERS,
    "Accounts": ACCOUNTS,
    "Contacts": CONTACTS,
    "Leads": LEADS,
    "Campaigns": CAMPAIGNS,
    "Potentials": POTENTIALS,
    "Products": PRODUCTS,
    "Calls": CALLS,
    "Events": EVENTS,
    "Tasks": TASKS,
    "Cases": CASES,
}


class ZohoExport:
    """A small Zoho export that tests change, then write to a folder."""

    def __init__(self, folder):
        self.folder = folder
        self.tables = {
            module: (list(header), [list(row) for row in rows])
            for module, (header, rows) in SMALL_EXPORT.items()
        }

    def set(self, module, index, label, value):
        header, rows = self.tables[module]
        rows[index][header.index(label)] = value
        return self

    def add(self, module, index, **changes):
        """Append a copy of row ``index``, with cells changed by label."""
        header, rows = self.tables[module]
        rows.append(list(rows[index]))
        for label, value in changes.items():
            rows[-1][header.index(label)] = value
        return self

    def add_column(self, module, label, values):
        """Add a column ``label`` holding ``values``, one per row."""
        header, rows = self.tables[module]
        header.append(label)
        for row, value in zip(rows, values, strict=True):
            row.append(value)
        return self

    def drop_columns(self, module, *labels):
        header, rows = self.tables[module]
        keep = [index for index, label in enumerate(header) if label not in labels]
        self.tables[module] = (
            [header[index] for index in keep],
            [[row[index] for index in keep] for row in rows],
        )
        return self

    def drop(self, module):
        """Leave the module's file out of the export."""
        del self.tables[module]
        return self

    def write(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        for module, (header, rows) in self.tables.items():
            with (self.folder / f"{module}.csv").open("w", newline="") as file:
                writer = csv.writer(file)
                writer.writerow(header)
                writer.writerows(rows)
        return self.folder
