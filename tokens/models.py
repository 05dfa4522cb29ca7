from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tokens.crypto import display_form
from tokens.scopes import ALL_SCOPES
from tokens.settings import HARD_MAX_LIFETIME_HOURS

# Fields fixed when a token is generated; nothing may change them afterwards.
IMMUTABLE_FIELDS = (
    "user_id",
    "application_id",
    "public_id",
    "scopes",
    "created_at",
    "expires_at",
)


class ImmutableTokenField(ValueError):
    """Raised when code tries to change a token field that is fixed at generation."""


class Application(models.Model):
    """An integration or device a user connects to the API; each token is for one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], name="tokens_application_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class AuthTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def expired(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__lte=now)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def with_status(self, status, now=None):
        if status == AuthToken.Status.REVOKED:
            return self.revoked()
        if status == AuthToken.Status.EXPIRED:
            return self.expired(now)
        return self.active(now)

    def update(self, **kwargs):
        fixed = {name.removesuffix("_id") for name in IMMUTABLE_FIELDS}
        touched = fixed.intersection(name.removesuffix("_id") for name in kwargs)
        if touched:
            raise ImmutableTokenField(
                f"Token fields {sorted(touched)} are fixed at generation."
            )
        if "revoked_at" in kwargs and kwargs["revoked_at"] is None:
            raise ImmutableTokenField("A revoked token cannot be restored.")
        return super().update(**kwargs)


class AuthToken(models.Model):
    """A personal auth token. Only a keyed hash of the token is stored."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="tokens"
    )
    name = models.CharField(max_length=100)
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    last_four = models.CharField(max_length=4, editable=False)
    scopes = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False, db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # Digest of the one-time key of the form that generated the token: a form
    # submitted twice, even at the same moment, yields one token.
    generation_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = AuthTokenQuerySet.as_manager()

    class Meta:
        # Related lookups use the guarded queryset too.
        base_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="tokens_authtoken_expires_after_creation",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.display})"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self._check_new()
            # Never overwrite a stored token that happens to share the primary key.
            kwargs["force_insert"] = True
        else:
            self._check_unchanged()
            kwargs["update_fields"] = self._writable_fields(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        self._remember_fixed_values()

    def _check_new(self):
        unknown = [scope for scope in self.scopes if scope not in ALL_SCOPES]
        if not self.scopes or unknown:
            raise ImmutableTokenField(f"Invalid scopes {self.scopes!r}.")
        lifetime = self.expires_at - self.created_at
        if not timedelta(0) < lifetime <= timedelta(hours=HARD_MAX_LIFETIME_HOURS):
            raise ImmutableTokenField(
                f"A token lives at most {HARD_MAX_LIFETIME_HOURS} hours."
            )

    def _check_unchanged(self):
        fixed = getattr(self, "_fixed_values", {})
        changed = [
            name
            for name in IMMUTABLE_FIELDS
            if name in self.__dict__
            and (name not in fixed or getattr(self, name) != fixed[name])
        ]
        if changed:
            raise ImmutableTokenField(
                f"Token fields {changed} are fixed at generation."
            )
        if fixed.get("revoked_at") is not None and self.revoked_at is None:
            raise ImmutableTokenField("A revoked token cannot be restored.")

    def _writable_fields(self, requested):
        fixed = set(IMMUTABLE_FIELDS)
        writable = [
            field.name
            for field in self._meta.concrete_fields
            if not field.primary_key and field.attname not in fixed
        ]
        if requested is None:
            return writable
        return [name for name in requested if name in writable]

    def _remember_fixed_values(self):
        self._fixed_values = {
            name: getattr(self, name)
            for name in (*IMMUTABLE_FIELDS, "revoked_at")
            if name in self.__dict__
        }

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_fixed_values()
        return instance

    @property
    def display(self):
        return display_form(self.last_four)

    def status_at(self, now):
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    @property
    def status(self):
        return self.status_at(timezone.now())


class TokenEvent(models.Model):
    """One line of a token's audit trail. Never holds the token itself."""

    class Kind(models.TextChoices):
        GENERATED = "generated", "Generated"
        FIRST_USED = "first_used", "First used"
        REVOKED = "revoked", "Revoked"
        REFUSED = "refused", "Refused"

    token = models.ForeignKey(
        AuthToken, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reason}".strip()
