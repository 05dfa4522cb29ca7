"""Import of the Maven Analytics "CRM + Sales + Opportunities" sample data.

The folder holds four CSV files, read in this order:

- ``products.csv``: products and list prices. There is no product record yet, so
  a deal names its product in its name and description.
- ``sales_teams.csv``: agents and their managers become users
  (``maven-user:<name>``), with ``manager`` set and no usable password.
- ``accounts.csv``: accounts (``maven-account:<name>``); sector (with
  ``technolgy`` corrected) becomes the industry, revenue in millions the annual
  revenue, office location the country, ``subsidiary_of`` the parent. An
  account is owned by the agent with the most opportunities on it.
- ``sales_pipeline.csv``: deals (``maven-deal:<opportunity_id>``) in the pipeline
  "Maven", see ``STAGES``. The amount is ``close_value`` when the row has one
  (won and lost rows; lost ones are 0); open rows have none, so their amount is
  the product's list price. ``closing_date`` is ``close_date`` (empty on open
  rows), and ``created_at`` comes from ``engage_date`` when present.

Rows are matched on their external id, so a second run creates and updates
nothing. A malformed row is reported with its file, line and reason and
skipped, as is every row that depends on it.
"""

import csv
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from crm.models import Account, Deal, Pipeline, Stage, User

logger = logging.getLogger(__name__)

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

PIPELINE_NAME = "Maven"
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
DEAL_PREFIX = "maven-deal:"
EXTERNAL_ID_LENGTH = 64
MAX_AMOUNT = Decimal("1e12")
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")
SPELLING_FIXES = {"technolgy": "technology", "Philipines": "Philippines"}
MAX_EMPLOYEES = 2_147_483_647
BATCH_SIZE = 1000


class MavenFolderError(Exception):
    """The folder is missing, or lacks a file or a column the import needs."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


@dataclass
class Product:
    name: str
    series: str
    price: Decimal


def maven_import(*, folder, fallback_owner=None):
    """Load the four CSV files in ``folder``; return counts per module and problems.

    ``fallback_owner`` owns accounts that no opportunity names; without it such
    accounts are skipped. Raises MavenFolderError before writing anything when
    the folder or a file or column is missing. Writes in one transaction.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MavenFolderError(f"{folder} is not a folder.")
    for name, columns in COLUMNS.items():
        _check_header(folder / name, columns)

    reader = MavenReader(folder)
    products = reader.products()
    people = reader.teams()
    accounts = reader.accounts()
    opportunities = reader.opportunities(products, people, accounts)
    owners = _account_owners(opportunities)

    result = ImportResult(problems=reader.problems)
    with transaction.atomic():
        users = _import_users(people, result)
        accounts = _import_accounts(accounts, owners, users, fallback_owner, result)
        stages = _import_pipeline(result)
        _import_deals(opportunities, users, accounts, stages, result)

    logger.info(
        "maven_import_finished",
        extra={
            "folder": str(folder),
            "problems": len(result.problems),
            **{
                f"{module}_{kind}": getattr(counts, kind)
                for module, counts in result.counts.items()
                for kind in ("created", "updated", "unchanged")
            },
        },
    )
    return result


def _check_header(path, columns):
    if not path.is_file():
        raise MavenFolderError(f"{path} is missing.")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    missing = [column for column in columns if column not in header]
    if missing:
        raise MavenFolderError(f"{path} lacks the columns: {', '.join(missing)}.")


class MavenReader:
    """Reads and checks the CSV files, collecting a Problem per skipped row."""

    def __init__(self, folder):
        self.folder = folder
        self.problems = []

    def rows(self, name):
        with (self.folder / name).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                cleaned = {
                    key: (value or "").strip() for key, value in row.items() if key
                }
                yield reader.line_num, cleaned

    def skip(self, name, line, reason):
        self.problems.append(Problem(name, line, reason))

    def products(self):
        """{product key: Product}; the key ignores case and spaces (``GTXPro``)."""
        products = {}
        for line, row in self.rows(PRODUCTS):
            key = _product_key(row["product"])
            price = _decimal(row["sales_price"])
            if not key:
                self.skip(PRODUCTS, line, "product is empty")
            elif price is None:
                self.skip(
                    PRODUCTS,
                    line,
                    f"sales_price {row['sales_price']!r} is not an amount",
                )
            elif key in products:
                self.skip(PRODUCTS, line, f"product {row['product']!r} is listed twice")
            else:
                products[key] = Product(row["product"], row["series"], price)
        return products

    def teams(self):
        """{person's name: {"manager": name or "", "line": line}}, loops removed."""
        people = {}
        for line, row in self.rows(TEAMS):
            agent, manager = row["sales_agent"], row["manager"]
            problem = _name_problem(agent, "sales_agent") or _name_problem(
                manager, "manager"
            )
            if problem is None and agent == manager:
                problem = f"{agent!r} is their own manager"
            if problem is None and people.get(agent, {}).get("manager"):
                problem = f"sales agent {agent!r} is listed twice"
            if problem:
                self.skip(TEAMS, line, problem)
                continue
            people.setdefault(agent, {"line": line})["manager"] = manager
            people.setdefault(manager, {"manager": "", "line": line})

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
            value = _decimal(row["close_value"])
            opportunities[opportunity] = {
                "agent": row["sales_agent"],
                "account_name": account,
                "stage_name": row["deal_stage"],
                "name": f"{product.name} for {account}" if account else product.name,
                "amount": value if value is not None else product.price,
                "closing_date": _date(row["close_date"]),
                "engaged": _date(row["engage_date"]),
                "description": (
                    f"Product: {product.name} ({product.series} series, "
                    f"list price {product.price})."
                ),
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
    if row["close_value"] and _decimal(row["close_value"]) is None:
        return f"close_value {row['close_value']!r} is not an amount"
    if stage in CLOSED_STAGES and not (row["close_date"] and row["close_value"]):
        return f"a {stage} opportunity needs a close_date and a close_value"
    engaged, closed = _date(row["engage_date"]), _date(row["close_date"])
    if engaged and closed and engaged > closed:
        return "engage_date is after close_date"
    return None


def _product_key(name):
    return re.sub(r"\s+", "", name).casefold()


def _name_problem(name, column, prefix=USER_PREFIX):
    if not name:
        return f"{column} is empty"
    if len(prefix) + len(name) > EXTERNAL_ID_LENGTH:
        return f"{column} {name!r} is too long"
    return None


def _decimal(text):
    if not text:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        return None
    return value


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
    """Names whose chain of parents (``items[name][parent_key]``) breaks or loops."""
    broken = set()
    for name in items:
        seen = {name}
        parent = items[name][parent_key]
        while parent:
            if parent not in items or parent in seen:
                broken.add(name)
                break
            seen.add(parent)
            parent = items[parent][parent_key]
    return broken


def _generations(items, parent_key):
    """Names grouped so that each name's parent sits in an earlier group.

    A parent missing from ``items`` counts as none; loops must be removed first.
    """
    placed, generations = set(), []
    remaining = list(items)
    while remaining:
        generation = [
            name
            for name in remaining
            if items[name][parent_key] in placed or items[name][parent_key] not in items
        ]
        if not generation:
            raise ValueError(f"The {parent_key} links loop: {', '.join(remaining)}.")
        generations.append(generation)
        placed.update(generation)
        remaining = [name for name in remaining if name not in placed]
    return generations


def _account_owners(opportunities):
    """{account name: the agent with the most opportunities on it; ties by name}."""
    tallies = defaultdict(Counter)
    for values in opportunities.values():
        if values["account_name"]:
            tallies[values["account_name"]][values["agent"]] += 1
    return {
        account: min(tally, key=lambda agent: (-tally[agent], agent))
        for account, tally in tallies.items()
    }


def _sync(model, wanted, counts, *, build, returning=True):
    """Create or update ``model`` rows so that each external id has the wanted values.

    ``wanted`` maps external id to {field: value}; ``build(external_id, values)``
    makes a new instance. Returns {external id: instance} unless ``returning`` is
    false.
    """
    existing = {
        record.external_id: record
        for record in model.objects.filter(external_id__in=list(wanted))
    }
    to_create, to_update, changed = [], [], set()
    for external_id, values in wanted.items():
        record = existing.get(external_id)
        if record is None:
            to_create.append(build(external_id, values))
            continue
        fields = [
            name for name, value in values.items() if getattr(record, name) != value
        ]
        if not fields:
            counts.unchanged += 1
            continue
        for name in fields:
            setattr(record, name, values[name])
        to_update.append(record)
        changed.update(fields)

    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed), batch_size=BATCH_SIZE)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    if not returning:
        return None
    return {
        record.external_id: record
        for record in model.objects.filter(external_id__in=list(wanted))
    }


def _username(name):
    return re.sub(r"[^\w.@+-]", "", re.sub(r"\s+", ".", name.lower()))[:150]


def _build_user(external_id, values):
    name = external_id.removeprefix(USER_PREFIX)
    user = User(external_id=external_id, username=_username(name), **values)
    user.set_unusable_password()
    return user


def _import_users(people, result):
    """Managers before their reports; returns {person's name: User}."""
    counts = result.counts["users"] = Counts()
    taken = set(
        User.objects.filter(username__in=[_username(name) for name in people])
        .exclude(external_id__in=[USER_PREFIX + name for name in people])
        .values_list("username", flat=True)
    )
    for name in [name for name in people if _username(name) in taken]:
        line = people.pop(name)["line"]
        result.problems.append(
            Problem(TEAMS, line, f"user name {_username(name)!r} for {name!r} is taken")
        )

    users = {}
    for generation in _generations(people, "manager"):
        wanted = {}
        for name in generation:
            first, _, last = name.rpartition(" ")
            manager = users.get(people[name]["manager"])
            wanted[USER_PREFIX + name] = {
                "first_name": first or last,
                "last_name": last if first else "",
                "manager_id": manager.pk if manager else None,
            }
        synced = _sync(User, wanted, counts, build=_build_user)
        users.update({name: synced[USER_PREFIX + name] for name in generation})
    return users


def _import_accounts(accounts, owners, users, fallback_owner, result):
    """Parents before subsidiaries; returns {account name: Account}."""
    counts = result.counts["accounts"] = Counts()
    for name in list(accounts):
        owner = users.get(owners.get(name)) or fallback_owner
        if owner is None:
            result.problems.append(
                Problem(
                    ACCOUNTS,
                    accounts.pop(name)["line"],
                    f"no imported opportunity names {name!r}, so it has no owner",
                )
            )
        else:
            accounts[name]["owner_id"] = owner.pk

    imported = {}
    for generation in _generations(accounts, "parent_name"):
        wanted = {}
        for name in generation:
            values = {
                key: value
                for key, value in accounts[name].items()
                if key not in ("parent_name", "line")
            }
            parent = imported.get(accounts[name]["parent_name"])
            values["parent_id"] = parent.pk if parent else None
            wanted[ACCOUNT_PREFIX + name] = values
        synced = _sync(
            Account,
            wanted,
            counts,
            build=lambda external_id, values: Account(
                external_id=external_id, **values
            ),
        )
        imported.update({name: synced[ACCOUNT_PREFIX + name] for name in generation})
    return imported


def _import_pipeline(result):
    """The Maven pipeline and any of its stages that are missing; {name: Stage}.

    Existing stages are left as they are, so edited probabilities survive a rerun.
    """
    pipeline_counts = result.counts["pipelines"] = Counts()
    stage_counts = result.counts["stages"] = Counts()
    pipeline, created = Pipeline.objects.get_or_create(name=PIPELINE_NAME)
    if created:
        pipeline_counts.created += 1
    else:
        pipeline_counts.unchanged += 1

    stages = {stage.name: stage for stage in pipeline.stages.all()}
    next_order = max((stage.order for stage in stages.values()), default=0) + 1
    for name, probability, category in STAGES:
        if name in stages:
            stage_counts.unchanged += 1
            continue
        stages[name] = Stage.objects.create(
            pipeline=pipeline,
            name=name,
            order=next_order,
            probability=probability,
            forecast_category=category,
        )
        next_order += 1
        stage_counts.created += 1
    return stages


def _import_deals(opportunities, users, accounts, stages, result):
    counts = result.counts["deals"] = Counts()
    wanted = {}
    for opportunity, values in opportunities.items():
        owner = users.get(values["agent"])
        account = accounts.get(values["account_name"])
        if owner is None or (values["account_name"] and account is None):
            result.problems.append(
                Problem(
                    OPPORTUNITIES,
                    values["line"],
                    f"opportunity {opportunity!r} needs a skipped user or account",
                )
            )
            continue
        stage = stages[values["stage_name"]]
        deal = {
            "name": values["name"],
            "description": values["description"],
            "owner_id": owner.pk,
            "account_id": account.pk if account else None,
            "pipeline_id": stage.pipeline_id,
            "stage_id": stage.pk,
            "probability": stage.probability,
            "amount": values["amount"],
            "closing_date": values["closing_date"],
        }
        if values["engaged"] is not None:
            deal["created_at"] = timezone.make_aware(
                datetime.combine(values["engaged"], time.min)
            )
        wanted[DEAL_PREFIX + opportunity] = deal

    _sync(
        Deal,
        wanted,
        counts,
        build=lambda external_id, values: Deal(external_id=external_id, **values),
        returning=False,
    )
