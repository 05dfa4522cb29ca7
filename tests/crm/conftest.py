import pytest
from django.db import transaction
from rest_framework.test import APIClient

from crm.importers.zoho import zoho_import
from tests.crm import zoho_export
from tokens.scopes import ALL_SCOPES


@pytest.fixture
def scoped_client(make_token):
    """``scoped_client(user, scopes)``: a client whose token carries only ``scopes``."""

    def make(owner, scopes):
        _, clear = make_token(owner, scopes=scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
        return client

    return make


@pytest.fixture
def all_seeing_client(scoped_client, all_seeing_user):
    """A client whose token carries every scope, for a user who sees every record."""
    return scoped_client(all_seeing_user, ALL_SCOPES)


@pytest.fixture
def revoke_permission():
    """``revoke_permission(user, "crm.view_task")`` takes one permission away."""
    from django.contrib.auth.models import Permission

    def revoke(owner, dotted):
        app_label, codename = dotted.split(".")
        owner.user_permissions.remove(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    return revoke


@pytest.fixture
def report(user):
    """A user whose manager is ``user``: ``user`` sees their records."""
    from tests.factories import UserFactory

    return UserFactory(manager=user)


# The real Zoho sample export, imported once per test class.
@pytest.fixture(scope="module")
def sample_folder():
    return zoho_export.sample_folder()


@pytest.fixture(scope="class")
def sample_import(sample_folder, django_db_setup, django_db_blocker):
    """The sample export imported once for a test class, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield zoho_import(folder=sample_folder)
        transaction.set_rollback(True)


@pytest.fixture
def sample(sample_import, db):
    return sample_import
