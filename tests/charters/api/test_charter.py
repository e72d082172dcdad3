"""GET /api/v1/alliances/{alliance_pk}/charter/, .../charter/audit/ and .../charter/diff/.

The charter shows the version in force with its rules as structured JSON and in plain
language, the open draft and every version; the audit lists each item with its reason; the
diff compares two versions' prose line by line and rules topic by topic.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from charters import services
from tests.factories import AllianceFactory


def _charter(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/charter/"


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_reads_the_version_in_force_with_its_rules_in_words(
    api_as, pilot, adopted, draft, persona
):
    response = api_as(getattr(pilot, persona)).get(_charter(pilot))
    assert response.status_code == 200
    data = response.json()
    in_force = data["in_force"]
    assert (in_force["id"], in_force["number"], in_force["status"]) == (adopted.pk, 1, "adopted")
    assert in_force["rules"]["scopes"]["execution"] == {
        "mode": "lead_partner",
        "lead_partner": pilot.techco.pk,
        "veto_holders": [],
    }
    assert in_force["rules"]["quorum"] == "0.6000"
    words = {line["topic"]: line["text"] for line in in_force["rules_described"]}
    assert words["Execution"] == "A lead partner decides: TechCo"
    assert "veto: GreenAlliance" in words["Strategy"]
    assert words["Escalation ladder"] == (
        "Working group (7 d) → Steering committee (10 d) → Executive sponsors"
    )
    assert "<h1>How we decide</h1>" in in_force["rendered_prose"]
    assert data["open_draft"] == draft.pk
    assert [v["number"] for v in data["versions"]] == [2, 1]


def test_an_alliance_without_a_charter_has_nothing_in_force(api_as, pilot):
    response = api_as(pilot.rep).get(_charter(pilot))
    assert response.status_code == 200
    assert response.json() == {"in_force": None, "open_draft": None, "versions": []}


def test_a_proposed_version_is_the_open_draft(api_as, pilot, adopted, draft):
    services.version_propose(version=draft, by=pilot.manager)
    data = api_as(pilot.steering).get(_charter(pilot)).json()
    assert data["open_draft"] == draft.pk
    assert data["versions"][0]["status"] == "proposed"


# Audit


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_reads_the_audit_with_a_reason_per_item(api_as, pilot, adopted, persona):
    response = api_as(getattr(pilot, persona)).get(_charter(pilot) + "audit/")
    assert response.status_code == 200
    items = {item["key"]: item for item in response.json()}
    assert {"decisions", "ladder", "exit", "review", "minority"} <= items.keys()
    assert items["decisions"]["status"] == "passed"
    assert items["ladder"]["status"] == "passed"
    assert items["exit"]["status"] == "missing"
    assert all(item["title"] and item["reason"] for item in items.values())


def test_without_a_charter_the_audit_says_what_is_missing(api_as, pilot):
    items = {i["key"]: i for i in api_as(pilot.rep).get(_charter(pilot) + "audit/").json()}
    assert items["decisions"]["status"] == "missing"
    assert "Strategy" in items["decisions"]["reason"]


# Diff


def test_the_diff_compares_prose_lines_and_rule_topics(api_as, pilot, adopted, draft):
    rules = draft.rules
    rules.quorum = Decimal("0.75")
    services.version_update(
        version=draft, summary="Higher quorum", prose=adopted.prose + "\n\nNew line.", rules=rules
    )
    url = f"{_charter(pilot)}diff/?from={adopted.pk}&to={draft.pk}"
    response = api_as(pilot.steering).get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["old"]["number"], data["new"]["number"]) == (1, 2)
    assert {"tag": "added", "old": "", "new": "New line."} in data["prose"]
    quorum = next(row for row in data["rules"] if row["topic"] == "Quorum")
    assert quorum == {
        "topic": "Quorum",
        "tag": "changed",
        "old": "60% of the voting weight",
        "new": "75% of the voting weight",
    }
    assert {row["tag"] for row in data["rules"] if row["topic"] != "Quorum"} == {"equal"}


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "from"), ("?from=1", "to"), ("?from=abc&to=1", "from"), ("?from=-1&to=1", "from")],
)
def test_the_diff_needs_two_version_ids(api_as, pilot, adopted, query, field):
    response = api_as(pilot.rep).get(f"{_charter(pilot)}diff/{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_the_diff_of_another_alliances_version_is_a_400(api_as, pilot, adopted, outsider):
    other = AllianceFactory.create()
    foreign = services.version_draft(alliance=other, by=outsider)
    url = f"{_charter(pilot)}diff/?from={adopted.pk}&to={foreign.pk}"
    response = api_as(pilot.manager).get(url)
    assert response.status_code == 400
    assert response.json() == {"to": ["No such version of this charter."]}
