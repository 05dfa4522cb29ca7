from django.contrib import admin, messages
from django.utils import timezone

from tokens import services
from tokens.models import Application, AuthToken, TokenEvent


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Applications belong to their user: staff may rename or describe one, never
    move it to another user or create one on a user's behalf."""

    list_display = ("name", "user", "created_at")
    list_select_related = ("user",)
    list_filter = ("user",)
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would orphan the audit trail of its tokens.
        return False


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return AuthToken.Status.choices

    def queryset(self, request, queryset):
        if self.value() in AuthToken.Status.values:
            return queryset.with_status(self.value())
        return queryset


class TokenEventInline(admin.TabularInline):
    model = TokenEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "reason", "actor", "client_ip")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    """Staff see and revoke every token; nobody edits one or creates one here.

    The hash is never displayed; scopes and expiry are fixed at generation.
    """

    list_display = (
        "name",
        "user",
        "application",
        "display",
        "created_at",
        "expires_at",
        "last_used_at",
        "token_status",
    )
    list_select_related = ("user", "application")
    list_filter = (StatusFilter, "user", "application")
    search_fields = ("name", "public_id", "user__username", "application__name")
    fields = (
        "name",
        "user",
        "application",
        "public_id",
        "display",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "last_used_ip",
    )
    readonly_fields = fields
    inlines = [TokenEventInline]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing is allowed through the view permission; no field is editable.
        return False

    @admin.display(description="status")
    def token_status(self, obj):
        return obj.status_at(timezone.now()).label

    def has_delete_permission(self, request, obj=None):
        # Tokens leave through revocation and purge_tokens, keeping their trail.
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("tokens.change_authtoken")

    @admin.action(description="Revoke selected tokens", permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        revoked = sum(
            services.token_revoke(token=token, actor=request.user)
            for token in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(request, f"Revoked {revoked} token(s).", messages.SUCCESS)


@admin.register(TokenEvent)
class TokenEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only, and nobody deletes a line of it here."""

    list_display = ("at", "kind", "reason", "token", "actor", "client_ip")
    list_select_related = ("token", "actor")
    list_filter = ("kind",)
    search_fields = ("token__public_id", "token__name")
    readonly_fields = ("token", "kind", "reason", "actor", "client_ip", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
