"""The pilot's charter at the stages the pages show: a draft, a proposal put to the vote, v1 adopted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from charters import ballots, services
from charters.rules import LadderLevel, Mode, Rules, Scope, ScopeRule, Weighting


def pilot_rules(pilot, **overrides):
    """Simple majority by resource share, a two-level ladder: coherent rules to start from."""
    rules = Rules(
        scopes={scope.value: ScopeRule(mode=Mode.SIMPLE_MAJORITY) for scope in Scope},
        weighting=Weighting.RESOURCE_SHARE,
        quorum=Decimal("0.5"),
        ladder=[LadderLevel("Working group", 7), LadderLevel("Steering committee", None)],
        force_majeure="Sanctions and changes in government policy suspend obligations.",
    )
    for name, value in overrides.items():
        setattr(rules, name, value)
    return rules


def draft(pilot, prose="# Our charter\n\nWe decide together.", rules=None):
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    return services.version_update(
        version=version, summary="First charter", prose=prose, rules=rules or pilot_rules(pilot)
    )


def adopt(pilot, delegates, version):
    ballot = services.version_propose(version=version, by=pilot.manager)
    for person in delegates:
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")
    version.refresh_from_db()
    return ballot


@pytest.fixture
def delegates(pilot, green_steering):
    """The three people who cast the pilot's votes: TechCo's rep, LogiCorp's and GreenAlliance's steering members."""
    return [pilot.rep, pilot.steering, green_steering]


@pytest.fixture
def adopted(pilot, delegates):
    """Version 1 adopted by every partner."""
    version = draft(pilot)
    adopt(pilot, delegates, version)
    return version


def motion(pilot, question="Share delivery data with the city?", secret=False):
    """A free motion on strategy, open for three days."""
    return ballots.ballot_open(
        alliance=pilot.alliance,
        by=pilot.manager,
        question=question,
        scope="strategy",
        closes_at=timezone.now() + timedelta(days=3),
        secret=secret,
    )
