"""/api/v1/alliances/{alliance_pk}/interests/, one interest, its visibility and its history.

A partner's representatives keep its interests; everyone else in the alliance reads what they
may see. What other organisations may not see is covered in test_interest_privacy.
"""

from __future__ import annotations

from typing import Any

import pytest

from alliances.models import Interest, Role, VisibilityChange
from tests.factories import InterestFactory, PartnerFactory, RoleFactory

from .interest_map_data import fill_interest_map

HUGE = 10**30
ORG_ONLY = Interest.Visibility.ORGANIZATION
SUMMARY = Interest.Visibility.SUMMARY
SHARED = Interest.Visibility.ALLIANCE


def _list(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/interests/"


def _detail(interest: Interest, action: str = "") -> str:
    alliance_pk = interest.partner.alliance_id
    return f"/api/v1/alliances/{alliance_pk}/interests/{interest.pk}/{action}"


@pytest.fixture
def shared(pilot) -> Interest:
    return InterestFactory.create(
        partner=pilot.techco, statement="A product we can sell on", created_by=pilot.rep
    )


@pytest.fixture
def draft(pilot) -> Interest:
    return InterestFactory.create(
        partner=pilot.techco,
        statement="Keep the algorithms",
        visibility=ORG_ONLY,
        created_by=pilot.rep,
    )


def _new(pilot, **fields: Any) -> dict[str, Any]:
    return {"partner": pilot.techco.pk, "kind": "implicit", "statement": "Brand"} | fields


def _snapshot() -> list[tuple[Any, ...]]:
    fields = ("pk", "statement", "summary", "kind", "importance", "is_red_line", "visibility")
    return [*Interest.objects.values_list(*fields), VisibilityChange.objects.count()]


# Creating


def test_rep_adds_a_draft_for_their_partner_by_default(api_as, pilot):
    body = _new(pilot, importance=5, is_red_line=True)
    response = api_as(pilot.rep).post(_list(pilot), body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["text"] == "Brand"
    assert (data["visibility"], data["is_own"], data["is_summary"]) == (ORG_ONLY, True, False)
    interest = Interest.objects.get()
    assert (interest.partner, interest.created_by) == (pilot.techco, pilot.rep)
    assert not VisibilityChange.objects.exists()


def test_starting_wider_than_a_draft_is_recorded_as_sharing(api_as, pilot):
    body = _new(pilot, visibility=SUMMARY, summary="Our reputation")
    response = api_as(pilot.rep).post(_list(pilot), body, format="json")
    assert response.status_code == 201
    change = VisibilityChange.objects.get()
    assert (change.from_visibility, change.to_visibility, change.by) == (
        ORG_ONLY,
        SUMMARY,
        pilot.rep,
    )


def test_summary_only_interest_needs_a_summary(api_as, pilot):
    response = api_as(pilot.rep).post(_list(pilot), _new(pilot, visibility=SUMMARY), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["summary"]
    assert _snapshot() == [0]


@pytest.mark.parametrize(
    ("persona", "partner"),
    [("rep", "logicorp"), ("steering", "logicorp"), ("manager", "greenalliance")],
)
def test_only_the_partners_representatives_add_its_interests(api_as, pilot, persona, partner):
    body = _new(pilot, partner=getattr(pilot, partner).pk)
    response = api_as(getattr(pilot, persona)).post(_list(pilot), body, format="json")
    assert response.status_code == 403
    assert _snapshot() == [0]


@pytest.mark.parametrize(
    "fields",
    [
        {"partner": "abc"},
        {"partner": HUGE},
        {"partner": None},
        {"partner": [1]},
        {"kind": "secret"},
        {"kind": None},
        {"statement": ""},
        {"statement": {"an": "object"}},
        {"importance": 0},
        {"importance": 6},
        {"importance": "high"},
        {"importance": HUGE},
        {"is_red_line": "maybe"},
        {"visibility": "everyone"},
        {"summary": "x" * 301},
    ],
    ids=repr,
)
def test_invalid_fields_get_400_on_that_field_and_add_nothing(api_as, pilot, fields):
    response = api_as(pilot.rep).post(_list(pilot), _new(pilot, **fields), format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(fields)
    assert _snapshot() == [0]


def test_partner_of_another_alliance_gets_400(api_as, pilot):
    elsewhere = PartnerFactory.create()
    body = _new(pilot, partner=elsewhere.pk)
    response = api_as(pilot.rep).post(_list(pilot), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]


# Reading


def test_members_list_the_interests_they_may_see_red_lines_first(api_as, pilot, shared):
    InterestFactory.create(partner=pilot.logicorp, statement="Fast rounds", is_red_line=True)
    response = api_as(pilot.steering).get(_list(pilot))
    assert response.status_code == 200
    texts = [i["text"] for i in response.json()["results"]]
    assert texts == ["Fast rounds", "A product we can sell on"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("partner={logicorp}", ["Speed"]),
        ("kind=implicit", ["Credibility"]),
        ("red_line=true", ["Speed"]),
        ("red_line=false&kind=explicit", ["A product we can sell on"]),
    ],
)
def test_list_filters_by_partner_kind_and_red_line(api_as, pilot, shared, query, expected):
    InterestFactory.create(partner=pilot.logicorp, statement="Speed", is_red_line=True)
    InterestFactory.create(partner=pilot.greenalliance, statement="Credibility", kind="implicit")
    url = _list(pilot) + "?" + query.format(logicorp=pilot.logicorp.pk)
    response = api_as(pilot.manager).get(url)
    assert [i["text"] for i in response.json()["results"]] == expected


@pytest.mark.parametrize(
    "query", ["partner=abc", f"partner={HUGE}", "partner=-1", "kind=secret", "partner=1.5"]
)
def test_bad_filters_get_400(api_as, pilot, query):
    response = api_as(pilot.manager).get(_list(pilot) + "?" + query)
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_read_a_shared_interest(api_as, pilot, shared, persona):
    response = api_as(getattr(pilot, persona)).get(_detail(shared))
    assert response.status_code == 200
    assert response.json()["text"] == "A product we can sell on"
    assert response.json()["is_own"] is (persona == "rep")


def test_outsider_and_anonymous_never_reach_an_interest(
    api_as, api_client, pilot, outsider, shared
):
    for client, code in ((api_as(outsider), 404), (api_client, 401)):
        assert client.get(_list(pilot)).status_code == code
        assert client.get(_detail(shared)).status_code == code
        assert client.post(_list(pilot), _new(pilot), format="json").status_code == code
        assert client.patch(_detail(shared), {"importance": 1}, format="json").status_code == code
        assert client.delete(_detail(shared)).status_code == code
    assert _snapshot()[0] == (shared.pk, shared.statement, "", "explicit", 3, False, SHARED)


# Changing


def test_rep_changes_what_their_interest_says(api_as, pilot, shared):
    body = {"statement": "A product we own", "importance": 5, "kind": "implicit"}
    response = api_as(pilot.rep).patch(_detail(shared), body, format="json")
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["importance"]) == ("A product we own", 5)
    shared.refresh_from_db()
    assert (shared.statement, shared.kind) == ("A product we own", "implicit")


def test_patch_never_changes_visibility(api_as, pilot, draft):
    body = {"visibility": SHARED, "importance": 1}
    response = api_as(pilot.rep).patch(_detail(draft), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["visibility"]
    draft.refresh_from_db()
    assert (draft.visibility, draft.importance) == (ORG_ONLY, 3)


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_others_get_403_on_a_shared_interest_and_nothing_changes(api_as, pilot, shared, persona):
    before = _snapshot()
    client = api_as(getattr(pilot, persona))
    assert client.patch(_detail(shared), {"importance": 1}, format="json").status_code == 403
    assert client.delete(_detail(shared)).status_code == 403
    body = {"visibility": ORG_ONLY}
    assert client.post(_detail(shared, "visibility/"), body, format="json").status_code == 403
    assert _snapshot() == before


def test_steering_member_of_the_same_organisation_reads_but_does_not_edit(api_as, pilot):
    own = InterestFactory.create(partner=pilot.logicorp, visibility=ORG_ONLY)
    client = api_as(pilot.steering)
    assert client.get(_detail(own)).json()["is_own"] is True
    assert client.patch(_detail(own), {"importance": 1}, format="json").status_code == 403


@pytest.mark.parametrize(
    "fields",
    [{"importance": 9}, {"importance": "abc"}, {"statement": ""}, {"kind": "other"}],
    ids=repr,
)
def test_invalid_changes_get_400_on_that_field(api_as, pilot, shared, fields):
    before = _snapshot()
    response = api_as(pilot.rep).patch(_detail(shared), fields, format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(fields)
    assert _snapshot() == before


def test_rep_removes_their_interest(api_as, pilot, shared):
    assert api_as(pilot.rep).delete(_detail(shared)).status_code == 204
    assert not Interest.objects.exists()


# Sharing


def test_sharing_a_draft_as_a_summary_is_recorded(api_as, pilot, draft):
    body = {"visibility": SUMMARY, "summary": "Rights to what we build"}
    response = api_as(pilot.rep).post(_detail(draft, "visibility/"), body, format="json")
    assert response.status_code == 200
    assert response.json()["visibility"] == SUMMARY
    assert response.json()["text"] == "Keep the algorithms"  # the owner still sees it all
    change = VisibilityChange.objects.get()
    assert (change.interest, change.from_visibility, change.to_visibility, change.by) == (
        draft,
        ORG_ONLY,
        SUMMARY,
        pilot.rep,
    )
    seen = api_as(pilot.manager).get(_detail(draft)).json()
    assert (seen["text"], seen["is_summary"]) == ("Rights to what we build", True)


@pytest.mark.parametrize(
    "body",
    [
        {"visibility": SUMMARY},
        {"visibility": ORG_ONLY},
        {"visibility": "public"},
        {"visibility": None},
        {"visibility": SHARED, "summary": ["x"]},
        {},
    ],
    ids=repr,
)
def test_sharing_that_cannot_happen_gets_400_and_records_nothing(api_as, pilot, draft, body):
    before = _snapshot()
    response = api_as(pilot.rep).post(_detail(draft, "visibility/"), body, format="json")
    assert response.status_code == 400
    assert _snapshot() == before


def test_the_owners_organisation_reads_the_visibility_history(api_as, pilot, draft):
    client = api_as(pilot.rep)
    client.post(_detail(draft, "visibility/"), {"visibility": SHARED}, format="json")
    response = client.get(_detail(draft, "visibility-history/"))
    assert response.status_code == 200
    (change,) = response.json()["results"]
    assert (change["from_visibility"], change["to_visibility"]) == (ORG_ONLY, SHARED)
    assert change["by"]["email"] == "rep@techco.example"


@pytest.mark.parametrize("persona", ["manager", "steering"])
@pytest.mark.parametrize("visibility", [SUMMARY, SHARED])
def test_other_organisations_get_403_for_the_history(api_as, pilot, persona, visibility):
    interest = InterestFactory.create(partner=pilot.techco, visibility=visibility, summary="S")
    response = api_as(getattr(pilot, persona)).get(_detail(interest, "visibility-history/"))
    assert response.status_code == 403


def test_a_second_representative_of_another_partner_is_turned_away_too(api_as, pilot, shared):
    other_rep = RoleFactory.create(
        alliance=pilot.alliance, kind=Role.Kind.PARTNER_REPRESENTATIVE, partner=pilot.logicorp
    ).person
    response = api_as(other_rep).patch(_detail(shared), {"importance": 1}, format="json")
    assert response.status_code == 403


# Query counts


@pytest.mark.parametrize(("partners", "goals"), [(3, 5), (10, 30)])
def test_list_takes_the_same_queries_from_3x5_to_10x30(
    api_as, pilot, django_assert_num_queries, partners, goals
):
    fill_interest_map(pilot.alliance, partners=partners, goals=goals)
    client = api_as(pilot.manager)
    # the alliance, count, page of interests
    with django_assert_num_queries(3):
        response = client.get(_list(pilot))
    assert response.json()["count"] == 2 * partners + 1  # no drafts but GreenAlliance's own


def test_clearing_the_summary_of_a_summary_only_interest_gets_400(api_as, pilot):
    interest = InterestFactory.create(
        partner=pilot.techco, visibility=SUMMARY, summary="In short", created_by=pilot.rep
    )
    before = _snapshot()
    response = api_as(pilot.rep).patch(_detail(interest), {"summary": ""}, format="json")
    assert response.status_code == 400
    assert _snapshot() == before


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_interest_ids_out_of_range_get_404(api_as, pilot, method):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/interests/{HUGE}/"
    assert getattr(api_as(pilot.rep), method)(url, {}, format="json").status_code == 404
    assert api_as(pilot.rep).post(url + "visibility/", {"visibility": SHARED}).status_code == 404
