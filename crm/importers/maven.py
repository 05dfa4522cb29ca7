"""Import of the Maven Analytics "CRM + Sales + Opportunities" sample data.

The folder holds four CSV files, read in this order:

- ``products.csv``: products (``maven-product:<name without spaces, lower
  case>``) at their list price, the series as category, and a code made from
  the name (``GTX Pro`` -> ``GTX-PRO``). The pipeline file spells ``GTX Pro`` as
  ``GTXPro``: names are matched ignoring case and spaces.
- ``sales_teams.csv``: agents and their managers become users
  (``maven-user:<name>``), with ``manager`` set and no usable password.
- ``accounts.csv``: accounts (``maven-account:<name>``); sector (with
  ``technolgy`` corrected) becomes the industry, revenue in millions the annual
  revenue, office location the country, ``subsidiary_of`` the parent.
- ``sales_pipeline.csv``: deals (``maven-deal:<opportunity_id>``) in the pipeline
  "Maven", see ``STAGES``. The amount is ``close_value`` when the row has one
  (won and lost rows; lost ones are 0); open rows have none, so their amount is
  the product's list price. ``closing_date`` is ``close_date`` (empty on open
  rows), and ``created_at`` comes from ``engage_date`` when present. Each deal
  has one line item: its product, quantity 1, at the deal's amount, so that the
  amount is also what its line items add up to.

An account or a product is owned by the agent with the most opportunities on
it. Rows are matched on their external id, so a second run creates and updates
nothing. A malformed row is reported with its file, line and reason and
skipped, as is every row that depends on it.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.importers.maven_files import (
    ACCOUNT_PREFIX,
    ACCOUNTS,
    DEAL_PREFIX,
    OPPORTUNITIES,
    PRODUCT_PREFIX,
    PRODUCTS,
    STAGES,
    TEAMS,
    USER_PREFIX,
    MavenFolderError,
    MavenReader,
    Problem,
    check_folder,
    username_for,
)
from crm.importers.records import BATCH_SIZE, records_by_external_id, records_sync
from crm.models import Account, Deal, DealLineItem, Pipeline, Product, Stage, User

__all__ = ["MavenFolderError", "maven_import"]

logger = logging.getLogger(__name__)

PIPELINE_NAME = "Maven"
COUNT_KINDS = ("created", "updated", "unchanged", "removed")
LINE_ITEM_FIELDS = ("product", "quantity", "unit_price", "discount_percent")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self):
        text = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        return f"{text}, {self.removed} removed" if self.removed else text


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def maven_import(*, folder, fallback_owner=None):
    """Load the four CSV files in ``folder``; return counts per module and problems.

    ``fallback_owner`` owns accounts and products that no opportunity names;
    without it they are skipped. Raises MavenFolderError before writing anything
    when the folder or a file or column is missing. Writes in one transaction.
    """
    folder = check_folder(folder)

    reader = MavenReader(folder)
    products = reader.products()
    people = reader.teams()
    accounts = reader.accounts()
    opportunities = reader.opportunities(products, people, accounts)
    account_owners = _top_agents(opportunities, "account_name")
    product_owners = _top_agents(opportunities, "product_key")

    result = ImportResult(problems=reader.problems)
    with transaction.atomic():
        users = _import_users(people, result)
        accounts = _import_owned(
            ACCOUNTS, accounts, account_owners, users, fallback_owner, result
        )
        accounts = _import_accounts(accounts, result)
        products = _import_owned(
            PRODUCTS, products, product_owners, users, fallback_owner, result
        )
        products = _import_products(products, result)
        stages = _import_pipeline(result)
        deals = _import_deals(opportunities, users, accounts, products, stages, result)
        _import_line_items(deals, result)

    logger.info(
        "maven_import_finished",
        extra={
            "folder": str(folder),
            "problems": len(result.problems),
            **{
                f"{module}_{kind}": getattr(counts, kind)
                for module, counts in result.counts.items()
                for kind in COUNT_KINDS
            },
        },
    )
    return result


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


def _top_agents(opportunities, key):
    """{value of ``key``: the agent with the most opportunities on it; ties by name}."""
    tallies = defaultdict(Counter)
    for values in opportunities.values():
        if values[key]:
            tallies[values[key]][values["agent"]] += 1
    return {
        value: min(tally, key=lambda agent: (-tally[agent], agent))
        for value, tally in tallies.items()
    }


def _sync(model, prefix, wanted, counts, *, on_create=None):
    """Bring the ``model`` rows under ``prefix`` to the wanted values, by external id.

    Returns {external id: instance} for every row under ``prefix``.
    """
    records_sync(
        model=model, prefix=prefix, records=wanted, report=counts, on_create=on_create
    )
    return records_by_external_id(model, prefix)


def _user_prepare(user):
    user.username = username_for(user.external_id.removeprefix(USER_PREFIX))
    user.set_unusable_password()


def _import_users(people, result):
    """Managers before their reports; returns {person's name: User}."""
    counts = result.counts["users"] = Counts()
    taken = set(
        User.objects.filter(username__in=[username_for(name) for name in people])
        .exclude(external_id__in=[USER_PREFIX + name for name in people])
        .values_list("username", flat=True)
    )
    for name in [name for name in people if username_for(name) in taken]:
        line = people.pop(name)["line"]
        reason = f"user name {username_for(name)!r} for {name!r} is taken"
        result.problems.append(Problem(TEAMS, line, reason))

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
        synced = _sync(User, USER_PREFIX, wanted, counts, on_create=_user_prepare)
        users.update({name: synced[USER_PREFIX + name] for name in generation})
    return users


def _import_owned(file, items, owners, users, fallback_owner, result):
    """The ``items`` whose owner, from ``owners`` or the fallback, was imported.

    Returns {key: (item, owner)}; every other item is reported as skipped.
    """
    owned = {}
    for key, item in items.items():
        owner = users.get(owners.get(key)) or fallback_owner
        if owner is not None:
            owned[key] = (item, owner)
            continue
        result.problems.append(
            Problem(
                file,
                item["line"],
                f"no imported opportunity names {item['name']!r}, so it has no owner",
            )
        )
    return owned


def _import_accounts(accounts, result):
    """Parents before subsidiaries; returns {account name: Account}."""
    counts = result.counts["accounts"] = Counts()
    imported = {}
    for generation in _generations(
        {name: values for name, (values, _) in accounts.items()}, "parent_name"
    ):
        wanted = {}
        for name in generation:
            values, owner = accounts[name]
            parent = imported.get(values["parent_name"])
            wanted[ACCOUNT_PREFIX + name] = {
                **{
                    key: value
                    for key, value in values.items()
                    if key not in ("parent_name", "line")
                },
                "owner_id": owner.pk,
                "parent_id": parent.pk if parent else None,
            }
        synced = _sync(Account, ACCOUNT_PREFIX, wanted, counts)
        imported.update({name: synced[ACCOUNT_PREFIX + name] for name in generation})
    return imported


def _import_products(products, result):
    """Returns {product key: Product}; a code another product holds is skipped."""
    counts = result.counts["products"] = Counts()
    taken = set(
        Product.objects.filter(code__in=[item["code"] for item, _ in products.values()])
        .exclude(external_id__in=[PRODUCT_PREFIX + key for key in products])
        .values_list("code", flat=True)
    )
    wanted = {}
    for key, (item, owner) in products.items():
        if item["code"] in taken:
            result.problems.append(
                Problem(
                    PRODUCTS,
                    item["line"],
                    f"another product already has the code {item['code']!r}",
                )
            )
            continue
        wanted[PRODUCT_PREFIX + key] = {
            "name": item["name"],
            "code": item["code"],
            "category": item["series"],
            "unit_price": item["price"],
            "owner_id": owner.pk,
        }

    synced = _sync(Product, PRODUCT_PREFIX, wanted, counts)
    return {
        key: synced[PRODUCT_PREFIX + key]
        for key in products
        if PRODUCT_PREFIX + key in wanted
    }


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


def _import_deals(opportunities, users, accounts, products, stages, result):
    """Returns {deal pk: (product pk, amount)} for the deals in the files."""
    counts = result.counts["deals"] = Counts()
    wanted, products_wanted = {}, {}
    for opportunity, values in opportunities.items():
        owner = users.get(values["agent"])
        account = accounts.get(values["account_name"])
        product = products.get(values["product_key"])
        if (
            owner is None
            or product is None
            or (values["account_name"] and account is None)
        ):
            result.problems.append(
                Problem(
                    OPPORTUNITIES,
                    values["line"],
                    f"opportunity {opportunity!r} needs a skipped user, account "
                    "or product",
                )
            )
            continue
        stage = stages[values["stage_name"]]
        deal = {
            "name": values["name"],
            # The product is the deal's line item; older imports named it here.
            "description": "",
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
        products_wanted[DEAL_PREFIX + opportunity] = (product.pk, values["amount"])

    records_sync(model=Deal, prefix=DEAL_PREFIX, records=wanted, report=counts)
    deal_pks = dict(
        Deal.objects.filter(external_id__startswith=DEAL_PREFIX).values_list(
            "external_id", "pk"
        )
    )
    return {
        deal_pks[external_id]: line for external_id, line in products_wanted.items()
    }


def _import_line_items(deals, result):
    """Give each deal in ``deals`` one line item: its product, once, at its amount.

    ``deals`` maps a deal's pk to (product pk, amount). Other line items on these
    deals are removed, so that the amount stays the sum of the deal's items.
    """
    counts = result.counts["line_items"] = Counts()
    existing = defaultdict(list)
    for item in DealLineItem.objects.filter(
        deal__external_id__startswith=DEAL_PREFIX
    ).order_by("id"):
        existing[item.deal_id].append(item)

    new, changed, extra = [], [], []
    for deal_pk, (product_pk, amount) in deals.items():
        values = {
            "product_id": product_pk,
            "quantity": Decimal(1),
            "unit_price": amount,
            "discount_percent": Decimal(0),
        }
        items = existing.get(deal_pk)
        if not items:
            new.append(DealLineItem(deal_id=deal_pk, **values))
            continue
        item, *rest = items
        extra.extend(rest)
        if all(getattr(item, name) == value for name, value in values.items()):
            counts.unchanged += 1
            continue
        for name, value in values.items():
            setattr(item, name, value)
        changed.append(item)

    DealLineItem.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        DealLineItem.objects.bulk_update(
            changed, list(LINE_ITEM_FIELDS), batch_size=BATCH_SIZE
        )
    for start in range(0, len(extra), BATCH_SIZE):
        batch = extra[start : start + BATCH_SIZE]
        DealLineItem.objects.filter(pk__in=[item.pk for item in batch]).delete()
    counts.created += len(new)
    counts.updated += len(changed)
    counts.removed += len(extra)
