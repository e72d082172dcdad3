"""Proposing charter versions, voting on them and closing the ballots, through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliances import reviews, timers
from alliances.models import Notification, NotificationKind
from charters import ballots, services
from charters.models import Ballot, CharterVersion, VoteChange
from charters.rules import LadderLevel, Mode, Rules, ScopeRule, Weighting
from charters.tally import Outcome

CLOSING = timers.get("ballot-closing")
CLOSING_SOON = timers.get("ballot-closing-soon")


def _rules(pilot, **overrides):
    rules = Rules(
        scopes={s: ScopeRule(mode=Mode.SIMPLE_MAJORITY) for s in
                ("strategy", "budget", "execution", "membership", "charter")},
        weighting=Weighting.RESOURCE_SHARE,
        quorum=Decimal("0.5"),
        ladder=[LadderLevel("Working group", 7), LadderLevel("Steering committee", None)],
    )  # fmt: skip
    for name, value in overrides.items():
        setattr(rules, name, value)
    return rules


def _proposed(pilot, rules=None):
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    services.version_update(version=version, summary="", prose="# v", rules=rules or _rules(pilot))
    return version, services.version_propose(version=version, by=pilot.manager)


def _adopt_everything(pilot, green_steering, ballot):
    for person in (pilot.rep, pilot.steering, green_steering):
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")


def test_the_first_version_needs_every_partner(pilot, green_steering):
    version, ballot = _proposed(pilot)

    assert ballot.mode == Mode.UNANIMITY
    assert ballot.decided_under is None
    assert sorted(ballot.electors.values_list("weight", flat=True)) == [1, 1, 1]
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="yes")
    ballots.vote_cast(ballot=ballot, by=green_steering, choice="no")

    ballot.refresh_from_db()
    assert (ballot.status, ballot.outcome) == (Ballot.Status.CLOSED, Outcome.FAILED)
    version.refresh_from_db()
    assert version.status == CharterVersion.Status.REJECTED


def test_passing_adopts_and_supersedes_and_later_ballots_use_its_rules(pilot, green_steering):
    v1, first = _proposed(pilot)
    _adopt_everything(pilot, green_steering, first)
    v2, second = _proposed(pilot)

    v1.refresh_from_db()
    assert v1.status == CharterVersion.Status.ADOPTED
    assert (second.mode, second.decided_under) == (Mode.SIMPLE_MAJORITY, v1)
    assert {e.partner_id: e.weight for e in second.electors.all()} == {
        pilot.techco.pk: Decimal(40),
        pilot.logicorp.pk: Decimal(35),
        pilot.greenalliance.pk: Decimal(25),
    }
    _adopt_everything(pilot, green_steering, second)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (
        CharterVersion.Status.SUPERSEDED,
        CharterVersion.Status.ADOPTED,
    )


def test_adoption_applies_the_review_cadence(pilot, green_steering):
    _v1, ballot = _proposed(pilot, _rules(pilot, review_cadence_months=3))
    _adopt_everything(pilot, green_steering, ballot)

    pilot.alliance.refresh_from_db()
    assert pilot.alliance.review_cadence_months == 3


def test_a_vote_can_change_and_every_change_is_kept(pilot, green_steering):
    _version, ballot = _proposed(pilot)

    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="no")
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")

    assert ballot.votes.get().choice == "yes"
    assert list(VoteChange.objects.values_list("choice", flat=True)) == ["no", "yes"]


def test_only_delegates_vote_and_only_on_the_options(pilot, green_steering):
    _version, ballot = _proposed(pilot)

    with pytest.raises(PermissionDenied):
        ballots.vote_cast(ballot=ballot, by=pilot.manager, choice="yes")
    with pytest.raises(ValidationError):
        ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="maybe")
    with pytest.raises(ValidationError):
        ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="no", veto=True)


def test_the_deadline_closes_the_ballot_and_later_votes_are_refused(pilot, green_steering):
    _version, ballot = _proposed(pilot)
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
    after = ballot.closes_at + timedelta(seconds=1)

    with time_machine.travel(after, tick=False):
        assert timers.sweep(CLOSING, timezone.now()) == 1
        assert timers.sweep(CLOSING, timezone.now()) == 0
        with pytest.raises(ValidationError):
            ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="yes")

    ballot.refresh_from_db()
    assert ballot.outcome == Outcome.NO_QUORUM  # one partner of three took part
    assert ballot.votes.count() == 1
    results = Notification.objects.filter(kind=NotificationKind.BALLOT_RESULT)
    assert results.filter(recipient=pilot.manager).count() == 1


def test_a_veto_holder_stops_the_decision(pilot, green_steering):
    _v1, first = _proposed(pilot)
    _adopt_everything(pilot, green_steering, first)
    vetoed = _rules(pilot)
    vetoed.scopes["charter"].veto_holders = [pilot.greenalliance.pk]
    _v2, ballot = _proposed(pilot, vetoed)  # decided under v1: no veto yet
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="yes")
    ballots.vote_cast(ballot=ballot, by=green_steering, choice="no")
    _v3, third = _proposed(pilot)  # now decided under v2, where GreenAlliance holds a veto

    ballots.vote_cast(ballot=third, by=green_steering, choice="no", veto=True)
    ballots.vote_cast(ballot=third, by=pilot.rep, choice="yes")
    ballots.vote_cast(ballot=third, by=pilot.steering, choice="yes")

    third.refresh_from_db()
    assert third.outcome == Outcome.VETOED
    assert "GreenAlliance" in third.explanation


def test_closing_soon_reminds_only_those_who_have_not_voted(pilot, green_steering):
    _version, ballot = _proposed(pilot)
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")

    with time_machine.travel(ballot.closes_at - timedelta(hours=23), tick=False):
        assert timers.sweep(CLOSING_SOON, timezone.now()) == 1

    reminded = Notification.objects.filter(kind=NotificationKind.BALLOT_CLOSING_SOON)
    assert sorted(reminded.values_list("recipient__email", flat=True)) == sorted(
        [pilot.steering.email, green_steering.email]
    )


def test_force_majeure_pauses_the_deadline_and_moves_it(pilot, green_steering):
    _version, ballot = _proposed(pilot)
    deadline = ballot.closes_at
    reviews.timers_pause(alliance=pilot.alliance, by=pilot.manager, reason="Sanctions")

    with time_machine.travel(deadline + timedelta(days=2), tick=False):
        assert timers.sweep(CLOSING, timezone.now()) == 0
        ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")  # the deadline waits
        reviews.timers_resume(alliance=pilot.alliance, by=pilot.manager)

    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN
    assert ballot.closes_at > deadline + timedelta(days=2)


def test_proposed_versions_are_fixed(pilot, green_steering):
    version, _ballot = _proposed(pilot)

    with pytest.raises(ValidationError):
        services.version_update(version=version, summary="x", prose="y", rules=_rules(pilot))


def test_rules_are_validated_with_clear_errors(pilot):
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    bad = _rules(
        pilot, quorum=Decimal(0), weighting=Weighting.CUSTOM, weights={pilot.techco.pk: Decimal(-1)}
    )
    bad.scopes["execution"] = ScopeRule(mode=Mode.LEAD_PARTNER, lead_partner=999999)

    with pytest.raises(ValidationError) as error:
        services.version_update(version=version, summary="", prose="", rules=bad)

    messages = " ".join(error.value.messages)
    assert "lead partner must be a partner" in messages
    assert "weights must be positive" in messages
    assert "quorum" in messages
    version.refresh_from_db()
    assert version.prose == ""


def test_open_ballot_deadlines_join_the_calendar_feed(pilot, green_steering, outsider):
    from icalendar import Calendar

    from alliances import calendar

    _proposed(pilot)

    def summaries(person):
        feed = Calendar.from_ical(calendar.feed_for(person))
        return [str(event["summary"]) for event in feed.walk("VEVENT")]

    assert "Ballot closes: Adopt version 1 of the charter?" in summaries(pilot.steering)
    assert not any("Ballot" in s for s in summaries(outsider))


def test_a_secret_ballots_result_does_not_tell_who_voted_how(pilot, green_steering):
    from datetime import timedelta as td

    ballot = ballots.ballot_open(
        alliance=pilot.alliance, by=pilot.manager, question="Replace the chair?",
        scope="strategy", closes_at=timezone.now() + td(days=2), secret=True,
    )  # fmt: skip
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="no")
    ballots.vote_cast(ballot=ballot, by=green_steering, choice="no")

    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    assert "support" not in ballot.result_json
    assert "%" not in ballot.explanation
