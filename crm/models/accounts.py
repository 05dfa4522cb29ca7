from django.core.exceptions import ValidationError
from django.db import models

from crm.models.records import Address, Record


class Account(Record, Address):
    class Type(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        CUSTOMER = "customer", "Customer"
        PARTNER = "partner", "Partner"
        RESELLER = "reseller", "Reseller"
        VENDOR = "vendor", "Vendor"
        COMPETITOR = "competitor", "Competitor"
        INVESTOR = "investor", "Investor"
        OTHER = "other", "Other"

    name = models.CharField(max_length=255, db_index=True)
    account_type = models.CharField(
        max_length=20, choices=Type.choices, default=Type.PROSPECT, db_index=True
    )
    industry = models.CharField(max_length=100, blank=True, db_index=True)
    website = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )
    annual_revenue = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="accounts")

    class Meta(Record.Meta):
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (
            self.pk is not None
            and self.parent_id is not None
            and self.pk in account_chain_ids(self.parent_id)
        ):
            raise ValidationError({"parent": PARENT_LOOP_MESSAGE})


PARENT_LOOP_MESSAGE = "An account cannot be its own parent or ancestor."


def account_chain_ids(account_id):
    """The id of an account and of each of its ancestors, nearest first.

    Stops at a loop already stored in the hierarchy rather than following it.
    """
    chain = []
    while account_id is not None and account_id not in chain:
        chain.append(account_id)
        account_id = (
            Account.objects.filter(pk=account_id)
            .values_list("parent_id", flat=True)
            .first()
        )
    return chain
