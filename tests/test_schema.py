import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings_or_errors(tmp_path):
    # --fail-on-warn turns every generator warning into a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml")
    )

    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3.0.3")


def test_bearer_scheme_is_documented(schema):
    scheme = schema["components"]["securitySchemes"]["bearerAuth"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert scheme["bearerFormat"].startswith("crm_pat_")


@pytest.mark.parametrize(
    ("path", "method", "scope"),
    [
        ("/api/v1/leads/", "get", "leads:read"),
        ("/api/v1/leads/", "post", "leads:create"),
        ("/api/v1/accounts/{id}/", "patch", "accounts:update"),
        ("/api/v1/deals/{id}/", "delete", "deals:delete"),
        ("/api/v1/contacts/{id}/", "put", "contacts:update"),
    ],
)
def test_each_operation_names_its_scope(schema, path, method, scope):
    operation = schema["paths"][path][method]

    assert operation["x-required-scopes"] == [scope]
    assert f"Required scope: `{scope}`" in operation["description"]
    assert {"bearerAuth": []} in operation["security"]


def test_every_scoped_operation_lists_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "x-required-scopes" not in operation:
                continue
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (path, method)
            if "{" in path:
                assert "404" in codes, (path, method)


def test_list_operation_documents_filters_ordering_and_paging(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/deals/"]["get"]["parameters"]}

    assert {"stage", "amount__gte", "closing_date__lte", "owner__in"} <= names
    assert {"ordering", "search", "page", "page_size"} <= names


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_their_assets_from_this_server(client, url):
    response = client.get(url)

    content = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', content)
    assert response.status_code == 200
    assert re.findall(r"https?://", content) == []
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
