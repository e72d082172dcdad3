"""The governance audit, rule by rule, at its boundaries."""

from datetime import timedelta
from decimal import Decimal

import pytest

from alliances.models import Alliance
from charters import ballots, services
from charters.audit import Status, audit
from charters.diff import prose_diff, rules_diff
from charters.rules import LadderLevel, Mode, Rules, ScopeRule


def _items(alliance):
    return {item.key: item for item in audit(alliance)}


def _adopt(pilot, green_steering, rules, prose=""):
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    services.version_update(version=version, summary="", prose=prose, rules=rules)
    ballot = services.version_propose(version=version, by=pilot.manager)
    for person in (pilot.rep, pilot.steering, green_steering):
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")
    version.refresh_from_db()
    return version


def _complete(**overrides):
    rules = Rules(
        scopes={s: ScopeRule(mode=Mode.CONSENSUS) for s in
                ("strategy", "budget", "execution", "membership", "charter")},
        ladder=[LadderLevel("Working group", 7), LadderLevel("Steering committee", None)],
        force_majeure="Sanctions and policy changes suspend deadlines.",
        review_cadence_months=6,
    )  # fmt: skip
    for name, value in overrides.items():
        setattr(rules, name, value)
    return rules


def test_without_a_charter_everything_is_missing(pilot):
    items = _items(pilot.alliance)

    assert items["decisions"].status == Status.MISSING
    assert items["ladder"].status == Status.MISSING
    assert items["exit"].status == Status.MISSING
    assert items["review"].status == Status.MISSING


def test_a_complete_charter_passes_but_the_exit_plan(pilot, green_steering):
    pilot.techco.organization.country = "FR"
    pilot.techco.organization.save()
    _adopt(pilot, green_steering, _complete())

    statuses = {key: item.status for key, item in _items(pilot.alliance).items()}

    assert statuses["decisions"] == statuses["ladder"] == statuses["force_majeure"] == "passed"
    assert statuses["exit"] == Status.MISSING
    assert "one_page" not in statuses


def test_undefined_scopes_are_named(pilot, green_steering):
    rules = _complete()
    del rules.scopes["budget"]
    _adopt(pilot, green_steering, rules)

    item = _items(pilot.alliance)["decisions"]
    assert item.status == Status.MISSING
    assert "Budget" in item.reason


@pytest.mark.parametrize(
    ("shares", "status"),
    [
        ((50, 30, 20), Status.MISSING),  # the largest holds half
        ((45, 40, 15), Status.MISSING),  # three times the smallest
        ((44, 41, 15), Status.ADVISED),  # just under three times
        ((36, 34, 30), Status.PASSED),  # balanced
    ],
)
def test_minority_protection_follows_the_shares(pilot, shares, status):
    for partner, share in zip(
        (pilot.techco, pilot.logicorp, pilot.greenalliance), shares, strict=True
    ):
        partner.resource_share = Decimal(share)
        partner.save()

    assert _items(pilot.alliance)["minority"].status == status


def test_a_veto_for_a_smaller_partner_protects_the_minority(pilot, green_steering):
    pilot.techco.resource_share = Decimal(60)
    pilot.techco.save()
    pilot.logicorp.resource_share = Decimal(15)
    pilot.logicorp.save()
    rules = _complete()
    rules.scopes["strategy"].veto_holders = [pilot.greenalliance.pk]
    _adopt(pilot, green_steering, rules)

    assert _items(pilot.alliance)["minority"].status == Status.PASSED


def test_cross_border_partners_need_force_majeure(pilot, green_steering):
    pilot.techco.organization.country = "FR"
    pilot.techco.organization.save()
    _adopt(pilot, green_steering, _complete(force_majeure=""))

    assert _items(pilot.alliance)["force_majeure"].status == Status.MISSING


def test_fast_markets_are_advised_quarterly_reviews(pilot, green_steering):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(market_pace="fast")
    _adopt(pilot, green_steering, _complete(review_cadence_months=6))
    pilot.alliance.refresh_from_db()

    assert _items(pilot.alliance)["review"].status == Status.ADVISED


@pytest.mark.parametrize(("days", "advised"), [(182, True), (183, False)])
def test_short_alliances_are_advised_a_one_page_agreement(pilot, days, advised):
    pilot.alliance.expected_end = pilot.alliance.created_at.date() + timedelta(days=days)
    pilot.alliance.save()

    assert ("one_page" in _items(pilot.alliance)) is advised


def test_diff_shows_prose_and_rules_changes(pilot, green_steering):
    v1 = _adopt(pilot, green_steering, _complete(), prose="Line one\nLine two")
    v2 = _adopt(pilot, green_steering, _complete(quorum=Decimal("0.75")), prose="Line one\nLine 2")

    tags = [(row.tag, row.old, row.new) for row in prose_diff(v1, v2)]
    assert tags == [("equal", "Line one", "Line one"), ("changed", "Line two", "Line 2")]
    changed = {topic: row for topic, row in rules_diff(v1, v2, {}) if row.tag != "equal"}
    assert list(changed) == ["Quorum"]
    assert (changed["Quorum"].old, changed["Quorum"].new) == (
        "50% of the voting weight",
        "75% of the voting weight",
    )
