import pytest
from rest_framework.test import APIClient

from tests.factories import ApplicationFactory, UserFactory
from tokens.scopes import ALL_SCOPES, MODULES, permission_for
from tokens.services import token_issue

ALL_CRM_PERMISSIONS = sorted({permission_for(scope) for scope in ALL_SCOPES})


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    """A sales user holding every CRM model permission."""
    return UserFactory(permissions=ALL_CRM_PERMISSIONS)


@pytest.fixture
def make_token(db):
    """``make_token(user, scopes=..., hours=...)`` -> (AuthToken, clear value)."""

    def make(owner, scopes=ALL_SCOPES, hours=1, application=None):
        application = application or ApplicationFactory(user=owner)
        return token_issue(
            user=owner,
            name="Test token",
            application=application,
            scopes=list(scopes),
            lifetime_hours=hours,
        )

    return make


@pytest.fixture
def token_client(api_client, user, make_token):
    """An API client authenticated with a token carrying every scope of ``user``."""
    _, clear = make_token(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    return api_client


@pytest.fixture
def all_modules():
    return list(MODULES)
