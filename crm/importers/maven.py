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

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from crm.importers.maven_files import (
    ACCOUNT_PREFIX,
    ACCOUNTS,
    DEAL_PREFIX,
    OPPORTUNITIES,
    STAGES,
    TEAMS,
    USER_PREFIX,
    MavenFolderError,
    MavenReader,
    Problem,
    check_folder,
    username_for,
)
from crm.importers.records import records_by_external_id, records_sync
from crm.models import Account, Deal, Pipeline, Stage, User

__all__ = ["MavenFolderError", "maven_import"]

logger = logging.getLogger(__name__)

PIPELINE_NAME = "Maven"


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


def maven_import(*, folder, fallback_owner=None):
    """Load the four CSV files in ``folder``; return counts per module and problems.

    ``fallback_owner`` owns accounts that no opportunity names; without it such
    accounts are skipped. Raises MavenFolderError before writing anything when
    the folder or a file or column is missing. Writes in one transaction.
    """
    folder = check_folder(folder)

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
        synced = _sync(Account, ACCOUNT_PREFIX, wanted, counts)
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

    records_sync(model=Deal, prefix=DEAL_PREFIX, records=wanted, report=counts)
