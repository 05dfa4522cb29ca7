"""Scopes: what a token may do, per CRM module and action.

A scope reads ``<module>:<action>``, for example ``leads:read``. Each one maps
to a Django model permission; a request passes only when the token carries the
scope and its owner holds the permission at that moment.
"""

from django.core.exceptions import ImproperlyConfigured

# Action -> the Django permission codename prefix it needs.
ACTIONS = {
    "read": "view",
    "create": "add",
    "update": "change",
    "delete": "delete",
}

# Module -> the model (app_label.model_name) whose permissions guard it.
MODULES = {
    "accounts": "crm.account",
    "contacts": "crm.contact",
    "leads": "crm.lead",
    "deals": "crm.deal",
    "campaigns": "crm.campaign",
    "line_items": "crm.deallineitem",
    "tasks": "crm.task",
    "calls": "crm.call",
    "meetings": "crm.meeting",
    "notes": "crm.note",
    "tickets": "crm.ticket",
    "products": "crm.product",
    "tags": "crm.tag",
    "targets": "crm.target",
}

METHOD_ACTIONS = {
    "GET": "read",
    "HEAD": "read",
    "OPTIONS": "read",
    "POST": "create",
    "PUT": "update",
    "PATCH": "update",
    "DELETE": "delete",
}


def scope_name(module, action):
    return f"{module}:{action}"


ALL_SCOPES = tuple(
    scope_name(module, action) for module in MODULES for action in ACTIONS
)


def permission_for(scope):
    """The Django permission (``app_label.codename``) a scope needs."""
    module, _, action = scope.partition(":")
    if module not in MODULES or action not in ACTIONS:
        raise ImproperlyConfigured(f"Unknown scope {scope!r}.")
    app_label, model_name = MODULES[module].split(".")
    return f"{app_label}.{ACTIONS[action]}_{model_name}"


def scopes_allowed_for(user):
    """Every scope the user's own permissions allow, in catalogue order."""
    if not user.is_active:
        return []
    return [scope for scope in ALL_SCOPES if user.has_perm(permission_for(scope))]


def grouped_scopes(scopes):
    """Scopes as {module: [actions]} in catalogue order, for display."""
    chosen = set(scopes)
    groups = {}
    for module in MODULES:
        actions = [a for a in ACTIONS if scope_name(module, a) in chosen]
        if actions:
            groups[module] = actions
    return groups
