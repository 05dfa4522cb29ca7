"""Every write to tokens goes through here: issue, use, revoke, purge."""

import hashlib
import logging
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tokens import crypto
from tokens.models import Application, AuthToken, TokenEvent
from tokens.scopes import ALL_SCOPES, scopes_allowed_for
from tokens.settings import token_setting

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = AuthToken._meta.get_field("name").max_length
APPLICATION_NAME_MAX_LENGTH = Application._meta.get_field("name").max_length


def application_get_or_create(*, user, name, description=""):
    name = name.strip()
    if not name:
        raise ValidationError(
            {"application": "Name the application this token is for."}
        )
    if len(name) > APPLICATION_NAME_MAX_LENGTH:
        raise ValidationError(
            {"application": f"Use at most {APPLICATION_NAME_MAX_LENGTH} characters."}
        )
    application, _ = Application.objects.get_or_create(
        user=user, name=name, defaults={"description": description}
    )
    return application


class TokenAlreadyGenerated(Exception):
    """The form (its generation key) already produced a token."""


def token_issue(
    *,
    user,
    name,
    application,
    scopes,
    lifetime_hours,
    actor=None,
    client_ip=None,
    generation_key=None,
):
    """Create a token and return ``(token, clear_value)``.

    The clear value exists only in this return value: it is never stored.
    Raises ValidationError, keyed by field, when a rule is broken, and
    TokenAlreadyGenerated when ``generation_key`` (a form's one-time key) was
    used before.
    """
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Give the token a name."
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = f"Use at most {NAME_MAX_LENGTH} characters."
    if application.user_id != user.pk:
        errors["application"] = "The application belongs to another user."
    max_hours = token_setting("MAX_LIFETIME_HOURS")
    if not isinstance(lifetime_hours, int) or not 1 <= lifetime_hours <= max_hours:
        errors["lifetime_hours"] = f"Choose a validity from 1 to {max_hours} hours."
    requested = list(dict.fromkeys(scopes))
    unknown = [scope for scope in requested if scope not in ALL_SCOPES]
    if not requested:
        errors["scopes"] = "Choose at least one scope."
    elif unknown:
        errors["scopes"] = f"Unknown scopes: {', '.join(unknown)}."
    else:
        beyond = sorted(set(requested) - set(scopes_allowed_for(user)))
        if beyond:
            errors["scopes"] = (
                f"The owner's permissions do not allow: {', '.join(beyond)}."
            )
    if errors:
        raise ValidationError(errors)

    clear, public_id = crypto.generate_token()
    now = timezone.now()
    ordered_scopes = [scope for scope in ALL_SCOPES if scope in requested]
    key_digest = (
        hashlib.sha256(generation_key.encode()).hexdigest() if generation_key else None
    )
    try:
        with transaction.atomic():
            token = AuthToken.objects.create(
                user=user,
                application=application,
                name=name,
                public_id=public_id,
                digest=crypto.token_digest(clear, crypto.hash_keys()[0]),
                last_four=clear[-4:],
                scopes=ordered_scopes,
                created_at=now,
                expires_at=now + timedelta(hours=lifetime_hours),
                generation_key=key_digest,
            )
            TokenEvent.objects.create(
                token=token,
                kind=TokenEvent.Kind.GENERATED,
                actor=actor or user,
                client_ip=client_ip,
            )
    except IntegrityError:
        if key_digest and AuthToken.objects.filter(generation_key=key_digest).exists():
            raise TokenAlreadyGenerated() from None
        raise
    logger.info(
        "token_issued",
        extra={
            "token_id": token.public_id,
            "user_id": user.pk,
            "scopes": ",".join(ordered_scopes),
        },
    )
    return token, clear


def token_mark_used(*, token, client_ip, now, rehash_with=None):
    """Record use at most once per interval; note the first use in the audit trail."""
    if rehash_with is not None:
        AuthToken.objects.filter(pk=token.pk).update(
            digest=crypto.token_digest(rehash_with, crypto.hash_keys()[0])
        )
    interval = timedelta(seconds=token_setting("LAST_USED_INTERVAL_SECONDS"))
    if token.last_used_at is not None and now - token.last_used_at < interval:
        return
    updated = (
        AuthToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - interval))
        .update(last_used_at=now, last_used_ip=client_ip)
    )
    if updated and token.last_used_at is None:
        TokenEvent.objects.create(
            token=token, kind=TokenEvent.Kind.FIRST_USED, client_ip=client_ip, at=now
        )


def token_record_refusal(*, token, reason, client_ip):
    """Add a refusal to the audit trail, at most once a minute per token and reason,
    so that a client retrying in a loop cannot flood the trail."""
    if not cache.add(f"tokens:refusal:{token.pk}:{reason}", True, timeout=60):
        return
    TokenEvent.objects.create(
        token=token, kind=TokenEvent.Kind.REFUSED, reason=reason, client_ip=client_ip
    )
    logger.warning(
        "token_refused",
        extra={
            "token_id": token.public_id,
            "user_id": token.user_id,
            "outcome": reason,
        },
    )


def token_revoke(*, token, actor, client_ip=None):
    """Revoke a token from the next request on. Revoking twice changes nothing."""
    now = timezone.now()
    updated = AuthToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor
    )
    if not updated:
        return False
    token.revoked_at, token.revoked_by = now, actor
    TokenEvent.objects.create(
        token=token,
        kind=TokenEvent.Kind.REVOKED,
        actor=actor,
        client_ip=client_ip,
        at=now,
    )
    logger.info(
        "token_revoked",
        extra={
            "token_id": token.public_id,
            "user_id": token.user_id,
            "actor_id": getattr(actor, "pk", None),
        },
    )
    return True


def application_revoke_tokens(*, application, actor, client_ip=None):
    """Revoke every live token of an application; return how many were revoked."""
    revoked = 0
    for token in application.tokens.filter(revoked_at__isnull=True):
        revoked += token_revoke(token=token, actor=actor, client_ip=client_ip)
    return revoked


def token_purge(*, now=None):
    """Delete tokens that expired or were revoked before the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=token_setting("RETENTION_DAYS"))
    stale = AuthToken.objects.filter(
        Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    )
    count = stale.count()
    stale.delete()
    logger.info("tokens_purged", extra={"count": count})
    return count
