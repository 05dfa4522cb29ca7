"""The Maven sample data read straight from its CSV files, for expected figures.

Nothing here uses the importer or the forecast code: the tests compare what the
application reports with sums worked out from the files on their own.
"""

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

FOLDER_NAME = "crm-sales-opportunities-maven"
# The probabilities the import documents for the Maven stages.
OPEN_STAGE_PROBABILITY = {"Prospecting": 10, "Engaging": 60}


def maven_folder():
    """The shared data folder; the test fails, never skips, when it is missing."""
    folder = Path(settings.SHARED_DATA_DIR) / FOLDER_NAME
    if not (folder / "sales_pipeline.csv").is_file():
        pytest.fail(
            f"The Maven sample data is missing: {folder} has no sales_pipeline.csv. "
            "Point CRM_SHARED_DATA at the shared data folder.",
            pytrace=False,
        )
    return folder


def rows(name):
    with (maven_folder() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def opportunities():
    return rows("sales_pipeline.csv")


def list_prices():
    """{product name without spaces: price}: the files spell GTX Pro two ways."""
    return {
        row["product"].replace(" ", ""): Decimal(row["sales_price"])
        for row in rows("products.csv")
    }


def quarter_label(day):
    return f"{day.year}-Q{(day.month + 2) // 3}"


def month_label(day):
    return f"{day.year}-{day.month:02d}"


def closed_by_agent_and_period(stage, label):
    """{(agent, period label): (Σ close_value, count)} over rows in ``stage``."""
    totals = defaultdict(lambda: [Decimal(0), 0])
    for row in opportunities():
        if row["deal_stage"] == stage:
            key = (row["sales_agent"], label(date.fromisoformat(row["close_date"])))
            totals[key][0] += Decimal(row["close_value"])
            totals[key][1] += 1
    return {key: tuple(value) for key, value in totals.items()}


def open_by_agent():
    """{agent: figures} over open rows, each valued at its product's list price."""
    prices = list_prices()
    totals = defaultdict(
        lambda: {
            "amount": Decimal(0),
            "count": 0,
            "weighted": Decimal(0),
            "best_case_amount": Decimal(0),
            "best_case_count": 0,
        }
    )
    for row in opportunities():
        probability = OPEN_STAGE_PROBABILITY.get(row["deal_stage"])
        if probability is None:
            continue
        price = prices[row["product"].replace(" ", "")]
        figures = totals[row["sales_agent"]]
        figures["amount"] += price
        figures["count"] += 1
        figures["weighted"] += price * probability / 100
        # Engaging is the only open Maven stage in the best-case category.
        if row["deal_stage"] == "Engaging":
            figures["best_case_amount"] += price
            figures["best_case_count"] += 1
    return dict(totals)
