"""No input, however malformed, produces a server error: bad input is a 400 (or a 404 in a URL)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError

from alliances.api.errors import exception_handler
from tests.factories import PartnerFactory

HUGE = 10**30


@pytest.fixture
def manager_client(api_as, pilot):
    return api_as(pilot.manager)


def test_bad_json_gets_400(manager_client, pilot):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/"
    response = manager_client.patch(url, '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_a_json_list_instead_of_an_object_gets_400(manager_client, pilot):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/partners/"
    response = manager_client.post(url, ["organization", 1], format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


@pytest.mark.parametrize(
    "body",
    [
        {"resource_share": "lots"},
        {"resource_share": HUGE},
        {"resource_share": "1e400"},
        {"resource_share": "NaN"},
        {"resource_share": -1},
        {"joined_on": "2025-13-45"},
        {"joined_on": 20250101},
        {"exited_on": ["2025-01-01"]},
    ],
)
def test_wrong_types_and_huge_numbers_get_400_per_field(manager_client, pilot, body):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/partners/{pilot.techco.pk}/"
    response = manager_client.patch(url, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(body)


@pytest.mark.parametrize("partner", ["abc", HUGE, -1, 999_999, {"id": 1}, [1], True, 1.5], ids=repr)
def test_partner_ids_that_do_not_exist_here_get_400(manager_client, pilot, partner):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/invitations/"
    body = {"email": "new@example.org", "kind": "representative", "partner": partner}
    response = manager_client.post(url, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]


def test_partner_id_from_another_alliance_gets_400(manager_client, pilot):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/invitations/"
    body = {"email": "new@example.org", "kind": "sponsor", "partner": PartnerFactory.create().pk}
    assert manager_client.post(url, body, format="json").status_code == 400


@pytest.mark.parametrize("organization", [HUGE, "1; DROP TABLE", None, ""], ids=repr)
def test_organisation_ids_that_do_not_exist_get_400(manager_client, pilot, organization):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/partners/"
    response = manager_client.post(url, {"organization": organization}, format="json")
    assert response.status_code == 400
    assert "organization" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"name": ["a", "list"]},
        {"name": {"an": "object"}},
        {"name": "nul\x00byte"},
        {"name": "x" * 201},
        {"form": "cartel"},
        {"market_pace": None},
        {"expected_end": "soon"},
    ],
    ids=repr,
)
def test_bad_alliance_fields_get_400_on_that_field(manager_client, pilot, body):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/"
    response = manager_client.patch(url, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(body)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/alliances/{HUGE}/",
        f"/api/v1/alliances/{HUGE}/partners/",
        f"/api/v1/organizations/{HUGE}/",
        "/api/v1/alliances/-1/",
        "/api/v1/alliances/abc/",
    ],
)
def test_ids_out_of_range_in_the_url_get_404(manager_client, url):
    assert manager_client.get(url).status_code == 404


def test_pilot_partner_id_under_the_wrong_huge_partner_id_gets_404(manager_client, pilot):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/partners/{HUGE}/"
    assert manager_client.patch(url, {"resource_share": "1"}, format="json").status_code == 404


def test_form_encoded_bodies_are_validated_like_json(manager_client, pilot):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/stage/"
    response = manager_client.post(url, {"stage": "dissolved"})
    assert response.status_code == 400
    assert list(response.json()) == ["stage"]


def test_handler_puts_field_errors_of_the_domain_under_their_field():
    error = ValidationError({"resource_share": "Too much.", "__all__": "Also wrong."})
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == 400
    assert response.data == {"resource_share": ["Too much."], "non_field_errors": ["Also wrong."]}


def test_handler_puts_plain_domain_errors_under_non_field_errors():
    response = exception_handler(ValidationError(["One.", "Two."]), {})
    assert response is not None
    assert response.data == {"non_field_errors": ["One.", "Two."]}


def test_handler_puts_errors_of_a_nested_object_under_dotted_names():
    error = DRFValidationError({"email": {"fax": ["Unknown."], "non_field_errors": ["Bad."]}})
    response = exception_handler(error, {})
    assert response is not None
    assert response.data == {"email.fax": ["Unknown."], "email.non_field_errors": ["Bad."]}


def test_handler_leaves_other_errors_to_drf():
    response = exception_handler(NotFound(), {})
    assert response is not None
    assert response.status_code == 404
    assert exception_handler(RuntimeError("boom"), {}) is None
