from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import ApplicationFactory, UserFactory
from tokens import crypto
from tokens.models import Application, AuthToken, ImmutableTokenField, TokenEvent
from tokens.services import (
    TokenAlreadyGenerated,
    token_issue,
    token_purge,
    token_revoke,
)
from tokens.settings import token_setting


def issue(user, **overrides):
    arguments = {
        "user": user,
        "name": "CI sync",
        "application": ApplicationFactory(user=user),
        "scopes": ["leads:read"],
        "lifetime_hours": 1,
        **overrides,
    }
    return token_issue(**arguments)


def test_generated_token_has_the_documented_format(user):
    _, clear = issue(user)

    assert clear.startswith("crm_pat_")
    assert len(clear) == crypto.TOKEN_LENGTH
    assert crypto.parse_token(clear) is not None


def test_secret_part_carries_at_least_160_bits():
    import math

    assert crypto.SECRET_LENGTH * math.log2(len(crypto.ALPHABET)) >= 160


def test_a_single_changed_character_fails_the_checksum(user):
    _, clear = issue(user)
    position = len(crypto.PREFIX) + 3
    changed = (
        clear[:position]
        + ("Z" if clear[position] != "Z" else "Y")
        + clear[position + 1 :]
    )

    assert crypto.parse_token(changed) is None


def test_only_a_keyed_hash_is_stored(user):
    token, clear = issue(user)
    stored = AuthToken.objects.filter(pk=token.pk).values().get()

    assert clear not in {str(value) for value in stored.values()}
    assert stored["digest"] == crypto.token_digest(clear, crypto.hash_keys()[0])
    assert crypto.parse_token(clear).secret not in str(stored)


def test_str_and_display_show_prefix_and_last_four_only(user):
    token, clear = issue(user)

    assert token.display == f"crm_pat_…{clear[-4:]}"
    assert crypto.parse_token(clear).secret not in str(token)


def test_validity_is_capped_at_24_hours(user):
    with pytest.raises(ValidationError) as raised:
        issue(user, lifetime_hours=25)

    assert "lifetime_hours" in raised.value.message_dict


@pytest.mark.parametrize("hours", [0, -1, 1.5, "8"])
def test_validity_must_be_a_whole_number_of_hours_from_one(user, hours):
    with pytest.raises(ValidationError) as raised:
        issue(user, lifetime_hours=hours)

    assert "lifetime_hours" in raised.value.message_dict


def test_a_lower_cap_in_settings_applies(user, settings):
    settings.TOKENS = {**settings.TOKENS, "MAX_LIFETIME_HOURS": 8}

    with pytest.raises(ValidationError):
        issue(user, lifetime_hours=9)


def test_settings_cannot_raise_the_cap_past_24_hours(settings):
    settings.TOKENS = {**settings.TOKENS, "MAX_LIFETIME_HOURS": 48}

    with pytest.raises(ImproperlyConfigured):
        token_setting("MAX_LIFETIME_HOURS")


def test_expiry_is_creation_plus_the_chosen_hours(user):
    token, _ = issue(user, lifetime_hours=8)

    assert token.expires_at - token.created_at == timedelta(hours=8)


def test_unknown_scope_is_refused(user):
    with pytest.raises(ValidationError) as raised:
        issue(user, scopes=["leads:read", "leads:admin"])

    assert raised.value.message_dict["scopes"] == ["Unknown scopes: leads:admin."]


def test_scope_beyond_the_owners_permissions_is_refused(db):
    reader = UserFactory(permissions=["crm.view_lead"])

    with pytest.raises(ValidationError) as raised:
        issue(reader, scopes=["leads:read", "leads:delete"])

    assert raised.value.message_dict["scopes"] == [
        "The owner's permissions do not allow: leads:delete."
    ]


def test_empty_scope_list_is_refused(user):
    with pytest.raises(ValidationError) as raised:
        issue(user, scopes=[])

    assert "scopes" in raised.value.message_dict


def test_blank_name_is_refused(user):
    with pytest.raises(ValidationError) as raised:
        issue(user, name="   ")

    assert "name" in raised.value.message_dict


def test_application_of_another_user_is_refused(user):
    with pytest.raises(ValidationError) as raised:
        issue(user, application=ApplicationFactory())

    assert "application" in raised.value.message_dict


def test_a_user_may_hold_many_tokens(user):
    for _ in range(5):
        issue(user)

    assert AuthToken.objects.filter(user=user).count() == 5


def test_scopes_cannot_change_through_save(user):
    token, _ = issue(user)
    token = AuthToken.objects.get(pk=token.pk)
    token.scopes = ["leads:read", "leads:delete"]

    with pytest.raises(ImmutableTokenField):
        token.save()


def test_scopes_cannot_change_through_a_queryset_update(user):
    token, _ = issue(user)

    with pytest.raises(ImmutableTokenField):
        AuthToken.objects.filter(pk=token.pk).update(scopes=["leads:delete"])


def test_expiry_cannot_be_extended(user):
    token, _ = issue(user)
    token = AuthToken.objects.get(pk=token.pk)
    token.expires_at += timedelta(hours=5)

    with pytest.raises(ImmutableTokenField):
        token.save()


def test_name_may_be_changed(user):
    token, _ = issue(user)
    token = AuthToken.objects.get(pk=token.pk)
    token.name = "Renamed"
    token.save()

    assert AuthToken.objects.get(pk=token.pk).name == "Renamed"


def test_generation_is_recorded_in_the_audit_trail(user):
    token, _ = issue(user)

    assert list(token.events.values_list("kind", flat=True)) == [
        TokenEvent.Kind.GENERATED
    ]


def test_revoking_records_who_revoked(user):
    token, _ = issue(user)
    admin = UserFactory(is_staff=True)

    assert token_revoke(token=token, actor=admin, client_ip="127.0.0.1") is True

    token.refresh_from_db()
    event = token.events.get(kind=TokenEvent.Kind.REVOKED)
    assert token.revoked_by == admin
    assert (event.actor, event.client_ip) == (admin, "127.0.0.1")


def test_revoking_twice_changes_nothing(user):
    token, _ = issue(user)
    token_revoke(token=token, actor=user)
    first = AuthToken.objects.get(pk=token.pk).revoked_at

    assert token_revoke(token=token, actor=user) is False
    assert AuthToken.objects.get(pk=token.pk).revoked_at == first


def test_purge_removes_only_tokens_past_retention(user, settings):
    settings.TOKENS = {**settings.TOKENS, "RETENTION_DAYS": 30}
    live, _ = issue(user)
    old, _ = issue(user)
    token_revoke(token=old, actor=user)
    recent, _ = issue(user)
    token_revoke(token=recent, actor=user)
    AuthToken.objects.filter(pk=old.pk).update(
        revoked_at=timezone.now() - timedelta(days=31)
    )

    assert token_purge() == 1
    assert set(AuthToken.objects.values_list("pk", flat=True)) == {live.pk, recent.pk}


def test_purge_command_reports_the_count(user, capsys, monkeypatch):
    token, _ = issue(user)
    later = timezone.now() + timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)

    call_command("purge_tokens")

    assert "Purged 1 token(s)" in capsys.readouterr().out
    assert not AuthToken.objects.filter(pk=token.pk).exists()


def test_issue_token_command_prints_the_token_once_and_stores_its_hash(user, capsys):
    call_command(
        "issue_token",
        user.username,
        "--name",
        "Shell",
        "--application",
        "Laptop",
        "--scope",
        "leads:read",
        "--hours",
        "2",
    )

    output = capsys.readouterr()
    clear = output.out.strip()
    token = AuthToken.objects.get(user=user, name="Shell")
    assert crypto.parse_token(clear).public_id == token.public_id
    assert clear not in output.err
    assert token.scopes == ["leads:read"]
    assert token.application.name == "Laptop"


def test_checksum_follows_the_documented_algorithm(user):
    """CRC-32 of everything before it, in base 62 (0-9, a-z, A-Z), six digits."""
    import string
    import zlib

    _, clear = issue(user)
    body, checksum = clear[:-6], clear[-6:]
    alphabet = string.digits + string.ascii_lowercase + string.ascii_uppercase
    value = sum(
        alphabet.index(char) * 62**power
        for power, char in enumerate(reversed(checksum))
    )

    assert value == zlib.crc32(body.encode())


def test_a_generation_key_yields_one_token(user):
    issue(user, generation_key="form-key-1")

    with pytest.raises(TokenAlreadyGenerated):
        issue(user, generation_key="form-key-1")

    assert AuthToken.objects.filter(user=user).count() == 1


def test_name_longer_than_the_column_is_refused(user):
    with pytest.raises(ValidationError) as raised:
        issue(user, name="x" * 101)

    assert raised.value.message_dict["name"] == ["Use at most 100 characters."]


def test_scopes_cannot_change_through_the_base_manager(user):
    token, _ = issue(user)

    with pytest.raises(ImmutableTokenField):
        AuthToken._base_manager.filter(pk=token.pk).update(scopes=["leads:delete"])


def test_scopes_of_a_deferred_load_cannot_be_saved(user):
    token, _ = issue(user)
    partial = AuthToken.objects.only("name").get(pk=token.pk)
    partial.scopes = ["leads:read", "leads:delete"]

    with pytest.raises(ImmutableTokenField):
        partial.save()

    assert AuthToken.objects.get(pk=token.pk).scopes == ["leads:read"]


def test_a_new_object_cannot_overwrite_a_stored_token(user):
    token, _ = issue(user)
    impostor = AuthToken(
        pk=token.pk,
        user=user,
        application=token.application,
        name="impostor",
        public_id="x" * 12,
        digest="0" * 64,
        last_four="abcd",
        scopes=["leads:read"],
        created_at=token.created_at,
        expires_at=token.expires_at,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()

    assert AuthToken.objects.get(pk=token.pk).name == "CI sync"


@pytest.mark.parametrize(
    "fields",
    [
        {"scopes": ["leads:admin"]},
        {"scopes": []},
        {"expires_at": timezone.now() + timedelta(days=365)},
    ],
    ids=["unknown-scope", "no-scope", "a-year"],
)
def test_a_token_outside_the_rules_cannot_be_created_directly(user, fields):
    now = timezone.now()
    values = {
        "user": user,
        "application": ApplicationFactory(user=user),
        "name": "direct",
        "public_id": "y" * 12,
        "digest": "0" * 64,
        "last_four": "abcd",
        "scopes": ["leads:read"],
        "created_at": now,
        "expires_at": now + timedelta(hours=1),
        **fields,
    }

    with pytest.raises(ImmutableTokenField):
        AuthToken.objects.create(**values)


def test_a_revoked_token_cannot_be_restored_by_save(user):
    token, _ = issue(user)
    token_revoke(token=token, actor=user)
    token = AuthToken.objects.get(pk=token.pk)
    token.revoked_at = None

    with pytest.raises(ImmutableTokenField):
        token.save()


def test_a_revoked_token_cannot_be_restored_by_update(user):
    token, _ = issue(user)
    token_revoke(token=token, actor=user)

    with pytest.raises(ImmutableTokenField):
        AuthToken.objects.filter(pk=token.pk).update(revoked_at=None)


def test_failed_issue_token_command_leaves_no_application(user):
    with pytest.raises(CommandError):
        call_command(
            "issue_token",
            user.username,
            "--name",
            "x",
            "--application",
            "Orphan",
            "--scope",
            "bogus:scope",
        )

    assert not Application.objects.filter(name="Orphan").exists()
