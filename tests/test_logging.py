import json
import logging

import pytest

from config.logging import JSONFormatter, KeyValueFormatter

TOKEN = "crm_pat_AbCdEfGhIjKl_" + "x" * 36


def record(message, *args, **extra):
    entry = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, message, args, None
    )
    entry.__dict__.update(extra)
    return entry


@pytest.mark.parametrize("formatter", [KeyValueFormatter(), JSONFormatter()])
def test_a_token_in_a_logged_url_is_masked(formatter):
    line = formatter.format(record("Unauthorized: %s", f"/api/v1/leads/?token={TOKEN}"))

    assert TOKEN not in line
    assert "crm_pat_[redacted]" in line


@pytest.mark.parametrize("formatter", [KeyValueFormatter(), JSONFormatter()])
def test_a_token_in_a_structured_field_is_masked(formatter):
    line = formatter.format(record("event", path=f"/x?t={TOKEN}"))

    assert TOKEN not in line


def test_json_lines_carry_the_event_and_its_fields():
    line = JSONFormatter().format(record("token_issued", token_id="abc", user_id=7))

    payload = json.loads(line)
    assert (payload["event"], payload["token_id"], payload["user_id"]) == (
        "token_issued",
        "abc",
        7,
    )


def test_a_token_sent_in_a_query_string_never_reaches_the_log(client, db, caplog):
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    lines = []
    handler.emit = lambda entry: lines.append(handler.format(entry))
    logging.getLogger("django.request").addHandler(handler)
    try:
        client.get(f"/api/v1/leads/?token={TOKEN}")
    finally:
        logging.getLogger("django.request").removeHandler(handler)

    assert lines
    assert all(TOKEN not in line for line in lines)
