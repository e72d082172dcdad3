"""The OpenAPI 3 schema is valid and documents the errors; the docs need no outside host."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/alliances/{alliance_pk}/partners/{partner_pk}/" in schema["paths"]


def test_schema_generates_without_warnings(tmp_path):
    # What `manage.py spectacular --validate --fail-on-warn` checks, kept in the suite.
    GENERATOR_STATS.reset()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_every_path_with_an_id_documents_404(schema):
    for path, method, operation in _operations(schema):
        if "{" in path:
            assert "404" in operation["responses"], f"{method} {path}"


def test_every_write_documents_400_with_the_validation_error_body(schema):
    for path, method, operation in _operations(schema):
        if method in WRITES:
            body = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ValidationError"}, f"{method} {path}"
    error = schema["components"]["schemas"]["ValidationError"]
    assert error["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_401_everywhere_but_sign_in_and_403_on_role_checks(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        if path == "/api/v1/auth/token/":
            assert "401" not in responses
            assert "403" not in responses
            continue
        assert "401" in responses, f"{method} {path}"
        # The caller's own notifications and preferences check no role, writes included.
        # Reads that check a role: invitations (managers) and an interest's visibility history
        # (its own organisation), an organisation's portfolio (its members).
        members_only = ("/invitations/" in path or path.endswith("/visibility-history/")
                        or (path.startswith("/api/v1/organizations/") and path.endswith("/portfolio/")))  # fmt: skip
        if path.startswith("/api/v1/notifications/"):
            assert "403" not in responses, f"{method} {path}"
        elif method in WRITES or members_only:
            assert "403" in responses, f"{method} {path}"
        else:
            assert "403" not in responses, f"{method} {path}"


def test_only_the_throttled_sign_in_documents_429(schema):
    throttled = {path for path, _, op in _operations(schema) if "429" in op["responses"]}
    assert throttled == {"/api/v1/auth/token/"}


def test_invitations_document_their_state_but_no_token(schema):
    invitation = schema["components"]["schemas"]["Invitation"]["properties"]
    assert "state" in invitation
    assert not [name for name in invitation if "token" in name]


def test_schema_and_docs_are_public(client, db):
    schema_response = client.get("/api/schema/")
    assert schema_response.status_code == 200
    assert b"openapi: 3" in schema_response.content
    assert client.get("/api/docs/").status_code == 200


def test_docs_reference_no_external_host(client, db):
    html = client.get("/api/docs/").content.decode()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped"
