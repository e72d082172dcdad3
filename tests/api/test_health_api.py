"""/api/v1/alliances/{alliance_pk}/health/, .../health/history/ and .../advice/: an alliance's
health now, its recorded history and the guide's advice, for anyone in the alliance.

Most tests replace the registered sources with one whose facts each test states.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from drf_spectacular.generators import SchemaGenerator

from alliances import health
from alliances.models import Alliance, HealthSnapshot

NOW = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)
LAYERS = ["strategic", "operational", "relational"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


class StatedFacts(health.Source):
    def __init__(self) -> None:
        self.found: dict[int, list[health.Signal]] = {}
        self.advised: dict[int, list[health.Advice]] = {}

    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict:
        return {alliance.pk: self.found.get(alliance.pk, []) for alliance in alliances}

    def advice(self, alliances: Sequence[Alliance], now: datetime) -> dict:
        return {alliance.pk: self.advised.get(alliance.pk, []) for alliance in alliances}


@pytest.fixture
def facts(monkeypatch) -> StatedFacts:
    source = StatedFacts()
    monkeypatch.setattr(health, "_sources", [source])
    return source


def url(alliance: Alliance, path: str) -> str:
    return f"/api/v1/alliances/{alliance.pk}/{path}"


def signal(layer: str, score: int, key: str, move: health.Move | None = None) -> health.Signal:
    return health.Signal(
        layer, key, f"Title {key}", score, f"Fact {key}.", f"Rule {key}.", f"/f/{key}/", 2, move
    )


# Health now


def test_health_has_each_layer_with_its_facts_rules_and_links(api_as, pilot, facts):
    check_in = health.Move("check_in", "Hold a trust check-in", "None for 90 days.", "/ci/")
    facts.found[pilot.alliance.pk] = [
        signal("strategic", 80, "alignment"),
        signal("relational", 30, "check_ins", move=check_in),
    ]
    response = api_as(pilot.steering).get(url(pilot.alliance, "health/"))
    assert response.status_code == 200
    body = response.json()
    assert body["rule"] == str(health.SCORE_RULE)
    assert (body["healthy_from"], body["watch_from"]) == (70, 40)
    assert [layer["layer"] for layer in body["layers"]] == LAYERS
    strategic, operational, relational = body["layers"]
    assert strategic == {
        "layer": "strategic",
        "name": "Strategic",
        "question": "Why we are together",
        "score": 80,
        "state": "healthy",
        "state_label": "Healthy",
        "url": f"/alliances/{pilot.alliance.pk}/health/#strategic",
        "signals": [
            {
                "key": "alignment",
                "title": "Title alignment",
                "score": 80,
                "fact": "Fact alignment.",
                "rule": "Rule alignment.",
                "weight": 2,
                "url": "/f/alignment/",
                "move": None,
            }
        ],
    }
    assert operational["score"] is None
    assert operational["state"] is None
    assert operational["state_label"] == "Not enough facts"
    assert operational["signals"] == []
    assert relational["state"] == "at_risk"
    move = {"key": "check_in", "title": "Hold a trust check-in", "reason": "None for 90 days.",
            "url": "/ci/"}  # fmt: skip
    assert relational["signals"][0]["move"] == move
    assert body["moves"] == [move]


@pytest.mark.parametrize(
    ("score", "state"), [(70, "healthy"), (69, "watch"), (40, "watch"), (39, "at_risk")]
)
def test_layer_state_at_its_boundaries(api_as, pilot, facts, score, state):
    facts.found[pilot.alliance.pk] = [signal("operational", score, "audit")]
    body = api_as(pilot.rep).get(url(pilot.alliance, "health/")).json()
    assert body["layers"][1]["state"] == state


def test_health_gives_the_guides_warning(api_as, pilot, facts):
    facts.found[pilot.alliance.pk] = [signal("strategic", 70, "a"), signal("operational", 50, "b")]
    imbalances = api_as(pilot.rep).get(url(pilot.alliance, "health/")).json()["imbalances"]
    assert imbalances == [
        {
            "key": "confusion",
            "strong": "strategic",
            "weak": "operational",
            "title": "Strong strategy, weak operations: expect confusion",
            "explanation": str(health._imbalance_rules()[0].explanation),
        }
    ]


def test_health_without_imbalance_has_no_warning(api_as, pilot, facts):
    facts.found[pilot.alliance.pk] = [signal("strategic", 70, "a"), signal("operational", 51, "b")]
    assert api_as(pilot.rep).get(url(pilot.alliance, "health/")).json()["imbalances"] == []


def test_health_with_the_registered_sources_answers_for_the_pilot(api_as, pilot):
    body = api_as(pilot.manager).get(url(pilot.alliance, "health/")).json()
    assert [layer["layer"] for layer in body["layers"]] == LAYERS
    assert len(body["moves"]) <= health.MOVES_SHOWN
    strategic = body["layers"][0]
    assert {s["key"] for s in strategic["signals"]} >= {"alignment", "review"}


@pytest.mark.parametrize("path", ["health/", "advice/"])
def test_health_and_advice_cost_the_alliance_and_the_sources_queries(
    api_as, pilot, facts, django_assert_num_queries, path
):
    client = api_as(pilot.rep)
    with django_assert_num_queries(1):  # the alliance; the stated facts cost nothing
        assert client.get(url(pilot.alliance, path)).status_code == 200


# History


def record(alliance: Alliance, day: date, score: int | None = 55) -> HealthSnapshot:
    return HealthSnapshot.objects.create(
        alliance=alliance, recorded_on=day, recorded_at=NOW,
        strategic=score, operational=None, relational=20,
    )  # fmt: skip


def test_history_lists_the_days_oldest_first(api_as, pilot, outsider):
    record(pilot.alliance, date(2026, 4, 19), 60)
    record(pilot.alliance, date(2026, 4, 17))
    record(Alliance.objects.get(name="Packaging coalition"), date(2026, 4, 18))
    body = api_as(pilot.rep).get(url(pilot.alliance, "health/history/")).json()
    assert body["count"] == 2
    assert body["results"] == [
        {"recorded_on": "2026-04-17", "strategic": 55, "operational": None, "relational": 20,
         "recorded_at": "2026-04-20T12:00:00Z"},
        {"recorded_on": "2026-04-19", "strategic": 60, "operational": None, "relational": 20,
         "recorded_at": "2026-04-20T12:00:00Z"},
    ]  # fmt: skip


def test_history_without_snapshots_is_empty(api_as, pilot):
    body = api_as(pilot.rep).get(url(pilot.alliance, "health/history/")).json()
    assert (body["count"], body["results"]) == (0, [])


@pytest.mark.parametrize(
    ("since", "days"), [("2026-04-18", 2), ("2026-04-19", 1), ("2026-04-20", 0)]
)
def test_history_since_a_day_includes_that_day(api_as, pilot, since, days):
    for day in (17, 18, 19):
        record(pilot.alliance, date(2026, 4, day))
    body = api_as(pilot.rep).get(url(pilot.alliance, "health/history/"), {"since": since}).json()
    assert [row["recorded_on"] for row in body["results"]] == [
        f"2026-04-{19 - n}" for n in reversed(range(days))
    ]


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "20-04-2026", "2026-02-30"])
def test_history_since_an_unreadable_day_is_a_400(api_as, pilot, since):
    response = api_as(pilot.rep).get(url(pilot.alliance, "health/history/"), {"since": since})
    assert response.status_code == 400
    assert list(response.json()) == ["since"]


@pytest.mark.parametrize("days", [3, 60])
def test_history_costs_the_same_however_long(api_as, pilot, django_assert_num_queries, days):
    for n in range(days):
        record(pilot.alliance, date(2026, 4, 20) - timedelta(days=n))
    client = api_as(pilot.rep)
    # alliance, count, page
    with django_assert_num_queries(3):
        assert client.get(url(pilot.alliance, "health/history/")).status_code == 200


# Advice


def test_advice_lists_each_item_with_its_reason_and_link(api_as, pilot, facts):
    advice = health.Advice("one_page", "Keep it to one page", "Two partners, six months.",
                           "Draft the one-page agreement", "/charter/one-page/")  # fmt: skip
    facts.advised[pilot.alliance.pk] = [advice]
    response = api_as(pilot.steering).get(url(pilot.alliance, "advice/"))
    assert response.status_code == 200
    assert response.json() == [
        {"key": "one_page", "title": "Keep it to one page", "reason": "Two partners, six months.",
         "action": "Draft the one-page agreement", "url": "/charter/one-page/"}
    ]  # fmt: skip


def test_advice_is_empty_when_nothing_fits(api_as, pilot, facts):
    assert api_as(pilot.rep).get(url(pilot.alliance, "advice/")).json() == []


# Who may read


PATHS = ["health/", "health/history/", "advice/"]


@pytest.mark.parametrize("path", PATHS)
def test_outsider_gets_404(api_as, pilot, outsider, path):
    assert api_as(outsider).get(url(pilot.alliance, path)).status_code == 404


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_gets_401(api_client, pilot, path):
    assert api_client.get(url(pilot.alliance, path)).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_reads_only(api_as, pilot, path):
    assert api_as(pilot.manager).post(url(pilot.alliance, path), {}).status_code == 405


# The schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    ("path", "errors"),
    [
        ("health/", {"401", "404"}),
        ("health/history/", {"400", "401", "404"}),
        ("advice/", {"401", "404"}),
    ],
)
def test_schema_documents_each_endpoint_and_its_errors(schema, path, errors):
    operation = schema["paths"][f"/api/v1/alliances/{{alliance_pk}}/{path}"]["get"]
    assert set(operation["responses"]) == {"200"} | errors
    assert operation["description"]


def test_schema_describes_the_health_and_history_shapes(schema):
    components = schema["components"]["schemas"]
    assert set(components["Health"]["properties"]) == {
        "rule", "healthy_from", "watch_from", "layers", "imbalances", "moves",
    }  # fmt: skip
    assert {"score", "state", "signals", "url"} <= set(components["Layer"]["properties"])
    assert {"rule", "url", "move"} <= set(components["Signal"]["properties"])
    assert set(components["HealthSnapshot"]["properties"]) == {
        "recorded_on", "strategic", "operational", "relational", "recorded_at",
    }  # fmt: skip
    history = schema["paths"]["/api/v1/alliances/{alliance_pk}/health/history/"]["get"]
    since = next(p for p in history["parameters"] if p["name"] == "since")
    assert since["schema"] == {"type": "string", "format": "date"}
    advice = schema["paths"]["/api/v1/alliances/{alliance_pk}/advice/"]["get"]
    assert advice["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
