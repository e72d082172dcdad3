"""Adding partners (an existing or a new organisation) and editing their share and dates."""

from decimal import Decimal

import pytest
from django.urls import reverse

from alliances.models import Organization, Partner
from tests.factories import MembershipFactory, OrganizationFactory

from .helpers import field_errors, non_field_errors


def add_url(pilot):
    return reverse("partner_add", kwargs={"alliance_pk": pilot.alliance.pk})


def edit_url(pilot, partner):
    return reverse(
        "partner_edit", kwargs={"alliance_pk": pilot.alliance.pk, "partner_pk": partner.pk}
    )


@pytest.fixture
def room(pilot):
    """Free 20% of the shares so a new partner fits."""
    Partner.objects.filter(pk=pilot.techco.pk).update(resource_share=20)
    return pilot


@pytest.fixture
def ngo(pilot):
    """An organisation the manager belongs to that is not yet a partner of the pilot."""
    organization = OrganizationFactory(name="Harbour NGO", country="NL", kind="nonprofit")
    MembershipFactory(person=pilot.manager, organization=organization)
    return organization


def test_manager_chooses_from_organisations_they_know(client, pilot, ngo, outsider):
    client.force_login(pilot.manager)
    page = client.get(add_url(pilot)).content.decode()
    assert "Harbour NGO" in page
    assert "Elsewhere Ltd" not in page  # the outsider's organisation
    # Organisations already in the alliance are not offered again.
    assert f'<option value="{pilot.techco.organization_id}">TechCo</option>' not in page


def test_manager_adds_an_existing_organisation(client, room, ngo):
    client.force_login(room.manager)
    response = client.post(
        add_url(room), {"organization": ngo.pk, "resource_share": "15", "joined_on": "2025-04-01"}
    )
    assert response.status_code == 302
    partner = room.alliance.partners.get(organization=ngo)
    assert partner.resource_share == Decimal(15)
    assert str(partner.joined_on) == "2025-04-01"


def test_manager_adds_a_new_organisation_in_the_same_form(client, room):
    client.force_login(room.manager)
    response = client.post(
        add_url(room),
        {
            "name": "Port of Rotterdam",
            "country": "NL",
            "kind": "public_body",
            "resource_share": "5",
            "joined_on": "2025-04-01",
        },
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="Port of Rotterdam")
    assert organization.kind == "public_body"
    assert room.alliance.partners.filter(organization=organization).exists()


def test_shares_over_100_percent_are_refused_next_to_the_share(client, pilot, ngo):
    client.force_login(pilot.manager)
    response = client.post(
        add_url(pilot), {"organization": ngo.pk, "resource_share": "10", "joined_on": "2025-04-01"}
    )
    assert response.status_code == 200
    assert "cannot exceed 100%" in field_errors(response, "resource_share")
    assert not pilot.alliance.partners.filter(organization=ngo).exists()


def test_new_organisation_is_not_kept_when_the_partner_is_refused(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(
        add_url(pilot),
        {
            "name": "Too Big Corp",
            "country": "FR",
            "kind": "company",
            "resource_share": "50",
            "joined_on": "2025-04-01",
        },
    )
    assert "cannot exceed 100%" in field_errors(response, "resource_share")
    assert not Organization.objects.filter(name="Too Big Corp").exists()


def test_new_organisation_without_country_is_refused(client, room):
    client.force_login(room.manager)
    response = client.post(
        add_url(room),
        {
            "name": "Nowhere Inc",
            "kind": "company",
            "resource_share": "5",
            "joined_on": "2025-04-01",
        },
    )
    assert "A new organisation needs this." in field_errors(response, "country")
    assert not Organization.objects.filter(name="Nowhere Inc").exists()


def test_an_organisation_must_be_chosen_or_described(client, room):
    client.force_login(room.manager)
    response = client.post(add_url(room), {"resource_share": "5", "joined_on": "2025-04-01"})
    assert "Choose an organisation" in field_errors(response, "organization")


def test_choosing_and_describing_an_organisation_at_once_is_refused(client, room, ngo):
    client.force_login(room.manager)
    response = client.post(
        add_url(room),
        {
            "organization": ngo.pk,
            "name": "Another",
            "country": "NL",
            "kind": "company",
            "resource_share": "5",
            "joined_on": "2025-04-01",
        },
    )
    assert "not both" in non_field_errors(response)
    assert room.alliance.partners.count() == 3


def test_manager_edits_a_partners_share_and_exit_dates(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(
        edit_url(pilot, pilot.techco),
        {"resource_share": "30", "joined_on": "2025-01-01", "exiting_on": "2025-12-31"},
    )
    assert response.status_code == 302
    pilot.techco.refresh_from_db()
    assert pilot.techco.resource_share == Decimal(30)
    assert str(pilot.techco.exiting_on) == "2025-12-31"


def test_raising_a_share_over_100_percent_is_refused(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(
        edit_url(pilot, pilot.techco), {"resource_share": "41", "joined_on": "2025-01-01"}
    )
    assert "cannot exceed 100%" in field_errors(response, "resource_share")
    pilot.techco.refresh_from_db()
    assert pilot.techco.resource_share == Decimal(40)


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_rep_cannot_add_or_edit_partners(client, pilot, ngo, persona):
    client.force_login(getattr(pilot, persona))
    assert client.get(add_url(pilot)).status_code == 403
    data = {"organization": ngo.pk, "resource_share": "0", "joined_on": "2025-04-01"}
    assert client.post(add_url(pilot), data).status_code == 403
    assert client.get(edit_url(pilot, pilot.techco)).status_code == 403
    assert not pilot.alliance.partners.filter(organization=ngo).exists()


def test_outsider_gets_404_for_partner_pages(client, pilot, outsider):
    client.force_login(outsider)
    assert client.get(add_url(pilot)).status_code == 404
    assert client.get(edit_url(pilot, pilot.techco)).status_code == 404


def test_partner_of_another_alliance_is_404_under_this_one(client, pilot, outsider):
    """A manager cannot reach another alliance's partner by putting its id under their alliance."""
    other_partner = Partner.objects.get(organization__name="Elsewhere Ltd")
    client.force_login(pilot.manager)
    assert client.get(edit_url(pilot, other_partner)).status_code == 404
