"""Check-ins: the cadence timer opens one round and asks the partners' people; results give
per-item averages and where partners diverge; anonymous rounds stay silent below three."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from alliances import timers
from alliances.models import Notification, OrganizationMembership
from tests.factories import UserFactory
from trustaccount import checkins
from trustaccount.models import CheckInRound

NOW = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
RATINGS = {"openness": 4, "reliability": 4, "fairness": 4, "communication": 4}


def _sweep(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        timers.sweep(timers.get("check-in-cadence"), at)


def test_the_cadence_opens_one_round_and_asks_the_partners_people(pilot):
    with time_machine.travel(NOW, tick=False):
        schedule = checkins.schedule_for(pilot.alliance)

    for minutes in range(3):
        _sweep(NOW + timedelta(minutes=minutes))

    (check_in,) = CheckInRound.objects.all()
    assert check_in.closes_on == (NOW + checkins.ROUND_LENGTH).date()
    assert {n.recipient for n in Notification.objects.all()} == {pilot.rep, pilot.steering}
    schedule.refresh_from_db()
    assert schedule.next_round_at == NOW + timedelta(days=30)


def test_the_next_round_opens_a_cadence_later(pilot):
    with time_machine.travel(NOW, tick=False):
        checkins.schedule_for(pilot.alliance)
    _sweep(NOW)
    _sweep(NOW + timedelta(days=29))
    assert CheckInRound.objects.count() == 1
    _sweep(NOW + timedelta(days=30))
    assert CheckInRound.objects.count() == 2


def _answer(check_in, person, **ratings):
    return checkins.answer_give(round=check_in, by=person, **(RATINGS | ratings))


def test_results_average_each_item_and_show_where_partners_diverge(pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager, anonymous=False)
    _answer(check_in, pilot.rep, openness=5, communication=2, one_thing="Share the roadmap")
    _answer(check_in, pilot.steering, openness=1, communication=3)

    found = checkins.results(check_in)

    assert found.shown
    assert found.averages == {"openness": 3.0, "reliability": 4.0, "fairness": 4.0,
                              "communication": 2.5}  # fmt: skip
    assert found.divergence[0] == ("openness", 4.0)
    assert found.divergence[1] == ("communication", 1.0)
    assert found.suggestions == ["Share the roadmap"]


def test_an_anonymous_round_shows_nothing_below_three_answers(pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    _answer(check_in, pilot.rep)
    _answer(check_in, pilot.steering)
    assert checkins.results(check_in).shown is False
    assert checkins.results(check_in).averages == {}

    _answer(check_in, pilot.manager)
    assert checkins.results(check_in).shown is True


def test_answering_again_changes_the_answer(pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    _answer(check_in, pilot.rep, openness=2)
    _answer(check_in, pilot.rep, openness=5)
    assert list(check_in.answers.values_list("openness", flat=True)) == [5]


def test_only_people_of_partner_organisations_answer_with_ratings_in_range(pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    with pytest.raises(PermissionDenied):
        _answer(check_in, UserFactory.create())
    stranger = UserFactory.create()
    OrganizationMembership.objects.create(person=stranger, organization=pilot.techco.organization)
    with pytest.raises(ValidationError):
        _answer(check_in, stranger, fairness=6)
    assert not check_in.answers.exists()


def test_no_partner_breakdown_unless_every_partner_has_three_answers(pilot):
    """Three TechCo answers and one LogiCorp answer: the overall averages minus TechCo's would
    give away the LogiCorp person's ratings."""
    from alliances.models import OrganizationMembership, Role
    from tests.factories import RoleFactory, UserFactory

    round_ = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    people = [pilot.rep]
    for _ in range(2):
        person = UserFactory.create()
        OrganizationMembership.objects.create(person=person, organization=pilot.techco.organization)
        RoleFactory.create(alliance=pilot.alliance, person=person, kind=Role.Kind.OBSERVER)
        people.append(person)
    for person in [*people, pilot.steering]:
        checkins.answer_give(round=round_, by=person, openness=3, reliability=3, fairness=3,
                             communication=3)  # fmt: skip

    results = checkins.results(round_)
    assert results.shown
    assert results.by_partner == {}
    assert results.divergence == []
