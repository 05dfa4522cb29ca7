import pytest
from rest_framework.test import APIClient


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
def revoke_permission():
    """``revoke_permission(user, "crm.view_task")`` takes one permission away."""
    from django.contrib.auth.models import Permission

    def revoke(owner, dotted):
        app_label, codename = dotted.split(".")
        owner.user_permissions.remove(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    return revoke
