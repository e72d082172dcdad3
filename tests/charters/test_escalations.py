"""Escalations climbing the ladder on their deadlines, through the services and the timer."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliances import timers
from alliances.models import Alliance, Notification, NotificationKind, Review
from charters import ballots
from charters.escalations import (
    KEEP_CLIMBING,
    escalation_escalate,
    escalation_propose,
    escalation_raise,
    escalation_resolve,
    escalation_withdraw,
    extension_ask,
    extension_consent,
)
from charters.models import Ballot, Escalation, EscalationEvent

from .escalation_data import adopt_charter

CLIMB = timers.get("escalation-deadline")


@pytest.fixture
def dispute(pilot, green_steering):
    adopt_charter(pilot, green_steering)
    return escalation_raise(
        alliance=pilot.alliance,
        by=pilot.rep,
        title="Who owns the pilot data?",
        description="TechCo wants exclusive rights to the raw data.",
        scope="strategy",
        partners=[pilot.techco, pilot.greenalliance],
    )


def _sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return timers.sweep(CLIMB, timezone.now())


def test_without_a_ladder_nothing_can_be_raised(pilot):
    with pytest.raises(ValidationError):
        escalation_raise(alliance=pilot.alliance, by=pilot.rep, title="t", description="d",
                         scope="strategy", partners=[pilot.techco])  # fmt: skip


def test_an_escalation_starts_at_the_working_group_with_its_deadline(dispute):
    assert (dispute.level, dispute.level_name) == (0, "Working group")
    assert dispute.level_deadline - dispute.raised_at == timedelta(days=7)
    assert list(dispute.events.values_list("kind", flat=True)) == ["raised"]


def test_left_alone_it_climbs_to_the_steering_committee_and_a_ballot_opens_once(dispute, pilot):
    escalation_propose(
        escalation=dispute, by=pilot.rep, text="Open data, algorithms stay with TechCo"
    )
    deadline = dispute.level_deadline

    assert _sweep_at(deadline - timedelta(minutes=1)) == 0
    assert _sweep_at(deadline) == 1
    assert _sweep_at(deadline) == 0

    dispute.refresh_from_db()
    assert dispute.level_name == "Steering committee"
    assert Ballot.objects.filter(subject=Ballot.Subject.ESCALATION).count() == 1
    assert dispute.ballot.options[:2] == ["Open data, algorithms stay with TechCo", KEEP_CLIMBING]
    told = Notification.objects.filter(kind=NotificationKind.ESCALATION, recipient=pilot.steering)
    assert told.exists()


def test_the_steering_committees_vote_resolves_it(dispute, pilot, green_steering):
    escalation_propose(escalation=dispute, by=pilot.rep, text="Open data")
    escalation_escalate(escalation=dispute, by=pilot.manager)
    dispute.refresh_from_db()

    for person in (pilot.rep, pilot.steering, green_steering):
        ballots.vote_cast(ballot=dispute.ballot, by=person, choice="Open data")

    dispute.refresh_from_db()
    assert dispute.status == Escalation.Status.RESOLVED
    assert "Open data" in dispute.resolution


def test_reaching_the_sponsors_brings_the_review_forward(dispute, pilot):
    pilot.alliance.stage = Alliance.Stage.FORMING
    pilot.alliance.save()
    pilot.alliance.move_to(Alliance.Stage.ACTIVE, by=pilot.manager)
    escalation_escalate(escalation=dispute, by=pilot.manager)
    escalation_escalate(escalation=dispute, by=pilot.manager)

    review = Review.objects.get(alliance=pilot.alliance)
    assert review.due_at <= timezone.now() + timedelta(days=14)


def test_unresolved_at_the_top_it_closes_as_unresolved(dispute, pilot):
    escalation_escalate(escalation=dispute, by=pilot.manager)
    escalation_escalate(escalation=dispute, by=pilot.manager)
    dispute.refresh_from_db()

    _sweep_at(dispute.level_deadline)

    dispute.refresh_from_db()
    assert dispute.status == Escalation.Status.UNRESOLVED


def test_a_resolution_racing_the_deadline_leaves_one_final_state(dispute, pilot):
    deadline = dispute.level_deadline
    escalation_resolve(escalation=dispute, by=pilot.manager, resolution="Agreed over coffee")

    assert _sweep_at(deadline) == 0
    dispute.refresh_from_db()
    assert (dispute.status, dispute.level) == (Escalation.Status.RESOLVED, 0)
    with pytest.raises(ValidationError):
        escalation_escalate(escalation=dispute, by=pilot.manager)


def test_only_the_raiser_withdraws(dispute, pilot):
    with pytest.raises(PermissionDenied):
        escalation_withdraw(escalation=dispute, by=pilot.manager)
    escalation_withdraw(escalation=dispute, by=pilot.rep)
    dispute.refresh_from_db()
    assert dispute.status == Escalation.Status.WITHDRAWN


def test_a_deadline_is_extended_once_and_only_with_consent(dispute, pilot, green_steering):
    deadline = dispute.level_deadline
    extension_ask(
        escalation=dispute, by=pilot.rep, partner=pilot.techco, days=3, reason="Legal review"
    )
    dispute.refresh_from_db()
    assert dispute.level_deadline == deadline  # GreenAlliance has not agreed yet
    asked = Notification.objects.filter(kind=NotificationKind.ESCALATION, recipient=green_steering)
    assert asked.filter(title__contains="asks 3 more days").exists()

    extension_consent(escalation=dispute, by=green_steering, partner=pilot.greenalliance)

    dispute.refresh_from_db()
    assert dispute.level_deadline == deadline + timedelta(days=3)
    with pytest.raises(ValidationError):
        extension_ask(
            escalation=dispute, by=pilot.rep, partner=pilot.techco, days=3, reason="again"
        )
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert kinds[-3:] == [EscalationEvent.Kind.EXTENSION_ASKED, "extension_consent", "extended"]


def test_a_partner_not_contributing_needs_its_name(pilot, green_steering):
    adopt_charter(pilot, green_steering)
    with pytest.raises(ValidationError):
        escalation_raise(alliance=pilot.alliance, by=pilot.manager, title="Silent partner",
                         description="No deliveries for two months", scope="execution",
                         partners=[pilot.logicorp], kind=Escalation.Kind.NOT_CONTRIBUTING)  # fmt: skip


def test_force_majeure_holds_the_deadline(dispute, pilot):
    from alliances import reviews

    deadline = dispute.level_deadline
    reviews.timers_pause(alliance=pilot.alliance, by=pilot.manager, reason="Sanctions")

    assert _sweep_at(deadline + timedelta(days=1)) == 0
    assert Ballot.objects.filter(subject=Ballot.Subject.ESCALATION).count() == 0


def test_a_resolution_for_a_level_already_left_is_refused(dispute, pilot):
    escalation_escalate(escalation=dispute, by=pilot.manager)

    with pytest.raises(ValidationError) as error:
        escalation_resolve(escalation=dispute, by=pilot.manager, resolution="x", level=0)

    assert "level" in error.value.message_dict
    dispute.refresh_from_db()
    assert dispute.status == Escalation.Status.OPEN


def test_a_not_contributing_escalation_shows_the_partners_trust_record(
    client, pilot, green_steering
):
    from django.urls import reverse

    from trustaccount import ledger
    from trustaccount.models import Category, TrustEntry

    adopt_charter(pilot, green_steering)
    ledger.entry_record(alliance=pilot.alliance, by=pilot.manager, kind=TrustEntry.Kind.WITHDRAWAL,
                        category=Category.COMMITMENT_MISSED, actor=pilot.logicorp,
                        note="Missed the March data drop", idempotency_key="missed")  # fmt: skip
    escalation = escalation_raise(
        alliance=pilot.alliance, by=pilot.manager, title="Silent partner", description="d",
        scope="execution", partners=[pilot.logicorp], kind=Escalation.Kind.NOT_CONTRIBUTING,
        against=pilot.logicorp, evidence="Two missed drops",
    )  # fmt: skip
    client.force_login(pilot.manager)

    page = client.get(reverse("escalation_detail", kwargs={
        "alliance_pk": pilot.alliance.pk, "escalation_pk": escalation.pk})).content.decode()  # fmt: skip

    assert "LogiCorp&#x27;s trust record" in page or "LogiCorp's trust record" in page
    assert "Missed the March data drop" in page


def test_the_steering_vote_closing_at_the_deadline_resolves_before_any_climb(dispute, pilot):
    escalation_propose(escalation=dispute, by=pilot.rep, text="Option A")
    escalation_escalate(escalation=dispute, by=pilot.manager)
    dispute.refresh_from_db()
    ballots.vote_cast(ballot=dispute.ballot, by=pilot.rep, choice="Option A")
    ballots.vote_cast(ballot=dispute.ballot, by=pilot.steering, choice="Option A")

    _sweep_at(dispute.level_deadline + timedelta(minutes=1))

    dispute.refresh_from_db()
    assert (dispute.status, dispute.level) == (Escalation.Status.RESOLVED, 1)
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert "climbed" not in kinds
