"""The Maven sample's four CSV files: their columns, and each row checked.

Reading writes nothing: it returns plain values for the import and a Problem
(file, line, reason) for every row it skips.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from crm.models import Stage

PRODUCTS = "products.csv"
TEAMS = "sales_teams.csv"
ACCOUNTS = "accounts.csv"
OPPORTUNITIES = "sales_pipeline.csv"
COLUMNS = {
    PRODUCTS: ("product", "series", "sales_price"),
    TEAMS: ("sales_agent", "manager"),
    ACCOUNTS: ("account", "sector", "revenue", "employees", "office_location"),
    OPPORTUNITIES: (
        "opportunity_id",
        "sales_agent",
        "product",
        "account",
        "deal_stage",
        "engage_date",
        "close_date",
        "close_value",
    ),
}

# name, probability, forecast category. Engaging is set near the share of
# engaged opportunities the data shows won (4,238 of 6,711 closed: 63%); the
# data has no stage for commit-level deals.
STAGES = (
    ("Prospecting", 10, Stage.ForecastCategory.PIPELINE),
    ("Engaging", 60, Stage.ForecastCategory.BEST_CASE),
    ("Won", 100, Stage.ForecastCategory.CLOSED_WON),
    ("Lost", 0, Stage.ForecastCategory.CLOSED_LOST),
)
STAGE_NAMES = tuple(name for name, _, _ in STAGES)
CLOSED_STAGES = {"Won", "Lost"}

USER_PREFIX = "maven-user:"
ACCOUNT_PREFIX = "maven-account:"
PRODUCT_PREFIX = "maven-product:"
DEAL_PREFIX = "maven-deal:"
EXTERNAL_ID_LENGTH = 64
PRODUCT_CODE_LENGTH = 64
TEXT_LENGTH = 100
MAX_AMOUNT = Decimal("1e12")
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")
AMOUNT_PLACES = 2
# Digits with an optional decimal part: no sign, no exponent ("1E+3").
PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
SPELLING_FIXES = {"technolgy": "technology", "Philipines": "Philippines"}
MAX_EMPLOYEES = 2_147_483_647
NUL = "\x00"
NUL_IN_CELL = "{column} holds a NUL character"


class MavenFolderError(Exception):
    """The folder is missing, or lacks a file or a column the import needs."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.reason}"


def check_folder(folder):
    """Raise MavenFolderError unless every file is there with the columns it needs."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MavenFolderError(f"{folder} is not a folder.")
    for name, columns in COLUMNS.items():
        _check_header(folder / name, columns)
    return folder


def _check_header(path, columns):
    if not path.is_file():
        raise MavenFolderError(f"{path} is missing.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise MavenFolderError(
            f"{path}: not readable as UTF-8 CSV ({error})."
        ) from None
    missing = [column for column in columns if column not in header]
    if missing:
        raise MavenFolderError(f"{path} lacks the columns: {', '.join(missing)}.")


class MavenReader:
    """Reads and checks the CSV files, collecting a Problem per skipped row."""

    def __init__(self, folder):
        self.folder = folder
        self.problems = []

    def rows(self, name):
        """(line number, {column: stripped text}) for each record of the file.

        A record with a NUL character in a cell is skipped as a Problem.
        Raises MavenFolderError when the file is not UTF-8 CSV text.
        """
        path = self.folder / name
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            try:
                for row in reader:
                    cleaned = {
                        key: (value or "").strip() for key, value in row.items() if key
                    }
                    # PostgreSQL refuses NUL in text, SQLite stores it: skip the
                    # row on both, so that the import gives the same result.
                    with_nul = [key for key, value in cleaned.items() if NUL in value]
                    if with_nul:
                        self.skip(
                            name,
                            reader.line_num,
                            NUL_IN_CELL.format(column=with_nul[0]),
                        )
                        continue
                    yield reader.line_num, cleaned
            except (UnicodeDecodeError, csv.Error) as error:
                raise MavenFolderError(
                    f"{path}: not readable as UTF-8 CSV after line {reader.line_num} "
                    f"({error})."
                ) from None

    def skip(self, name, line, reason):
        self.problems.append(Problem(name, line, reason))

    def products(self):
        """{product key: name, series, price, code, line}; the key ignores case and
        spaces (``GTXPro``), the code is the name in capitals, words joined by
        hyphens (``GTX-PRO``)."""
        products, codes = {}, {}
        for line, row in self.rows(PRODUCTS):
            name = row["product"]
            key = _product_key(name)
            code = product_code(name)
            price = _amount(row["sales_price"])
            problem = _name_problem(name, "product", PRODUCT_PREFIX) or _too_long(
                row, "product", "series"
            )
            if problem is None and not 0 < len(code) <= PRODUCT_CODE_LENGTH:
                problem = f"no product code can be made from {name!r}"
            if problem is None and price is None:
                problem = f"sales_price {row['sales_price']!r} is not an amount"
            if problem is None and key in products:
                problem = f"product {name!r} is listed twice"
            if problem is None and code in codes:
                problem = f"{name!r} and {codes[code]!r} would share the code {code!r}"
            if problem:
                self.skip(PRODUCTS, line, problem)
                continue
            products[key] = {
                "name": name,
                "series": row["series"],
                "price": price,
                "code": code,
                "line": line,
            }
            codes[code] = name
        return products

    def teams(self):
        """{person's name: {"manager": name or "", "line": line}}, loops removed."""
        people, usernames = {}, {}
        for line, row in self.rows(TEAMS):
            agent, manager = row["sales_agent"], row["manager"]
            problem = _name_problem(agent, "sales_agent") or _name_problem(
                manager, "manager"
            )
            if problem is None and agent == manager:
                problem = f"{agent!r} is their own manager"
            for name in (agent, manager):
                if problem is None:
                    problem = _username_problem(name, usernames)
            if problem is None and people.get(agent, {}).get("manager"):
                problem = f"sales agent {agent!r} is listed twice"
            if problem:
                self.skip(TEAMS, line, problem)
                continue
            people.setdefault(agent, {"line": line})["manager"] = manager
            people.setdefault(manager, {"manager": "", "line": line})
            usernames.update(
                {username_for(agent): agent, username_for(manager): manager}
            )

        for name in _unreachable(people, "manager"):
            self.skip(
                TEAMS, people.pop(name)["line"], f"the managers above {name!r} loop"
            )
        return people

    def accounts(self):
        """{account name: field values, ``parent_name``, ``line``}; parents checked."""
        accounts = {}
        for line, row in self.rows(ACCOUNTS):
            name = row["account"]
            problem = _account_problem(row, accounts)
            if problem:
                self.skip(ACCOUNTS, line, problem)
                continue
            revenue = _decimal(row["revenue"])
            established = row.get("year_established", "")
            accounts[name] = {
                "name": name,
                "industry": _fix_spelling(row["sector"]).capitalize(),
                "annual_revenue": _cents(revenue * MILLION)
                if revenue is not None
                else None,
                "employees": _whole_number(row["employees"]),
                "country": _fix_spelling(row["office_location"]),
                "description": f"Established in {established}." if established else "",
                "parent_name": row.get("subsidiary_of", ""),
                "line": line,
            }

        for name in _unreachable(accounts, "parent_name"):
            account = accounts.pop(name)
            self.skip(
                ACCOUNTS,
                account["line"],
                f"subsidiary_of {account['parent_name']!r} is not an imported account, "
                "or the parent accounts loop",
            )
        return accounts

    def opportunities(self, products, people, accounts):
        """{opportunity id: deal field values, agent and account names, ``line``}."""
        opportunities = {}
        for line, row in self.rows(OPPORTUNITIES):
            opportunity = row["opportunity_id"]
            product = products.get(_product_key(row["product"]))
            problem = _opportunity_problem(
                row, opportunities, product, people, accounts
            )
            if problem:
                self.skip(OPPORTUNITIES, line, problem)
                continue
            account = row["account"]
            value = _amount(row["close_value"])
            opportunities[opportunity] = {
                "agent": row["sales_agent"],
                "account_name": account,
                "stage_name": row["deal_stage"],
                "product_key": _product_key(row["product"]),
                "name": f"{product['name']} for {account}"
                if account
                else product["name"],
                "amount": value if value is not None else product["price"],
                "closing_date": _date(row["close_date"]),
                "engaged": _date(row["engage_date"]),
                "line": line,
            }
        return opportunities


def _account_problem(row, accounts):
    name = row["account"]
    problem = _name_problem(name, "account", ACCOUNT_PREFIX)
    if problem:
        return problem
    if name in accounts:
        return f"account {name!r} is listed twice"
    if _too_long(row, "sector", "office_location"):
        return _too_long(row, "sector", "office_location")
    revenue = _decimal(row["revenue"])
    if row["revenue"] and (revenue is None or revenue * MILLION >= MAX_AMOUNT):
        return f"revenue {row['revenue']!r} is not an amount in millions"
    if row["employees"] and _whole_number(row["employees"]) is None:
        return f"employees {row['employees']!r} is not a whole number"
    return None


def _opportunity_problem(row, opportunities, product, people, accounts):
    opportunity, stage = row["opportunity_id"], row["deal_stage"]
    problem = _name_problem(opportunity, "opportunity_id", DEAL_PREFIX)
    if problem:
        return problem
    if opportunity in opportunities:
        return f"opportunity {opportunity!r} is listed twice"
    if row["sales_agent"] not in people:
        return f"sales_agent {row['sales_agent']!r} is not an imported agent"
    if product is None:
        return f"product {row['product']!r} is not in {PRODUCTS}"
    if row["account"] and row["account"] not in accounts:
        return f"account {row['account']!r} is not an imported account"
    if stage not in STAGE_NAMES:
        return f"deal_stage {stage!r} is not one of {', '.join(STAGE_NAMES)}"
    for column in ("engage_date", "close_date"):
        if row[column] and _date(row[column]) is None:
            return f"{column} {row[column]!r} is not a date (YYYY-MM-DD)"
    if row["close_value"] and _amount(row["close_value"]) is None:
        return f"close_value {row['close_value']!r} is not an amount"
    if stage in CLOSED_STAGES and not (row["close_date"] and row["close_value"]):
        return f"a {stage} opportunity needs a close_date and a close_value"
    engaged, closed = _date(row["engage_date"]), _date(row["close_date"])
    if engaged and closed and engaged > closed:
        return "engage_date is after close_date"
    return None


def username_for(name):
    """``Mei-Mei Johns`` -> ``mei-mei.johns``: a Django user name made from a name."""
    return re.sub(r"[^\w.@+-]", "", re.sub(r"\s+", ".", name.lower()))[:150]


def _username_problem(name, usernames):
    """None when ``name`` gives a user name that no one else in ``usernames`` has."""
    username = username_for(name)
    if not username:
        return f"no user name can be made from {name!r}"
    clash = usernames.get(username, name)
    if clash != name:
        return f"{name!r} and {clash!r} would share the user name {username!r}"
    return None


def _too_long(row, *columns):
    """A problem naming the first column longer than a CRM text field, or None."""
    for column in columns:
        if len(row[column]) > TEXT_LENGTH:
            return f"{column} is longer than {TEXT_LENGTH} characters"
    return None


def _product_key(name):
    return re.sub(r"\s+", "", name).casefold()


def product_code(name):
    """``GTX Plus Pro`` -> ``GTX-PLUS-PRO``: the product's letters and digits."""
    return "-".join(re.findall(r"[0-9A-Za-z]+", name)).upper()


def _name_problem(name, column, prefix=USER_PREFIX):
    if not name:
        return f"{column} is empty"
    if len(prefix) + len(name) > EXTERNAL_ID_LENGTH:
        return f"{column} {name!r} is too long"
    return None


def _decimal(text, *, places=None):
    """The number ``text`` writes in plain digits, or None.

    None also for exponent notation, a value out of range, or, when ``places`` is
    given, a value with more decimal places than that: it would be stored rounded.
    """
    if not text or not PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if value >= MAX_AMOUNT:
        return None
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        return None
    return value


def _amount(text):
    return _decimal(text, places=AMOUNT_PLACES)


def _whole_number(text):
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_EMPLOYEES:
        return None
    return int(text)


def _date(text):
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _cents(amount):
    return amount.quantize(CENT)


def _fix_spelling(text):
    return SPELLING_FIXES.get(text, text)


def _unreachable(items, parent_key):
    """Names, in order, whose chain of parents (``items[name][parent_key]``)
    reaches a name missing from ``items`` or loops."""
    broken = []
    for name in items:
        seen = {name}
        parent = items[name][parent_key]
        while parent:
            if parent not in items or parent in seen:
                broken.append(name)
                break
            seen.add(parent)
            parent = items[parent][parent_key]
    return broken
