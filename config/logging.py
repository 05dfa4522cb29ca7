"""Log formatters that render an event name plus its structured fields."""

import json
import logging

# Attributes every LogRecord has; anything else came in through ``extra``.
STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()
) | {"message", "asctime"}


def record_fields(record):
    return {
        key: value
        for key, value in vars(record).items()
        if key not in STANDARD_ATTRIBUTES and not key.startswith("_")
    }


class KeyValueFormatter(logging.Formatter):
    """Human-readable lines: the message followed by key=value fields."""

    def format(self, record):
        line = super().format(record)
        fields = " ".join(
            f"{key}={value}" for key, value in record_fields(record).items()
        )
        return f"{line} {fields}" if fields else line


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
        return json.dumps(payload, default=str)
