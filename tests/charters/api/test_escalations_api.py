"""Escalations in API v1, persona by persona.

The pilot's charter has the guide's three-level ladder. The dispute is TechCo's (raised by its
representative) against GreenAlliance, whose steering member is ``green_steering``; LogiCorp's
steering member is no party: at the working group they read and comment only, at the steering
committee they act as one of its members. The manager acts on every escalation but speaks
for no partner.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from alliances.models import Partner
from charters.escalations import escalation_comment, escalation_raise
from charters.models import Ballot, Escalation, EscalationEvent
from tests.charters.escalation_data import adopt_charter

from .every_method import assert_every_method_answers
from .test_ballots import _queries


@pytest.fixture
def charter(pilot, green_steering):
    return adopt_charter(pilot, green_steering)


def _raise(pilot, **fields: Any) -> Escalation:
    values: dict[str, Any] = {
        "title": "Who owns the pilot data?",
        "description": "TechCo wants exclusive rights to the raw data.",
        "scope": "strategy",
        "partners": [pilot.techco, pilot.greenalliance],
    }
    return escalation_raise(alliance=pilot.alliance, by=pilot.rep, **values | fields)


@pytest.fixture
def dispute(pilot, charter) -> Escalation:
    return _raise(pilot)


def _list(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/escalations/"


def _url(escalation: Escalation, action: str = "") -> str:
    base = f"/api/v1/alliances/{escalation.alliance_id}/escalations/{escalation.pk}/"
    return base + (f"{action}/" if action else "")


def _state() -> list[Any]:
    return [
        list(
            Escalation.objects.order_by("pk").values_list(
                "pk", "status", "level", "level_deadline", "resolution"
            )
        ),
        EscalationEvent.objects.count(),
        Ballot.objects.count(),
    ]


def _raise_body(pilot, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Delivery data shared late",
        "description": "LogiCorp shares the delivery data a month late.",
        "scope": "execution",
        "partners": [pilot.techco.pk, pilot.logicorp.pk],
    }
    return body | fields


# Reading


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_lists_escalations_with_level_deadline_and_time_left(
    api_as, pilot, dispute, persona
):
    response = api_as(getattr(pilot, persona)).get(_list(pilot))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["level"], row["level_name"]) == (dispute.pk, 0, "Working group")
    assert row["level_deadline"] is not None
    assert 7 * 86400 - 60 < row["seconds_left"] <= 7 * 86400
    assert {p["organization"] for p in row["partners"]} == {"TechCo", "GreenAlliance"}


def test_a_closed_escalation_has_no_time_left(api_as, pilot, dispute):
    api_as(pilot.rep).post(_url(dispute, "withdraw"))

    [row] = api_as(pilot.manager).get(_list(pilot)).json()["results"]
    assert (row["status"], row["seconds_left"]) == ("withdrawn", None)


def test_the_list_filters_by_status_and_level(api_as, pilot, dispute):
    other = _raise(pilot, title="Budget overrun")
    api_as(pilot.manager).post(_url(other, "escalate"))
    client = api_as(pilot.steering)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in client.get(_list(pilot) + query).json()["results"]]

    assert ids("?level=1") == [other.pk]
    assert ids("?level=0&status=open") == [dispute.pk]
    assert ids("?status=resolved") == []


@pytest.mark.parametrize("query", ["?status=lost", "?level=up", "?level=-1", "?level=1e40"])
def test_a_bad_filter_is_a_400(api_as, pilot, dispute, query):
    assert api_as(pilot.rep).get(_list(pilot) + query).status_code == 400


def test_the_escalation_shows_its_ladder_timeline_and_ballot(api_as, pilot, dispute):
    api_as(pilot.rep).post(_url(dispute, "proposals"), {"text": "Open data"}, format="json")
    api_as(pilot.manager).post(_url(dispute, "escalate"))

    data = api_as(pilot.steering).get(_url(dispute)).json()

    assert [level["name"] for level in data["ladder"]] == [
        "Working group",
        "Steering committee",
        "Executive sponsors",
    ]
    assert [e["kind"] for e in data["events"]] == ["raised", "proposal", "escalated", "ballot"]
    assert data["events"][0]["by"]["email"] == "rep@techco.example"
    dispute.refresh_from_db()
    assert data["ballot"] == dispute.ballot_id is not None
    assert data["level_name"] == "Steering committee"


# Raising


@pytest.mark.parametrize("persona", ["manager", "rep"])
def test_managers_and_representatives_raise_an_escalation(api_as, pilot, charter, persona):
    response = api_as(getattr(pilot, persona)).post(_list(pilot), _raise_body(pilot), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["level_name"]) == ("open", "Working group")
    assert [e["kind"] for e in data["events"]] == ["raised"]


def test_a_steering_member_who_represents_no_partner_cannot_raise(api_as, pilot, charter):
    before = _state()
    response = api_as(pilot.steering).post(_list(pilot), _raise_body(pilot), format="json")
    assert response.status_code == 403
    assert _state() == before


def test_a_manager_raises_a_partner_not_contributing_with_evidence(api_as, pilot, charter):
    body = _raise_body(
        pilot, kind="not_contributing", against=pilot.logicorp.pk, evidence="No data since May."
    )
    response = api_as(pilot.manager).post(_list(pilot), body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["against"]["organization"]) == ("not_contributing", "LogiCorp")
    assert data["evidence"] == "No data since May."


def test_a_representative_cannot_say_a_partner_is_not_contributing(api_as, pilot, charter):
    before = _state()
    body = _raise_body(pilot, kind="not_contributing", against=pilot.logicorp.pk)
    assert api_as(pilot.rep).post(_list(pilot), body, format="json").status_code == 403
    assert _state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "not_contributing"},
        {"kind": "not_contributing", "against": "greenalliance"},
        {"partners": []},
        {"partners": ["outsider"]},
        {"scope": "everything"},
        {"title": ""},
    ],
)
def test_an_incoherent_escalation_is_a_400_that_raises_nothing(
    api_as, pilot, charter, outsider, fields
):
    elsewhere = Partner.objects.exclude(alliance=pilot.alliance).get()
    named = {"greenalliance": pilot.greenalliance.pk, "outsider": elsewhere.pk}
    resolved = {
        key: [named.get(v, v) for v in value]
        if isinstance(value, list)
        else named.get(value, value)
        for key, value in fields.items()
    }
    before = _state()
    response = api_as(pilot.manager).post(
        _list(pilot), _raise_body(pilot, **resolved), format="json"
    )
    assert response.status_code == 400, response.content
    assert _state() == before


def test_without_a_ladder_raising_is_a_400(api_as, pilot):
    response = api_as(pilot.manager).post(_list(pilot), _raise_body(pilot), format="json")
    assert response.status_code == 400
    assert "ladder" in response.json()["non_field_errors"][0]


# Resolving, withdrawing, escalating


@pytest.mark.parametrize("persona", ["manager", "rep", "green_steering"])
def test_managers_and_parties_resolve_at_the_level_they_saw(
    api_as, pilot, dispute, green_steering, persona
):
    person = green_steering if persona == "green_steering" else getattr(pilot, persona)
    body = {"resolution": "Pilot data stays open", "level": 0}
    response = api_as(person).post(_url(dispute, "resolve"), body, format="json")

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["resolution"]) == ("resolved", "Pilot data stays open")
    assert data["events"][-1]["kind"] == "resolved"


@pytest.mark.parametrize(
    ("action", "body"),
    [("resolve", {"resolution": "LogiCorp decides", "level": 0}), ("escalate", {}),
     ("proposals", {"text": "LogiCorp decides"})],
)  # fmt: skip
def test_no_party_below_the_steering_committee_cannot_act(api_as, pilot, dispute, action, body):
    before = _state()
    response = api_as(pilot.steering).post(_url(dispute, action), body, format="json")
    assert response.status_code == 403
    assert _state() == before


def test_at_the_steering_committee_its_members_propose_and_resolve(api_as, pilot, dispute):
    api_as(pilot.manager).post(_url(dispute, "escalate"))
    client = api_as(pilot.steering)

    proposal = client.post(_url(dispute, "proposals"), {"text": "Open data"}, format="json")
    body = {"resolution": "Open data", "level": 1}
    resolved = client.post(_url(dispute, "resolve"), body, format="json")

    assert (proposal.status_code, resolved.status_code) == (201, 200)
    assert resolved.json()["status"] == "resolved"


@pytest.mark.parametrize(
    "body",
    [
        {"resolution": "Agreed", "level": 1},
        {"resolution": "   ", "level": 0},
        {"resolution": "Agreed"},
        {"level": 0},
    ],
)
def test_a_resolution_at_another_level_or_without_words_is_a_400(api_as, pilot, dispute, body):
    before = _state()
    response = api_as(pilot.manager).post(_url(dispute, "resolve"), body, format="json")
    assert response.status_code == 400
    assert _state() == before


def test_a_closed_escalation_refuses_every_action(api_as, pilot, dispute):
    api_as(pilot.rep).post(_url(dispute, "withdraw"))
    before = _state()
    manager = api_as(pilot.manager)

    assert (
        manager.post(_url(dispute, "resolve"), {"resolution": "x", "level": 0}).status_code == 400
    )
    assert manager.post(_url(dispute, "escalate")).status_code == 400
    assert manager.post(_url(dispute, "proposals"), {"text": "x"}).status_code == 400
    assert api_as(pilot.rep).post(_url(dispute, "withdraw")).status_code == 400
    assert _state() == before


def test_only_the_raiser_withdraws(api_as, pilot, dispute):
    before = _state()
    assert api_as(pilot.manager).post(_url(dispute, "withdraw")).status_code == 403
    assert _state() == before

    response = api_as(pilot.rep).post(_url(dispute, "withdraw"))
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_a_manager_escalates_by_hand_and_the_steering_committee_gets_a_ballot(
    api_as, pilot, dispute
):
    response = api_as(pilot.manager).post(_url(dispute, "escalate"))

    assert response.status_code == 200
    data = response.json()
    assert (data["level"], data["level_name"]) == (1, "Steering committee")
    assert Ballot.objects.get(pk=data["ballot"]).subject == Ballot.Subject.ESCALATION


def test_a_party_escalates_by_hand(api_as, pilot, dispute):
    response = api_as(pilot.rep).post(_url(dispute, "escalate"))
    assert response.status_code == 200
    escalated = next(e for e in response.json()["events"] if e["kind"] == "escalated")
    assert escalated["by"]["email"] == "rep@techco.example"


def test_at_the_top_escalating_is_a_400(api_as, pilot, dispute):
    manager = api_as(pilot.manager)
    manager.post(_url(dispute, "escalate"))
    manager.post(_url(dispute, "escalate"))
    before = _state()
    assert manager.post(_url(dispute, "escalate")).status_code == 400
    assert _state() == before


# Proposals and comments


def test_managers_and_the_parties_people_propose(api_as, pilot, dispute, green_steering):
    for person in (pilot.manager, pilot.rep, green_steering):
        body = {"text": f"Proposal of {person.email}"}
        response = api_as(person).post(_url(dispute, "proposals"), body, format="json")
        assert response.status_code == 201, response.content
    proposals = dispute.events.filter(kind=EscalationEvent.Kind.PROPOSAL)
    assert proposals.count() == 3


def test_any_member_comments_on_the_timeline(api_as, pilot, dispute):
    body = {"text": "LogiCorp can host the data."}
    response = api_as(pilot.steering).post(_url(dispute, "comments"), body, format="json")

    assert response.status_code == 201
    last = response.json()["events"][-1]
    assert (last["kind"], last["text"], last["by"]["email"]) == (
        "comment",
        "LogiCorp can host the data.",
        "steering@logicorp.example",
    )


@pytest.mark.parametrize("action", ["proposals", "comments"])
@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   "}])
def test_an_empty_proposal_or_comment_is_a_400(api_as, pilot, dispute, action, body):
    before = _state()
    assert api_as(pilot.rep).post(_url(dispute, action), body, format="json").status_code == 400
    assert _state() == before


# Extensions


def _ask(client, dispute, partner, days=3):
    body = {"partner": partner.pk, "days": days, "reason": "Legal review"}
    return client.post(_url(dispute, "extension"), body, format="json")


def test_a_party_asks_for_more_time_and_the_other_consents(api_as, pilot, dispute, green_steering):
    deadline = dispute.level_deadline

    assert _ask(api_as(pilot.rep), dispute, pilot.techco).status_code == 200
    dispute.refresh_from_db()
    assert dispute.level_deadline == deadline

    body = {"partner": pilot.greenalliance.pk}
    response = api_as(green_steering).post(_url(dispute, "extension/consent"), body, format="json")

    assert response.status_code == 200, response.content
    kinds = [e["kind"] for e in response.json()["events"]]
    assert kinds[-3:] == ["extension_asked", "extension_consent", "extended"]
    dispute.refresh_from_db()
    assert dispute.level_deadline == deadline + timedelta(days=3)


def test_a_person_asks_only_for_a_partner_they_speak_for(api_as, pilot, dispute):
    before = _state()
    assert _ask(api_as(pilot.rep), dispute, pilot.greenalliance).status_code == 403
    assert _ask(api_as(pilot.manager), dispute, pilot.greenalliance).status_code == 403
    assert _state() == before


def test_a_partner_outside_the_dispute_neither_asks_nor_consents(api_as, pilot, dispute):
    before = _state()
    assert _ask(api_as(pilot.steering), dispute, pilot.logicorp).status_code == 403
    assert _ask(api_as(pilot.rep), dispute, pilot.techco).status_code == 200
    before = _state()
    body = {"partner": pilot.logicorp.pk}
    consent = api_as(pilot.steering).post(_url(dispute, "extension/consent"), body)
    assert consent.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("days", [0, 31, "soon", None, 10**30])
def test_an_extension_outside_1_to_30_days_is_a_400(api_as, pilot, dispute, days):
    before = _state()
    body = {"partner": pilot.techco.pk, "days": days}
    response = api_as(pilot.rep).post(_url(dispute, "extension"), body, format="json")
    assert response.status_code == 400
    assert _state() == before


def test_a_level_is_extended_once_and_consent_needs_a_request(
    api_as, pilot, dispute, green_steering
):
    body = {"partner": pilot.greenalliance.pk}
    consent = api_as(green_steering).post(_url(dispute, "extension/consent"), body)
    assert consent.status_code == 400

    assert _ask(api_as(pilot.rep), dispute, pilot.techco).status_code == 200
    before = _state()
    assert _ask(api_as(pilot.rep), dispute, pilot.techco).status_code == 400
    assert _state() == before


# Access


@pytest.fixture
def urls(pilot, dispute) -> list[str]:
    actions = ["", "resolve", "withdraw", "escalate", "proposals", "comments", "extension"]
    return [_list(pilot), *(_url(dispute, a) for a in actions), _url(dispute, "extension/consent")]


def test_outsider_gets_404_for_every_method_on_every_url(api_as, outsider, urls):
    before = _state()
    assert_every_method_answers(api_as(outsider), urls, {"text": "x"}, 404)
    assert _state() == before


def test_anonymous_gets_401_for_every_method_on_every_url(api_client, urls):
    before = _state()
    assert_every_method_answers(api_client, urls, {"text": "x"}, 401)
    assert _state() == before


def test_an_escalation_of_another_alliance_is_a_404(api_as, pilot, dispute, outsider):
    own = Partner.objects.exclude(alliance=pilot.alliance).get().alliance_id
    url = f"/api/v1/alliances/{own}/escalations/{dispute.pk}/"
    assert api_as(outsider).get(url).status_code == 404


@pytest.mark.parametrize("body", ['{"text": ', "[1, 2]", '"text"', "null", "12"])
@pytest.mark.parametrize("action", ["resolve", "proposals", "comments", "extension"])
def test_malformed_bodies_are_400s(api_as, pilot, dispute, action, body):
    before = _state()
    client = api_as(pilot.manager if action == "resolve" else pilot.rep)
    response = client.post(_url(dispute, action), body, content_type="application/json")
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"partners": "all"},
        {"partners": [10**30]},
        {"partners": [None]},
        {"against": 10**30},
        {"kind": ["dispute"]},
        {"title": {"a": 1}},
    ],
)
def test_malformed_raise_input_is_a_400(api_as, pilot, charter, fields):
    before = _state()
    response = api_as(pilot.manager).post(_list(pilot), _raise_body(pilot, **fields), format="json")
    assert response.status_code == 400
    assert _state() == before


# Query counts


def test_the_list_costs_the_same_for_3_and_30_escalations(
    api_as, pilot, charter, django_assert_max_num_queries
):
    client = api_as(pilot.steering)
    for _ in range(3):
        _raise(pilot)
    few = _queries(client, _list(pilot))
    for _ in range(27):
        _raise(pilot, against=pilot.techco, kind="not_contributing")
    with django_assert_max_num_queries(few):
        assert client.get(_list(pilot)).json()["count"] == 30
    assert few <= 6


def test_an_escalation_costs_the_same_for_3_and_30_events(
    api_as, pilot, dispute, django_assert_max_num_queries
):
    client = api_as(pilot.rep)
    for text in ("one", "two"):
        escalation_comment(escalation=dispute, by=pilot.steering, text=text)
    few = _queries(client, _url(dispute))
    for number in range(27):
        escalation_comment(escalation=dispute, by=pilot.manager, text=str(number))
    with django_assert_max_num_queries(few):
        assert len(client.get(_url(dispute)).json()["events"]) == 30
    assert few <= 8
