"""/api/v1/alliances/{alliance_pk}/roles/ and .../roles/{role_pk}/."""

from __future__ import annotations

import pytest

from alliances.models import Alliance, Role
from tests.factories import PartnerFactory, RoleFactory


def _list(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/roles/"


def _detail(role: Role) -> str:
    return f"/api/v1/alliances/{role.alliance_id}/roles/{role.pk}/"


def test_any_member_lists_who_does_what(api_as, pilot):
    response = api_as(pilot.rep).get(_list(pilot.alliance))
    assert response.status_code == 200
    rows = {(r["person"]["email"], r["kind"]) for r in response.json()["results"]}
    assert rows == {
        ("manager@greenalliance.example", "manager"),
        ("rep@techco.example", "representative"),
        ("steering@logicorp.example", "steering"),
    }


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_roles(
    api_as, pilot, django_assert_num_queries, count
):
    RoleFactory.create_batch(count - 3, alliance=pilot.alliance)
    client = api_as(pilot.steering)
    # the alliance, count, page of roles with their people
    with django_assert_num_queries(3):
        response = client.get(_list(pilot.alliance))
    assert len(response.json()["results"]) == count


def test_manager_gives_a_member_another_role(api_as, pilot):
    body = {"person_email": "REP@techco.example", "kind": "sponsor", "partner": pilot.techco.pk}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 201
    assert response.json()["person"]["email"] == "rep@techco.example"
    assert pilot.alliance.role_kinds_of(pilot.rep) == {"representative", "sponsor"}


def test_someone_without_a_role_here_must_be_invited(api_as, pilot, outsider):
    body = {"person_email": "outsider@elsewhere.example", "kind": "observer"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["person_email"]
    assert not pilot.alliance.roles.filter(person=outsider).exists()


def test_partner_role_without_a_partner_gets_400_on_partner(api_as, pilot):
    body = {"person_email": "steering@logicorp.example", "kind": "representative"}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]


def test_partner_of_another_alliance_does_not_exist_here(api_as, pilot):
    foreign = PartnerFactory.create()
    body = {"person_email": "rep@techco.example", "kind": "sponsor", "partner": foreign.pk}
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]


def test_a_role_held_already_gets_400_on_kind(api_as, pilot):
    body = {
        "person_email": "rep@techco.example",
        "kind": "representative",
        "partner": pilot.techco.pk,
    }
    response = api_as(pilot.manager).post(_list(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_member_reads_one_role(api_as, pilot):
    role = pilot.alliance.roles.get(person=pilot.manager)
    response = api_as(pilot.rep).get(_detail(role))
    assert response.status_code == 200
    assert response.json()["kind"] == "manager"


def test_manager_revokes_a_role(api_as, pilot):
    role = pilot.alliance.roles.get(person=pilot.rep)
    assert api_as(pilot.manager).delete(_detail(role)).status_code == 204
    assert not Role.objects.filter(pk=role.pk).exists()


def test_last_coalition_manager_cannot_be_revoked(api_as, pilot):
    role = pilot.alliance.roles.get(person=pilot.manager)
    response = api_as(pilot.manager).delete(_detail(role))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["An alliance needs at least one coalition manager."]
    }
    assert Role.objects.filter(pk=role.pk).exists()


def test_role_of_another_alliance_is_404_under_the_pilot(api_as, pilot, outsider):
    foreign = Role.objects.get(person=outsider)
    url = f"/api/v1/alliances/{pilot.alliance.pk}/roles/{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.manager).delete(url).status_code == 404
    assert Role.objects.filter(pk=foreign.pk).exists()
