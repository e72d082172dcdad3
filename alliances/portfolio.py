"""The portfolio: every alliance of a person, or of one of their organisations, with its health.

Each row holds the alliance's three layer states (``alliances.health.assess_many``), its
upcoming deadlines, its open escalations and the ballots awaiting the person's vote (the
sources' ``deadlines`` and ``awaiting``). Building the rows takes a fixed number of queries
however many alliances there are: the alliances with their partners, then each source once for
the whole batch.

``PortfolioFilterForm`` filters and sorts the rows for the pages, the CSV export and the API
alike. Bad values leave the whole portfolio in its default order, most in need of attention
first, and the form says what was wrong.

For an organisation, ``concentration`` measures how much of its activity hangs on a single
alliance, counted only over the alliances the viewer is in: counting others would give away
that they exist.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .health import (
    ASSESSED_STAGES,
    MOVES_SHOWN,
    Awaiting,
    Deadline,
    Health,
    Layer,
    LayerHealth,
    Move,
    State,
    assess_many,
    awaiting_many,
    deadlines_many,
    next_moves,
    state_of,
)
from .models import Alliance, Interest, Organization, Partner, PartnerFit, Role, User

ATTENTION_STATES = (State.WATCH, State.AT_RISK)

# Concentration risk: an alliance's share of the organisation's activity over this window.
CONCENTRATION_WINDOW = timedelta(days=365)
HIGH_CONCENTRATION_FROM = 50
WATCH_CONCENTRATION_FROM = 35
CONCENTRATION_METHOD = gettext_lazy(
    "For each running alliance you are in where the organisation is a partner and has not left, "
    "we count what is on record: the roles the organisation's people hold in it, the interests "
    "the organisation recorded or changed in it in the last 12 months, and the strategic-fit "
    "ratings recorded for the organisation in its reviews in the last 12 months. An alliance's "
    "share is its count divided by the count over all of them, rounded down to a whole "
    "percent. One alliance holding 50% or more, or being the only running one, is a high "
    "concentration; 35% to 49% is one to watch. Alliances you are not in are never counted."
)


@dataclass
class Row:
    """One alliance of the portfolio. ``health`` is None once it no longer runs."""

    alliance: Alliance
    health: Health | None
    deadlines: list[Deadline] = field(default_factory=list)
    awaiting: list[Awaiting] = field(default_factory=list)

    @property
    def partners(self) -> list[Partner]:
        return list(self.alliance.partners.all())

    @property
    def layers(self) -> list[LayerHealth]:
        return self.health.layers if self.health else []

    def score(self, layer: str) -> int | None:
        return self.health.layer(layer).score if self.health else None

    @property
    def worst_score(self) -> int | None:
        """The weakest layer's score, shown as the row's state: None when no layer has facts
        (shown as "Not enough facts") or the alliance no longer runs. ``Health.worst_score``
        is a sort key instead, which counts a layer without facts as healthy (100): sorting by
        attention uses that one."""
        if self.health is None:
            return None
        scores = [layer.score for layer in self.layers if layer.score is not None]
        return self.health.worst_score if scores else None

    @property
    def worst_state(self) -> str | None:
        return state_of(self.worst_score)

    def get_worst_state_display(self) -> str:
        if self.health is None:
            return _("No longer running")
        return str(State(self.worst_state).label) if self.worst_state else _("Not enough facts")

    @property
    def needs_attention(self) -> bool:
        return self.worst_state in ATTENTION_STATES

    @property
    def next_deadline(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    @property
    def escalations(self) -> list[Awaiting]:
        return [item for item in self.awaiting if item.kind == "escalation"]

    @property
    def ballots(self) -> list[Awaiting]:
        return [item for item in self.awaiting if item.kind == "ballot"]

    @property
    def open_escalations(self) -> int:
        return len(self.escalations)

    @property
    def ballots_awaiting(self) -> int:
        return len(self.ballots)

    @property
    def moves(self) -> list[Move]:
        return self.health.moves if self.health else []

    @cached_property
    def health_url(self) -> str:
        """The alliance's health page; each layer is an anchor on it (``#strategic``)."""
        return reverse("alliance_health", kwargs={"alliance_pk": self.alliance.pk})


@dataclass(frozen=True)
class PortfolioMove:
    """A next move in one alliance, ranked by the score of the weakest fact it would improve."""

    alliance: Alliance
    move: Move
    layer: str
    score: int


def portfolio_moves(rows: Sequence[Row], limit: int = MOVES_SHOWN) -> list[PortfolioMove]:
    """The most urgent moves over all the rows: each alliance's next moves
    (``alliances.health.next_moves``: weakest signal first, each kind once), then over the
    portfolio by the score of the signal each would improve."""
    found = []
    for row in rows:
        signals = [s for layer in row.layers for s in layer.signals if s.move is not None]
        ranked = sorted(signals, key=lambda s: (s.score, s.key))
        for move in next_moves(ranked, limit):
            # The weakest signal calling for this move: the one next_moves took it from.
            weakest = next(s for s in ranked if s.move is not None and s.move.key == move.key)
            found.append(PortfolioMove(row.alliance, move, weakest.layer, weakest.score))
    found.sort(key=lambda m: (m.score, m.alliance.name.casefold(), m.alliance.pk, m.move.key))
    return found[:limit]


# Filtering and sorting -------------------------------------------------------------------------

STATE_FILTERS: dict[str, Callable[[Row], bool]] = {
    "attention": lambda row: row.needs_attention,
    "at_risk": lambda row: any(layer.state == State.AT_RISK for layer in row.layers),
    "healthy": lambda row: row.worst_state == State.HEALTHY,
}
STATE_CHOICES = [
    ("", gettext_lazy("Any health")),
    ("attention", gettext_lazy("Needs attention: a layer on watch or at risk")),
    ("at_risk", gettext_lazy("A layer at risk")),
    ("healthy", gettext_lazy("Healthy in every layer")),
]


def _deadline_key(row: Row) -> float:
    return row.next_deadline.at.timestamp() if row.next_deadline else math.inf


# Each sort key; rows whose key is None (no score, no deadline) come last either way.
SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "attention": lambda row: (row.health.worst_score, _deadline_key(row)) if row.health else None,
    "name": lambda row: row.alliance.name.casefold(),
    "strategic": lambda row: row.score(Layer.STRATEGIC),
    "operational": lambda row: row.score(Layer.OPERATIONAL),
    "relational": lambda row: row.score(Layer.RELATIONAL),
    "deadline": lambda row: row.next_deadline.at if row.next_deadline else None,
}
DEFAULT_SORT = "attention"
SORT_CHOICES = [
    ("attention", gettext_lazy("Most in need of attention first")),
    ("-attention", gettext_lazy("Healthiest first")),
    ("name", gettext_lazy("Name, A to Z")),
    ("-name", gettext_lazy("Name, Z to A")),
    ("strategic", gettext_lazy("Strategic score, lowest first")),
    ("-strategic", gettext_lazy("Strategic score, highest first")),
    ("operational", gettext_lazy("Operational score, lowest first")),
    ("-operational", gettext_lazy("Operational score, highest first")),
    ("relational", gettext_lazy("Relational score, lowest first")),
    ("-relational", gettext_lazy("Relational score, highest first")),
    ("deadline", gettext_lazy("Next deadline, soonest first")),
    ("-deadline", gettext_lazy("Next deadline, latest first")),
]


def sort_rows(rows: Sequence[Row], sort: str) -> list[Row]:
    descending = sort.startswith("-")
    key = SORT_KEYS[sort.lstrip("-")]
    by_name = sorted(rows, key=lambda row: (row.alliance.name.casefold(), row.alliance.pk))
    keyed = [row for row in by_name if key(row) is not None]
    unkeyed = [row for row in by_name if key(row) is None]
    return sorted(keyed, key=key, reverse=descending) + unkeyed


@dataclass(frozen=True)
class Query:
    """A valid filter and sort; the defaults show the whole portfolio."""

    text: str = ""
    state: str = ""
    stage: str = ""
    organization: Organization | None = None
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.state or self.stage or self.organization)

    def keeps(self, alliance: Alliance) -> bool:
        if self.text and self.text.casefold() not in alliance.name.casefold():
            return False
        if self.stage and alliance.stage != self.stage:
            return False
        partners = alliance.partners.all()
        return not self.organization or any(
            p.organization_id == self.organization.pk for p in partners
        )


class PortfolioFilterForm(forms.Form):
    """The portfolio's filters and sort, from the query string of the page, the CSV or the API."""

    q = forms.CharField(label=gettext_lazy("Name contains"), max_length=200, required=False)
    state = forms.ChoiceField(label=gettext_lazy("Health"), choices=STATE_CHOICES, required=False)
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        choices=[("", gettext_lazy("Any stage")), *Alliance.Stage.choices],
        required=False,
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Partner organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any organisation"),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Order"),
        choices=SORT_CHOICES,
        required=False,
        help_text=gettext_lazy("A leading minus reverses the order."),
    )

    def __init__(
        self, data: Any, *, person: User, organization: Organization | None = None
    ) -> None:
        super().__init__(data)
        if organization is not None:
            # An organisation's own portfolio: every row has it as a partner already.
            del self.fields["organization"]
        else:
            partners = Partner.objects.filter(alliance__in=Alliance.objects.visible_to(person))
            field = self.fields["organization"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Organization.objects.filter(
                pk__in=partners.values("organization_id")
            ).order_by("name")

    def query(self) -> Query:
        """The filters to apply: all of them when valid, none (the whole portfolio) otherwise."""
        if not self.is_valid():
            return Query()
        data = self.cleaned_data
        return Query(
            text=data["q"].strip(),
            state=data["state"],
            stage=data["stage"],
            organization=data.get("organization"),
            sort=data["sort"] or DEFAULT_SORT,
        )


# The portfolios ---------------------------------------------------------------------------------


@dataclass
class Portfolio:
    rows: list[Row]
    query: Query
    moves: list[PortfolioMove]
    # Whether the person is in any alliance here at all, filters aside (for the empty state).
    has_alliances: bool


def _alliances(person: User | AnonymousUser) -> models.QuerySet[Alliance]:
    partners = Partner.objects.select_related("organization")
    return Alliance.objects.visible_to(person).prefetch_related(
        Prefetch("partners", queryset=partners)
    )


def rows_for(person: User, alliances: Sequence[Alliance], now: datetime) -> list[Row]:
    """The rows of these alliances, in a fixed number of queries. Only running alliances are
    assessed: a dissolved one has no health, deadlines or open matters left."""
    running = [alliance for alliance in alliances if alliance.stage in ASSESSED_STAGES]
    assessed = assess_many(running, now)
    deadlines = deadlines_many(running, now)
    awaiting = awaiting_many(running, person, now)
    return [
        Row(
            alliance,
            assessed.get(alliance.pk),
            deadlines.get(alliance.pk, []),
            awaiting.get(alliance.pk, []),
        )
        for alliance in alliances
    ]


def _portfolio(person: User, alliances: list[Alliance], query: Query, now: datetime) -> Portfolio:
    kept = [alliance for alliance in alliances if query.keeps(alliance)]
    rows = rows_for(person, kept, now)
    if query.state:
        rows = [row for row in rows if STATE_FILTERS[query.state](row)]
    rows = sort_rows(rows, query.sort)
    return Portfolio(rows, query, portfolio_moves(rows), has_alliances=bool(alliances))


@dataclass
class PersonPortfolio(Portfolio):
    # The concentration risk of each of the person's organisations, over the person's alliances.
    concentrations: list[Concentration] = field(kw_only=True)


def person_portfolio(person: User, query: Query, now: datetime | None = None) -> PersonPortfolio:
    """Every alliance the person holds a role in, and how concentrated each of their
    organisations' activity is (over all of them, whatever the filters)."""
    now = now or timezone.now()
    alliances = list(_alliances(person))
    found = _portfolio(person, alliances, query, now)
    organizations = list(person.organizations.order_by("name", "pk"))
    return PersonPortfolio(
        found.rows,
        found.query,
        found.moves,
        found.has_alliances,
        concentrations=list(concentrations(organizations, alliances, now).values()),
    )


@dataclass
class OrganizationPortfolio(Portfolio):
    organization: Organization = field(kw_only=True)
    concentration: Concentration = field(kw_only=True)


def organization_portfolio(
    person: User, organization: Organization, query: Query, now: datetime | None = None
) -> OrganizationPortfolio:
    """The alliances the person is in where the organisation is a partner, and how much of the
    organisation's activity each one holds (over all of them, whatever the filters)."""
    now = now or timezone.now()
    alliances = list(_alliances(person).filter(partners__organization=organization))
    found = _portfolio(person, alliances, query, now)
    return OrganizationPortfolio(
        found.rows,
        found.query,
        found.moves,
        found.has_alliances,
        organization=organization,
        concentration=concentrations([organization], alliances, now)[organization.pk],
    )


def organization_for_portfolio(user: User | AnonymousUser, pk: int) -> Organization:
    """An organisation whose portfolio the person may see: their own. Organisations they only
    meet as partners answer 403, others 404 (``get_organization_for``)."""
    organization = get_object_or_404(Organization.objects.visible_to(user), pk=pk)
    if not organization.members.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Only members of this organisation see its portfolio."))
    return organization


def attention(person: User, now: datetime | None = None) -> list[Health]:
    """The person's running alliances with a layer on watch or at risk, weakest first
    (the dashboard's summary; the portfolio has the rest)."""
    running = list(Alliance.objects.visible_to(person).filter(stage__in=ASSESSED_STAGES))
    assessed = assess_many(running, now or timezone.now())
    rows = sort_rows([Row(health.alliance, health) for health in assessed.values()], DEFAULT_SORT)
    return [assessed[row.alliance.pk] for row in rows if row.needs_attention]


# Concentration risk -----------------------------------------------------------------------------


class Level(models.TextChoices):
    HIGH = "high", gettext_lazy("High concentration")
    WATCH = "watch", gettext_lazy("Watch")
    SPREAD = "spread", gettext_lazy("Spread")
    NONE = "none", gettext_lazy("No running alliance")


@dataclass(frozen=True)
class Share:
    """One running alliance's share of the organisation's recorded activity."""

    alliance: Alliance
    resource_share: Decimal
    roles: int
    interests: int
    fits: int
    percent: int

    @property
    def activity(self) -> int:
        return self.roles + self.interests + self.fits


@dataclass(frozen=True)
class Concentration:
    organization: Organization
    shares: list[Share]  # most activity first
    level: str

    @property
    def top(self) -> Share | None:
        return self.shares[0] if self.shares else None

    def get_level_display(self) -> str:
        return str(Level(self.level).label)

    @property
    def method(self) -> str:
        return str(CONCENTRATION_METHOD)

    @property
    def explanation(self) -> str:
        top = self.top
        if top is None:
            text = _("%(organization)s is a partner in no running alliance that you are in.")
            return text % {"organization": self.organization.name}
        if len(self.shares) == 1:
            text = _(
                "Of the alliances you are in, %(organization)s takes part in only one that is "
                "running: %(alliance)s. Whatever happens to it happens to all of "
                "%(organization)s's alliance work."
            )
        elif self.level == Level.HIGH:
            text = _(
                "%(alliance)s holds %(percent)s%% of %(organization)s's activity: %(high)s%% or "
                "more in one alliance."
            )
        elif self.level == Level.WATCH:
            text = _(
                "%(alliance)s holds %(percent)s%% of %(organization)s's activity: %(watch)s%% or "
                "more in one alliance. Keep an eye on it."
            )
        else:
            text = _(
                "No alliance holds %(watch)s%% or more of %(organization)s's activity: the "
                "largest, %(alliance)s, holds %(percent)s%%."
            )
        names = {"organization": self.organization.name, "alliance": top.alliance.name}
        limits = {"high": HIGH_CONCENTRATION_FROM, "watch": WATCH_CONCENTRATION_FROM}
        return text % (names | limits | {"percent": top.percent})


def level_of(shares: Sequence[Share]) -> str:
    if not shares:
        return Level.NONE
    top = max(share.percent for share in shares)
    if len(shares) == 1 or top >= HIGH_CONCENTRATION_FROM:
        return Level.HIGH
    return Level.WATCH if top >= WATCH_CONCENTRATION_FROM else Level.SPREAD


def concentrations(
    organizations: Sequence[Organization], alliances: Sequence[Alliance], now: datetime
) -> dict[int, Concentration]:
    """How much of each organisation's activity each running alliance holds, in three queries.

    ``alliances`` are the viewer's, with their partners prefetched: others never count. An
    alliance's activity for an organisation counts the roles its people hold in it, and over the
    last 12 months the interests it recorded or changed there and the strategic fits recorded
    for it in reviews. Its share is that count over the organisation's count in all of them,
    rounded down to a whole percent.
    """
    today = now.astimezone(UTC).date()  # health is the same for every reader: UTC days
    wanted = {organization.pk for organization in organizations}
    # The organisations' partnerships in running alliances they have not left.
    partners = [
        partner
        for alliance in alliances
        if alliance.stage in ASSESSED_STAGES
        for partner in alliance.partners.all()
        if partner.organization_id in wanted
        and (partner.exited_on is None or partner.exited_on > today)
    ]
    since = now - CONCENTRATION_WINDOW
    roles = Counter(
        {
            (organization_id, alliance_id): n
            for alliance_id, organization_id, n in Role.objects.filter(
                alliance__in={p.alliance_id for p in partners},
                person__organizations__in=wanted,
                granted_at__lte=now,
            )
            .values("alliance_id", "person__organizations")
            .annotate(n=Count("pk"))
            .values_list("alliance_id", "person__organizations", "n")
        }
    )
    recent = {"partner__in": partners}
    interests = _by_partner(Interest.objects.filter(
        **recent, updated_at__gte=since, updated_at__lte=now
    ))  # fmt: skip
    fits = _by_partner(PartnerFit.objects.filter(
        **recent, recorded_at__gte=since, recorded_at__lte=now
    ))  # fmt: skip
    counted: dict[int, list[tuple[Partner, int, int, int]]] = {o.pk: [] for o in organizations}
    for partner in partners:
        key = (partner.organization_id, partner.alliance_id)
        counted[partner.organization_id].append(
            (partner, roles[key], interests[partner.pk], fits[partner.pk])
        )
    by_pk = {organization.pk: organization for organization in organizations}
    by_alliance = {alliance.pk: alliance for alliance in alliances}
    return {pk: _concentration(by_pk[pk], counts, by_alliance) for pk, counts in counted.items()}


def _by_partner(queryset: models.QuerySet[Any]) -> Counter[int]:
    rows = queryset.values("partner_id").annotate(n=Count("pk")).values_list("partner_id", "n")
    return Counter(dict(rows))


def _concentration(
    organization: Organization,
    counts: list[tuple[Partner, int, int, int]],
    alliances: dict[int, Alliance],
) -> Concentration:
    total = sum(roles + interests + fits for _partner, roles, interests, fits in counts)
    shares = [
        Share(
            alliances[partner.alliance_id],
            partner.resource_share,
            roles,
            interests,
            fits,
            percent=(roles + interests + fits) * 100 // total if total else 0,
        )
        for partner, roles, interests, fits in counts
    ]
    shares.sort(key=lambda s: (-s.activity, s.alliance.name.casefold(), s.alliance.pk))
    return Concentration(organization, shares, level_of(shares))
