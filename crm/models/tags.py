from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower


class Tag(models.Model):
    """A label for leads, contacts, accounts, deals and tickets."""

    name = models.CharField(max_length=50)
    colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as #rrggbb.")],
        help_text="Display colour as #rrggbb; empty for the default.",
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="crm_tag_unique_name_ci",
                violation_error_message="A tag with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name
