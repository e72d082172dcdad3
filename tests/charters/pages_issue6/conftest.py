"""The pilot with a charter in force whose ladder has three levels, so escalations can climb."""

from decimal import Decimal

import pytest

from charters import ballots, services
from charters.models import CharterVersion
from charters.rules import LadderLevel, Mode, Rules, ScopeRule, Weighting

LADDER = [
    LadderLevel("Working group", 7),
    LadderLevel("Steering committee", 7),
    LadderLevel("Executive sponsors", None),
]


@pytest.fixture
def ladder_in_force(pilot, green_steering):
    rules = Rules(
        scopes={s: ScopeRule(mode=Mode.SIMPLE_MAJORITY) for s in
                ("strategy", "budget", "execution", "membership", "charter")},
        weighting=Weighting.RESOURCE_SHARE,
        quorum=Decimal("0.5"),
        ladder=LADDER,
    )  # fmt: skip
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    services.version_update(version=version, summary="", prose="# Charter", rules=rules)
    ballot = services.version_propose(version=version, by=pilot.manager)
    for person in (pilot.rep, pilot.steering, green_steering):
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")
    version.refresh_from_db()
    assert version.status == CharterVersion.Status.ADOPTED
    return version


@pytest.fixture
def dispute(pilot, ladder_in_force):
    """TechCo's representative's data-ownership dispute with LogiCorp, at the first level."""
    from charters.escalations import escalation_raise

    return escalation_raise(
        alliance=pilot.alliance,
        by=pilot.rep,
        title="Who owns the delivery data?",
        description="TechCo wants exclusive rights to algorithms derived from the data.",
        scope="strategy",
        partners=[pilot.techco, pilot.logicorp],
    )
