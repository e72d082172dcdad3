"""Reading the interest map: what a person may see of it, and the gap analysis built on that.

Privacy is enforced here, by construction: interests are read as ``SeenInterest`` values
that carry only the text the viewer may see. A summary-only interest of another
organisation arrives with its summary, never its statement; an own-organisation-only
interest of another organisation does not arrive at all, so it cannot show up in a page,
an API response, an export, a count or a score.

The alignment score (explained to people on the interest map page):
each interest weighs its importance (1-5), doubled for a red line. An interest some goal
supports and none conflicts with counts in full; one that goals both support and conflict
with counts half; one that only conflicts, or that no goal serves, counts nothing. A
partner's score is the counted share of its interests' weight, 0-100; the alliance's score
is the same over every interest the viewer can see. Without interests there is no score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy

from .models import Alliance, Goal, Interest, InterestLink, Partner, User, VisibilityChange

SHARED = (Interest.Visibility.ALLIANCE, Interest.Visibility.SUMMARY)

# The rule below in people's words, for the interest map page and the API.
SCORE_RULE = gettext_lazy(
    "Each interest weighs its importance (1 to 5), twice as much when it is a red line. An "
    "interest that some goal supports and no goal works against counts in full; one that goals "
    "both support and work against counts half; one that goals only work against, or that no "
    "goal serves, counts nothing. A score is the counted share of the weight, from 0 to 100, "
    "over the interests you can see."
)


@dataclass(frozen=True)
class SeenInterest:
    id: int
    alliance_id: int
    partner_id: int
    kind: str
    text: str  # the statement, or for another organisation's summary-only interest the summary
    is_summary: bool
    importance: int
    is_red_line: bool
    visibility: str
    is_own: bool  # the viewer belongs to the partner's organisation

    @property
    def weight(self) -> int:
        return self.importance * (2 if self.is_red_line else 1)

    @property
    def is_implicit(self) -> bool:
        return self.kind == Interest.Kind.IMPLICIT

    def get_kind_display(self) -> str:
        return str(Interest.Kind(self.kind).label)

    def get_visibility_display(self) -> str:
        return str(Interest.Visibility(self.visibility).label)


@dataclass(frozen=True)
class SeenLink:
    id: int
    interest_id: int
    goal_id: int
    effect: str
    note: str  # empty when it would tell more than the interest's summary

    @property
    def supports(self) -> bool:
        return self.effect == InterestLink.Effect.SUPPORTS


def seen_interests(viewer: User | AnonymousUser, alliances: QuerySet[Alliance]) -> QuerySet:
    """The interests of these alliances that the viewer may see, as dictionaries."""
    own = Partner.objects.own_to(viewer).filter(pk=OuterRef("partner_id"))
    interests = Interest.objects.visible_to(viewer).filter(partner__alliance__in=alliances)
    return _as_seen(interests, Exists(own))


def interests_every_member_sees(
    alliances: QuerySet[Alliance], at: datetime | None = None
) -> QuerySet:
    """The interests of these alliances that every member sees, whoever asks, as dictionaries:
    the shared ones, a summary-only one by its summary. An own-organisation-only interest is
    never among them, for anyone. With ``at``, the interests as they stood then: recorded by
    that moment and shared both then and now (one withdrawn since stays out)."""
    interests = Interest.objects.filter(visibility__in=SHARED, partner__alliance__in=alliances)
    if at is not None:
        # The visibility at ``at`` is what the first change after it changed from.
        changed_from = (
            VisibilityChange.objects.filter(interest=OuterRef("pk"), at__gt=at)
            .order_by("at", "pk")
            .values("from_visibility")[:1]
        )
        interests = (
            interests.filter(created_at__lte=at)
            .annotate(visibility_then=Coalesce(Subquery(changed_from), F("visibility")))
            .filter(visibility_then__in=SHARED)
        )
    return _as_seen(interests, Value(False))


def _as_seen(interests: QuerySet[Interest], is_own: Exists | Value) -> QuerySet:
    """``interests`` as ``SeenInterest`` fields; ``is_own``: the reader is of their partner."""
    text_in_full = Q(is_own=True) | Q(visibility=Interest.Visibility.ALLIANCE)
    return (
        interests.annotate(is_own=is_own)
        .annotate(
            text=Case(
                When(text_in_full, then=F("statement")),
                default=F("summary"),
                output_field=TextField(),
            ),
            is_summary=Case(When(text_in_full, then=False), default=True),
            alliance_id=F("partner__alliance_id"),
        )
        .values(
            "id",
            "alliance_id",
            "partner_id",
            "kind",
            "text",
            "is_summary",
            "importance",
            "is_red_line",
            "visibility",
            "is_own",
        )
        .order_by("-is_red_line", "-importance", "id")
    )


def seen_interest(viewer: User | AnonymousUser, alliance: Alliance, pk: int) -> SeenInterest:
    """One interest as the viewer may see it; 404 when it does not exist for them."""
    alliances = Alliance.objects.filter(pk=alliance.pk)
    row = seen_interests(viewer, alliances).filter(pk=pk).first()
    if row is None:
        raise Http404
    return SeenInterest(**row)


def _seen_links(interests: QuerySet, goals: QuerySet[Goal]) -> QuerySet:
    """Links of the seen interests to these goals. A link's note could tell what a summary
    hides: not shown."""
    summary_only = interests.filter(is_summary=True).values("id")
    return (
        InterestLink.objects.filter(interest_id__in=interests.values("id"), goal__in=goals)
        .annotate(shown_note=Case(When(interest_id__in=summary_only, then=None), default=F("note")))
        .values("id", "interest_id", "goal_id", "effect", "shown_note")
        .order_by("id")
    )


@dataclass
class Conflict:
    interest: SeenInterest
    goal: Goal
    link: SeenLink


@dataclass
class Cell:
    """The links between one partner's interests and one goal."""

    supports: list[tuple[SeenInterest, SeenLink]] = field(default_factory=list)
    conflicts: list[tuple[SeenInterest, SeenLink]] = field(default_factory=list)


@dataclass
class Row:
    partner: Partner
    interests: list[SeenInterest]
    cells: list[Cell]
    score: int | None


@dataclass
class Alignment:
    """The interest map of one alliance as one viewer sees it, with its gap analysis."""

    alliance: Alliance
    partners: list[Partner]
    goals: list[Goal]
    interests: list[SeenInterest]
    links: list[SeenLink]
    rows: list[Row] = field(init=False)
    unserved: list[SeenInterest] = field(init=False)
    conflicts: list[Conflict] = field(init=False)
    red_lines_at_risk: list[Conflict] = field(init=False)
    partners_without_implicit: list[Partner] = field(init=False)
    score: int | None = field(init=False)

    def __post_init__(self) -> None:
        goals = {goal.pk: goal for goal in self.goals}
        interests = {interest.id: interest for interest in self.interests}
        links_of: dict[int, list[SeenLink]] = defaultdict(list)
        for link in self.links:
            links_of[link.interest_id].append(link)
        self.conflicts = [
            Conflict(interests[link.interest_id], goals[link.goal_id], link)
            for link in self.links
            if not link.supports
        ]
        self.red_lines_at_risk = [c for c in self.conflicts if c.interest.is_red_line]
        self.unserved = [i for i in self.interests if not any(lk.supports for lk in links_of[i.id])]
        surfaced_implicit = {
            i.partner_id for i in self.interests if i.is_implicit and i.visibility in SHARED
        }
        self.partners_without_implicit = [p for p in self.partners if p.pk not in surfaced_implicit]
        self.score = _score(self.interests, links_of)
        self.rows = [self._row(partner, links_of) for partner in self.partners]

    def _row(self, partner: Partner, links_of: dict[int, list[SeenLink]]) -> Row:
        mine = [i for i in self.interests if i.partner_id == partner.pk]
        cells = {goal.pk: Cell() for goal in self.goals}
        for interest in mine:
            for link in links_of[interest.id]:
                cell = cells[link.goal_id]
                (cell.supports if link.supports else cell.conflicts).append((interest, link))
        return Row(partner, mine, list(cells.values()), _score(mine, links_of))

    @property
    def open_gaps(self) -> int:
        return len(self.unserved) + len(self.conflicts)

    @property
    def urgency(self) -> tuple[int, int, int]:
        """Sort key, most urgent first: red lines at risk, then conflicts, then unserved."""
        return (-len(self.red_lines_at_risk), -len(self.conflicts), -len(self.unserved))


def _score(interests: Iterable[SeenInterest], links_of: dict[int, list[SeenLink]]) -> int | None:
    total = counted = 0.0
    for interest in interests:
        links = links_of[interest.id]
        supported = any(link.supports for link in links)
        conflicted = any(not link.supports for link in links)
        credit = 1.0 if supported and not conflicted else 0.5 if supported else 0.0
        total += interest.weight
        counted += interest.weight * credit
    return round(100 * counted / total) if total else None


def alignments_for(viewer: User | AnonymousUser, alliances: QuerySet[Alliance]) -> list[Alignment]:
    """The alignment of each alliance, in a fixed number of queries however many there are."""
    alliances = Alliance.objects.visible_to(viewer).filter(pk__in=alliances.values("pk"))
    return _alignments(alliances, seen_interests(viewer, alliances))


def shared_alignments(alliances: QuerySet[Alliance], at: datetime | None = None) -> list[Alignment]:
    """The alignment as every member of each alliance sees it: from shared interests only,
    whatever their organisation. Alliance health is built on this, so that a score shown to
    everyone cannot move with an interest that some of them may not know exists.

    With ``at``, the map as it stood then: the partners that had joined by that day (UTC),
    and the goals, interests and links recorded by then. What keeps no history (an
    interest's importance, a link's effect) is read as it is now."""
    return _alignments(alliances, interests_every_member_sees(alliances, at), at)


def _alignments(
    alliances: QuerySet[Alliance], interests_qs: QuerySet, at: datetime | None = None
) -> list[Alignment]:
    partners = Partner.objects.filter(alliance__in=alliances).select_related("organization")
    goals = Goal.objects.filter(alliance__in=alliances)
    if at is not None:
        partners = partners.filter(joined_on__lte=at.astimezone(UTC).date())
        goals = goals.filter(created_at__lte=at)
    links = _seen_links(interests_qs, goals)
    if at is not None:
        links = links.filter(created_at__lte=at)
    by_alliance: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for partner in partners:
        by_alliance[partner.alliance_id]["partners"].append(partner)
    for goal in goals:
        by_alliance[goal.alliance_id]["goals"].append(goal)
    interest_alliance = {}
    for row in interests_qs:
        interest = SeenInterest(**row)
        interest_alliance[interest.id] = interest.alliance_id
        by_alliance[interest.alliance_id]["interests"].append(interest)
    for row in links:
        link = SeenLink(
            id=row["id"],
            interest_id=row["interest_id"],
            goal_id=row["goal_id"],
            effect=row["effect"],
            note=row["shown_note"] or "",
        )
        by_alliance[interest_alliance[link.interest_id]]["links"].append(link)
    return [
        Alignment(
            alliance=alliance,
            partners=by_alliance[alliance.pk]["partners"],
            goals=by_alliance[alliance.pk]["goals"],
            interests=by_alliance[alliance.pk]["interests"],
            links=by_alliance[alliance.pk]["links"],
        )
        for alliance in alliances
    ]


def alignment_for(viewer: User | AnonymousUser, alliance: Alliance) -> Alignment:
    (alignment,) = alignments_for(viewer, Alliance.objects.filter(pk=alliance.pk))
    return alignment


def portfolio(viewer: User | AnonymousUser) -> list[Alignment]:
    """ "Map your alliances": every alliance the person sees, the most urgent gaps first."""
    alignments = alignments_for(viewer, Alliance.objects.visible_to(viewer))
    return sorted(alignments, key=lambda a: (*a.urgency, a.score or 0, a.alliance.name))
