"""Proposing a draft opens its adoption ballot; withdrawing deletes the draft."""

import pytest
from django.urls import reverse

from charters.models import Ballot, CharterVersion
from charters.rules import Mode

from .conftest import draft


def _url(pilot, version, action):
    kwargs = {"alliance_pk": pilot.alliance.pk, "version_pk": version.pk}
    return reverse(f"charter_version_{action}", kwargs=kwargs)


def test_proposing_the_first_version_opens_a_ballot_under_unanimity(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    response = client.post(_url(pilot, version, "propose"))
    ballot = Ballot.objects.get()
    assert response.url == reverse(
        "ballot_detail", kwargs={"alliance_pk": pilot.alliance.pk, "ballot_pk": ballot.pk}
    )
    assert (ballot.mode, ballot.proposal, ballot.decided_under) == (Mode.UNANIMITY, version, None)
    version.refresh_from_db()
    assert version.status == CharterVersion.Status.PROPOSED


def test_a_later_version_is_decided_under_the_one_in_force(client, pilot, adopted):
    client.force_login(pilot.manager)
    client.post(reverse("charter_version_start", kwargs={"alliance_pk": pilot.alliance.pk}))
    version = CharterVersion.objects.get(number=2)
    client.post(_url(pilot, version, "propose"))
    ballot = Ballot.objects.get(proposal=version)
    assert (ballot.mode, ballot.decided_under) == (Mode.SIMPLE_MAJORITY, adopted)


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_non_managers_get_403_when_proposing_or_withdrawing(client, pilot, persona):
    version = draft(pilot)
    client.force_login(getattr(pilot, persona))
    assert client.post(_url(pilot, version, "propose")).status_code == 403
    assert client.post(_url(pilot, version, "withdraw")).status_code == 403
    version.refresh_from_db()
    assert version.status == CharterVersion.Status.DRAFT


def test_outsider_gets_404_when_proposing(client, pilot, outsider):
    version = draft(pilot)
    client.force_login(outsider)
    assert client.post(_url(pilot, version, "propose")).status_code == 404


def test_manager_withdraws_a_draft(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    response = client.post(_url(pilot, version, "withdraw"), follow=True)
    assert "The draft is withdrawn." in response.content.decode()
    assert not CharterVersion.objects.exists()


def test_a_proposed_version_cannot_be_withdrawn_or_proposed_again(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    client.post(_url(pilot, version, "propose"))
    page = client.post(_url(pilot, version, "withdraw"), follow=True).content.decode()
    assert "Only a draft can be withdrawn." in page
    page = client.post(_url(pilot, version, "propose"), follow=True).content.decode()
    assert "Only a draft can be proposed." in page
    assert Ballot.objects.count() == 1
