"""Role groups carry exactly the permissions crm/roles.py gives them."""

import pytest
from django.contrib.auth.models import Group, Permission

from crm.models import VIEW_ALL_PERMISSION
from crm.roles import (
    ALL_CRM_PERMISSIONS,
    CRM_ADMINISTRATOR,
    ROLE_PERMISSIONS,
    SALES_MANAGER,
    SALES_REPRESENTATIVE,
    role_groups_sync,
)
from tests.factories import UserFactory


def codenames_of(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def member_of(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.parametrize("role", [SALES_REPRESENTATIVE, SALES_MANAGER])
def test_migrated_role_group_has_exactly_its_mapped_permissions(db, role):
    assert codenames_of(role) == set(ROLE_PERMISSIONS[role])


def test_migrated_administrator_group_has_every_crm_permission(db):
    every = Permission.objects.filter(content_type__app_label="crm")

    assert codenames_of(CRM_ADMINISTRATOR) == set(
        every.values_list("codename", flat=True)
    )


@pytest.mark.parametrize(
    "role",
    [
        role
        for role, chosen in ROLE_PERMISSIONS.items()
        if chosen != ALL_CRM_PERMISSIONS
    ],
)
def test_every_mapped_permission_exists(db, role):
    known = set(
        Permission.objects.filter(content_type__app_label="crm").values_list(
            "codename", flat=True
        )
    )

    assert set(ROLE_PERMISSIONS[role]) <= known


def test_administrator_role_is_mapped_to_every_crm_permission():
    assert ROLE_PERMISSIONS[CRM_ADMINISTRATOR] == ALL_CRM_PERMISSIONS


@pytest.mark.parametrize(
    "permission",
    ["crm.view_lead", "crm.add_ticket", "crm.change_deal", "crm.add_note"],
)
def test_sales_representative_works_on_sales_records(db, permission):
    assert member_of(SALES_REPRESENTATIVE).has_perm(permission)


@pytest.mark.parametrize(
    "permission", ["crm.view_product", "crm.view_tag", "crm.view_pipeline"]
)
def test_sales_representative_reads_reference_data(db, permission):
    assert member_of(SALES_REPRESENTATIVE).has_perm(permission)


@pytest.mark.parametrize(
    "permission", ["crm.delete_lead", "crm.change_product", "crm.add_tag"]
)
def test_sales_representative_cannot_delete_or_edit_reference_data(db, permission):
    assert not member_of(SALES_REPRESENTATIVE).has_perm(permission)


@pytest.mark.parametrize(
    "permission", ["crm.delete_lead", "crm.delete_meeting", "crm.delete_ticket"]
)
def test_sales_manager_can_delete_sales_records(db, permission):
    assert member_of(SALES_MANAGER).has_perm(permission)


@pytest.mark.parametrize("permission", ["crm.change_product", "crm.change_tag"])
def test_sales_manager_can_change_products_and_tags(db, permission):
    assert member_of(SALES_MANAGER).has_perm(permission)


def test_sales_manager_holds_every_representative_permission():
    assert set(ROLE_PERMISSIONS[SALES_REPRESENTATIVE]) < set(
        ROLE_PERMISSIONS[SALES_MANAGER]
    )


@pytest.mark.parametrize("permission", ["crm.delete_product", "crm.add_user"])
def test_sales_manager_cannot_manage_catalogue_or_users(db, permission):
    assert not member_of(SALES_MANAGER).has_perm(permission)


def test_crm_administrator_can_delete_products(db):
    assert member_of(CRM_ADMINISTRATOR).has_perm("crm.delete_product")


def test_role_sync_restores_a_removed_permission(db):
    group = Group.objects.get(name=SALES_REPRESENTATIVE)
    group.permissions.remove(Permission.objects.get(codename="view_lead"))

    role_groups_sync()

    assert "view_lead" in codenames_of(SALES_REPRESENTATIVE)


def test_role_sync_keeps_permissions_of_other_apps(db):
    group = Group.objects.get(name=SALES_MANAGER)
    extra = Permission.objects.get(codename="view_group")
    group.permissions.add(extra)

    role_groups_sync()

    assert group.permissions.filter(pk=extra.pk).exists()


def test_crm_administrator_sees_every_record(db):
    assert member_of(CRM_ADMINISTRATOR).has_perm(VIEW_ALL_PERMISSION)


@pytest.mark.parametrize("role", [SALES_REPRESENTATIVE, SALES_MANAGER])
def test_sales_roles_do_not_see_every_record(db, role):
    assert not member_of(role).has_perm(VIEW_ALL_PERMISSION)
