"""What another organisation may not see never reaches it through the API.

TechCo keeps three interests: a draft (own organisation only), a summary-only one and a shared
one, each with a link note. The coalition manager (GreenAlliance), the steering member and a
representative of LogiCorp are other organisations; TechCo's representative is the owner.

- The draft does not exist for others: absent from lists, counts, filters, links, the gap
  analysis, scores and the portfolio, and every URL naming it answers exactly like an id that
  never existed (404, never 403).
- The summary-only interest shows its summary, never its statement, and none of its link notes.
- The owner sees everything.
"""

from __future__ import annotations

from typing import Any

import pytest

from alliances.models import Interest, InterestLink, Role, User, VisibilityChange
from tests.factories import GoalFactory, InterestFactory, InterestLinkFactory, RoleFactory

ORG_ONLY = Interest.Visibility.ORGANIZATION
SUMMARY = Interest.Visibility.SUMMARY
SHARED = Interest.Visibility.ALLIANCE
CONFLICTS = InterestLink.Effect.CONFLICTS
PORTFOLIO = "/api/v1/portfolio/alignment/"


class Map:
    def __init__(self, pilot: Any) -> None:
        self.goal = GoalFactory.create(alliance=pilot.alliance, title="Open emissions data")
        self.draft = self._interest(pilot, ORG_ONLY, "DRAFT", kind="implicit")
        self.summary_only = self._interest(pilot, SUMMARY, "HIDDEN", kind="implicit")
        self.shared = self._interest(pilot, SHARED, "Shared", effect="supports")

    def _interest(self, pilot: Any, visibility: str, word: str, **fields: Any) -> Interest:
        effect = fields.pop("effect", CONFLICTS)
        interest = InterestFactory.create(
            partner=pilot.techco,
            visibility=visibility,
            statement=f"{word} statement",
            summary=f"{word.lower()} in short",
            is_red_line=True,
            created_by=pilot.rep,
            **fields,
        )
        note = f"{word} note"
        InterestLinkFactory(interest=interest, goal=self.goal, effect=effect, note=note)
        return interest


@pytest.fixture
def techco_map(pilot) -> Map:
    return Map(pilot)


@pytest.fixture
def logicorp_rep(pilot) -> User:
    role = RoleFactory.create(
        alliance=pilot.alliance, kind=Role.Kind.PARTNER_REPRESENTATIVE, partner=pilot.logicorp
    )
    return role.person


OTHERS = ["manager", "steering", "logicorp_rep"]


def _person(pilot: Any, name: str, request: Any) -> User:
    return request.getfixturevalue(name) if name == "logicorp_rep" else getattr(pilot, name)


def _url(pilot: Any, interest_pk: int, action: str = "") -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/interests/{interest_pk}/{action}"


def _snapshot() -> list[Any]:
    return [
        list(
            Interest.objects.values_list("pk", "statement", "summary", "visibility", "importance")
        ),
        list(InterestLink.objects.values_list("pk", "effect", "note")),
        VisibilityChange.objects.count(),
    ]


def _missing_pk() -> int:
    return Interest.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000


# The draft does not exist for other organisations.


REQUESTS_NAMING_AN_INTEREST = [
    ("get", "", None),
    ("patch", "", {"importance": 1}),
    ("delete", "", None),
    ("get", "links/", None),
    ("post", "links/", {"goal": "GOAL", "effect": "supports"}),
    ("delete", "links/LINK/", None),
    ("post", "visibility/", {"visibility": SHARED}),
    ("get", "visibility-history/", None),
]


@pytest.mark.parametrize("persona", OTHERS)
@pytest.mark.parametrize(("method", "action", "body"), REQUESTS_NAMING_AN_INTEREST)
def test_others_get_for_the_draft_exactly_what_a_missing_id_gets(
    api_as, pilot, techco_map, request, persona, method, action, body
):
    client = api_as(_person(pilot, persona, request))
    link = techco_map.draft.links.get()
    action = action.replace("LINK", str(link.pk))
    body = body and {k: techco_map.goal.pk if v == "GOAL" else v for k, v in body.items()}
    before = _snapshot()

    def ask(interest_pk: int) -> Any:
        return getattr(client, method)(_url(pilot, interest_pk, action), body, format="json")

    hidden, missing = ask(techco_map.draft.pk), ask(_missing_pk())
    assert (hidden.status_code, hidden.json()) == (404, missing.json())
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_draft_is_absent_from_others_lists_counts_and_filters(api_as, pilot, techco_map, persona):
    client = api_as(getattr(pilot, persona))
    base = f"/api/v1/alliances/{pilot.alliance.pk}/interests/"
    for query in ("", f"?partner={pilot.techco.pk}", "?kind=implicit", "?red_line=true"):
        response = client.get(base + query)
        ids = {i["id"] for i in response.json()["results"]}
        assert techco_map.draft.pk not in ids, query
        assert response.json()["count"] == len(ids), query
        assert b"DRAFT" not in response.content
    assert client.get(base).json()["count"] == 2


def _answers_for_others(client: Any, pilot: Any) -> list[Any]:
    urls = [
        f"/api/v1/alliances/{pilot.alliance.pk}/interests/",
        f"/api/v1/alliances/{pilot.alliance.pk}/alignment/",
        PORTFOLIO,
    ]
    return [client.get(url).json() for url in urls]


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_others_cannot_tell_whether_a_draft_exists(api_as, pilot, techco_map, persona):
    """Lists, counts, the gap analysis, scores and the portfolio read the same without it."""
    client = api_as(getattr(pilot, persona))
    with_draft = _answers_for_others(client, pilot)
    techco_map.draft.delete()
    assert _answers_for_others(client, pilot) == with_draft


def test_the_draft_counts_for_its_own_organisation(api_as, pilot, techco_map):
    client = api_as(pilot.rep)
    with_draft = _answers_for_others(client, pilot)
    assert with_draft[1]["partners"][2]["interests"] == 3  # TechCo's row
    assert len(with_draft[1]["red_lines_at_risk"]) == 2
    techco_map.draft.delete()
    assert _answers_for_others(client, pilot) != with_draft


def test_draft_leaves_others_gap_analysis_and_scores(api_as, pilot, techco_map):
    body = api_as(pilot.manager).get(f"/api/v1/alliances/{pilot.alliance.pk}/alignment/").json()
    techco = next(p for p in body["partners"] if p["partner"]["organization"] == "TechCo")
    # shared (weight 6, served) and summary-only (weight 6, at risk): the draft would be a third
    assert (techco["interests"], techco["score"], body["score"]) == (2, 50, 50)
    assert [c["interest"]["id"] for c in body["red_lines_at_risk"]] == [techco_map.summary_only.pk]
    (entry,) = api_as(pilot.manager).get(PORTFOLIO).json()["results"]
    assert (entry["red_lines_at_risk"], entry["conflicts"], entry["unserved"]) == (1, 1, 1)


# The summary-only interest shows its summary to others, never its statement or link notes.


@pytest.mark.parametrize("persona", OTHERS)
def test_others_see_the_summary_in_list_and_detail(api_as, pilot, techco_map, request, persona):
    client = api_as(_person(pilot, persona, request))
    listed = client.get(f"/api/v1/alliances/{pilot.alliance.pk}/interests/")
    detail = client.get(_url(pilot, techco_map.summary_only.pk))
    seen = next(i for i in listed.json()["results"] if i["id"] == techco_map.summary_only.pk)
    assert seen == detail.json()
    assert (seen["text"], seen["is_summary"], seen["is_own"]) == ("hidden in short", True, False)
    for response in (listed, detail):
        assert b"HIDDEN" not in response.content


@pytest.mark.parametrize("persona", OTHERS)
def test_others_see_no_link_notes_of_a_summary_only_interest(
    api_as, pilot, techco_map, request, persona
):
    client = api_as(_person(pilot, persona, request))
    response = client.get(_url(pilot, techco_map.summary_only.pk, "links/"))
    (link,) = response.json()["results"]
    assert (link["effect"], link["note"]) == ("conflicts", "")
    assert b"HIDDEN" not in response.content
    shared = client.get(_url(pilot, techco_map.shared.pk, "links/")).json()["results"]
    assert shared[0]["note"] == "Shared note"


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_others_gap_analysis_shows_the_summary_and_no_note(api_as, pilot, techco_map, persona):
    response = api_as(getattr(pilot, persona)).get(
        f"/api/v1/alliances/{pilot.alliance.pk}/alignment/"
    )
    (at_risk,) = response.json()["red_lines_at_risk"]
    assert (at_risk["interest"]["text"], at_risk["note"]) == ("hidden in short", "")
    assert response.json()["unserved"] == [at_risk["interest"]]
    assert b"HIDDEN" not in response.content
    assert b"DRAFT" not in response.content


def test_steering_gets_403_not_the_statement_when_editing_a_summary_only_interest(
    api_as, pilot, techco_map
):
    response = api_as(pilot.steering).patch(
        _url(pilot, techco_map.summary_only.pk), {"importance": 1}, format="json"
    )
    assert response.status_code == 403
    assert b"HIDDEN" not in response.content


# The owner sees everything.


def test_owner_sees_statements_and_notes_everywhere(api_as, pilot, techco_map):
    client = api_as(pilot.rep)
    listed = client.get(f"/api/v1/alliances/{pilot.alliance.pk}/interests/").json()["results"]
    assert {i["text"] for i in listed} == {
        "DRAFT statement",
        "HIDDEN statement",
        "Shared statement",
    }
    assert all(i["is_own"] and not i["is_summary"] for i in listed)
    detail = client.get(_url(pilot, techco_map.summary_only.pk)).json()
    assert detail["text"] == "HIDDEN statement"
    links = client.get(_url(pilot, techco_map.draft.pk, "links/")).json()["results"]
    assert links[0]["note"] == "DRAFT note"
    alignment = client.get(f"/api/v1/alliances/{pilot.alliance.pk}/alignment/").json()
    notes = {c["note"] for c in alignment["red_lines_at_risk"]}
    assert notes == {"DRAFT note", "HIDDEN note"}


def test_sharing_the_draft_as_a_summary_shows_others_its_summary_only(api_as, pilot, techco_map):
    url = _url(pilot, techco_map.draft.pk)
    manager = api_as(pilot.manager)
    assert manager.get(url).status_code == 404
    body = {"visibility": SUMMARY, "summary": "We keep what we build"}
    assert api_as(pilot.rep).post(url + "visibility/", body, format="json").status_code == 200
    seen = manager.get(url).json()
    assert (seen["text"], seen["is_summary"]) == ("We keep what we build", True)
    alignment = manager.get(f"/api/v1/alliances/{pilot.alliance.pk}/alignment/")
    assert len(alignment.json()["red_lines_at_risk"]) == 2
    assert b"DRAFT" not in alignment.content
    change = VisibilityChange.objects.get(interest=techco_map.draft)
    assert (change.from_visibility, change.to_visibility, change.by) == (
        ORG_ONLY,
        SUMMARY,
        pilot.rep,
    )
