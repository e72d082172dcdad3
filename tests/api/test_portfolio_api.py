"""API v1 of the portfolio: the same rows, filters and sorts as the pages, a 400 for a bad
filter or sort, and an organisation's portfolio with its concentration risk for its members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from alliances.models import Alliance, User
from tests.factories import MembershipFactory, OrganizationFactory, PartnerFactory, UserFactory
from tests.pages.test_portfolio import (
    FAR,
    FakeSource,
    _bulk_alliances,
    _interests,
    alliance_of,
    install_fake,
    keeper_org,
    three_alliances,
)

PORTFOLIO = reverse("portfolio_api:portfolio")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    return install_fake(monkeypatch)


@pytest.fixture
def person(db) -> User:
    return UserFactory.create(email="keeper@example.org")


@pytest.fixture
def three(person, fake) -> dict[str, Alliance]:
    return three_alliances(person, fake)


@pytest.fixture
def org(db):
    return keeper_org()


def organization_url(pk: int) -> str:
    return reverse("portfolio_api:organization-portfolio", kwargs={"organization_pk": pk})


def test_anonymous_gets_401(api_client, db):
    assert api_client.get(PORTFOLIO).status_code == 401
    assert api_client.get(organization_url(1)).status_code == 401


def test_rows_most_in_need_of_attention_first(api_as, person, three, fake):
    fake.deadline(three["alpha"], "Review due", FAR)
    fake.deadline(three["alpha"], "Ballot closes", FAR + timedelta(days=2))
    fake.waiting(three["alpha"], person, "escalation", "Data ownership")
    fake.waiting(three["alpha"], person, "ballot", "Adopt the charter")
    fake.score(three["bravo"], "strategic", 30, move="map_interests")
    response = api_as(person).get(PORTFOLIO)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["name"] for row in body["rows"]] == ["Bravo", "Alpha", "Charlie"]
    alpha = body["rows"][1]
    assert alpha["alliance"] == three["alpha"].pk
    assert alpha["stage"] == "active"
    assert alpha["worst_state"] == "watch"
    assert alpha["needs_attention"] is True
    assert [(layer["layer"], layer["score"], layer["state"]) for layer in alpha["layers"]] == [
        ("strategic", 80, "healthy"),
        ("operational", 55, "watch"),
        ("relational", 90, "healthy"),
    ]
    assert [d["title"] for d in alpha["deadlines"]] == ["Review due", "Ballot closes"]
    assert alpha["deadlines"][0]["at"] == "2030-01-01T00:00:00Z"
    assert (alpha["open_escalations"], alpha["ballots_awaiting"]) == (1, 1)
    assert alpha["health_url"] == f"/alliances/{three['alpha'].pk}/health/"
    (move,) = body["moves"]
    assert (move["alliance"], move["alliance_name"], move["key"]) == (
        three["bravo"].pk,
        "Bravo",
        "map_interests",
    )
    assert move["url"] == f"/act/map_interests/{three['bravo'].pk}/"
    assert body["rows"][0]["moves"][0]["key"] == "map_interests"


def test_the_caller_s_organisations_concentration(api_as, fake, org):
    viewer, organization, partners = org
    _interests(partners["Bravo"], 2)
    (found,) = api_as(viewer).get(PORTFOLIO, {"stage": "forming"}).json()["concentrations"]
    assert (found["organization"], found["organization_name"]) == (organization.pk, "Keeper Org")
    assert (found["level"], found["shares"][0]["name"], found["shares"][0]["percent"]) == (
        "high",
        "Bravo",
        60,
    )


def test_same_sort_and_filters_as_the_page(api_as, person, three):
    client = api_as(person)
    assert [r["name"] for r in client.get(PORTFOLIO, {"sort": "-name"}).json()["rows"]] == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    rows = client.get(PORTFOLIO, {"state": "attention", "sort": "name"}).json()["rows"]
    assert [r["name"] for r in rows] == ["Alpha", "Bravo"]
    assert [r["name"] for r in client.get(PORTFOLIO, {"stage": "forming"}).json()["rows"]] == [
        "Charlie"
    ]
    assert [r["name"] for r in client.get(PORTFOLIO, {"q": "RAV"}).json()["rows"]] == ["Bravo"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "shoe-size"}, "sort"),
        ({"state": "on fire"}, "state"),
        ({"stage": "gone"}, "stage"),
        ({"organization": "abc"}, "organization"),
        ({"organization": "999999999999999999999"}, "organization"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(api_as, person, three, params, field):
    response = api_as(person).get(PORTFOLIO, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_organisation_outside_the_caller_s_alliances_is_a_400(api_as, person, three):
    elsewhere = OrganizationFactory.create()
    response = api_as(person).get(PORTFOLIO, {"organization": elsewhere.pk})
    assert response.status_code == 400
    assert "organization" in response.json()


def test_the_outsider_sees_only_their_own_alliance(api_as, person, three, outsider):
    rows = api_as(outsider).get(PORTFOLIO).json()["rows"]
    assert [row["name"] for row in rows] == ["Packaging coalition"]


def test_the_portfolio_costs_the_same_queries_for_3_and_300_alliances(
    api_as, person, django_assert_num_queries
):
    organizations = [OrganizationFactory.create(), OrganizationFactory.create()]
    MembershipFactory.create(person=person, organization=organizations[1])
    _bulk_alliances(person, organizations, 0, 3)
    client = api_as(person)
    with CaptureQueriesContext(connection) as for_3:
        assert client.get(PORTFOLIO).json()["count"] == 3
    _bulk_alliances(person, organizations, 3, 297)
    with django_assert_num_queries(len(for_3)):
        assert client.get(PORTFOLIO).json()["count"] == 300


# The organisation's portfolio ---------------------------------------------------------------


def test_members_get_rows_and_concentration(api_as, fake, org):
    viewer, organization, partners = org
    _interests(partners["Alpha"], 4)
    body = api_as(viewer).get(organization_url(organization.pk)).json()
    assert body["organization"]["name"] == "Keeper Org"
    assert [row["name"] for row in body["rows"]] == ["Alpha", "Bravo", "Charlie"]
    concentration = body["concentration"]
    assert concentration["level"] == "high"
    assert concentration["level_label"] == "High concentration"
    assert "Alpha holds 71% of Keeper Org's activity" in concentration["explanation"]
    assert "never counted" in concentration["method"]
    first = concentration["shares"][0]
    assert (first["name"], first["roles"], first["interests"], first["fits"]) == (
        "Alpha",
        1,
        4,
        0,
    )
    assert (first["activity"], first["percent"], first["resource_share"]) == (5, 71, "10.00")


def test_filters_apply_to_rows_but_never_to_concentration(api_as, fake, org):
    viewer, organization, _partners = org
    body = api_as(viewer).get(organization_url(organization.pk), {"q": "bravo"}).json()
    assert [row["name"] for row in body["rows"]] == ["Bravo"]
    assert len(body["concentration"]["shares"]) == 3
    assert body["concentration"]["level"] == "spread"


def test_an_alliance_the_caller_is_not_in_is_never_counted(api_as, fake, org):
    viewer, organization, _partners = org
    colleague = UserFactory.create()
    MembershipFactory.create(person=colleague, organization=organization)
    hidden = alliance_of(colleague, "Hidden venture")
    _interests(PartnerFactory.create(alliance=hidden, organization=organization), 50)
    body = api_as(viewer).get(organization_url(organization.pk)).json()
    assert "Hidden venture" not in str(body)
    assert sum(share["activity"] for share in body["concentration"]["shares"]) == 3


def test_the_organisation_filter_is_not_a_parameter_of_an_organisation_s_portfolio(
    api_as, fake, org
):
    viewer, organization, _partners = org
    other = OrganizationFactory.create()
    response = api_as(viewer).get(organization_url(organization.pk), {"organization": other.pk})
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 3


def test_bad_filters_on_an_organisation_s_portfolio_are_a_400(api_as, fake, org):
    viewer, organization, _partners = org
    response = api_as(viewer).get(organization_url(organization.pk), {"sort": "x"})
    assert response.status_code == 400
    assert list(response.json()) == ["sort"]


def test_a_partner_organisation_the_caller_is_not_a_member_of_is_403(api_as, pilot):
    response = api_as(pilot.manager).get(organization_url(pilot.techco.organization_id))
    assert response.status_code == 403
    assert response.json() == {"detail": "Only members of this organisation see its portfolio."}


def test_outsiders_get_404(api_as, pilot, outsider):
    response = api_as(outsider).get(organization_url(pilot.greenalliance.organization_id))
    assert response.status_code == 404


def test_members_in_a_pilot_role_see_the_pilot(api_as, pilot):
    response = api_as(pilot.rep).get(organization_url(pilot.techco.organization_id))
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["rows"]] == ["Last-mile carbon pilot"]
    assert response.json()["concentration"]["level"] == "high"


def test_dissolved_alliances_have_no_layers(api_as, person, fake):
    alliance_of(person, "Over", stage=Alliance.Stage.DISSOLVED)
    (row,) = api_as(person).get(PORTFOLIO).json()["rows"]
    assert (row["layers"], row["worst_state"], row["needs_attention"]) == ([], None, False)


# The schema ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_both_endpoints_are_in_the_schema_with_their_errors(schema):
    mine = schema["paths"]["/api/v1/portfolio/"]["get"]
    assert set(mine["responses"]) == {"200", "400", "401"}
    assert {p["name"] for p in mine["parameters"]} == {
        "q",
        "state",
        "stage",
        "organization",
        "sort",
    }
    sort = next(p for p in mine["parameters"] if p["name"] == "sort")
    assert "-relational" in sort["schema"]["enum"]
    theirs = schema["paths"]["/api/v1/organizations/{organization_pk}/portfolio/"]["get"]
    assert set(theirs["responses"]) == {"200", "400", "401", "403", "404"}
    assert "organization" not in {p["name"] for p in theirs["parameters"]}
    body = theirs["responses"]["400"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ValidationError"}


def test_the_schema_says_whose_escalations_and_ballots_are_counted(schema):
    row = schema["components"]["schemas"]["PortfolioRow"]["properties"]
    assert row["open_escalations"]["description"] == (
        "Escalations open in the alliance, whoever is to settle them."
    )
    assert row["ballots_awaiting"]["description"] == "Ballots awaiting the caller's vote."
    mine = schema["paths"]["/api/v1/portfolio/"]["get"]
    description = " ".join(mine["description"].split())
    assert "the open escalations and the ballots awaiting their vote" in description
