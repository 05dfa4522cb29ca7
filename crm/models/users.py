from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A person who signs in: sales representatives, managers, administrators."""

    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The manager who sees this user's records.",
    )
    external_id = models.CharField(max_length=64, blank=True, default="")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # Seeing every user's records, not only one's own and one's team's.
        permissions = [("view_all_records", "Can view every user's CRM records")]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="crm_user_unique_external_id",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username
