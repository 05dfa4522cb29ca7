import os

import pytest
from rest_framework.test import APIClient

from crm.models import VIEW_ALL_PERMISSION
from tests.factories import ALL_CRM_PERMISSIONS, ApplicationFactory, UserFactory
from tokens.scopes import ALL_SCOPES, MODULES
from tokens.services import token_issue

# Playwright's sync API keeps an asyncio loop running on the main thread once a
# browser test has started, and Django would then refuse the ORM calls that tests
# make on that thread. The product itself runs in the live server's threads.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
def all_seeing_user(db):
    """A user holding every CRM model permission who also sees every record."""
    return UserFactory(permissions=[*ALL_CRM_PERMISSIONS, VIEW_ALL_PERMISSION])


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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright's own browser download cannot work here."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make browser).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE']} {database.get('HOST') or database['NAME']}"


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        (marker is not None and marker.kwargs.get("transaction", False))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that commit (browser and concurrency tests) after all others.

    They empty the database when they finish, migration-made rows included
    (the default pipeline, the role groups), so no ordinary test may follow
    them on the same worker. pytest-django sorts this way, but pytest's own
    fixture-based reordering, which runs later, can undo it.
    """
    items.sort(key=_is_transactional)
