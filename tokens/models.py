from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tokens.crypto import display_form

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

    objects = AuthTokenQuerySet.as_manager()

    class Meta:
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
        fixed = getattr(self, "_fixed_values", {})
        changed = [
            name for name, value in fixed.items() if getattr(self, name) != value
        ]
        if changed:
            raise ImmutableTokenField(
                f"Token fields {changed} are fixed at generation."
            )
        super().save(*args, **kwargs)
        self._fixed_values = {name: getattr(self, name) for name in IMMUTABLE_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._fixed_values = {
            name: getattr(instance, name)
            for name in IMMUTABLE_FIELDS
            if name in instance.__dict__
        }
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
