"""/api/v1/organizations/ and /api/v1/organizations/{organization_pk}/."""

from __future__ import annotations

import pytest

from alliances.models import Organization
from tests.factories import MembershipFactory, UserFactory

LIST = "/api/v1/organizations/"


def _detail(organization: Organization) -> str:
    return f"/api/v1/organizations/{organization.pk}/"


def test_member_lists_their_own_and_their_partners_organisations(api_as, pilot, outsider):
    response = api_as(pilot.rep).get(LIST)
    assert response.status_code == 200
    names = [o["name"] for o in response.json()["results"]]
    assert names == ["GreenAlliance", "LogiCorp", "TechCo"]


def test_outsider_lists_none_of_the_pilots_organisations(api_as, pilot, outsider):
    names = [o["name"] for o in api_as(outsider).get(LIST).json()["results"]]
    assert names == ["Elsewhere Ltd"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_organisations(
    api_as, django_assert_num_queries, count
):
    person = UserFactory()
    MembershipFactory.create_batch(count, person=person)
    client = api_as(person)
    # count, page of organisations
    with django_assert_num_queries(2):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count


def test_creator_becomes_a_member_of_the_new_organisation(api_as, outsider):
    body = {"name": "Harbour Authority", "country": "NL", "kind": "public_body"}
    response = api_as(outsider).post(LIST, body, format="json")
    assert response.status_code == 201
    assert response.json()["country"] == "NL"
    organization = Organization.objects.get(pk=response.json()["id"])
    assert organization.members.filter(pk=outsider.pk).exists()


def test_unknown_country_and_kind_get_400_per_field(api_as, outsider):
    body = {"name": "Somewhere", "country": "XX", "kind": "cartel"}
    response = api_as(outsider).post(LIST, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"country", "kind"}
    assert not Organization.objects.filter(name="Somewhere").exists()


def test_partner_organisation_is_readable_by_every_member(api_as, pilot):
    response = api_as(pilot.steering).get(_detail(pilot.techco.organization))
    assert response.status_code == 200
    assert response.json()["name"] == "TechCo"


def test_member_of_the_organisation_changes_it(api_as, pilot):
    response = api_as(pilot.rep).patch(
        _detail(pilot.techco.organization), {"name": "TechCo GmbH"}, format="json"
    )
    assert response.status_code == 200
    pilot.techco.organization.refresh_from_db()
    assert pilot.techco.organization.name == "TechCo GmbH"


def test_non_member_who_sees_the_organisation_gets_403_and_changes_nothing(api_as, pilot):
    response = api_as(pilot.steering).patch(
        _detail(pilot.techco.organization), {"name": "Hijacked"}, format="json"
    )
    assert response.status_code == 403
    pilot.techco.organization.refresh_from_db()
    assert pilot.techco.organization.name == "TechCo"


def test_outsider_gets_404_for_a_pilot_organisation(api_as, pilot, outsider):
    url = _detail(pilot.techco.organization)
    assert api_as(outsider).get(url).status_code == 404
    assert api_as(outsider).patch(url, {"name": "Hijacked"}, format="json").status_code == 404


def test_anonymous_gets_401_for_an_organisation(api_client, pilot):
    assert api_client.get(_detail(pilot.techco.organization)).status_code == 401
