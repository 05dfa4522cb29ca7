"""Settings → API end to end in a real Chromium, driven by Playwright."""

import re

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.conftest import ALL_CRM_PERMISSIONS
from tests.factories import UserFactory
from tokens.models import AuthToken

PASSWORD = "correct horse battery staple"
TOKEN_PATTERN = re.compile(r"^crm_pat_[0-9A-Za-z]{12}_[0-9A-Za-z]{36}$")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def api_status(token, path="/api/v1/leads/"):
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code


def sign_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/settings/api/")


def test_generate_use_and_revoke_a_token_in_the_browser(page):
    user = UserFactory(username="ana", permissions=ALL_CRM_PERMISSIONS)
    sign_in(page, user.username)

    page.get_by_role("link", name="Generate new token").click()
    page.get_by_label("Name", exact=True).fill("Reporting")
    page.get_by_label("Application", exact=True).select_option(label="New application…")
    page.get_by_label("New application name").fill("Metabase")
    page.locator('[data-module-toggle="leads"]').check()
    page.get_by_label("Valid for").select_option(label="8 hours")
    page.get_by_role("button", name="Generate").click()

    token = page.locator("#new-token").inner_text().strip()
    assert TOKEN_PATTERN.match(token)
    assert page.get_by_text("It will not be shown again").is_visible()
    stored = AuthToken.objects.get(user=user)
    assert stored.scopes == [
        "leads:read",
        "leads:create",
        "leads:update",
        "leads:delete",
    ]
    assert api_status(token) == 200

    page.get_by_role("link", name="Back to Settings → API").click()
    row = page.locator(f'tr[data-token="{stored.public_id}"]')
    assert token not in page.content()
    row.get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke token").click()

    page.wait_for_url("**/settings/api/")
    assert (
        "Revoked" in page.locator(f'tr[data-token="{stored.public_id}"]').inner_text()
    )
    assert api_status(token) == 401


def test_going_back_never_shows_the_token_again(page):
    UserFactory(username="ben", permissions=ALL_CRM_PERMISSIONS)
    sign_in(page, "ben")
    page.goto("/settings/api/tokens/new/")
    page.get_by_label("Name", exact=True).fill("Laptop")
    page.get_by_label("New application name").fill("CLI")
    page.locator('input[value="deals:read"]').check()
    page.get_by_role("button", name="Generate").click()
    token = page.locator("#new-token").inner_text().strip()

    page.goto("/settings/api/")
    try:
        page.go_back()
    except PlaywrightError as error:
        # The page that showed the token is not cached: Chromium refuses to
        # show it again without resubmitting the form.
        assert "ERR_CACHE_MISS" in str(error)

    expect(page.locator("body")).not_to_contain_text(token)
    assert AuthToken.objects.count() == 1


def test_scope_checkboxes_follow_the_module_box(page):
    UserFactory(username="cai", permissions=["crm.view_lead", "crm.add_lead"])
    sign_in(page, "cai")
    page.goto("/settings/api/tokens/new/")

    boxes = page.locator('.scope-group[data-module="leads"] input[name="scopes"]')
    page.locator('[data-module-toggle="leads"]').check()

    assert boxes.count() == 2
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert page.locator('.scope-group[data-module="deals"]').count() == 0
