from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError

from crm import services
from crm.models import (
    RELATED_RECORD_FIELDS,
    Account,
    Call,
    Campaign,
    Contact,
    Deal,
    DealLineItem,
    Lead,
    Meeting,
    Note,
    Pipeline,
    Product,
    Stage,
    Tag,
    Target,
    Task,
    Ticket,
    User,
    visible_users,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("CRM", {"fields": ("manager", "external_id")}),
    )
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "manager",
        "is_staff",
        "is_active",
    )
    list_select_related = ("manager",)
    autocomplete_fields = ("manager",)


class VisibleRecordsAdminMixin:
    """Lists, change pages and look-ups hold only the records the signed-in user
    may see, as in the API; a form links only to such records, or keeps the
    links the record already has."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not hasattr(queryset, "linkable_by"):
                continue
            linked = ()
            if obj is not None and isinstance(field, forms.ModelMultipleChoiceField):
                linked = getattr(obj, name).values("pk")
            elif obj is not None:
                linked = [obj.serializable_value(name)]
            field.queryset = queryset.linkable_by(request.user, linked=linked)
        return form


class RecordAdmin(VisibleRecordsAdminMixin, admin.ModelAdmin):
    """Shared admin behaviour: owner and creator are looked up, not listed in full."""

    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    readonly_fields = ("created_by", "created_at", "modified_at")
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Account)
class AccountAdmin(RecordAdmin):
    list_display = ("name", "account_type", "industry", "owner", "created_at")
    list_filter = ("account_type", "industry", "tags", "owner")
    search_fields = ("name", "website", "external_id")
    autocomplete_fields = ("owner", "parent", "tags")


@admin.register(Contact)
class ContactAdmin(RecordAdmin):
    list_display = ("__str__", "email", "account", "lead_source", "owner", "created_at")
    list_filter = ("lead_source", "tags", "owner")
    list_select_related = ("owner", "account")
    search_fields = ("first_name", "last_name", "email", "external_id")
    autocomplete_fields = ("owner", "account", "tags")


LEAD_CONVERTED_MESSAGE = "{lead}: converted into contact {contact} at {account}."
LEAD_ALREADY_CONVERTED_MESSAGE = "{lead}: already converted; left as it was."
LEAD_NOT_CONVERTED_MESSAGE = "{lead}: not converted. {reason}"
# What converting needs: the lead changes, and a contact and an account are made.
CONVERT_PERMISSIONS = ("crm.change_lead", "crm.add_contact", "crm.add_account")


@admin.register(Lead)
class LeadAdmin(RecordAdmin):
    list_display = (
        "__str__",
        "company",
        "email",
        "status",
        "lead_source",
        "owner",
        "converted_at",
        "created_at",
    )
    list_filter = (
        "status",
        "lead_source",
        "industry",
        ("converted_at", admin.EmptyFieldListFilter),
        "tags",
        "owner",
    )
    search_fields = ("first_name", "last_name", "email", "company", "external_id")
    autocomplete_fields = ("owner", "tags")
    readonly_fields = (
        *RecordAdmin.readonly_fields,
        "converted_at",
        "converted_by",
        "converted_contact",
        "converted_account",
        "converted_deal",
    )
    actions = ["convert_leads"]

    def has_change_permission(self, request, obj=None):
        # A converted lead is kept as it was when converted, as in the API.
        if obj is not None and obj.is_converted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_converted:
            return False
        return super().has_delete_permission(request, obj)

    def has_convert_permission(self, request):
        return request.user.has_perms(CONVERT_PERMISSIONS)

    @admin.action(
        description="Convert to a contact and an account (without a deal)",
        permissions=["convert"],
    )
    def convert_leads(self, request, queryset):
        """Convert each selected lead on its own, each into a new account named
        after its company, and report the outcome lead by lead."""
        for lead in queryset:
            try:
                conversion = services.lead_convert(lead=lead, user=request.user)
            except services.LeadAlreadyConverted:
                message = LEAD_ALREADY_CONVERTED_MESSAGE.format(lead=lead)
                self.message_user(request, message, messages.WARNING)
            except ValidationError as exc:
                reason = " ".join(exc.messages)
                message = LEAD_NOT_CONVERTED_MESSAGE.format(lead=lead, reason=reason)
                self.message_user(request, message, messages.ERROR)
            else:
                message = LEAD_CONVERTED_MESSAGE.format(
                    lead=lead, contact=conversion.contact, account=conversion.account
                )
                self.message_user(request, message, messages.SUCCESS)


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    ordering = ("order",)


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default")
    inlines = [StageInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "colour")
    search_fields = ("name",)


@admin.register(Ticket)
class TicketAdmin(RecordAdmin):
    list_display = (
        "subject",
        "status",
        "priority",
        "origin",
        "contact",
        "account",
        "owner",
        "created_at",
    )
    list_filter = ("status", "priority", "origin", "tags", "owner")
    list_select_related = ("owner", "contact", "account")
    search_fields = ("subject", "description", "external_id")
    autocomplete_fields = ("owner", "contact", "account", "tags")
    readonly_fields = (*RecordAdmin.readonly_fields, "closed_at")
    date_hierarchy = "created_at"


@admin.register(Product)
class ProductAdmin(RecordAdmin):
    list_display = ("name", "code", "category", "unit_price", "active", "taxable")
    list_filter = ("active", "taxable", "category", "manufacturer")
    search_fields = ("name", "code", "manufacturer", "external_id")


class LineItemAdminMixin:
    """Line item changes made here recompute the deal's amount, as the API does."""

    def save_model(self, request, obj, form, change):
        services.deal_line_item_save(
            line_item=obj,
            previous_deal_id=form.initial.get("deal") if change else None,
        )

    def delete_model(self, request, obj):
        services.deal_line_item_delete(line_item=obj)

    def delete_queryset(self, request, queryset):
        services.deal_line_items_delete(line_items=queryset)


def check_deal_amount_fits(line_items):
    """A form error, rather than a failed save, when the items would add up to
    more than a deal's amount can hold."""
    amount = services.line_items_amount(line_items)
    if amount > services.DEAL_AMOUNT_MAX:
        raise ValidationError(
            services.DEAL_AMOUNT_TOO_LARGE_MESSAGE.format(amount=f"{amount:,}")
        )


class DealLineItemForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        deal = cleaned.get("deal")
        parts = ("quantity", "unit_price", "discount_percent")
        if deal is None or any(cleaned.get(name) is None for name in parts):
            return cleaned
        others = DealLineItem.objects.filter(deal=deal).exclude(pk=self.instance.pk)
        this = DealLineItem(**{name: cleaned[name] for name in parts})
        check_deal_amount_fits([*others, this])
        return cleaned


class DealLineItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        check_deal_amount_fits(kept)


@admin.register(DealLineItem)
class DealLineItemAdmin(VisibleRecordsAdminMixin, LineItemAdminMixin, admin.ModelAdmin):
    form = DealLineItemForm
    list_display = ("deal", "product", "quantity", "unit_price", "discount_percent")
    list_filter = ("product__category",)
    list_select_related = ("deal", "product")
    search_fields = ("deal__name", "product__name", "product__code")
    autocomplete_fields = ("deal", "product")


class DealLineItemInline(admin.TabularInline):
    model = DealLineItem
    formset = DealLineItemFormSet
    extra = 0
    autocomplete_fields = ("product",)


class ActivityAdmin(RecordAdmin):
    """Shared by tasks, calls and meetings: each is about at most one record."""

    list_select_related = ("owner", *RELATED_RECORD_FIELDS)
    search_fields = ("subject", "description", "external_id")
    autocomplete_fields = ("owner", *RELATED_RECORD_FIELDS)


@admin.register(Task)
class TaskAdmin(ActivityAdmin):
    list_display = ("subject", "due_date", "status", "priority", "owner")
    list_filter = ("status", "priority", "owner")
    date_hierarchy = "due_date"


@admin.register(Call)
class CallAdmin(ActivityAdmin):
    list_display = ("subject", "direction", "start", "duration", "purpose", "owner")
    list_filter = ("direction", "purpose", "owner")
    date_hierarchy = "start"


@admin.register(Meeting)
class MeetingAdmin(ActivityAdmin):
    list_display = ("subject", "start", "end", "location", "owner")
    list_filter = ("owner",)
    autocomplete_fields = (
        *ActivityAdmin.autocomplete_fields,
        "participant_users",
        "participant_contacts",
    )
    date_hierarchy = "start"


@admin.register(Note)
class NoteAdmin(RecordAdmin):
    list_display = ("__str__", "owner", "created_at")
    list_filter = ("owner",)
    list_select_related = ("owner",)
    search_fields = ("body", "external_id")
    autocomplete_fields = ("owner", *RELATED_RECORD_FIELDS)
    date_hierarchy = "created_at"


@admin.register(Deal)
class DealAdmin(RecordAdmin):
    list_display = (
        "name",
        "account",
        "stage",
        "amount",
        "probability",
        "closing_date",
        "owner",
    )
    list_filter = (
        "pipeline",
        "stage",
        "deal_type",
        "lead_source",
        "campaign",
        "tags",
        "owner",
    )
    list_select_related = ("owner", "account", "stage")
    search_fields = ("name", "external_id")
    autocomplete_fields = ("owner", "account", "contact", "lead", "campaign", "tags")
    date_hierarchy = "closing_date"
    inlines = [DealLineItemInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inline line items are saved by the admin itself: bring the amount in
        # line with them, as crm.services does for every other change.
        items_changed = any(
            formset.has_changed()
            for formset in formsets
            if formset.model is DealLineItem
        )
        if items_changed or form.instance.line_items.exists():
            services.deal_recompute_amount(deal=form.instance)


@admin.register(Campaign)
class CampaignAdmin(RecordAdmin):
    list_display = (
        "name",
        "campaign_type",
        "status",
        "start_date",
        "end_date",
        "expected_revenue",
        "actual_cost",
        "owner",
    )
    list_filter = ("campaign_type", "status", "owner")
    search_fields = ("name", "description", "external_id")
    date_hierarchy = "start_date"


@admin.register(Target)
class TargetAdmin(VisibleRecordsAdminMixin, admin.ModelAdmin):
    list_display = ("user", "period_kind", "period_start", "amount")
    list_filter = ("period_kind", "period_start")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
    date_hierarchy = "period_start"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = visible_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
