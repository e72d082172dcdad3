"""Putting mutual dissolution to the vote from the exit plan page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from charters.models import Ballot


def _url(pilot):
    return reverse("dissolution_propose", kwargs={"alliance_pk": pilot.alliance.pk})


def _deadline(days):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_a_manager_opens_the_dissolution_vote(client, pilot):
    client.force_login(pilot.manager)

    response = client.post(_url(pilot), {"closes_at": _deadline(5)})

    ballot = Ballot.objects.get(subject=Ballot.Subject.DISSOLUTION)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/ballots/{ballot.pk}/")
    assert ballot.scope == "membership"


def test_a_deadline_in_the_past_is_refused_next_to_the_field(client, pilot):
    client.force_login(pilot.manager)

    response = client.post(_url(pilot), {"closes_at": _deadline(-1)})

    assert response.status_code == 200
    assert "at least a few minutes" in response.content.decode()
    assert not Ballot.objects.exists()


def test_only_managers_may_and_outsiders_see_nothing(client, pilot, outsider):
    client.force_login(pilot.rep)
    assert client.get(_url(pilot)).status_code == 403
    client.force_login(outsider)
    assert client.post(_url(pilot), {"closes_at": _deadline(5)}).status_code == 404
    assert not Ballot.objects.exists()
