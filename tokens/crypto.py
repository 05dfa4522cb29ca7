"""The token format and its keyed hash.

A token reads ``crm_pat_<id>_<secret><checksum>``:

- ``crm_pat_`` marks it as a CRM personal access token, for people and for
  secret scanners;
- ``<id>``, 12 base62 characters, is public: it finds the stored record;
- ``<secret>``, 30 base62 characters (178 bits), is never stored;
- ``<checksum>``, 6 base62 characters of the CRC-32 of everything before it,
  lets a mistyped token be refused before any database query.
"""

import hashlib
import hmac
import re
import secrets
import string
import zlib
from dataclasses import dataclass

from django.conf import settings

from tokens.settings import token_setting

PREFIX = "crm_pat_"
ALPHABET = string.digits + string.ascii_letters
ID_LENGTH = 12
SECRET_LENGTH = 30
CHECKSUM_LENGTH = 6
TOKEN_PATTERN = re.compile(
    rf"^{PREFIX}(?P<public_id>[0-9A-Za-z]{{{ID_LENGTH}}})_"
    rf"(?P<secret>[0-9A-Za-z]{{{SECRET_LENGTH}}})"
    rf"(?P<checksum>[0-9A-Za-z]{{{CHECKSUM_LENGTH}}})$"
)
TOKEN_LENGTH = len(PREFIX) + ID_LENGTH + 1 + SECRET_LENGTH + CHECKSUM_LENGTH


@dataclass(frozen=True)
class ParsedToken:
    public_id: str
    secret: str


def _random_base62(length):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _base62(number, width):
    digits = []
    for _ in range(width):
        number, remainder = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits))


def checksum(body):
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LENGTH)


def generate_token():
    """Return a new clear token and its public id."""
    public_id = _random_base62(ID_LENGTH)
    body = f"{PREFIX}{public_id}_{_random_base62(SECRET_LENGTH)}"
    return body + checksum(body), public_id


def parse_token(value):
    """Split a presented token into its parts, or return None if it is malformed.

    Runs no query: the format and checksum are checked locally.
    """
    match = TOKEN_PATTERN.match(value)
    if match is None:
        return None
    body = value[:-CHECKSUM_LENGTH]
    if not hmac.compare_digest(checksum(body), match["checksum"]):
        return None
    return ParsedToken(public_id=match["public_id"], secret=match["secret"])


def hash_keys():
    """The keys for stored-token hashes, newest first."""
    configured = token_setting("HASH_KEYS")
    if configured:
        return [key.encode() for key in configured]
    derived = hashlib.sha256(b"crm.tokens.hash-key:" + settings.SECRET_KEY.encode())
    return [derived.digest()]


def token_digest(token, key):
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def verify_digest(token, stored_digest):
    """Check a clear token against its stored digest under every known key.

    Return (matches, needs_rehash): needs_rehash is True when an older key matched.
    """
    for position, key in enumerate(hash_keys()):
        if hmac.compare_digest(token_digest(token, key), stored_digest):
            return True, position > 0
    return False, False


def display_form(last_four):
    """How lists show a token: the prefix and its final characters only."""
    return f"{PREFIX}…{last_four}"
