from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from crm.models import Account, Contact, Deal, Lead, Pipeline, Stage, User


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


class RecordAdmin(admin.ModelAdmin):
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
    list_filter = ("account_type", "industry", "owner")
    search_fields = ("name", "website", "external_id")
    autocomplete_fields = ("owner", "parent")


@admin.register(Contact)
class ContactAdmin(RecordAdmin):
    list_display = ("__str__", "email", "account", "lead_source", "owner", "created_at")
    list_filter = ("lead_source", "owner")
    list_select_related = ("owner", "account")
    search_fields = ("first_name", "last_name", "email", "external_id")
    autocomplete_fields = ("owner", "account")


@admin.register(Lead)
class LeadAdmin(RecordAdmin):
    list_display = (
        "__str__",
        "company",
        "email",
        "status",
        "lead_source",
        "owner",
        "created_at",
    )
    list_filter = ("status", "lead_source", "industry", "owner")
    search_fields = ("first_name", "last_name", "email", "company", "external_id")


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    ordering = ("order",)


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default")
    inlines = [StageInline]


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
    list_filter = ("pipeline", "stage", "deal_type", "lead_source", "owner")
    list_select_related = ("owner", "account", "stage")
    search_fields = ("name", "external_id")
    autocomplete_fields = ("owner", "account", "contact", "lead")
    date_hierarchy = "closing_date"
