from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from crm.models.deals import Deal
from crm.models.records import Record
from crm.models.visibility import OwnedQuerySet, SharedQuerySet


class Product(Record):
    """Something the company sells, at a list price."""

    name = models.CharField(max_length=255, db_index=True)
    code = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True, db_index=True)
    category = models.CharField(max_length=100, blank=True, db_index=True)
    manufacturer = models.CharField(max_length=255, blank=True, db_index=True)
    unit_price = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    taxable = models.BooleanField(default=False)
    description = models.TextField(blank=True)

    # The catalogue is shared: every user sees every product.
    objects = SharedQuerySet.as_manager()

    class Meta(Record.Meta):
        ordering = ["name", "id"]
        constraints = [
            *Record.Meta.constraints,
            models.UniqueConstraint(
                Lower("code"), name="crm_product_unique_code_ignoring_case"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class DealLineItemQuerySet(OwnedQuerySet):
    """Line items are seen through their deal."""

    owner_field = "deal__owner"


class DealLineItem(models.Model):
    """A quantity of one product on a deal; together they make the deal's amount.

    Change line items through ``crm.services`` only, which keeps the amount in step.
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="line_items")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="line_items"
    )
    quantity = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_price = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Price of one unit on this deal; defaults to the product's price.",
    )
    discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = DealLineItemQuerySet.as_manager()

    class Meta:
        ordering = ["deal", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="crm_deallineitem_positive_quantity"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="crm_deallineitem_unit_price_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="crm_deallineitem_discount_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_id} on deal {self.deal_id}"

    @property
    def total(self):
        """The line's value before rounding: quantity × price less the discount."""
        return (
            self.quantity * self.unit_price * (1 - self.discount_percent / Decimal(100))
        )
