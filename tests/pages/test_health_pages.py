"""Alliance health on the pages: the health page (layers, facts and rules, the guide's
warnings, reviews the facts called for, the history chart), the summary on the alliance
overview (states, warnings, next moves, advice) and why a review opened early.

Most tests replace the registered sources with one whose facts each test states, so that
every state and warning can be reached at its boundary; a few use the real sources.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliances import health, reviews
from alliances.charts import DOTS_UP_TO, HEIGHT, HealthChart, health_chart
from alliances.models import Alliance, HealthSnapshot, ReviewTrigger
from alliances.strategic_health import StrategicHealth
from tests.factories import InterestFactory, PartnerFactory

NOW = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)
LAYERS = ("strategic", "operational", "relational")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


class StatedFacts(health.Source):
    """A source whose facts the test states, alliance by alliance."""

    def __init__(self) -> None:
        self.found: dict[int, list[health.Signal]] = {}
        self.advised: dict[int, list[health.Advice]] = {}

    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict:
        return {alliance.pk: self.found.get(alliance.pk, []) for alliance in alliances}

    def advice(self, alliances: Sequence[Alliance], now: datetime) -> dict:
        return {alliance.pk: self.advised.get(alliance.pk, []) for alliance in alliances}

    def scores(self, alliance: Alliance, **scores: int) -> None:
        """One fact per named layer, scoring what is given."""
        self.found[alliance.pk] = [fact(layer, score) for layer, score in scores.items()]


def fact(layer: str, score: int, key: str = "", **extra) -> health.Signal:
    key = key or f"{layer}-fact"
    return health.Signal(
        layer, key, f"Title of {key}", score, f"What {key} says.", f"Rule of {key}.",
        f"/facts/{key}/", **extra,
    )  # fmt: skip


def move(key: str, reason: str = "") -> health.Move:
    return health.Move(key, f"Do {key}", reason or f"Because of {key}.", f"/act/{key}/")


@pytest.fixture
def facts(monkeypatch) -> StatedFacts:
    source = StatedFacts()
    monkeypatch.setattr(health, "_sources", [source])
    return source


def health_url(alliance: Alliance) -> str:
    return reverse("alliance_health", kwargs={"alliance_pk": alliance.pk})


def detail_url(alliance: Alliance) -> str:
    return reverse("alliance_detail", kwargs={"alliance_pk": alliance.pk})


def section(page: str, anchor: str) -> str:
    """The HTML of the section with this id, or labelled by the heading with this id."""
    match = re.search(rf'<section[^>]*(?: id|aria-labelledby)="{anchor}".*?</section>', page, re.S)
    assert match, f"no section #{anchor}"
    return match.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Who sees it


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_everyone_in_the_alliance_sees_the_health_page(client, pilot, facts, persona):
    page = get(client, getattr(pilot, persona), health_url(pilot.alliance))
    assert "Health of Last-mile carbon pilot" in page
    for layer in LAYERS:
        assert f'id="{layer}"' in page


def test_outsider_gets_404_for_the_health_page(client, pilot, outsider):
    client.force_login(outsider)
    assert client.get(health_url(pilot.alliance)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, pilot):
    response = client.get(health_url(pilot.alliance))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Layers and their facts


@pytest.mark.parametrize(
    ("score", "state", "css"),
    [
        (100, "Healthy", "healthy"),
        (70, "Healthy", "healthy"),
        (69, "Watch", "watch"),
        (40, "Watch", "watch"),
        (39, "At risk", "at_risk"),
        (0, "At risk", "at_risk"),
    ],
)
def test_layer_state_at_its_boundaries(client, pilot, facts, score, state, css):
    facts.scores(pilot.alliance, operational=score)
    layer = section(get(client, pilot.manager, health_url(pilot.alliance)), "operational")
    assert f"health-state--{css}" in layer
    assert f"{score}/100 {state}" in text(layer)


def test_layer_without_facts_has_no_score(client, pilot, facts):
    facts.scores(pilot.alliance, strategic=80)
    layer = section(get(client, pilot.manager, health_url(pilot.alliance)), "relational")
    assert "Not enough facts" in layer
    assert "health-state--none" in layer
    assert "No facts feed this layer yet" in layer
    assert "/100" not in layer


def test_layer_score_is_the_weighted_mean_of_its_facts(client, pilot, facts):
    facts.found[pilot.alliance.pk] = [
        fact("strategic", 20, "alignment", weight=2),
        fact("strategic", 100, "red_lines", weight=2),
        fact("strategic", 60, "review"),
    ]
    layer = text(section(get(client, pilot.manager, health_url(pilot.alliance)), "strategic"))
    assert "Strategic: Why we are together 60/100 Watch" in layer


def test_each_fact_shows_its_score_rule_and_a_link_to_it(client, pilot, facts):
    facts.found[pilot.alliance.pk] = [fact("relational", 45, "balance", weight=3)]
    layer = section(get(client, pilot.manager, health_url(pilot.alliance)), "relational")
    assert 'id="relational-balance"' in layer
    assert "Title of balance" in layer
    assert "What balance says." in layer
    assert "45/100" in layer
    assert re.search(
        r"<details>\s*<summary>How this is scored</summary>\s*<p>Rule of balance.", layer
    )
    assert "It counts 3 times in the layer's score." in layer
    assert '<a href="/facts/balance/">See the facts' in layer


def test_a_fact_of_weight_one_says_nothing_of_its_weight(client, pilot, facts):
    facts.scores(pilot.alliance, relational=45)
    assert "It counts" not in get(client, pilot.manager, health_url(pilot.alliance))


def test_a_fact_with_a_move_shows_it_one_click_away(client, pilot, facts):
    facts.found[pilot.alliance.pk] = [
        fact("relational", 30, "check_in", move=move("check_in", "No check-in for 90 days.")),
        fact("relational", 90, "deposits"),
    ]
    layer = section(get(client, pilot.manager, health_url(pilot.alliance)), "relational")
    assert 'Next move: <a href="/act/check_in/">Do check_in</a>' in layer
    assert "No check-in for 90 days." in layer
    assert layer.count("Next move") == 1


def test_the_scoring_rule_is_explained(client, pilot, facts):
    page = get(client, pilot.manager, health_url(pilot.alliance))
    assert str(health.SCORE_RULE) in html.unescape(page)


def test_the_real_strategic_facts_of_the_pilot(client, pilot, monkeypatch):
    """No interests shared yet and no review scheduled: the strategy is on watch."""
    monkeypatch.setattr(health, "_sources", [StrategicHealth()])
    score = health.assess(pilot.alliance).layer("strategic").score
    page = get(client, pilot.rep, health_url(pilot.alliance))
    strategic = text(section(page, "strategic"))
    assert f"{score}/100 Watch" in strategic
    assert "No interests are shared on the interest map yet." in strategic
    interest_map = reverse("interest_map", kwargs={"alliance_pk": pilot.alliance.pk})
    assert f'Next move: <a href="{interest_map}">Map interests</a>' in section(page, "strategic")
    assert "Not enough facts" in section(page, "operational")


# The guide's warnings


@pytest.mark.parametrize(
    ("scores", "warning"),
    [
        ({"strategic": 70, "operational": 50}, "Strong strategy, weak operations"),
        ({"operational": 90, "relational": 69, "strategic": 90}, "Good operations, low trust"),
        ({"relational": 75, "strategic": 30, "operational": 75}, "High trust, unclear strategy"),
    ],
)
def test_a_strong_layer_beside_a_weak_one_is_warned_about(client, pilot, facts, scores, warning):
    facts.scores(pilot.alliance, **scores)
    page = get(client, pilot.manager, health_url(pilot.alliance))
    assert warning in text(page)
    assert page.count('class="health-warnings"') == 1


@pytest.mark.parametrize(
    "scores",
    [
        {"strategic": 70, "operational": 51},  # 19 apart: not weak enough
        {"strategic": 69, "operational": 40},  # on watch: not strong
        {"strategic": 90, "operational": 70},  # both healthy
        {"strategic": 90},  # operations without facts
    ],
)
def test_no_warning_without_a_strong_and_a_weak_layer(client, pilot, facts, scores):
    facts.scores(pilot.alliance, **scores)
    page = get(client, pilot.manager, health_url(pilot.alliance))
    assert 'class="health-warnings"' not in page
    assert "expect" not in text(page)


# Reviews the facts called for


def open_early(*, alliance: Alliance, key: str, reason: str) -> ReviewTrigger:
    trigger = reviews.review_open_early(alliance=alliance, key=key, reason=reason)
    assert trigger is not None
    return trigger


def test_an_early_review_shows_its_reason_and_links_to_the_review(client, pilot, facts):
    trigger = open_early(
        alliance=pilot.alliance, key="layer:relational", reason="The relational layer is at risk."
    )
    block = section(get(client, pilot.rep, health_url(pilot.alliance)), "early-reviews")
    assert "The relational layer is at risk." in block
    review_url = reverse(
        "review_detail", kwargs={"alliance_pk": pilot.alliance.pk, "review_pk": trigger.review_id}
    )
    assert f'href="{review_url}"' in block
    # 12:00 UTC in the default time zone of the personas
    assert "Since " in text(block)


def test_a_cleared_condition_is_no_longer_listed(client, pilot, facts):
    trigger = open_early(
        alliance=pilot.alliance, key="escalations", reason="Four escalations are open."
    )
    trigger.cleared_at = timezone.now()
    trigger.save()
    block = section(get(client, pilot.rep, health_url(pilot.alliance)), "early-reviews")
    assert "Four escalations are open." not in block
    assert "No condition calls for an early review right now." in block


def test_another_alliances_early_review_is_not_listed(client, pilot, outsider, facts):
    other = Alliance.objects.get(name="Packaging coalition")
    open_early(alliance=other, key="notice:1", reason="Elsewhere gave notice.")
    page = get(client, pilot.manager, health_url(pilot.alliance))
    assert "Elsewhere gave notice." not in page


# History


def snapshots(alliance: Alliance, days: int, **fixed: int | None) -> list[HealthSnapshot]:
    """One snapshot a day up to today, scores rising by one a day unless fixed."""
    today = NOW.date()
    return HealthSnapshot.objects.bulk_create(
        HealthSnapshot(
            alliance=alliance,
            recorded_on=today - timedelta(days=days - 1 - i),
            recorded_at=NOW,
            **{layer: fixed.get(layer, 30 + i % 70) for layer in LAYERS},
        )
        for i in range(days)
    )


def test_without_history_the_chart_says_so(client, pilot, facts):
    block = section(get(client, pilot.manager, health_url(pilot.alliance)), "health-history")
    assert "No history yet." in block
    assert "<svg" not in block


def test_one_day_of_history_is_a_dot_per_layer_and_one_row(client, pilot, facts):
    snapshots(pilot.alliance, 1, strategic=80, operational=55, relational=None)
    block = section(get(client, pilot.manager, health_url(pilot.alliance)), "health-history")
    assert block.count("<circle") == 2  # relational has no score that day
    assert block.count("<polyline") == 2
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", block, re.S)
    assert len(rows) == 1
    assert re.findall(r'<td class="num">(.*?)</td>', rows[0])[:2] == ["80", "55"]
    assert "Not enough facts" in rows[0]


def test_many_days_of_history_are_lines_with_a_table_of_every_day(client, pilot, facts):
    snapshots(pilot.alliance, 120)
    block = section(get(client, pilot.manager, health_url(pilot.alliance)), "health-history")
    assert block.count("<circle") == 0  # too many days for dots
    lines = re.findall(r'<polyline class="[^"]+" points="([^"]+)"', block)
    assert [len(points.split()) for points in lines] == [120, 120, 120]
    assert len(re.findall(r'<tr><th scope="row">', block)) == 120
    assert "<details>" in block
    latest_first = re.findall(r'<time datetime="([\d-]+)">', block)
    assert latest_first[0] == NOW.date().isoformat()
    assert latest_first[-1] == (NOW.date() - timedelta(days=119)).isoformat()


def test_history_older_than_a_year_is_left_off_the_page(client, pilot, facts):
    snapshots(pilot.alliance, 400)
    block = section(get(client, pilot.manager, health_url(pilot.alliance)), "health-history")
    assert len(re.findall(r'<tr><th scope="row">', block)) == 366


@pytest.mark.parametrize("days", [1, 300])
def test_the_health_page_costs_the_same_however_long_the_history(
    client, pilot, facts, django_assert_num_queries, days
):
    snapshots(pilot.alliance, days)
    open_early(alliance=pilot.alliance, key="layer:strategic", reason="At risk.")
    client.force_login(pilot.rep)
    # session, person, alliance, history, early reviews, the header's unread count
    with django_assert_num_queries(6):
        assert client.get(health_url(pilot.alliance)).status_code == 200


def test_the_health_page_costs_the_same_however_large_the_alliance(client, pilot):
    """With every registered source: 3 partners or 15, no interest or many, same count."""
    client.force_login(pilot.rep)
    with CaptureQueriesContext(connection) as small:
        client.get(health_url(pilot.alliance))
    for _ in range(12):
        InterestFactory.create(partner=PartnerFactory.create(alliance=pilot.alliance))
    with CaptureQueriesContext(connection) as large:
        client.get(health_url(pilot.alliance))
    assert len(large) == len(small)


# The chart's geometry


def chart_of(snapshots: list[HealthSnapshot]) -> HealthChart:
    chart = health_chart(snapshots)
    assert chart is not None
    return chart


def snapshot(day: date, strategic: int | None = 50) -> HealthSnapshot:
    return HealthSnapshot(
        recorded_on=day, recorded_at=NOW, strategic=strategic, operational=None, relational=0
    )


def test_chart_of_nothing_is_none():
    assert health_chart([]) is None


def test_chart_scale_is_fixed_from_0_to_100_with_the_thresholds():
    chart = chart_of([snapshot(date(2026, 1, 1), strategic=100)])
    strategic, operational, relational = chart.lines
    assert strategic.dots[0].y == pytest.approx(16)
    assert relational.dots[0].y == pytest.approx(chart.baseline) == pytest.approx(HEIGHT - 28)
    assert operational.segments == ()
    assert [tick.value for tick in chart.ticks] == [0, 40, 70, 100]


def test_a_single_day_sits_in_the_middle():
    chart = chart_of([snapshot(date(2026, 1, 1))])
    assert chart.lines[0].dots[0].x == pytest.approx((chart.left + chart.right) / 2)
    assert chart.first_day == chart.last_day == date(2026, 1, 1)


def test_days_are_spaced_by_date_and_a_day_without_a_score_breaks_the_line():
    days = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 11)]
    chart = chart_of(
        [snapshot(days[0]), snapshot(days[1], None), snapshot(days[2]), snapshot(days[3])]
    )
    strategic = chart.lines[0]
    assert [len(segment) for segment in strategic.segments] == [1, 2]
    (first,), (third, last) = strategic.segments
    assert first.x == chart.left
    assert last.x == pytest.approx(chart.right)
    assert third.x - first.x == pytest.approx((last.x - first.x) / 5)
    assert len(strategic.polylines) == 2


@pytest.mark.parametrize(("days", "dots"), [(DOTS_UP_TO, DOTS_UP_TO), (DOTS_UP_TO + 1, 1)])
def test_dots_on_every_day_only_while_they_fit(days, dots):
    start = date(2026, 1, 1)
    series = [snapshot(start + timedelta(days=i)) for i in range(days)]
    series[-2] = snapshot(series[-2].recorded_on, None)  # the last day stands alone
    chart = chart_of(series)
    expected = dots - 1 if days == DOTS_UP_TO else dots
    assert len(chart.lines[0].dots) == expected
    assert len(chart.lines[2].dots) == (days if days == DOTS_UP_TO else 0)


# The alliance overview


def test_overview_shows_each_layer_state_linking_to_its_part_of_the_health_page(
    client, pilot, facts
):
    facts.scores(pilot.alliance, strategic=82, operational=45, relational=20)
    block = section(get(client, pilot.rep, detail_url(pilot.alliance)), "health")
    for layer, state in (
        ("strategic", "Healthy"),
        ("operational", "Watch"),
        ("relational", "At risk"),
    ):
        assert f'href="{health_url(pilot.alliance)}#{layer}"' in block
        assert state in block
    assert "82/100" in block


def test_overview_keeps_its_existing_content(client, pilot, facts):
    page = get(client, pilot.manager, detail_url(pilot.alliance))
    for heading in ("Overview", "Health", "Partners", "People and roles", "Stage history"):
        assert f">{heading}</h2>" in page


def test_overview_warns_when_one_layer_is_strong_and_another_weak(client, pilot, facts):
    facts.scores(pilot.alliance, strategic=85, operational=85, relational=40)
    block = text(section(get(client, pilot.rep, detail_url(pilot.alliance)), "health"))
    assert "Good operations, low trust: expect micromanagement" in block


def test_overview_has_no_warning_for_a_balanced_alliance(client, pilot, facts):
    facts.scores(pilot.alliance, strategic=85, operational=85, relational=80)
    block = section(get(client, pilot.rep, detail_url(pilot.alliance)), "health")
    assert 'class="health-warnings"' not in block


def test_overview_lists_at_most_three_next_moves_weakest_first(client, pilot, facts):
    facts.found[pilot.alliance.pk] = [
        fact("strategic", 50, "a", move=move("map_interests")),
        fact("operational", 10, "b", move=move("audit")),
        fact("relational", 30, "c", move=move("check_in")),
        fact("relational", 35, "d", move=move("commitments")),
        fact("relational", 5, "e", move=move("check_in")),  # same move once
    ]
    block = section(get(client, pilot.rep, detail_url(pilot.alliance)), "health")
    moves = re.findall(
        r'<li><a href="/act/(\w+)/">Do \1</a> <span class="muted">— Because of \1.', block
    )
    assert moves == ["check_in", "audit", "commitments"]


def test_overview_says_when_no_move_is_pressing(client, pilot, facts):
    facts.scores(pilot.alliance, strategic=90)
    block = section(get(client, pilot.rep, detail_url(pilot.alliance)), "health")
    assert "Nothing pressing" in block


def test_overview_gives_advice_with_its_reason_and_a_link_to_act(client, pilot, facts):
    facts.advised[pilot.alliance.pk] = [
        health.Advice(
            "power_asymmetry",
            "One partner carries most of the alliance",
            "TechCo brings 70% of the resources.",
            "Add a minority-protection clause",
            "/charter/",
        )
    ]
    block = section(get(client, pilot.rep, detail_url(pilot.alliance)), "health")
    assert "One partner carries most of the alliance" in block
    assert "TechCo brings 70% of the resources." in block
    assert '<a href="/charter/">Add a minority-protection clause</a>' in block


def test_overview_without_advice_says_so(client, pilot, facts):
    block = section(get(client, pilot.rep, detail_url(pilot.alliance)), "health")
    assert "No advice for an alliance of this shape" in block


def test_overview_costs_one_assessment_of_the_registered_sources(
    client, pilot, monkeypatch, django_assert_num_queries
):
    """The summary adds the strategic source's queries and nothing of its own."""
    monkeypatch.setattr(health, "_sources", [StrategicHealth()])
    client.force_login(pilot.manager)
    # the page as before (16): session, person, alliance, partners, roles, invitations,
    # stage history, next review, the header's unread count, the governance audit and the
    # trust summary; and the strategic facts (6): the shared map's alliances, partners,
    # goals, interests and links, and the reviews
    with django_assert_num_queries(16 + 6):
        client.get(detail_url(pilot.alliance))


def test_overview_cost_does_not_grow_with_the_alliance(client, pilot):
    """With every registered source: 3 partners or 15, no interest or many, same count."""
    client.force_login(pilot.manager)
    with CaptureQueriesContext(connection) as small:
        client.get(detail_url(pilot.alliance))
    for _ in range(12):
        partner = PartnerFactory.create(alliance=pilot.alliance, resource_share=0)
        InterestFactory.create(partner=partner)
    with CaptureQueriesContext(connection) as large:
        client.get(detail_url(pilot.alliance))
    assert len(large) == len(small)


# A review opened early


def review_url(review) -> str:
    return reverse(
        "review_detail", kwargs={"alliance_pk": review.alliance_id, "review_pk": review.pk}
    )


def test_a_review_opened_early_says_why(client, pilot):
    first = open_early(
        alliance=pilot.alliance, key="layer:relational", reason="The relational layer is at risk."
    )
    open_early(
        alliance=pilot.alliance, key="missed_commitments", reason="Five commitments were missed."
    )
    page = get(client, pilot.steering, review_url(first.review))
    block = text(section(page, "why-early"))
    assert "Why this review opened early" in block
    assert "The relational layer is at risk." in block
    assert "Five commitments were missed." in block
    assert block.count("Still holds.") == 2
    assert f'href="{health_url(pilot.alliance)}#relational"' in section(page, "why-early")
    assert f'href="{health_url(pilot.alliance)}"' in section(page, "why-early")


def test_a_condition_that_passed_says_since_when(client, pilot):
    trigger = open_early(
        alliance=pilot.alliance, key="escalations", reason="Four escalations are open."
    )
    trigger.cleared_at = NOW + timedelta(days=2)
    trigger.save()
    block = text(section(get(client, pilot.rep, review_url(trigger.review)), "why-early"))
    assert "No longer holds since" in block


def test_a_review_on_its_date_gives_no_early_reason(client, pilot):
    pilot.alliance.ensure_review_scheduled(timezone.now())
    page = get(client, pilot.rep, review_url(pilot.alliance.reviews.get()))
    assert "why-early" not in page


def test_an_alliance_that_has_ended_says_its_health_is_no_longer_checked(client, pilot):
    from alliances.models import Alliance

    client.force_login(pilot.manager)
    page = client.get(f"/alliances/{pilot.alliance.pk}/health/").content.decode()
    assert "no longer running" not in page
    Alliance.objects.filter(pk=pilot.alliance.pk).update(stage=Alliance.Stage.DISSOLVED)
    page = client.get(f"/alliances/{pilot.alliance.pk}/health/").content.decode()
    assert "This alliance is no longer running" in page
