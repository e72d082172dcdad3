"""Following an invitation link: every case a person can be in when they open it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.models import Role, User
from tests.factories import PASSWORD, InvitationFactory, UserFactory

from .helpers import field_errors

TOKEN = "a-secret-token"


@pytest.fixture
def invitation(pilot):
    return InvitationFactory.create(
        alliance=pilot.alliance,
        email="newcomer@techco.example",
        kind=Role.Kind.PARTNER_REPRESENTATIVE,
        partner=pilot.techco,
        invited_by=pilot.manager,
        token=TOKEN,
    )


def accept_url(token=TOKEN):
    return reverse("invitation_accept", kwargs={"token": token})


def detail_url(pilot):
    return reverse("alliance_detail", kwargs={"alliance_pk": pilot.alliance.pk})


NEW_ACCOUNT = {
    "first_name": "Noor",
    "last_name": "Haddad",
    "password1": "tidal-lantern-907",
    "password2": "tidal-lantern-907",
}


def test_unknown_token_is_404(client, invitation):
    assert client.get(accept_url("not-a-token")).status_code == 404


def test_new_person_sees_an_account_form(client, invitation):
    response = client.get(accept_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Partner representative" in page
    assert "for TechCo" in page
    for field in ("first_name", "last_name", "password1", "password2"):
        assert f'<label for="id_{field}">' in page


def test_new_person_creates_an_account_and_joins(client, pilot, invitation):
    response = client.post(accept_url(), NEW_ACCOUNT)
    assert response.status_code == 302
    assert response.url == detail_url(pilot)
    person = User.objects.get(email="newcomer@techco.example")
    assert person.get_full_name() == "Noor Haddad"
    assert person.check_password("tidal-lantern-907")
    role = Role.objects.get(person=person)
    assert (role.kind, role.partner) == (Role.Kind.PARTNER_REPRESENTATIVE, pilot.techco)
    # Signed in straight away.
    assert client.get(detail_url(pilot)).status_code == 200


def test_weak_password_is_refused_next_to_the_password(client, invitation):
    response = client.post(
        accept_url(), {**NEW_ACCOUNT, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "too common" in field_errors(response, "password1")
    assert not User.objects.filter(email="newcomer@techco.example").exists()


def test_different_passwords_are_refused_next_to_the_second(client, invitation):
    response = client.post(accept_url(), {**NEW_ACCOUNT, "password2": "something-else-1"})
    assert "differ" in field_errors(response, "password2")
    assert not User.objects.filter(email="newcomer@techco.example").exists()


def test_existing_account_is_asked_to_sign_in_and_come_back(client, invitation):
    UserFactory.create(email="newcomer@techco.example")
    page = client.get(accept_url()).content.decode()
    assert f'href="{reverse("account_login")}?next={accept_url()}"' in page
    assert '<form method="post" novalidate>' not in page


def test_signed_in_invited_person_confirms_and_joins(client, pilot, invitation):
    person = UserFactory.create(email="newcomer@techco.example")
    client.force_login(person)
    assert "Accept and join" in client.get(accept_url()).content.decode()
    response = client.post(accept_url())
    assert response.status_code == 302
    assert response.url == detail_url(pilot)
    assert Role.objects.filter(person=person, alliance=pilot.alliance).exists()


def test_existing_account_signs_in_with_next_and_lands_back(client, invitation):
    UserFactory.create(email="newcomer@techco.example")
    response = client.post(
        reverse("account_login") + f"?next={accept_url()}",
        {"login": "newcomer@techco.example", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == accept_url()


def test_wrong_account_is_told_and_offered_sign_out(client, pilot, invitation):
    client.force_login(pilot.rep)
    response = client.get(accept_url())
    page = response.content.decode()
    assert "This invitation is for <strong>newcomer@techco.example</strong>" in page
    assert f'action="{reverse("account_logout")}"' in page
    assert client.post(accept_url()).status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_expired_invitation_says_so(client, invitation):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save(update_fields=["expires_at"])
    response = client.get(accept_url())
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert client.post(accept_url(), NEW_ACCOUNT).status_code == 410
    assert not User.objects.filter(email="newcomer@techco.example").exists()


def test_revoked_invitation_says_so(client, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    response = client.get(accept_url())
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_invitation_used_twice_fails_the_second_time(client, pilot, invitation):
    assert client.post(accept_url(), NEW_ACCOUNT).status_code == 302
    client.logout()
    response = client.post(accept_url(), {**NEW_ACCOUNT, "first_name": "Someone"})
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="newcomer@techco.example").count() == 1


def test_wrong_account_signs_out_and_comes_back_to_the_invitation(client, pilot, invitation):
    client.force_login(pilot.rep)
    response = client.post(reverse("account_logout"), {"next": accept_url()})
    assert response.status_code == 302
    assert response.url == accept_url()
    assert "Create my account and join" in client.get(accept_url()).content.decode()


def test_link_from_the_invitation_email_works(
    client, pilot, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pilot.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitation_create", kwargs={"alliance_pk": pilot.alliance.pk}),
            {"email": "sponsor@techco.example", "kind": "sponsor", "partner": pilot.techco.pk},
        )
    client.logout()
    [link] = [line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line]
    path = link[link.index("/invitations/") :]
    assert client.post(path, NEW_ACCOUNT).status_code == 302
    assert (
        Role.objects.get(person__email="sponsor@techco.example").kind == Role.Kind.EXECUTIVE_SPONSOR
    )
