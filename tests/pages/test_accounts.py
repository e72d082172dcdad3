"""Sign in, sign out and password reset come from django-allauth, in our layout."""

from django.urls import reverse

from tests.factories import PASSWORD


def test_sign_in_page_uses_our_layout_and_offers_no_sign_up(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert '<main id="main"' in page
    assert 'class="skip-link"' in page
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page
    assert "sign up" not in page.lower()
    assert "invites you by email" in page


def test_person_signs_in_with_email_and_password(client, pilot):
    response = client.post(
        reverse("account_login"), {"login": pilot.manager.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_wrong_password_is_refused(client, pilot):
    response = client.post(
        reverse("account_login"), {"login": pilot.manager.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert '<main id="main"' in response.content.decode()
    assert "<form" not in response.content.decode().split('<main id="main"')[1]


def test_password_reset_page_uses_our_layout(client, db):
    page = client.get(reverse("account_reset_password")).content.decode()
    assert '<main id="main"' in page
    assert '<label for="id_email">' in page


def test_sign_out_asks_to_confirm_and_signs_out(client, pilot):
    client.force_login(pilot.manager)
    assert '<main id="main"' in client.get(reverse("account_logout")).content.decode()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302
