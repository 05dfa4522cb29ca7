"""The OpenAPI schema names each operation's scopes and its 409 answers."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operation(schema, path, method):
    return schema["paths"][path][method]


def test_schema_builds_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
    )


@pytest.mark.parametrize(
    ("path", "scopes"),
    [
        ("/api/v1/accounts/{id}/deals/", ["accounts:read", "deals:read"]),
        ("/api/v1/accounts/{id}/contacts/", ["accounts:read", "contacts:read"]),
        ("/api/v1/contacts/{id}/tickets/", ["contacts:read", "tickets:read"]),
        ("/api/v1/campaigns/{id}/deals/", ["campaigns:read", "deals:read"]),
        (
            "/api/v1/leads/{id}/timeline/",
            ["leads:read", "notes:read", "tasks:read", "calls:read", "meetings:read"],
        ),
    ],
)
def test_related_list_documents_both_scopes(schema, path, scopes):
    assert operation(schema, path, "get")["x-required-scopes"] == scopes


def test_line_item_write_documents_the_deals_update_scope(schema):
    scopes = operation(schema, "/api/v1/line-items/", "post")["x-required-scopes"]

    assert scopes == ["line_items:create", "deals:update"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/leads/", "post"),
        ("/api/v1/contacts/{id}/", "patch"),
        ("/api/v1/contacts/{id}/", "put"),
        ("/api/v1/leads/bulk/", "post"),
    ],
)
def test_duplicate_checked_operation_documents_409(schema, path, method):
    assert "409" in operation(schema, path, method)["responses"]


def test_duplicate_checked_operation_documents_the_override_parameter(schema):
    parameters = operation(schema, "/api/v1/leads/", "post")["parameters"]

    assert "allow_duplicate" in [parameter["name"] for parameter in parameters]


def test_bulk_create_takes_a_list(schema):
    body = operation(schema, "/api/v1/tasks/bulk/", "post")["requestBody"]

    assert body["content"]["application/json"]["schema"]["type"] == "array"


def test_lead_conversion_documents_its_base_scopes(schema):
    scopes = operation(schema, "/api/v1/leads/{id}/convert/", "post")[
        "x-required-scopes"
    ]

    assert scopes == ["leads:update", "contacts:create"]


def test_lead_conversion_documents_the_scopes_its_records_need(schema):
    description = operation(schema, "/api/v1/leads/{id}/convert/", "post")[
        "description"
    ]

    assert "`accounts:create`" in description
    assert "`deals:create`" in description


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/leads/{id}/convert/", "post"),
        ("/api/v1/leads/{id}/", "put"),
        ("/api/v1/leads/{id}/", "patch"),
        ("/api/v1/leads/{id}/", "delete"),
    ],
)
def test_lead_operations_refused_after_conversion_document_409(schema, path, method):
    assert "409" in operation(schema, path, method)["responses"]


def test_lead_conversion_takes_an_account_and_a_deal(schema):
    body = operation(schema, "/api/v1/leads/{id}/convert/", "post")["requestBody"]
    reference = body["content"]["application/json"]["schema"]["$ref"]
    name = reference.rsplit("/", 1)[-1]

    assert set(schema["components"]["schemas"][name]["properties"]) == {
        "account",
        "deal",
    }
