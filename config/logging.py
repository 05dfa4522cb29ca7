"""Log formatters that render an event name plus its structured fields.

Both mask personal auth tokens wherever they appear in the output (a client
may put one in a URL by mistake), so no token reaches a log.
"""

import json
import logging
import re

# Attributes every LogRecord has; anything else came in through ``extra``.
STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()
) | {"message", "asctime"}
SCALARS = (str, int, float, bool, type(None))
TOKEN_PATTERN = re.compile(r"crm_pat_[0-9A-Za-z]{12}_[0-9A-Za-z]{36}")
MASK = "crm_pat_[redacted]"


def redact(text):
    return TOKEN_PATTERN.sub(MASK, text)


def record_fields(record):
    """The record's structured fields: scalar values passed through ``extra``."""
    return {
        key: value
        for key, value in vars(record).items()
        if key not in STANDARD_ATTRIBUTES
        and not key.startswith("_")
        and isinstance(value, SCALARS)
    }


class KeyValueFormatter(logging.Formatter):
    """Human-readable lines: the message followed by key=value fields."""

    def format(self, record):
        line = super().format(record)
        fields = " ".join(
            f"{key}={value}" for key, value in record_fields(record).items()
        )
        return redact(f"{line} {fields}" if fields else line)


class JSONFormatter(logging.Formatter):
    """One JSON object per line, for log collectors in production."""

    def format(self, record):
        payload = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            **record_fields(record),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(payload, default=str))
