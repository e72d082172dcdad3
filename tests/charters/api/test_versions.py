"""/api/v1/alliances/{alliance_pk}/charter/versions/: drafting, changing, withdrawing and
proposing charter versions (coalition managers), reading them (every member).

Rules are structured JSON validated by charters.rules: an incoherent rule is a 400 that
names it, and nothing changes. Proposing the first version opens a ballot that needs every
partner (unanimity).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from charters import services
from charters.models import Ballot, Charter, CharterVersion
from tests.factories import UserFactory

from .conftest import good_rules


def _versions(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/charter/versions/"


def _version(version: CharterVersion, action: str = "") -> str:
    alliance = version.charter.alliance_id
    url = f"/api/v1/alliances/{alliance}/charter/versions/{version.pk}/"
    return url + (f"{action}/" if action else "")


def _snapshot() -> list[Any]:
    fields = ("pk", "status", "summary", "prose", "rules_json")
    return [
        list(CharterVersion.objects.order_by("pk").values_list(*fields)),
        Ballot.objects.count(),
    ]


# Reading


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_lists_the_versions_latest_first(api_as, pilot, adopted, draft, persona):
    response = api_as(getattr(pilot, persona)).get(_versions(pilot))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["number"], r["status"]) for r in rows] == [(2, "draft"), (1, "adopted")]
    assert rows[0]["created_by"]["email"] == pilot.manager.email


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_reads_a_version_with_its_prose_sanitised(api_as, pilot, draft, persona):
    services.version_update(
        version=draft,
        summary="First",
        prose="## Decisions\n\n<script>alert(1)</script> [site](javascript:alert(1))",
        rules=draft.rules,
    )
    response = api_as(getattr(pilot, persona)).get(_version(draft))
    assert response.status_code == 200
    data = response.json()
    assert data["prose"].startswith("## Decisions")
    assert "<h2>Decisions</h2>" in data["rendered_prose"]
    assert "<script" not in data["rendered_prose"]
    assert "javascript:" not in data["rendered_prose"]
    assert (data["status"], data["is_editable"], data["adoption_ballot"]) == ("draft", True, None)
    assert data["rules"]["weighting"] == "equal"


def test_a_version_of_another_alliance_is_404(api_as, pilot, outsider):
    other = outsider.alliance_roles.get().alliance
    foreign = services.version_draft(alliance=other, by=outsider)
    url = f"{_versions(pilot)}{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.manager).delete(url).status_code == 404
    assert CharterVersion.objects.filter(pk=foreign.pk).exists()


# Drafting


def test_manager_starts_a_draft_from_the_version_in_force(api_as, pilot, adopted):
    response = api_as(pilot.manager).post(_versions(pilot))
    assert response.status_code == 201
    data = response.json()
    assert (data["number"], data["status"]) == (2, "draft")
    assert data["prose"] == adopted.prose
    assert data["rules"]["scopes"]["execution"]["lead_partner"] == pilot.techco.pk


def test_the_first_draft_starts_a_charter(api_as, pilot):
    response = api_as(pilot.manager).post(_versions(pilot))
    assert response.status_code == 201
    assert Charter.objects.get(alliance=pilot.alliance).versions.get().number == 1


def test_a_second_draft_waits_for_the_open_one(api_as, pilot, draft):
    before = _snapshot()
    response = api_as(pilot.manager).post(_versions(pilot))
    assert response.status_code == 400
    assert "withdraw the open draft" in response.json()["non_field_errors"][0]
    assert _snapshot() == before


# Changing a draft


def test_manager_changes_the_summary_prose_and_rules_of_a_draft(api_as, pilot, draft):
    body = {"summary": "Our rules", "prose": "We decide together.", "rules": good_rules(pilot)}
    response = api_as(pilot.manager).patch(_version(draft), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["summary"], data["prose"]) == ("Our rules", "We decide together.")
    draft.refresh_from_db()
    assert draft.rules.weights == {
        pilot.techco.pk: 40,
        pilot.logicorp.pk: 35,
        pilot.greenalliance.pk: 25,
    }
    assert [level.days for level in draft.rules.ladder] == [7, 10, None]


def test_a_key_left_out_stays_as_it_was(api_as, pilot, draft):
    rules = good_rules(pilot)
    services.version_update(version=draft, summary="S", prose="P", rules=draft.rules)
    api_as(pilot.manager).patch(_version(draft), {"rules": rules}, format="json")
    draft.refresh_from_db()
    assert (draft.summary, draft.prose, draft.rules_json["quorum"]) == ("S", "P", "0.6000")


def _with(pilot, change) -> dict[str, Any]:
    rules = good_rules(pilot)
    change(rules, pilot)
    return rules


INCOHERENT = {
    "negative weight": (
        lambda r, p: r["weights"].update({str(p.techco.pk): "-5"}),
        "Voting weights must be positive.",
    ),
    "quorum 0": (lambda r, p: r.update(quorum="0"), "The quorum is a share"),
    "quorum above 1": (lambda r, p: r.update(quorum="1.5"), "The quorum is a share"),
    "lead partner not a partner": (
        lambda r, p: r["scopes"]["execution"].update(lead_partner=999_999),
        "Execution: the lead partner must be a partner of the alliance.",
    ),
    "veto holder not a partner": (
        lambda r, p: r["scopes"]["strategy"].update(veto_holders=[999_999]),
        "Strategy: veto holders must be partners of the alliance.",
    ),
    "ladder without limits": (
        lambda r, p: r.update(
            ladder=[{"name": "Working group", "days": None}, {"name": "Sponsors", "days": None}]
        ),
        "Only the top escalation level may have no time limit.",
    ),
    "unknown scope": (
        lambda r, p: r["scopes"].update(lunch={"mode": "consensus"}),
        "Unknown decision scope: lunch.",
    ),
    "review cadence": (
        lambda r, p: r.update(review_cadence_months=5),
        "The review cadence is 3, 6 or 12 months.",
    ),
}


@pytest.mark.parametrize("case", INCOHERENT)
def test_incoherent_rules_get_a_400_naming_the_rule_and_change_nothing(api_as, pilot, draft, case):
    change, message = INCOHERENT[case]
    before = _snapshot()
    body = {"summary": "Broken", "rules": _with(pilot, change)}
    response = api_as(pilot.manager).patch(_version(draft), body, format="json")
    assert response.status_code == 400
    assert any(m.startswith(message) for m in response.json()["non_field_errors"])
    assert _snapshot() == before


def test_a_partner_of_another_alliance_cannot_lead(api_as, pilot, draft, outsider):
    foreign = outsider.alliance_roles.get().alliance.partners.get()
    rules = _with(pilot, lambda r, p: r["scopes"]["execution"].update(lead_partner=foreign.pk))
    response = api_as(pilot.manager).patch(_version(draft), {"rules": rules}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"weighting": "by_mood"}, "rules.weighting"),
        ({"quorum": "most"}, "rules.quorum"),
        ({"scopes": {"strategy": {"mode": "shouting"}}}, "rules.scopes.strategy.mode"),
        ({"scopes": ["strategy"]}, "rules.scopes"),
        ({"weights": {"TechCo": "1"}}, "rules.weights"),
        ({"ladder": [{"name": "WG", "days": "a week"}]}, "rules.ladder.0.days"),
    ],
)
def test_rules_of_the_wrong_shape_get_a_400_on_the_field(api_as, pilot, draft, rules, field):
    before = _snapshot()
    body = {"rules": good_rules(pilot) | rules}
    response = api_as(pilot.manager).patch(_version(draft), body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert _snapshot() == before


def test_rules_are_sent_whole(api_as, pilot, draft):
    response = api_as(pilot.manager).patch(
        _version(draft), {"rules": {"quorum": "0.7"}}, format="json"
    )
    assert response.status_code == 400
    assert "rules.scopes" in response.json()


def test_an_adopted_version_never_changes(api_as, pilot, adopted):
    before = _snapshot()
    response = api_as(pilot.manager).patch(_version(adopted), {"summary": "x"}, format="json")
    assert response.status_code == 400
    assert "Only a draft can change" in response.json()["non_field_errors"][0]
    assert _snapshot() == before


# Withdrawing


def test_manager_withdraws_a_draft(api_as, pilot, draft):
    response = api_as(pilot.manager).delete(_version(draft))
    assert response.status_code == 204
    assert not CharterVersion.objects.filter(pk=draft.pk).exists()


def test_an_adopted_version_cannot_be_withdrawn(api_as, pilot, adopted):
    response = api_as(pilot.manager).delete(_version(adopted))
    assert response.status_code == 400
    assert CharterVersion.objects.filter(pk=adopted.pk).exists()


# Proposing


def test_proposing_the_first_version_opens_a_ballot_that_needs_every_partner(api_as, pilot, draft):
    response = api_as(pilot.manager).post(_version(draft, "propose"), {}, format="json")
    assert response.status_code == 201
    ballot = response.json()
    assert (ballot["subject"], ballot["scope"], ballot["mode"]) == (
        "charter_adoption",
        "charter",
        "unanimity",
    )
    assert (ballot["proposal"], ballot["decided_under"]) == (draft.pk, None)
    assert len(ballot["electors"]) == 3
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.PROPOSED
    assert api_as(pilot.rep).get(_version(draft)).json()["adoption_ballot"] == ballot["id"]


def test_a_later_version_is_proposed_under_the_rules_in_force(api_as, pilot, adopted, draft):
    closes_at = timezone.now() + timedelta(days=2)
    response = api_as(pilot.manager).post(
        _version(draft, "propose"), {"closes_at": closes_at.isoformat()}, format="json"
    )
    assert response.status_code == 201
    ballot = response.json()
    assert (ballot["mode"], ballot["quorum"], ballot["decided_under"]) == (
        "consensus",
        "0.6000",
        adopted.pk,
    )
    assert {e["partner"]["organization"]: e["weight"] for e in ballot["electors"]} == {
        "TechCo": "40.0000",
        "LogiCorp": "35.0000",
        "GreenAlliance": "25.0000",
    }


def test_a_proposal_needs_time_to_vote(api_as, pilot, draft):
    before = _snapshot()
    soon = (timezone.now() + timedelta(minutes=1)).isoformat()
    response = api_as(pilot.manager).post(
        _version(draft, "propose"), {"closes_at": soon}, format="json"
    )
    assert response.status_code == 400
    assert "closes_at" in response.json()
    assert _snapshot() == before


def test_a_proposed_version_cannot_be_proposed_again(api_as, pilot, draft):
    services.version_propose(version=draft, by=pilot.manager)
    response = api_as(pilot.manager).post(_version(draft, "propose"), {}, format="json")
    assert response.status_code == 400
    assert Ballot.objects.count() == 1


# Query counts


def _superseded(pilot, adopted, count: int) -> None:
    author = UserFactory.create()
    start = adopted.charter.versions.count() + 1
    CharterVersion.objects.bulk_create(
        CharterVersion(
            charter=adopted.charter,
            number=start + n,
            status=CharterVersion.Status.SUPERSEDED,
            created_by=author if n % 2 else None,
        )
        for n in range(count)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_version_list_costs_the_same_for_3_and_30_versions(
    api_as, pilot, adopted, django_assert_max_num_queries
):
    client = api_as(pilot.rep)
    _superseded(pilot, adopted, 2)
    few = _queries(client, _versions(pilot))
    _superseded(pilot, adopted, 27)
    with django_assert_max_num_queries(few):
        response = client.get(_versions(pilot))
    assert response.json()["count"] == 30
    assert few <= 6


def test_the_charter_costs_the_same_for_3_and_30_versions(
    api_as, pilot, adopted, django_assert_max_num_queries
):
    client = api_as(pilot.rep)
    url = f"/api/v1/alliances/{pilot.alliance.pk}/charter/"
    _superseded(pilot, adopted, 2)
    few = _queries(client, url)
    _superseded(pilot, adopted, 27)
    with django_assert_max_num_queries(few):
        assert len(client.get(url).json()["versions"]) == 30
