"""Roles: Django groups holding a fixed set of CRM permissions.

ROLE_PERMISSIONS is the one place that says which role may do what;
a data migration creates the groups, and ``role_groups_sync`` applies the map
again after every ``migrate`` (see crm.apps), so a change to it, or a new model,
reaches the groups without another data migration.
"""

from django.contrib.auth.models import Group, Permission

SALES_REPRESENTATIVE = "Sales representative"
SALES_MANAGER = "Sales manager"
CRM_ADMINISTRATOR = "CRM administrator"

# Records sales staff work on day to day; line items are part of their deal.
SALES_RECORDS = (
    "lead",
    "contact",
    "account",
    "deal",
    "deallineitem",
    "task",
    "call",
    "meeting",
    "note",
    "ticket",
)
# Shared reference data that sales staff read.
REFERENCE_DATA = ("product", "tag", "pipeline", "stage")
# Stands for every permission of the crm app, whatever models it has.
ALL_CRM_PERMISSIONS = "__all__"


def codenames(actions, model_names):
    return frozenset(f"{action}_{name}" for action in actions for name in model_names)


_REPRESENTATIVE = codenames(("view", "add", "change"), SALES_RECORDS) | codenames(
    ("view",), REFERENCE_DATA
)
_REPRESENTATIVE |= codenames(("view",), ("target",))
_MANAGER = (
    _REPRESENTATIVE
    | codenames(("delete",), SALES_RECORDS)
    | codenames(("change",), ("product", "tag"))
    | codenames(("add", "change", "delete"), ("target",))
)

# Role (group name) -> codenames of crm permissions, or ALL_CRM_PERMISSIONS.
# Representatives and managers see their own and their team's records only; the
# administrator's permissions include view_all_records, so they see every record.
ROLE_PERMISSIONS = {
    SALES_REPRESENTATIVE: _REPRESENTATIVE,
    SALES_MANAGER: _MANAGER,
    CRM_ADMINISTRATOR: ALL_CRM_PERMISSIONS,
}


def role_groups_sync(*, group_model=Group, permission_model=Permission):
    """Create each role's group and give it exactly its crm permissions.

    Permissions of other apps that someone granted a group by hand are kept.
    The data migration that first creates the groups passes its historical models.
    """
    crm_permissions = permission_model.objects.filter(content_type__app_label="crm")
    for name, chosen in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        granted = (
            crm_permissions
            if chosen == ALL_CRM_PERMISSIONS
            else crm_permissions.filter(codename__in=chosen)
        )
        others = group.permissions.exclude(content_type__app_label="crm")
        group.permissions.set([*granted, *others])
