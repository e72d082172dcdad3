"""The portfolio pages: a person's alliances with their three layer states, next deadlines,
escalations and ballots awaiting them, sorted and filtered, exported as CSV; an organisation's
portfolio with its concentration risk; the organisation's edit page; the dashboard's block.

Most tests replace the health sources with ``FakeSource``, so each layer's score is exactly
what the test says; the query-count test keeps the real sources.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from alliances import health
from alliances.health import Awaiting, Deadline, Health, Layer, LayerHealth, Move, Signal, Source
from alliances.models import (
    Alliance,
    Goal,
    Interest,
    InterestLink,
    Organization,
    Partner,
    PartnerFit,
    Review,
    Role,
    User,
)
from alliances.portfolio import Query, Row, organization_portfolio, portfolio_moves
from alliances.timers import start_of_day
from tests.factories import (
    AllianceFactory,
    InterestFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    RoleFactory,
    UserFactory,
)

from .helpers import field_errors

FAR = datetime(2030, 1, 1, tzinfo=UTC)


class FakeSource(Source):
    """Signals, deadlines and what awaits people, exactly as a test sets them."""

    def __init__(self) -> None:
        self.found_signals: dict[int, list[Signal]] = defaultdict(list)
        self.found_deadlines: dict[int, list[Deadline]] = defaultdict(list)
        self.found_awaiting: dict[tuple[int, int], list[Awaiting]] = defaultdict(list)

    def score(self, alliance: Alliance, layer: str, score: int, move: str = "") -> None:
        action = None
        if move:
            url = f"/act/{move}/{alliance.pk}/"
            action = Move(move, f"Do {move}", f"{layer} scores {score}", url)
        signal = Signal(
            layer, f"fake-{layer}", "Fake", score, "A fact", "A rule", "/f/", move=action
        )
        self.found_signals[alliance.pk].append(signal)

    def scores(self, alliance: Alliance, strategic: int, operational: int, relational: int) -> None:
        for layer, score in zip(Layer.values, (strategic, operational, relational), strict=True):
            self.score(alliance, layer, score)

    def deadline(
        self, alliance: Alliance, title: str, at: datetime, day: date | None = None
    ) -> None:
        self.found_deadlines[alliance.pk].append(
            Deadline(title, at, f"/due/{alliance.pk}/", day=day)
        )

    def waiting(self, alliance: Alliance, person: User, kind: str, title: str = "Vote") -> None:
        found = self.found_awaiting[alliance.pk, person.pk]
        url = f"/{kind}/{alliance.pk}/{sum(1 for item in found if item.kind == kind)}/"
        found.append(Awaiting(kind, title, url))

    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        return {a.pk: self.found_signals[a.pk] for a in alliances if a.pk in self.found_signals}

    def deadlines(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Deadline]]:
        found = {a.pk: self.found_deadlines.get(a.pk, []) for a in alliances}
        return {pk: [d for d in items if d.at > now] for pk, items in found.items()}

    def awaiting(
        self, alliances: Sequence[Alliance], person: User, now: datetime
    ) -> dict[int, list[Awaiting]]:
        return {a.pk: self.found_awaiting.get((a.pk, person.pk), []) for a in alliances}


def install_fake(monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    """The only health source for the test (the registered ones come back afterwards), so
    that scores are exactly what the test sets."""
    source = FakeSource()
    monkeypatch.setattr(health, "_sources", [source])
    return source


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    return install_fake(monkeypatch)


def alliance_of(person: User, name: str, *, stage: str = Alliance.Stage.ACTIVE, **kw) -> Alliance:
    alliance = AllianceFactory.create(name=name, stage=stage, **kw)
    RoleFactory.create(alliance=alliance, person=person, kind=Role.Kind.COALITION_MANAGER)
    return alliance


def names(response) -> list[str]:
    """The alliances in the table, in order."""
    html = response.content.decode()
    html = html[html.index('id="results"') :] if 'id="results"' in html else html
    table = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def person(db) -> User:
    return UserFactory.create(email="keeper@example.org")


@pytest.fixture
def three(person, fake) -> dict[str, Alliance]:
    return three_alliances(person, fake)


def three_alliances(person: User, fake: FakeSource) -> dict[str, Alliance]:
    """Three alliances: Alpha on watch, Bravo at risk, Charlie healthy (and forming)."""
    found = {
        "alpha": alliance_of(person, "Alpha"),
        "bravo": alliance_of(person, "Bravo"),
        "charlie": alliance_of(person, "Charlie", stage=Alliance.Stage.FORMING),
    }
    fake.scores(found["alpha"], 80, 55, 90)
    fake.scores(found["bravo"], 30, 75, 70)
    fake.scores(found["charlie"], 90, 85, 72)
    return found


# The person's portfolio ---------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("portfolio"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_most_in_need_of_attention_comes_first(client, person, three):
    client.force_login(person)
    response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    assert names(response) == ["Bravo", "Alpha", "Charlie"]


def test_each_layer_state_links_to_its_anchor_on_the_health_page(client, person, three):
    client.force_login(person)
    page = client.get(reverse("portfolio")).content.decode()
    health_url = reverse("alliance_health", kwargs={"alliance_pk": three["bravo"].pk})
    for layer in ("strategic", "operational", "relational"):
        assert f'href="{health_url}#{layer}"' in page
    assert "At risk · 30" in page
    assert "Watch · 55" in page


def test_the_outsider_never_sees_the_person_s_alliances(client, person, three, outsider):
    client.force_login(outsider)
    response = client.get(reverse("portfolio"))
    assert names(response) == ["Packaging coalition"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-name", ["Charlie", "Bravo", "Alpha"]),
        ("attention", ["Bravo", "Alpha", "Charlie"]),
        ("-attention", ["Charlie", "Alpha", "Bravo"]),
        ("strategic", ["Bravo", "Alpha", "Charlie"]),
        ("-strategic", ["Charlie", "Alpha", "Bravo"]),
        ("operational", ["Alpha", "Bravo", "Charlie"]),
        ("-operational", ["Charlie", "Bravo", "Alpha"]),
        ("relational", ["Bravo", "Charlie", "Alpha"]),
        ("-relational", ["Alpha", "Charlie", "Bravo"]),
    ],
)
def test_sorting_by_each_column(client, person, three, sort, expected):
    client.force_login(person)
    assert names(client.get(reverse("portfolio"), {"sort": sort})) == expected


def test_sorting_by_next_deadline_puts_alliances_without_one_last(client, person, three, fake):
    fake.deadline(three["charlie"], "Ballot closes", FAR)
    fake.deadline(three["alpha"], "Review due", FAR + timedelta(days=3))
    client.force_login(person)
    assert names(client.get(reverse("portfolio"), {"sort": "deadline"})) == [
        "Charlie",
        "Alpha",
        "Bravo",
    ]
    assert names(client.get(reverse("portfolio"), {"sort": "-deadline"})) == [
        "Alpha",
        "Charlie",
        "Bravo",
    ]


def test_a_layer_without_facts_sorts_last_either_way(client, person, three, fake):
    fake.found_signals[three["alpha"].pk] = [
        s for s in fake.found_signals[three["alpha"].pk] if s.layer != Layer.RELATIONAL
    ]
    client.force_login(person)
    for sort in ("relational", "-relational"):
        assert names(client.get(reverse("portfolio"), {"sort": sort}))[-1] == "Alpha"


def test_sort_links_toggle_the_direction_and_keep_the_filters(client, person, three):
    client.force_login(person)
    page = client.get(reverse("portfolio"), {"sort": "name", "stage": "active"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="/portfolio/?stage=active&amp;sort=-name"' in page
    assert 'href="/portfolio/?stage=active&amp;sort=strategic"' in page


@pytest.mark.parametrize(
    ("operational", "needs_attention"), [(70, False), (69, True), (40, True), (39, True)]
)
def test_needs_attention_means_a_layer_on_watch_or_at_risk(
    client, person, fake, operational, needs_attention
):
    alliance = alliance_of(person, "Edge")
    fake.scores(alliance, 90, operational, 90)
    client.force_login(person)
    listed = names(client.get(reverse("portfolio"), {"state": "attention"}))
    assert listed == (["Edge"] if needs_attention else [])
    healthy = names(client.get(reverse("portfolio"), {"state": "healthy"}))
    assert healthy == ([] if needs_attention else ["Edge"])


@pytest.mark.parametrize(("relational", "at_risk"), [(40, False), (39, True)])
def test_the_at_risk_filter_starts_below_40(client, person, fake, relational, at_risk):
    alliance = alliance_of(person, "Edge")
    fake.scores(alliance, 90, 90, relational)
    client.force_login(person)
    listed = names(client.get(reverse("portfolio"), {"state": "at_risk"}))
    assert listed == (["Edge"] if at_risk else [])


def test_filter_by_stage_organisation_and_name(client, person, three):
    shared = OrganizationFactory.create(name="Shared Org")
    PartnerFactory.create(alliance=three["alpha"], organization=shared)
    PartnerFactory.create(alliance=three["charlie"], organization=shared)
    client.force_login(person)
    url = reverse("portfolio")
    assert names(client.get(url, {"stage": "forming"})) == ["Charlie"]
    assert names(client.get(url, {"organization": shared.pk})) == ["Alpha", "Charlie"]
    assert names(client.get(url, {"q": "  rav "})) == ["Bravo"]
    assert names(client.get(url, {"q": "ALP", "organization": shared.pk})) == ["Alpha"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "shoe-size"}, "Order"),
        ({"state": "on fire"}, "Health"),
        ({"stage": "<script>"}, "Stage"),
        ({"organization": "abc"}, "Partner organisation"),
        ({"organization": "999999999999999999999"}, "Partner organisation"),
        ({"q": "x" * 201}, "Name contains"),
    ],
)
def test_bad_filters_show_an_error_and_the_whole_portfolio(client, person, three, params, field):
    client.force_login(person)
    response = client.get(reverse("portfolio"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "These filters could not be used, so every alliance is shown" in page
    assert f"<li>{field}:" in page
    assert names(response) == ["Bravo", "Alpha", "Charlie"]
    partial = client.get(reverse("portfolio"), params, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert names(partial) == ["Bravo", "Alpha", "Charlie"]


def test_an_organisation_outside_the_person_s_alliances_is_not_a_choice(client, person, three):
    elsewhere = OrganizationFactory.create(name="Not yours")
    client.force_login(person)
    response = client.get(reverse("portfolio"), {"organization": elsewhere.pk})
    assert "Select a valid choice" in field_errors(response, "organization")
    assert "Not yours" not in response.content.decode().split("</form>")[0]


def test_deadlines_are_shown_in_the_person_s_time_zone(client, person, three, fake):
    person.time_zone = "Asia/Tokyo"
    person.save()
    fake.deadline(three["alpha"], "Ballot on data ownership closes", FAR)
    fake.deadline(three["alpha"], "Review due", FAR + timedelta(days=1))
    client.force_login(person)
    page = client.get(reverse("portfolio")).content.decode()
    with timezone.override("Asia/Tokyo"):
        shown = formats.date_format(timezone.localtime(FAR), "DATETIME_FORMAT")
    assert '<time datetime="2030-01-01T09:00:00+09:00">' + shown in page
    assert "Ballot on data ownership closes" in page
    assert "1 more" in page


def test_a_deadline_on_a_calendar_day_shows_that_day_in_every_zone(client, person, three, fake):
    person.time_zone = "America/New_York"  # west of UTC: the day's UTC end is the evening before
    person.save()
    day = date(2030, 1, 16)
    fake.deadline(three["alpha"], "Commitment due", start_of_day(day + timedelta(days=1)), day)
    client.force_login(person)
    page = client.get(reverse("portfolio")).content.decode()
    assert '<time datetime="2030-01-16">' + formats.date_format(day, "DATE_FORMAT") in page
    csv = client.get(reverse("portfolio_csv")).content.decode()
    assert "2030-01-16" in csv
    assert "2030-01-16T" not in csv


def test_open_escalations_and_ballots_awaiting_the_person_are_counted(client, person, three, fake):
    other = UserFactory.create()
    fake.waiting(three["alpha"], person, "escalation", "Data ownership")
    fake.waiting(three["alpha"], person, "ballot", "Adopt the charter")
    fake.waiting(three["alpha"], person, "ballot", "Budget")
    fake.waiting(three["alpha"], other, "ballot", "Not theirs")
    client.force_login(person)
    page = client.get(reverse("portfolio"), {"q": "alpha"}).content.decode()
    assert f'<a href="/escalation/{three["alpha"].pk}/0/">1 open escalation</a>' in page
    assert f'<a href="/ballot/{three["alpha"].pk}/0/">2 ballots awaiting your vote</a>' in page
    # Escalations are the alliance's, whoever settles them; the ballots are the person's.
    assert "Open escalations and ballots awaiting your vote</th>" in page
    assert "Awaiting you" not in page
    page = client.get(reverse("portfolio"), {"q": "bravo"}).content.decode()
    assert "Nothing open" in page


def test_the_three_most_urgent_moves_across_the_portfolio(client, person, fake):
    for name, score in (("North", 35), ("South", 12), ("East", 60), ("West", 20)):
        alliance = alliance_of(person, name)
        fake.score(alliance, Layer.OPERATIONAL, score, move="audit")
    client.force_login(person)
    page = client.get(reverse("portfolio")).content.decode()
    moves = page[page.index('id="next-moves"') : page.index("</ol>", page.index('id="next-moves"'))]
    assert moves.count("<li>") == 3
    assert moves.index("Do audit in South") < moves.index("Do audit in West")
    assert moves.index("Do audit in West") < moves.index("Do audit in North")
    assert "East" not in moves


def _row(alliance: Alliance, *signals: tuple[str, str, int]) -> Row:
    """A row whose signals (layer, move, score) each call for that move."""
    found = [
        Signal(layer, f"{layer}-{move}", "T", score, "F", "R", "/f/",
               move=Move(move, move, f"{layer} {score}", f"/{move}/"))
        for layer, move, score in signals
    ]  # fmt: skip
    layers = [LayerHealth(layer, [s for s in found if s.layer == layer]) for layer in Layer.values]
    return Row(alliance, Health(alliance, layers))


def test_moves_across_the_portfolio_are_each_alliance_s_weakest_first(db):
    north = AllianceFactory.create(name="North")
    south = AllianceFactory.create(name="South")
    rows = [
        _row(north, ("operational", "audit", 50), ("relational", "audit", 20),
             ("strategic", "map", 30), ("strategic", "check_in", 40)),
        _row(south, ("operational", "audit", 10)),
    ]  # fmt: skip
    moves = [(m.alliance.name, m.move.key, m.layer, m.score) for m in portfolio_moves(rows)]
    # North's audit is called for twice: once, by its weakest signal.
    assert moves == [
        ("South", "audit", "operational", 10),
        ("North", "audit", "relational", 20),
        ("North", "map", "strategic", 30),
    ]
    assert len(portfolio_moves(rows, limit=4)) == 4
    assert [m.move.key for m in portfolio_moves(rows, limit=1)] == ["audit"]


def test_a_row_s_weakest_score_is_its_health_s_and_none_without_facts(db):
    alliance = AllianceFactory.create()
    row = _row(alliance, ("operational", "audit", 55), ("relational", "audit", 80))
    assert row.health is not None
    assert row.worst_score == row.health.worst_score == 55
    assert row.worst_state == "watch"
    empty = _row(alliance)
    assert empty.health is not None
    assert (empty.worst_score, empty.health.worst_score) == (None, 100)
    assert empty.get_worst_state_display() == "Not enough facts"
    assert Row(alliance, None).get_worst_state_display() == "No longer running"


def test_a_person_without_alliances_is_told_what_to_do(client, person, fake):
    client.force_login(person)
    page = client.get(reverse("portfolio")).content.decode()
    assert "You are not part of any alliance yet" in page
    assert reverse("alliance_create") in page


def test_filters_that_match_nothing_say_so(client, person, three):
    client.force_login(person)
    page = client.get(reverse("portfolio"), {"q": "zulu"}).content.decode()
    assert "No alliance matches these filters." in page
    assert "You are not part of any alliance yet" not in page


def test_dissolved_alliances_are_listed_last_without_health(client, person, three, fake):
    old = alliance_of(person, "Aardvark", stage=Alliance.Stage.DISSOLVED)
    fake.scores(old, 10, 10, 10)
    client.force_login(person)
    response = client.get(reverse("portfolio"))
    assert names(response)[-1] == "Aardvark"
    assert "No longer running" in response.content.decode()
    assert names(client.get(reverse("portfolio"), {"state": "attention"})) == ["Bravo", "Alpha"]


def test_links_to_map_your_alliances_and_the_person_s_organisations(client, person, three):
    organization = OrganizationFactory.create(name="Keeper Org")
    MembershipFactory.create(person=person, organization=organization)
    client.force_login(person)
    page = client.get(reverse("portfolio")).content.decode()
    assert reverse("interest_portfolio") in page
    url = reverse("organization_portfolio", kwargs={"organization_pk": organization.pk})
    assert f'<a href="{url}#concentration">Keeper Org\'s portfolio</a>' in page
    assert f'href="{reverse("portfolio")}" aria-current="page"' in page


def test_htmx_gets_only_the_results(client, person, three):
    client.force_login(person)
    response = client.get(reverse("portfolio"), {"sort": "name"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert names(response) == ["Alpha", "Bravo", "Charlie"]


# CSV ----------------------------------------------------------------------------------------


def test_csv_exports_exactly_the_filtered_and_sorted_rows(client, person, three, fake):
    fake.deadline(three["alpha"], "Review due", FAR)
    fake.waiting(three["alpha"], person, "ballot")
    client.force_login(person)
    response = client.get(reverse("portfolio_csv"), {"state": "attention", "sort": "-name"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="portfolio.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:6] == [
        "Alliance",
        "Stage",
        "Form",
        "Partners",
        "Strategic score",
        "Strategic state",
    ]
    assert [row[0] for row in rows] == ["Bravo", "Alpha"]
    alpha = dict(zip(header, rows[1], strict=True))
    assert alpha["Operational score"] == "55"
    assert alpha["Operational state"] == "Watch"
    assert alpha["Weakest state"] == "Watch"
    assert alpha["Next deadline"] == "Review due"
    assert alpha["Next deadline at"] == "2030-01-01T00:00:00+00:00"
    assert alpha["Open escalations"] == "0"
    assert alpha["Ballots awaiting your vote"] == "1"
    assert alpha["Health page"].endswith(f"/alliances/{three['alpha'].pk}/health/")


def test_the_page_links_the_csv_with_its_own_filters(client, person, three):
    client.force_login(person)
    page = client.get(reverse("portfolio"), {"state": "attention", "sort": "-name"}).content
    assert b'href="/portfolio.csv?state=attention&amp;sort=-name"' in page


def test_csv_with_bad_filters_exports_the_whole_portfolio(client, person, three):
    client.force_login(person)
    response = client.get(reverse("portfolio_csv"), {"sort": "bogus"})
    assert [row[0] for row in csv_rows(response)[1:]] == ["Bravo", "Alpha", "Charlie"]


@pytest.mark.parametrize("formula", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_csv_never_hands_a_spreadsheet_a_formula(client, person, fake, formula):
    alliance = alliance_of(person, formula + " alliance")
    PartnerFactory.create(alliance=alliance, organization__name=formula + " Org")
    fake.deadline(alliance, formula + " deadline", FAR)
    client.force_login(person)
    (row,) = csv_rows(client.get(reverse("portfolio_csv")))[1:]
    for cell in row:
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
    assert row[0] == "'" + formula + " alliance"


# Query counts -------------------------------------------------------------------------------


def _bulk_alliances(person: User, organizations: list[Organization], start: int, count: int):
    """``count`` active alliances of the person, each with two partners, a shared interest
    serving a goal and a scheduled review: what every source reads."""
    alliances = Alliance.objects.bulk_create(
        Alliance(name=f"Bulk {start + i:03}", purpose="p", form=Alliance.Form.JOINT_VENTURE,
                 stage=Alliance.Stage.ACTIVE)
        for i in range(count)
    )  # fmt: skip
    partners = Partner.objects.bulk_create(
        Partner(alliance=a, organization=o, resource_share=10)
        for a in alliances
        for o in organizations
    )
    Role.objects.bulk_create(
        Role(alliance=a, person=person, kind=Role.Kind.COALITION_MANAGER) for a in alliances
    )
    goals = Goal.objects.bulk_create(Goal(alliance=a, title="Cut emissions") for a in alliances)
    interests = Interest.objects.bulk_create(
        Interest(partner=p, kind=Interest.Kind.EXPLICIT, statement="s",
                 visibility=Interest.Visibility.ALLIANCE)
        for p in partners[:: len(organizations)]
    )  # fmt: skip
    InterestLink.objects.bulk_create(
        InterestLink(interest=i, goal=g, effect=InterestLink.Effect.SUPPORTS)
        for i, g in zip(interests, goals, strict=True)
    )
    Review.objects.bulk_create(
        Review(alliance=a, due_at=timezone.now() + timedelta(days=30)) for a in alliances
    )


def test_the_portfolio_costs_the_same_queries_for_3_and_300_alliances(
    client, person, django_assert_num_queries
):
    """With the real health sources: each answers for all the alliances at once."""
    organizations = [OrganizationFactory.create(), OrganizationFactory.create()]
    MembershipFactory.create(person=person, organization=organizations[0])  # its concentration
    _bulk_alliances(person, organizations, 0, 3)
    client.force_login(person)
    client.get(reverse("portfolio"))  # the session is warm from here on
    with CaptureQueriesContext(connection) as page_for_3:
        response = client.get(reverse("portfolio"))
    assert len(names(response)) == 3
    with CaptureQueriesContext(connection) as csv_for_3:
        response = client.get(reverse("portfolio_csv"))
    assert len(csv_rows(response)) == 4

    _bulk_alliances(person, organizations, 3, 297)
    with django_assert_num_queries(len(page_for_3)):
        response = client.get(reverse("portfolio"))
    assert len(names(response)) == 300
    with django_assert_num_queries(len(csv_for_3)):
        response = client.get(reverse("portfolio_csv"))
    assert len(csv_rows(response)) == 301


# The organisation's portfolio ---------------------------------------------------------------


def test_members_see_their_organisation_s_portfolio(client, pilot):
    client.force_login(pilot.manager)
    url = reverse(
        "organization_portfolio", kwargs={"organization_pk": pilot.greenalliance.organization_id}
    )
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "GreenAlliance's portfolio" in page
    assert names(response) == ["Last-mile carbon pilot"]
    assert "Concentration risk" in page
    assert "could not survive without" in page


def test_a_partner_s_organisation_is_not_theirs_to_see_in_full(client, pilot):
    client.force_login(pilot.manager)  # a member of GreenAlliance, not of TechCo
    url = reverse(
        "organization_portfolio", kwargs={"organization_pk": pilot.techco.organization_id}
    )
    assert client.get(url).status_code == 403
    url = reverse(
        "organization_portfolio_csv", kwargs={"organization_pk": pilot.techco.organization_id}
    )
    assert client.get(url).status_code == 403


def test_outsiders_get_404_for_an_organisation_they_never_meet(client, pilot, outsider):
    client.force_login(outsider)
    for name in ("organization_portfolio", "organization_portfolio_csv", "organization_edit"):
        url = reverse(name, kwargs={"organization_pk": pilot.greenalliance.organization_id})
        assert client.get(url).status_code == 404


@pytest.fixture
def org(db):
    return keeper_org()


def keeper_org() -> tuple[User, Organization, dict[str, Partner]]:
    """Keeper Org and its member, the viewer, in three running alliances where it is a partner;
    each holds the viewer's role and nothing else yet."""
    viewer = UserFactory.create(email="viewer@keeper.example")
    organization = OrganizationFactory.create(name="Keeper Org")
    MembershipFactory.create(person=viewer, organization=organization)
    partners = {}
    for name in ("Alpha", "Bravo", "Charlie"):
        alliance = alliance_of(viewer, name)
        partners[name] = PartnerFactory.create(alliance=alliance, organization=organization)
    return viewer, organization, partners


def _interests(partner: Partner, count: int) -> None:
    Interest.objects.bulk_create(
        Interest(partner=partner, kind=Interest.Kind.EXPLICIT, statement=f"s{i}")
        for i in range(count)
    )


def _concentration(client, viewer, organization):
    client.force_login(viewer)
    url = reverse("organization_portfolio", kwargs={"organization_pk": organization.pk})
    return client.get(url).context["concentration"]


@pytest.mark.parametrize(
    ("activity", "top", "level", "said"),
    [
        ((34, 33, 33), 34, "spread", "No alliance holds 35% or more of Keeper Org's activity"),
        ((35, 33, 32), 35, "watch", "Keeper Org's activity: 35% or more in one alliance."),
        ((49, 26, 25), 49, "watch", "Keeper Org's activity: 35% or more in one alliance."),
        ((50, 25, 25), 50, "high", "Keeper Org's activity: 50% or more in one alliance."),
    ],
)
def test_concentration_boundaries(client, fake, org, activity, top, level, said):
    viewer, organization, partners = org
    for partner, count in zip(partners.values(), activity, strict=True):
        _interests(partner, count - 1)  # each also holds the viewer's role
    found = _concentration(client, viewer, organization)
    assert found.top.alliance.name == "Alpha"
    assert found.top.percent == top
    assert found.level == level
    assert [share.activity for share in found.shares] == list(activity)
    assert said in found.explanation


def test_a_partner_leaving_tomorrow_in_utc_still_counts_wherever_the_reader_is(fake, org):
    viewer, organization, partners = org
    # Late in a UTC day, when it is already the next day in Tokyo: Charlie's partner leaves
    # at the start of that next day (UTC), so it still counts, for every reader.
    day = timezone.now().astimezone(UTC).date() + timedelta(days=1)
    now = datetime.combine(day, time(23, 30), tzinfo=UTC)
    Partner.objects.filter(pk=partners["Charlie"].pk).update(exited_on=day + timedelta(days=1))
    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        with timezone.override(zone):
            found = organization_portfolio(viewer, organization, Query(), now).concentration
        assert [share.alliance.name for share in found.shares] == ["Alpha", "Bravo", "Charlie"]
    with timezone.override("Asia/Tokyo"):
        found = organization_portfolio(
            viewer, organization, Query(), now + timedelta(minutes=30)
        ).concentration
    assert [share.alliance.name for share in found.shares] == ["Alpha", "Bravo"]


def test_one_running_alliance_is_a_high_concentration(client, fake, org):
    viewer, organization, partners = org
    Alliance.objects.filter(name="Bravo").update(stage=Alliance.Stage.DISSOLVED)
    partners["Charlie"].exited_on = timezone.localdate() - timedelta(days=1)
    partners["Charlie"].save()
    found = _concentration(client, viewer, organization)
    assert [share.alliance.name for share in found.shares] == ["Alpha"]
    assert found.level == "high"
    assert "only one that is running" in found.explanation


def test_no_running_alliance_is_no_concentration(client, fake, org):
    viewer, organization, _partners = org
    Alliance.objects.update(stage=Alliance.Stage.DISSOLVED)
    found = _concentration(client, viewer, organization)
    assert found.shares == []
    assert found.level == "none"


def test_an_alliance_the_viewer_is_not_in_is_never_counted(client, fake, org):
    viewer, organization, _partners = org
    colleague = UserFactory.create()
    MembershipFactory.create(person=colleague, organization=organization)
    hidden = alliance_of(colleague, "Hidden venture")
    _interests(PartnerFactory.create(alliance=hidden, organization=organization), 50)
    found = _concentration(client, viewer, organization)
    assert [share.alliance.name for share in found.shares] == ["Alpha", "Bravo", "Charlie"]
    assert sum(share.activity for share in found.shares) == 3
    client.force_login(viewer)
    url = reverse("organization_portfolio", kwargs={"organization_pk": organization.pk})
    assert "Hidden venture" not in client.get(url).content.decode()


def test_activity_counts_the_organisation_s_people_interests_and_fits_of_12_months(
    client, fake, org
):
    viewer, organization, partners = org
    alpha = partners["Alpha"].alliance
    colleague, stranger = UserFactory.create(), UserFactory.create()
    MembershipFactory.create(person=colleague, organization=organization)
    RoleFactory.create(alliance=alpha, person=colleague, kind=Role.Kind.STEERING_COMMITTEE,
                       partner=partners["Alpha"])  # fmt: skip
    # A role acting for the partner does not make someone one of the organisation's people.
    RoleFactory.create(alliance=alpha, person=stranger, kind=Role.Kind.PARTNER_REPRESENTATIVE,
                       partner=partners["Alpha"])  # fmt: skip
    now = timezone.now()
    recent, old = InterestFactory.create_batch(2, partner=partners["Alpha"])
    Interest.objects.filter(pk=recent.pk).update(updated_at=now - timedelta(days=364))
    Interest.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=366))
    review = Review.objects.create(alliance=alpha, due_at=now, status=Review.Status.OPEN)
    PartnerFit.objects.create(review=review, partner=partners["Alpha"], fit=4, recorded_by=viewer)
    found = _concentration(client, viewer, organization)
    share = found.shares[0]
    assert (share.alliance, share.roles, share.interests, share.fits) == (alpha, 2, 1, 1)
    assert share.percent == 4 * 100 // 6


def test_the_person_s_portfolio_shows_each_of_their_organisations_concentration(client, fake, org):
    viewer, _organization, partners = org
    second = OrganizationFactory.create(name="Second Org")
    MembershipFactory.create(person=viewer, organization=second)
    PartnerFactory.create(alliance=partners["Bravo"].alliance, organization=second)
    _interests(partners["Alpha"], 1)
    client.force_login(viewer)
    response = client.get(reverse("portfolio"), {"q": "charlie"})  # filters change nothing here
    keeper, only = response.context["concentrations"]
    # The viewer's role counts once for each organisation they belong to.
    assert [(s.alliance.name, s.roles, s.interests) for s in keeper.shares] == [
        ("Alpha", 1, 1),
        ("Bravo", 1, 0),
        ("Charlie", 1, 0),
    ]
    assert (keeper.level, keeper.top.percent) == ("high", 50)
    assert [(s.alliance.name, s.roles) for s in only.shares] == [("Bravo", 1)]
    assert only.level == "high"
    page = response.content.decode()
    assert "Concentration risk of your organisations" in page
    assert "could not survive without" in page
    assert "Alpha holds 50% of Keeper Org&#x27;s activity: 50% or more in one alliance." in page
    assert "Of the alliances you are in, Second Org takes part in only one" in page


def test_the_organisation_portfolio_lists_only_its_alliances(client, fake, org):
    viewer, organization, _partners = org
    alliance_of(viewer, "Without Keeper Org")
    client.force_login(viewer)
    url = reverse("organization_portfolio", kwargs={"organization_pk": organization.pk})
    assert names(client.get(url)) == ["Alpha", "Bravo", "Charlie"]
    assert names(client.get(url, {"q": "bra"})) == ["Bravo"]
    csv_url = reverse("organization_portfolio_csv", kwargs={"organization_pk": organization.pk})
    response = client.get(csv_url, {"sort": "-name"})
    assert 'filename="portfolio-keeper-org.csv"' in response["Content-Disposition"]
    assert [row[0] for row in csv_rows(response)[1:]] == ["Charlie", "Bravo", "Alpha"]


def test_filters_never_change_the_concentration(client, fake, org):
    viewer, organization, partners = org
    _interests(partners["Alpha"], 9)
    client.force_login(viewer)
    url = reverse("organization_portfolio", kwargs={"organization_pk": organization.pk})
    found = client.get(url, {"q": "charlie"}).context["concentration"]
    assert found.top.alliance.name == "Alpha"
    assert found.top.percent == 10 * 100 // 12


def test_an_organisation_in_no_alliance_of_the_viewer_says_so(client, db, fake):
    viewer = UserFactory.create()
    organization = OrganizationFactory.create(name="Lonely Org")
    MembershipFactory.create(person=viewer, organization=organization)
    client.force_login(viewer)
    url = reverse("organization_portfolio", kwargs={"organization_pk": organization.pk})
    page = client.get(url).content.decode()
    assert "None of your alliances has Lonely Org as a partner yet." in page
    assert "Lonely Org is a partner in no running alliance that you are in." in page


# Editing the organisation -------------------------------------------------------------------


def test_members_edit_their_organisation(client, pilot):
    organization = pilot.greenalliance.organization
    client.force_login(pilot.manager)
    url = reverse("organization_edit", kwargs={"organization_pk": organization.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Green Alliance", "country": "NL", "kind": "nonprofit",
                                 "decision_culture": "consensus"})  # fmt: skip
    assert response.status_code == 302
    assert response.url == reverse(
        "organization_portfolio", kwargs={"organization_pk": organization.pk}
    )
    organization.refresh_from_db()
    assert (organization.name, organization.decision_culture) == ("Green Alliance", "consensus")


def test_errors_are_shown_and_nothing_changes(client, pilot):
    organization = pilot.greenalliance.organization
    client.force_login(pilot.manager)
    url = reverse("organization_edit", kwargs={"organization_pk": organization.pk})
    response = client.post(url, {"name": "", "country": "XX", "kind": "guild"})
    assert response.status_code == 200
    assert "This field is required." in field_errors(response, "name")
    assert field_errors(response, "country")
    assert field_errors(response, "kind")
    assert "Edit GreenAlliance" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "GreenAlliance"


def test_only_members_edit_an_organisation(client, pilot):
    client.force_login(pilot.manager)
    url = reverse("organization_edit", kwargs={"organization_pk": pilot.techco.organization_id})
    assert (
        client.post(url, {"name": "Taken over", "country": "DE", "kind": "company"}).status_code
        == 403
    )
    assert Organization.objects.get(pk=pilot.techco.organization_id).name == "TechCo"


# Dashboard and navigation -------------------------------------------------------------------


def test_the_dashboard_shows_what_needs_attention(client, person, three):
    client.force_login(person)
    page = client.get(reverse("dashboard")).content.decode()
    block = page[
        page.index('id="needs-attention"') : page.index(
            "</section>", page.index('id="needs-attention"')
        )
    ]
    assert "2 alliances need attention" in block
    assert block.index("Bravo") < block.index("Alpha")
    assert "Charlie" not in block
    bravo = reverse("alliance_health", kwargs={"alliance_pk": three["bravo"].pk})
    assert f'href="{bravo}#strategic"' in block
    assert f'href="{reverse("portfolio")}?state=attention"' in block


def test_the_dashboard_block_is_absent_when_all_is_healthy(client, person, fake):
    fake.scores(alliance_of(person, "Fine"), 90, 90, 90)
    client.force_login(person)
    assert 'id="needs-attention"' not in client.get(reverse("dashboard")).content.decode()


def test_the_navigation_links_the_portfolio(client, person, fake):
    client.force_login(person)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'<a href="{reverse("portfolio")}">Portfolio</a>' in page
