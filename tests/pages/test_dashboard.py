"""The dashboard: the alliances I belong to, their stage and partners, and my roles in them."""

import pytest
from django.urls import reverse

from alliances.models import Role
from tests.factories import AllianceFactory, PartnerFactory, RoleFactory


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_see_the_pilot_with_its_partners(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Last-mile carbon pilot" in page
    assert "Active" in page
    for name in ("TechCo", "LogiCorp", "GreenAlliance"):
        assert name in page


def test_rep_sees_their_role_and_partner(client, pilot):
    client.force_login(pilot.rep)
    response = client.get(reverse("dashboard"))
    assert "Partner representative" in response.content.decode()
    assert "for TechCo" in response.content.decode()


def test_outsider_does_not_see_the_pilot(client, pilot, outsider):
    client.force_login(outsider)
    response = client.get(reverse("dashboard"))
    page = response.content.decode()
    assert "Packaging coalition" in page
    assert "Last-mile carbon pilot" not in page


def test_person_without_alliances_is_told_how_to_start(client, django_user_model):
    person = django_user_model.objects.create_user(email="new@example.org", password="x")
    client.force_login(person)
    response = client.get(reverse("dashboard"))
    assert "You are not part of any alliance yet." in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_dashboard_query_count_does_not_grow_with_alliances(
    client, django_user_model, django_assert_num_queries, count
):
    person = django_user_model.objects.create_user(email="busy@example.org", password="x")
    for _ in range(count):
        alliance = AllianceFactory()
        partner = PartnerFactory(alliance=alliance)
        PartnerFactory(alliance=alliance)
        RoleFactory(
            alliance=alliance,
            person=person,
            kind=Role.Kind.PARTNER_REPRESENTATIVE,
            partner=partner,
        )
    client.force_login(person)
    # session, person, alliances, my roles (with partner and organisation), partners (with organisation)
    with django_assert_num_queries(5):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count('class="card"') == count
