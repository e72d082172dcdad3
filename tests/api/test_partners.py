"""/api/v1/alliances/{alliance_pk}/partners/ and .../partners/{partner_pk}/."""

from __future__ import annotations

import pytest

from alliances.models import Alliance, Partner
from tests.factories import MembershipFactory, OrganizationFactory, PartnerFactory


def _list(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/partners/"


def _detail(partner: Partner) -> str:
    return f"/api/v1/alliances/{partner.alliance_id}/partners/{partner.pk}/"


@pytest.fixture
def newcomer(pilot):
    """An organisation the manager belongs to that is not yet a partner of the pilot."""
    organization = OrganizationFactory(name="Cargo Bikes eG")
    MembershipFactory(person=pilot.manager, organization=organization)
    return organization


def test_member_lists_the_partners_with_their_organisations(api_as, pilot):
    response = api_as(pilot.steering).get(_list(pilot.alliance))
    assert response.status_code == 200
    rows = [(p["organization"]["name"], p["resource_share"]) for p in response.json()["results"]]
    assert rows == [("GreenAlliance", "25.00"), ("LogiCorp", "35.00"), ("TechCo", "40.00")]


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_partners(
    api_as, pilot, django_assert_num_queries, count
):
    PartnerFactory.create_batch(count - 3, alliance=pilot.alliance, resource_share=0)
    client = api_as(pilot.rep)
    # the alliance, count, page of partners with their organisations
    with django_assert_num_queries(3):
        response = client.get(_list(pilot.alliance))
    assert len(response.json()["results"]) == count


def test_manager_adds_an_organisation_they_can_see(api_as, pilot, newcomer):
    body = {"organization": newcomer.pk, "resource_share": "0", "joined_on": "2025-03-01"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 201
    assert response.json()["organization"]["name"] == "Cargo Bikes eG"
    assert response.json()["joined_on"] == "2025-03-01"
    assert pilot.alliance.partners.filter(organization=newcomer).exists()


def test_organisation_the_manager_cannot_see_gets_400_and_adds_nothing(api_as, pilot, outsider):
    hidden = outsider.organizations.get()
    body = {"organization": hidden.pk, "resource_share": "0"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["organization"]
    assert pilot.alliance.partners.count() == 3


def test_existing_partner_cannot_be_added_twice(api_as, pilot):
    body = {"organization": pilot.techco.organization_id, "resource_share": "0"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"organization": ["TechCo is already a partner."]}


def test_shares_above_100_percent_get_400_on_resource_share(api_as, pilot, newcomer):
    body = {"organization": newcomer.pk, "resource_share": "5"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["resource_share"]
    assert pilot.alliance.partners.count() == 3


def test_member_reads_one_partner(api_as, pilot):
    response = api_as(pilot.rep).get(_detail(pilot.logicorp))
    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_manager_updates_share_and_exit_date(api_as, pilot):
    body = {"resource_share": "30", "exiting_on": "2026-01-31"}
    response = api_as(pilot.manager).patch(_detail(pilot.techco), body, format="json")
    assert response.status_code == 200
    assert (response.json()["resource_share"], response.json()["status"]) == ("30.00", "exiting")
    pilot.techco.refresh_from_db()
    assert pilot.techco.resource_share == 30


def test_update_beyond_100_percent_gets_400_and_changes_nothing(api_as, pilot):
    response = api_as(pilot.manager).patch(
        _detail(pilot.techco), {"resource_share": "41"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["resource_share"]
    pilot.techco.refresh_from_db()
    assert pilot.techco.resource_share == 40


def test_partner_of_another_alliance_is_404_under_the_pilot(api_as, pilot, outsider):
    foreign = Partner.objects.exclude(alliance=pilot.alliance).get()
    url = f"/api/v1/alliances/{pilot.alliance.pk}/partners/{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.manager).patch(url, {"resource_share": "1"}).status_code == 404
