"""/api/v1/alliances/ and /api/v1/alliances/{alliance_pk}/: list, create, read, update."""

from __future__ import annotations

import pytest

from alliances.models import Alliance, Role, StageTransition
from tests.factories import AllianceFactory, PartnerFactory, RoleFactory, UserFactory

LIST = "/api/v1/alliances/"


def _detail(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/"


def _give_alliances(person, count: int, **fields) -> list[Alliance]:
    alliances = AllianceFactory.create_batch(count, **fields)
    for alliance in alliances:
        PartnerFactory.create_batch(2, alliance=alliance)
        RoleFactory(alliance=alliance, person=person, kind=Role.Kind.COALITION_MANAGER)
        RoleFactory(alliance=alliance, kind=Role.Kind.OBSERVER)
    return alliances


def test_member_lists_the_pilot_with_partner_count_and_own_roles(api_as, pilot):
    response = api_as(pilot.rep).get(LIST)
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["name"] == "Last-mile carbon pilot"
    assert item["partner_count"] == 3
    assert [(r["kind"], r["partner"]) for r in item["my_roles"]] == [
        ("representative", pilot.techco.pk)
    ]


def test_outsider_list_does_not_include_the_pilot(api_as, pilot, outsider):
    names = [a["name"] for a in api_as(outsider).get(LIST).json()["results"]]
    assert names == ["Packaging coalition"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=proposed", ["Proposed JV"]),
        ("form=advocacy_coalition", ["Fast coalition"]),
        ("market_pace=fast", ["Fast coalition"]),
        ("stage=active&form=joint_venture", ["Last-mile carbon pilot"]),
    ],
)
def test_list_filters_by_stage_form_and_market_pace(api_as, pilot, query, expected):
    _give_alliances(pilot.manager, 1, name="Proposed JV", stage="proposed")
    _give_alliances(
        pilot.manager, 1, name="Fast coalition", form="advocacy_coalition", market_pace="fast"
    )
    response = api_as(pilot.manager).get(f"{LIST}?{query}")
    assert [a["name"] for a in response.json()["results"]] == expected


def test_unknown_filter_choice_gets_400_on_that_filter(api_as, pilot):
    response = api_as(pilot.manager).get(f"{LIST}?stage=thriving")
    assert response.status_code == 400
    assert list(response.json()) == ["stage"]


def test_list_is_paginated_by_50(api_as, db):
    person = UserFactory()
    _give_alliances(person, 51)
    first = api_as(person).get(LIST).json()
    assert first["count"] == 51
    assert len(first["results"]) == 50
    second = api_as(person).get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_alliances(
    api_as, django_assert_num_queries, count
):
    person = UserFactory()
    _give_alliances(person, count)
    client = api_as(person)
    # count, page of alliances with partner counts, the caller's roles
    with django_assert_num_queries(3):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count


def test_signed_in_person_creates_an_alliance_and_becomes_its_manager(api_as, outsider):
    body = {"name": "Cold-chain data pool", "purpose": "Share fridge data.", "form": "informal"}
    response = api_as(outsider).post(LIST, body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["stage"] == "proposed"
    assert created["partner_count"] == 0
    assert [r["kind"] for r in created["my_roles"]] == ["manager"]
    alliance = Alliance.objects.get(pk=created["id"])
    assert alliance.is_managed_by(outsider)
    assert StageTransition.objects.filter(alliance=alliance, by=outsider).count() == 1


def test_project_based_alliance_without_end_gets_400_on_expected_end_and_is_not_created(
    api_as, outsider
):
    body = {"name": "Pilot", "purpose": "Try.", "form": "project_based"}
    response = api_as(outsider).post(LIST, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["expected_end"]
    assert not Alliance.objects.filter(name="Pilot").exists()


def test_create_with_missing_fields_gets_400_per_field(api_as, outsider):
    response = api_as(outsider).post(LIST, {"form": "cartel"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "purpose", "form"}


def test_member_reads_the_alliance(api_as, pilot):
    response = api_as(pilot.steering).get(_detail(pilot.alliance))
    assert response.status_code == 200
    assert response.json()["partner_count"] == 3
    assert [r["kind"] for r in response.json()["my_roles"]] == ["steering"]


def test_manager_updates_the_alliance(api_as, pilot):
    body = {"name": "Carbon pilot, phase 2", "market_pace": "fast"}
    response = api_as(pilot.manager).patch(_detail(pilot.alliance), body, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Carbon pilot, phase 2"
    pilot.alliance.refresh_from_db()
    assert (pilot.alliance.name, pilot.alliance.market_pace) == ("Carbon pilot, phase 2", "fast")


def test_invalid_update_gets_400_per_field_and_changes_nothing(api_as, pilot):
    body = {"name": "", "form": "project_based"}
    response = api_as(pilot.manager).patch(_detail(pilot.alliance), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    response = api_as(pilot.manager).patch(
        _detail(pilot.alliance), {"form": "project_based"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["expected_end"]
    pilot.alliance.refresh_from_db()
    assert (pilot.alliance.name, pilot.alliance.form) == ("Last-mile carbon pilot", "joint_venture")


def test_stage_cannot_be_changed_by_editing_the_alliance(api_as, pilot):
    response = api_as(pilot.manager).patch(
        _detail(pilot.alliance), {"stage": "dissolved"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "active"
