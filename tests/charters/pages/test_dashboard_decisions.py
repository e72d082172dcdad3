"""'Decisions awaiting me' on the dashboard: open ballots where my organisation has not voted yet."""

import pytest
from django.urls import reverse

from alliances.models import Role
from charters import ballots
from tests.factories import RoleFactory, UserFactory

from .conftest import motion


def test_a_delegate_sees_the_ballot_until_their_organisation_has_voted(client, pilot):
    ballot = motion(pilot)
    client.force_login(pilot.steering)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Decisions awaiting me" in page
    assert "LogiCorp's vote in Last-mile carbon pilot" in page
    assert (
        reverse("ballot_detail", kwargs={"alliance_pk": pilot.alliance.pk, "ballot_pk": ballot.pk})
        in page
    )
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="yes")
    assert "Decisions awaiting me" not in client.get(reverse("dashboard")).content.decode()


def test_a_representative_sees_nothing_when_a_steering_member_votes_for_their_partner(
    client, pilot
):
    steering = UserFactory.create()
    RoleFactory.create(
        alliance=pilot.alliance,
        person=steering,
        kind=Role.Kind.STEERING_COMMITTEE,
        partner=pilot.techco,
    )
    motion(pilot)
    client.force_login(pilot.rep)
    assert "Decisions awaiting me" not in client.get(reverse("dashboard")).content.decode()
    client.force_login(steering)
    assert "TechCo's vote" in client.get(reverse("dashboard")).content.decode()


def test_managers_and_outsiders_cast_no_vote_and_see_nothing(client, pilot, outsider):
    motion(pilot)
    for person in (pilot.manager, outsider):
        client.force_login(person)
        assert "Decisions awaiting me" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_ballots(
    client, pilot, count, django_assert_num_queries
):
    for n in range(count):
        motion(pilot, question=f"Motion {n}")
    client.force_login(pilot.rep)
    with django_assert_num_queries(32):  # 14, and the "needs attention" health block
        page = client.get(reverse("dashboard")).content.decode()
    assert page.count("TechCo's vote") == count
