"""Charters and ballots for the API tests: the pilot's charter in its stages, and ballots.

GreenAlliance has no delegate in the pilot (its person is the coalition manager); tests that
need every partner's vote add ``green_steering`` (tests/charters/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from alliances import timers
from charters import ballots, services
from charters.models import Ballot, Charter, CharterVersion
from charters.rules import Scope
from tests.api.conftest import api_as, api_client  # noqa: F401
from tests.conftest import Pilot


def good_rules(pilot: Pilot) -> dict[str, Any]:
    """Coherent rules: consensus, but TechCo leads execution and GreenAlliance holds a veto on
    strategy; custom weights; a three-level ladder."""
    scopes: dict[str, Any] = {
        scope: {"mode": "consensus", "lead_partner": None, "veto_holders": []}
        for scope in Scope.values
    }
    scopes["execution"] = {"mode": "lead_partner", "lead_partner": pilot.techco.pk}
    scopes["strategy"]["veto_holders"] = [pilot.greenalliance.pk]
    return {
        "scopes": scopes,
        "weighting": "custom",
        "weights": {
            str(pilot.techco.pk): "40",
            str(pilot.logicorp.pk): "35",
            str(pilot.greenalliance.pk): "25",
        },
        "quorum": "0.6",
        "ladder": [
            {"name": "Working group", "days": 7},
            {"name": "Steering committee", "days": 10},
            {"name": "Executive sponsors", "days": None},
        ],
        "force_majeure": "Sanctions and changes in government policy suspend obligations.",
        "review_cadence_months": 6,
    }


@pytest.fixture
def adopted(pilot: Pilot) -> CharterVersion:
    """Version 1, adopted with ``good_rules``."""
    charter = Charter.objects.create(alliance=pilot.alliance)
    return CharterVersion.objects.create(
        charter=charter,
        number=1,
        status=CharterVersion.Status.ADOPTED,
        summary="The founding charter",
        prose="# How we decide\n\nBy consensus.",
        rules_json=good_rules(pilot),
        adopted_at=timezone.now(),
    )


@pytest.fixture
def draft(pilot: Pilot) -> CharterVersion:
    return services.version_draft(alliance=pilot.alliance, by=pilot.manager)


def open_ballot(pilot: Pilot, **kwargs: Any) -> Ballot:
    values = {
        "question": "Add a fourth partner?",
        "scope": Scope.MEMBERSHIP,
        "closes_at": timezone.now() + timedelta(days=3),
    }
    return ballots.ballot_open(alliance=pilot.alliance, by=pilot.manager, **values | kwargs)


@pytest.fixture
def ballot(pilot: Pilot) -> Ballot:
    return open_ballot(pilot)


def close_now(ballot: Ballot) -> Ballot:
    """Move the deadline into the past and let the closing timer count the ballot."""
    past = timezone.now() - timedelta(seconds=1)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=past, closing_due_at=past)
    timers.sweep(timers.get("ballot-closing"), timezone.now())
    ballot.refresh_from_db()
    return ballot
