"""POST /api/v1/auth/token/: an email address and password buy a token; guessing is throttled."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

URL = "/api/v1/auth/token/"


def test_sign_in_returns_a_token_that_authenticates(api_client, pilot):
    response = api_client.post(
        URL, {"email": "manager@greenalliance.example", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == pilot.manager

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    alliances = api_client.get("/api/v1/alliances/").json()["results"]
    assert [a["name"] for a in alliances] == ["Last-mile carbon pilot"]


def test_sign_in_ignores_the_case_of_the_email_and_keeps_the_token(api_client, pilot):
    first = api_client.post(
        URL, {"email": "manager@greenalliance.example", "password": PASSWORD}, format="json"
    )
    again = api_client.post(
        URL, {"email": "Manager@GreenAlliance.EXAMPLE", "password": PASSWORD}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["token"] == first.json()["token"]


def test_wrong_password_gets_400_with_a_clear_message(api_client, pilot):
    response = api_client.post(
        URL, {"email": "manager@greenalliance.example", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to sign in with this email and password."]
    }
    assert not Token.objects.exists()


def test_unknown_email_gets_the_same_400_as_a_wrong_password(api_client, db):
    response = api_client.post(
        URL, {"email": "nobody@example.org", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_deactivated_person_gets_no_token(api_client, pilot):
    pilot.rep.is_active = False
    pilot.rep.save(update_fields=["is_active"])
    response = api_client.post(
        URL, {"email": "rep@techco.example", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_missing_fields_get_400_per_field(api_client, db):
    response = api_client.post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_sign_in_is_throttled_after_ten_attempts(api_client, pilot):
    for _attempt in range(10):
        wrong = {"email": "manager@greenalliance.example", "password": "guess"}
        assert api_client.post(URL, wrong, format="json").status_code == 400
    right = {"email": "manager@greenalliance.example", "password": PASSWORD}
    response = api_client.post(URL, right, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_a_signed_in_session_does_not_need_a_csrf_token_to_sign_in(pilot):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(pilot.manager)
    response = client.post(
        URL, {"email": "manager@greenalliance.example", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_an_unknown_token_gets_401(api_client, pilot):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/v1/alliances/").status_code == 401
