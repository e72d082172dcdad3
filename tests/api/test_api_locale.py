"""The API speaks the caller's language in their time zone, token or session alike.

``alliances.middleware`` runs before DRF reads a token, so the API's base view
(``alliances.api.views.V1View``) switches to the authenticated person's language and time
zone itself, and puts back what was active before once the response is rendered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import Pilot
from trustaccount import checkins

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Noon in UTC is already the next day in Kiritimati (UTC+14).
LAST_ROUND = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _zone_and_language_put_back() -> Iterator[None]:
    """alliances.middleware leaves a signed-in page's zone and language active on the thread
    after the response: put the defaults back for the tests that follow."""
    yield
    timezone.deactivate()
    translation.activate(settings.LANGUAGE_CODE)


def _token_client(person, **headers) -> APIClient:
    client = APIClient(**headers)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
    return client


def _answered_round(pilot: Pilot) -> None:
    with time_machine.travel(LAST_ROUND, tick=False):
        opened = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
        for person in (pilot.rep, pilot.steering, pilot.manager):
            checkins.answer_give(round=opened, by=person, openness=4, reliability=4,
                                 fairness=4, communication=4)  # fmt: skip


def _health(client: APIClient, pilot: Pilot) -> dict:
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"/api/v1/alliances/{pilot.alliance.pk}/health/")
    assert response.status_code == 200
    return response.json()


def _signal(body: dict, key: str) -> dict:
    return next(s for layer in body["layers"] for s in layer["signals"] if s["key"] == key)


@pytest.fixture
def french_in_kiritimati(pilot: Pilot):
    pilot.rep.language, pilot.rep.time_zone = "fr", "Pacific/Kiritimati"
    pilot.rep.save()
    return pilot.rep


def test_a_token_caller_reads_health_in_their_language_and_time_zone(pilot, french_in_kiritimati):
    _answered_round(pilot)

    response_body = _health(_token_client(french_in_kiritimati), pilot)

    check_in = _signal(response_body, "check_in")
    assert check_in["title"] == "Point de confiance"
    # The round opened on 1 February in UTC: 2 February in Kiritimati.
    assert check_in["fact"].startswith("Aucun point de confiance au cours des 90 derniers jours")
    assert check_in["fact"].endswith("2 février 2026.")
    assert [layer["name"] for layer in response_body["layers"]][2] == "Relationnel"


def test_the_language_is_said_in_the_response_and_put_back_after_it(pilot, french_in_kiritimati):
    with time_machine.travel(NOW, tick=False):
        response = _token_client(french_in_kiritimati).get(
            f"/api/v1/alliances/{pilot.alliance.pk}/health/"
        )

    assert response["Content-Language"] == "fr"
    assert translation.get_language() == "en"
    assert timezone.get_current_timezone_name() == "UTC"


def test_times_are_given_in_the_callers_zone(pilot, french_in_kiritimati):
    _answered_round(pilot)
    client = _token_client(french_in_kiritimati)

    rounds = client.get(f"/api/v1/alliances/{pilot.alliance.pk}/trust/check-ins/").json()

    assert rounds["results"][0]["opened_at"] == "2026-02-02T02:00:00+14:00"


def test_errors_speak_the_callers_language(pilot, french_in_kiritimati):
    client = _token_client(french_in_kiritimati)

    response = client.post(f"/api/v1/alliances/{pilot.alliance.pk}/trust/check-ins/", {})

    assert response.status_code == 403  # the representative does not manage the alliance
    assert response["Content-Language"] == "fr"
    assert response.json()["detail"].startswith("Seuls les responsables de coalition")


@pytest.mark.parametrize(
    ("chosen", "browser", "spoken"),
    [("", "fr", "fr"), ("", "en", "en"), ("en", "fr", "en"), ("fr", "en", "fr")],
)
def test_a_blank_language_follows_the_request(pilot, chosen, browser, spoken):
    pilot.rep.language = chosen
    pilot.rep.save()
    client = _token_client(pilot.rep, HTTP_ACCEPT_LANGUAGE=browser)

    body = _health(client, pilot)

    assert _signal(body, "check_in")["title"] == (
        "Point de confiance" if spoken == "fr" else "Trust check-in"
    )


def test_a_session_caller_keeps_their_language_and_zone(client, pilot, french_in_kiritimati):
    _answered_round(pilot)
    client.force_login(french_in_kiritimati)

    with time_machine.travel(NOW, tick=False):
        body = client.get(f"/api/v1/alliances/{pilot.alliance.pk}/health/").json()

    assert _signal(body, "check_in")["fact"].endswith("2 février 2026.")
