"""The API docs render in a real Chromium using only this server's assets."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_requests(page):
    """Hosts the page sent requests to, minus those its CSP stopped in the browser."""
    sent, blocked = {}, set()

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss"):
            sent[request.url] = url.hostname

    def on_failure(request):
        # Chromium reports a request its Content-Security-Policy refused as "csp".
        if request.failure in ("csp", "net::ERR_BLOCKED_BY_CSP"):
            blocked.add(request.url)

    page.on("request", on_request)
    page.on("requestfailed", on_failure)
    return lambda: {host for url, host in sent.items() if url not in blocked}


def test_swagger_ui_renders_the_operations_offline(page, live_server):
    hosts = watch_requests(page)

    page.goto("/api/docs/")

    expect(page.get_by_text("/api/v1/leads/").first).to_be_visible(timeout=60_000)
    expect(page.locator(".auth-wrapper .authorize")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert hosts() == {urlparse(live_server.url).hostname}


def test_redoc_renders_the_operations_offline(page, live_server):
    hosts = watch_requests(page)

    page.goto("/api/redoc/")

    # Redoc renders the whole schema before showing it: give it time on a busy CI.
    expect(page.get_by_text("bearerAuth").first).to_be_attached(timeout=60_000)
    expect(page.get_by_text("leads:read").first).to_be_attached(timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert hosts() == {urlparse(live_server.url).hostname}
