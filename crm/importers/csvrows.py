"""Read an exported CSV file into rows that know their line, and parse its values."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


class Missing:
    """A column the file does not have, as opposed to an empty cell.

    Fields whose column is missing are left as they are. It is false, like "".
    """

    def __bool__(self):
        return False

    def __repr__(self):
        return "MISSING"


MISSING = Missing()

# Exports write "-None-" for a picklist nobody filled in.
EMPTY_LABELS = frozenset({"", "-none-"})

# Report messages, filled in with str.format.
EMPTY_CELL = "{label} is empty"
IN_COLUMN = "{label}: {error}"
UNKNOWN_CHOICE = "{label}: unknown value {text!r}"
STORED_AS_FALLBACK = "{label} {text!r} is not a known value, stored as {fallback!r}"
WRONG_FIELD_COUNT = "has {count} fields but the header has {expected}"
NUL_IN_CELL = "{label} holds a NUL character"
NOT_A_DATE = "{text!r} is not a date"
DATE_OUT_OF_RANGE = "{text!r} is outside the years {first} to {last}"
NOT_AN_AMOUNT = "{text!r} is not an amount"
TOO_MANY_DECIMALS = "{text!r} has more than {places} decimal places"
AMOUNT_TOO_LARGE = "{text!r} is too large"
NEGATIVE_AMOUNT = "{text!r} is negative"
NOT_AN_EMAIL = "{text!r} is not an email address"
NOT_YES_OR_NO = "{text!r} is not Yes or No"
NOT_A_WHOLE_NUMBER = "{text!r} is not a whole number"
NOT_UTF8 = "{file} is not UTF-8 text: line {line} has an {reason}."
NOT_CSV = "{file} line {line}: {error}."
UNREADABLE = "{file} cannot be read: {reason}."
NO_HEADER = "{file} is empty: it has no header line."
REPEATED_COLUMNS = "{file} has these columns more than once: {labels}."

DATETIME_FORMATS = (
    "%d %b, %Y %H:%M:%S",
    "%d %b, %Y %H:%M",
    "%d %b, %Y",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y",
)

# "$22,700.00", "-1,200.5", "€99", "$342.09K": an optional currency sign, then a
# number whose commas, if any, group thousands (so a decimal comma is refused, not
# misread), then an optional K (thousands) or M (millions), as Zoho writes large
# amounts in some modules.
AMOUNT_PATTERN = re.compile(
    r"(?P<minus>-?)\s*[$€£¥]?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<scale>[KkMm]?)"
)
SCALES = {"": 0, "k": 3, "m": 6}
# Years a time keeps in UTC: a year further out can overflow when the time is
# shifted into another time zone, by the database or when it is shown.
FIRST_YEAR = 2
LAST_YEAR = 9998
# Up to 999,999,999: fits every integer column on every database.
WHOLE_NUMBER_DIGITS = 9
NUL = "\x00"
YES = frozenset({"yes", "true", "1"})
NO = frozenset({"no", "false", "0", ""})


class ImportFileError(Exception):
    """A file cannot be imported at all: unreadable, not UTF-8 or not CSV."""


class RowError(ValueError):
    """One row cannot be imported; the message says why, for the import report."""


class Row:
    """One data row: its cells by column label, the line it starts on, and notes."""

    def __init__(self, *, line, header, cells):
        self.line = line
        self.problem = None
        self.notes = []
        extra = cells[len(header) :]
        if len(cells) < len(header) or any(cell.strip() for cell in extra):
            self.problem = WRONG_FIELD_COUNT.format(
                count=len(cells), expected=len(header)
            )
        self.cells = dict(zip(header, cells, strict=False))
        # No database stores NUL in text alike (PostgreSQL refuses it), so a row
        # holding one is malformed wherever the import runs.
        with_nul = next(
            (label for label, cell in self.cells.items() if NUL in cell), None
        )
        if self.problem is None and with_nul is not None:
            self.problem = NUL_IN_CELL.format(label=with_nul)

    def text(self, label):
        """The stripped cell, "" when empty, MISSING when the file lacks the column."""
        if label not in self.cells:
            return MISSING
        return self.cells[label].strip()

    def required(self, label):
        value = self.text(label)
        if value is MISSING or value == "":
            raise RowError(EMPTY_CELL.format(label=label))
        return value

    def parse(self, label, parser):
        """``parser(text)`` of the cell, or MISSING; its RowError names the column."""
        text = self.text(label)
        if text is MISSING:
            return MISSING
        try:
            return parser(text)
        except RowError as error:
            raise RowError(IN_COLUMN.format(label=label, error=error)) from None

    def choice(self, label, choices):
        """The choice value a label maps to; unknown labels fall back or fail."""
        text = self.text(label)
        if text is MISSING:
            return MISSING
        value = choices.match(text)
        if value is not None:
            return value
        if choices.fallback is None:
            raise RowError(UNKNOWN_CHOICE.format(label=label, text=text))
        fallback = choices.fallback
        self.note(
            STORED_AS_FALLBACK.format(label=label, text=text, fallback=fallback.label)
        )
        return fallback

    def note(self, message):
        """Record something the report should mention although the row is imported."""
        self.notes.append(message)


@dataclass
class CsvTable:
    path: Path
    header: list
    rows: list

    @property
    def name(self):
        return self.path.name


def csv_table_read(path):
    """Read a whole CSV file; raise ImportFileError when it cannot be read as CSV.

    Each row remembers the line it starts on, so that quoted line breaks do not
    shift the line numbers the report gives. Blank lines are left out.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(
            UNREADABLE.format(file=path.name, reason=error.strerror)
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            NOT_UTF8.format(file=path.name, line=line, reason=error.reason)
        ) from None

    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [label.strip() for label in next(reader, [])]
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append(Row(line=start, header=header, cells=cells))
    except csv.Error as error:
        raise ImportFileError(
            NOT_CSV.format(file=path.name, line=reader.line_num, error=error)
        ) from None

    if not any(header):
        raise ImportFileError(NO_HEADER.format(file=path.name))
    repeated = sorted({label for label in header if label and header.count(label) > 1})
    if repeated:
        labels = ", ".join(repr(label) for label in repeated)
        raise ImportFileError(REPEATED_COLUMNS.format(file=path.name, labels=labels))
    return CsvTable(path=path, header=header, rows=rows)


class ChoiceMap:
    """Map exported labels to choice values, ignoring case, spaces and punctuation.

    ``match`` returns the value for a label, ``empty`` for a blank one, and None for
    an unknown one; ``fallback``, when given, is the value unknown labels get.
    """

    def __init__(self, choices, *, empty, aliases=None, fallback=None):
        self.empty = empty
        self.fallback = fallback
        self.values = {}
        for value, label in choices.choices:
            self.values[label_key(value)] = value
            self.values[label_key(label)] = value
        for label, value in (aliases or {}).items():
            self.values[label_key(label)] = value

    def match(self, text):
        if text.strip().lower() in EMPTY_LABELS:
            return self.empty
        return self.values.get(label_key(text))


def label_key(text):
    return re.sub(r"[^0-9a-z]", "", str(text).casefold())


def parse_datetime(text):
    """An aware datetime for ISO or "15 Apr, 2021 00:03:00" text; naive means UTC.

    Returns None for an empty cell and raises RowError for anything else, including
    a time whose year in UTC is outside FIRST_YEAR to LAST_YEAR.
    """
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = datetime_from_formats(text)
    try:
        parsed = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError:
        parsed = None
    if parsed is None or not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise RowError(
            DATE_OUT_OF_RANGE.format(text=text, first=FIRST_YEAR, last=LAST_YEAR)
        )
    return parsed


def datetime_from_formats(text):
    for date_format in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            continue
    raise RowError(NOT_A_DATE.format(text=text))


def parse_date(text):
    """The UTC calendar day of a date or datetime cell, or None when empty."""
    parsed = parse_datetime(text)
    return parsed.date() if parsed else None


def parse_amount(text, *, max_digits=14, decimal_places=2):
    """A Decimal for text such as "$22,700.00", or None when empty.

    Raises RowError for text that is not an amount, or one the column cannot hold.
    """
    if not text:
        return None
    match = AMOUNT_PATTERN.fullmatch(text)
    if match is None:
        raise RowError(NOT_AN_AMOUNT.format(text=text))
    try:
        amount = Decimal(match["minus"] + match["number"].replace(",", ""))
    except InvalidOperation:
        raise RowError(NOT_AN_AMOUNT.format(text=text)) from None
    amount = amount.scaleb(SCALES[match["scale"].lower()])

    rounded = amount.quantize(Decimal(1).scaleb(-decimal_places))
    if rounded != amount:
        raise RowError(TOO_MANY_DECIMALS.format(text=text, places=decimal_places))
    if len(rounded.as_tuple().digits) > max_digits:
        raise RowError(AMOUNT_TOO_LARGE.format(text=text))
    if rounded < 0:
        raise RowError(NEGATIVE_AMOUNT.format(text=text))
    return rounded


def parse_email(text):
    """The address as written, "" when empty; RowError when it is not an address."""
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise RowError(NOT_AN_EMAIL.format(text=text)) from None
    return text


def parse_yes_no(text):
    """True for Yes, False for No or an empty cell; RowError for anything else."""
    answer = text.strip().casefold()
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise RowError(NOT_YES_OR_NO.format(text=text))


def parse_whole_number(text):
    """A non-negative int, None for an empty cell; RowError for anything else."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > WHOLE_NUMBER_DIGITS:
        raise RowError(NOT_A_WHOLE_NUMBER.format(text=text))
    return int(text)
