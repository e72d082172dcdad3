"""Inviting people, revoking invitations and removing roles: a coalition manager's business."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from alliances.models import Invitation, Role
from tests.factories import InvitationFactory

from .helpers import field_errors


def invite_url(pilot):
    return reverse("invitation_create", kwargs={"alliance_pk": pilot.alliance.pk})


def test_invite_page_explains_the_roles(client, pilot):
    client.force_login(pilot.manager)
    page = client.get(invite_url(pilot)).content.decode()
    assert "What does each role do?" in page
    assert "Casts a partner&#x27;s vote" in page or "Casts a partner's vote" in page


def test_manager_invites_a_partner_representative(
    client, pilot, django_capture_on_commit_callbacks
):
    client.force_login(pilot.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(pilot),
            {
                "email": "Analyst@TechCo.example",
                "kind": "representative",
                "partner": pilot.techco.pk,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(alliance=pilot.alliance)
    assert invitation.email == "analyst@techco.example"
    assert invitation.partner == pilot.techco
    assert invitation.invited_by == pilot.manager
    [email] = mail.outbox
    assert email.to == ["analyst@techco.example"]
    assert "Last-mile carbon pilot" in email.subject
    assert "/invitations/" in email.body
    assert "You will act for TechCo." in email.body
    assert isinstance(email, EmailMultiAlternatives)
    html = str(email.alternatives[0][0])
    assert "Accept the invitation" in html


def test_partner_role_without_partner_is_refused_next_to_the_partner(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(
        invite_url(pilot), {"email": "someone@example.org", "kind": "steering", "partner": ""}
    )
    assert response.status_code == 200
    assert "choose which one" in field_errors(response, "partner")
    assert not Invitation.objects.exists()


def test_inviting_someone_to_a_role_they_hold_is_refused(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(
        invite_url(pilot),
        {"email": pilot.rep.email, "kind": "representative", "partner": pilot.techco.pk},
    )
    assert "already holds this role" in field_errors(response, "email")


def test_invalid_email_is_refused_next_to_the_email(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(invite_url(pilot), {"email": "not-an-email", "kind": "observer"})
    assert "valid email address" in field_errors(response, "email")


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_rep_cannot_invite(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    assert client.get(invite_url(pilot)).status_code == 403
    data = {"email": "friend@example.org", "kind": "observer"}
    assert client.post(invite_url(pilot), data).status_code == 403
    assert not Invitation.objects.exists()


def test_outsider_gets_404_for_inviting(client, pilot, outsider):
    client.force_login(outsider)
    assert client.get(invite_url(pilot)).status_code == 404


def revoke_url(invitation):
    kwargs = {"alliance_pk": invitation.alliance_id, "invitation_pk": invitation.pk}
    return reverse("invitation_revoke", kwargs=kwargs)


def test_manager_revokes_a_pending_invitation(client, pilot):
    invitation = InvitationFactory.create(alliance=pilot.alliance)
    client.force_login(pilot.manager)
    response = client.post(revoke_url(invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED


def test_revoking_twice_says_why_it_failed(client, pilot):
    invitation = InvitationFactory.create(alliance=pilot.alliance)
    client.force_login(pilot.manager)
    client.post(revoke_url(invitation))
    response = client.post(revoke_url(invitation), follow=True)
    assert "Only a pending invitation can be revoked." in response.content.decode()


def test_revoke_needs_a_post(client, pilot):
    invitation = InvitationFactory.create(alliance=pilot.alliance)
    client.force_login(pilot.manager)
    assert client.get(revoke_url(invitation)).status_code == 405


def test_rep_cannot_revoke_invitations(client, pilot):
    invitation = InvitationFactory.create(alliance=pilot.alliance)
    client.force_login(pilot.rep)
    assert client.post(revoke_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING


def remove_url(role):
    return reverse("role_remove", kwargs={"alliance_pk": role.alliance_id, "role_pk": role.pk})


def test_manager_removes_a_role(client, pilot):
    role = Role.objects.get(person=pilot.steering)
    client.force_login(pilot.manager)
    response = client.post(remove_url(role), follow=True)
    assert not Role.objects.filter(pk=role.pk).exists()
    assert "is no longer steering committee member" in response.content.decode()


def test_last_manager_cannot_be_removed(client, pilot):
    role = Role.objects.get(person=pilot.manager)
    client.force_login(pilot.manager)
    response = client.post(remove_url(role), follow=True)
    assert "at least one coalition manager" in response.content.decode()
    assert Role.objects.filter(pk=role.pk).exists()


def test_rep_cannot_remove_roles(client, pilot):
    role = Role.objects.get(person=pilot.steering)
    client.force_login(pilot.rep)
    assert client.post(remove_url(role)).status_code == 403
    assert Role.objects.filter(pk=role.pk).exists()


def test_outsider_gets_404_for_removing_roles(client, pilot, outsider):
    role = Role.objects.get(person=pilot.steering)
    client.force_login(outsider)
    assert client.post(remove_url(role)).status_code == 404
