"""An adopted charter with the guide's three-level ladder, so escalations can be raised."""

from decimal import Decimal

from charters import ballots, services
from charters.rules import LadderLevel, Mode, Rules, ScopeRule, Weighting

LADDER = [
    LadderLevel("Working group", 7),
    LadderLevel("Steering committee", 10),
    LadderLevel("Executive sponsors", 5),
]


def adopt_charter(pilot, green_steering, ladder=LADDER):
    rules = Rules(
        scopes={s: ScopeRule(mode=Mode.SIMPLE_MAJORITY) for s in
                ("strategy", "budget", "execution", "membership", "charter")},
        weighting=Weighting.RESOURCE_SHARE,
        quorum=Decimal("0.5"),
        ladder=ladder,
    )  # fmt: skip
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    services.version_update(version=version, summary="v1", prose="", rules=rules)
    ballot = services.version_propose(version=version, by=pilot.manager)
    for person in (pilot.rep, pilot.steering, green_steering):
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")
    return version
