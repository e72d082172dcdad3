"""/api/v1/alliances/{alliance_pk}/invitations/...: a manager's business only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.models import Alliance, Invitation
from alliances.services import invitation_url
from tests.factories import InvitationFactory


def _list(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/invitations/"


def _detail(invitation: Invitation) -> str:
    return f"/api/v1/alliances/{invitation.alliance_id}/invitations/{invitation.pk}/"


def test_manager_invites_and_the_link_goes_by_email_only(
    api_as, pilot, mailoutbox, django_capture_on_commit_callbacks
):
    body = {"email": "Analyst@TechCo.example", "kind": "representative", "partner": pilot.techco.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert (created["email"], created["state"]) == ("analyst@techco.example", "pending")

    [mail] = mailoutbox
    assert mail.to == ["analyst@techco.example"]
    link_start = invitation_url("TOKEN").removesuffix("TOKEN/")
    token = mail.body.split(link_start)[1].split("/")[0]
    assert Invitation.objects.get(pk=created["id"]).token_hash == Invitation.hash_token(token)
    assert token not in response.content.decode()


def test_partner_role_invitation_without_partner_gets_400_on_partner(api_as, pilot):
    body = {"email": "someone@example.org", "kind": "steering"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]
    assert not Invitation.objects.exists()


def test_inviting_someone_to_a_role_they_hold_gets_400_on_email(api_as, pilot):
    body = {"email": "rep@techco.example", "kind": "representative", "partner": pilot.techco.pk}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_invitations(
    api_as, pilot, django_assert_num_queries, count
):
    InvitationFactory.create_batch(count, alliance=pilot.alliance, invited_by=pilot.manager)
    client = api_as(pilot.manager)
    # the alliance, the manager check, count, page of invitations with who invited
    with django_assert_num_queries(4):
        response = client.get(_list(pilot.alliance))
    assert len(response.json()["results"]) == count
    assert {i["state"] for i in response.json()["results"]} == {"pending"}


def test_manager_revokes_a_pending_invitation_once(api_as, pilot):
    invitation = InvitationFactory.create(alliance=pilot.alliance, invited_by=pilot.manager)
    client = api_as(pilot.manager)
    response = client.post(_detail(invitation) + "revoke/")
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"
    assert client.get(_detail(invitation)).json()["state"] == "revoked"

    again = client.post(_detail(invitation) + "revoke/")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["Only a pending invitation can be revoked."]}


def test_invitation_of_another_alliance_is_404_under_the_pilot(api_as, pilot, outsider):
    foreign = InvitationFactory.create()
    url = f"/api/v1/alliances/{pilot.alliance.pk}/invitations/{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.manager).post(url + "revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_expired_invitation_shows_its_state_and_cannot_be_revoked(api_as, pilot):
    invitation = InvitationFactory.create(
        alliance=pilot.alliance, expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = api_as(pilot.manager)
    assert client.get(_detail(invitation)).json()["state"] == "expired"
    assert client.post(_detail(invitation) + "revoke/").status_code == 400
