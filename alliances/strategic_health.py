"""The strategic layer of alliance health (why we are together): see ``alliances.health``.

Signals: alignment on the shared interest map, red lines at risk, whether the realignment
review is up to date, and the strategic fit partners recorded in the last review. All of them
as of ``now``: the map, the reviews and the fits as they stood then (see ``reviews_at``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, OuterRef, Subquery
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .alignment import Alignment, shared_alignments
from .health import Deadline, Layer, Move, Signal, Source, local_date
from .models import Alliance, PartnerFit, Review, StageTransition

# A review under way this long past its date still counts as up to date.
REVIEW_GRACE = timedelta(days=30)
# A review overdue longer than this leaves the strategy unchecked.
REVIEW_OVERDUE = timedelta(days=60)


class StrategicHealth(Source):
    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        """The signals as of ``now``: the interest map and the reviews as they stood then."""
        ids = [alliance.pk for alliance in alliances]
        alignments = {
            a.alliance.pk: a for a in shared_alignments(Alliance.objects.filter(pk__in=ids), at=now)
        }
        reviews = reviews_at(ids, now)
        # The partners' mean fit in each alliance's last completed review, as recorded by then.
        fits = dict(
            PartnerFit.objects.filter(
                review__in=[r.last_completed.pk for r in reviews.values() if r.last_completed],
                recorded_at__lte=now,
            )
            .values("review__alliance_id")
            .annotate(mean=Avg("fit"))
            .values_list("review__alliance_id", "mean")
        )
        signals: dict[int, list[Signal]] = {}
        for alliance in alliances:
            then = reviews.get(alliance.pk, ReviewsThen())
            found = [
                _alignment(alignments[alliance.pk]),
                _red_lines(alignments[alliance.pk]),
                _review(alliance, then, now),
            ]
            if alliance.pk in fits:
                found.append(_fit(alliance, fits[alliance.pk]))
            signals[alliance.pk] = found
        return signals

    def deadlines(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Deadline]]:
        reviews = Review.objects.filter(
            alliance__in=alliances, status=Review.Status.SCHEDULED, due_at__gt=now
        )
        return {
            review.alliance_id: [
                Deadline(
                    _("Realignment review due"),
                    review.due_at,
                    reverse(
                        "review_detail",
                        kwargs={"alliance_pk": review.alliance_id, "review_pk": review.pk},
                    ),
                )
            ]
            for review in reviews
        }


@dataclass(frozen=True)
class ReviewThen:
    """A realignment review as it stood at some moment."""

    pk: int
    status: str
    due_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class ReviewsThen:
    """An alliance's reviews at some moment: the one pending then, and the last completed."""

    pending: ReviewThen | None = None
    last_completed: ReviewThen | None = None


def reviews_at(ids: Sequence[int], now: datetime) -> dict[int, ReviewsThen]:
    """Each alliance's reviews as they stood at ``now``, in one query (see ``_as_of``)."""
    first_active = (
        StageTransition.objects.filter(
            alliance=OuterRef("alliance_id"), to_stage=Alliance.Stage.ACTIVE
        )
        .order_by("at", "pk")
        .values("at")[:1]
    )
    recorded: dict[int, list[_Recorded]] = defaultdict(list)
    for alliance_id, *fields in (
        Review.objects.filter(alliance__in=ids)
        .annotate(first_active_at=Subquery(first_active))
        .order_by("alliance_id", "pk")
        .values_list(
            "alliance_id", "pk", "status", "due_at", "opened_at", "completed_at", "first_active_at"
        )
    ):
        recorded[alliance_id].append(_Recorded(*fields))
    return {alliance_id: _as_of(reviews, now) for alliance_id, reviews in recorded.items()}


@dataclass(frozen=True)
class _Recorded:
    """A review as recorded today, with when its alliance first became active (or None)."""

    pk: int
    status: str
    due_at: datetime
    opened_at: datetime | None
    completed_at: datetime | None
    first_active_at: datetime | None

    def completed_by(self, moment: datetime) -> bool:
        return self.status == Review.Status.COMPLETED and (
            self.completed_at is None or self.completed_at <= moment
        )

    def opened_by(self, moment: datetime) -> bool:
        return self.status != Review.Status.SCHEDULED and (
            self.opened_at is None or self.opened_at <= moment
        )


def _as_of(reviews: list[_Recorded], now: datetime) -> ReviewsThen:
    """One alliance's reviews at ``now``.

    A review completed after ``now`` was still pending then: open if it had opened by then,
    scheduled otherwise. Reviews keep no creation time, so it is inferred: an alliance's
    reviews follow one another, each scheduled when the one before it completes, the first
    when the alliance first becomes active. So the review pending at ``now`` existed then if
    it had opened by then, or if the one before it had completed by then, or (the first) if the
    alliance had become active by then; an alliance with no recorded activation, always.
    """
    done = [review for review in reviews if review.completed_by(now)]
    last = max(done, key=lambda r: (r.completed_at or now, r.pk), default=None)
    last_completed = (
        ReviewThen(last.pk, Review.Status.COMPLETED, last.due_at, last.completed_at)
        if last
        else None
    )
    # The others in the order they completed (or will): the first of them was pending then.
    rest = sorted(
        (review for review in reviews if not review.completed_by(now)),
        key=lambda r: (r.completed_at is None, r.completed_at or now, r.pk),
    )
    if not rest:
        return ReviewsThen(None, last_completed)
    review = rest[0]
    scheduled_from = last.completed_at if last else review.first_active_at
    opened = review.opened_by(now)
    if not opened and scheduled_from is not None and scheduled_from > now:
        return ReviewsThen(None, last_completed)  # not scheduled yet
    status = Review.Status.OPEN if opened else Review.Status.SCHEDULED
    return ReviewsThen(ReviewThen(review.pk, status, review.due_at, None), last_completed)


def _interest_map(alliance: Alliance) -> str:
    return reverse("interest_map", kwargs={"alliance_pk": alliance.pk})


def _alignment(alignment: Alignment) -> Signal:
    alliance = alignment.alliance
    rule = _(
        "The interest map's alignment score over the interests shared with the alliance: "
        "the weighted share of interests some goal serves. An empty map scores 20."
    )
    move = Move(
        "map_interests",
        _("Map interests"),
        "",
        _interest_map(alliance),
    )
    if alignment.score is None:
        return Signal(
            Layer.STRATEGIC,
            "alignment",
            _("Alignment of interests"),
            20,
            _("No interests are shared on the interest map yet."),
            rule,
            _interest_map(alliance),
            weight=2,
            move=_with_reason(
                move, _("Nobody has shared an interest yet: the alliance's why is unwritten.")
            ),
        )
    gaps = alignment.open_gaps
    fact = ngettext(
        "Alignment %(score)s/100, with %(gaps)s open gap (interests no goal serves, or conflicts).",
        "Alignment %(score)s/100, with %(gaps)s open gaps (interests no goal serves, or conflicts).",
        gaps,
    ) % {"score": alignment.score, "gaps": gaps}
    reason = ngettext(
        "%(n)s interest is not served by any goal, or conflicts with one.",
        "%(n)s interests are not served by any goal, or conflict with one.",
        gaps,
    ) % {"n": gaps}
    return Signal(
        Layer.STRATEGIC,
        "alignment",
        _("Alignment of interests"),
        alignment.score,
        fact,
        rule,
        _interest_map(alliance),
        weight=2,
        move=_with_reason(move, reason) if gaps else None,
    )


def _red_lines(alignment: Alignment) -> Signal:
    at_risk = len(alignment.red_lines_at_risk)
    score = 100 if at_risk == 0 else 50 if at_risk == 1 else 10
    fact = (
        _("No red line is at risk.")
        if not at_risk
        else ngettext(
            "%(n)s red line is at risk: a goal works against it.",
            "%(n)s red lines are at risk: goals work against them.",
            at_risk,
        )
        % {"n": at_risk}
    )
    return Signal(
        Layer.STRATEGIC,
        "red_lines",
        _("Red lines"),
        score,
        fact,
        _("No red line at risk scores 100, one scores 50, more score 10."),
        _interest_map(alignment.alliance) + "#gaps-title",
        move=Move(
            "map_interests",
            _("Map interests"),
            fact,
            _interest_map(alignment.alliance) + "#gaps-title",
        )
        if at_risk
        else None,
    )


def _review(alliance: Alliance, reviews: ReviewsThen, now: datetime) -> Signal:
    rule = _(
        "A review not due yet, or under way up to %(open)s days past its date, scores 100; "
        "otherwise up to %(late)s days overdue scores 50, and longer 10. With no review "
        "pending, one completed scores 100; an alliance that is not active yet, with no review "
        "scheduled, scores 60."
    ) % {"open": REVIEW_GRACE.days, "late": REVIEW_OVERDUE.days}
    url = reverse("review_list", kwargs={"alliance_pk": alliance.pk})
    title = _("Realignment review")
    pending, last = reviews.pending, reviews.last_completed
    completed_at = last.completed_at if last else None
    if pending is None:
        if completed_at is None:
            return Signal(Layer.STRATEGIC, "review", title, 60,
                          _("No review is scheduled yet: the first is set when the alliance becomes active."),
                          rule, url)  # fmt: skip
        return Signal(Layer.STRATEGIC, "review", title, 100,
                      _("The last review was completed on %(date)s.") % {"date": local_date(completed_at)},
                      rule, url)  # fmt: skip
    overdue = now - pending.due_at
    under_way = pending.status == Review.Status.OPEN
    if overdue <= timedelta(0) or (under_way and overdue <= REVIEW_GRACE):
        if under_way:
            fact = _("A review is under way.")
        else:
            fact = _("The next review is due on %(date)s.") % {"date": local_date(pending.due_at)}
        return Signal(Layer.STRATEGIC, "review", title, 100, fact, rule, url)
    score = 50 if overdue <= REVIEW_OVERDUE else 10
    fact = ngettext(
        "The review is %(days)s day overdue.", "The review is %(days)s days overdue.", overdue.days
    ) % {"days": overdue.days}
    return Signal(Layer.STRATEGIC, "review", title, score, fact, rule, url)


def _fit(alliance: Alliance, mean: float) -> Signal:
    return Signal(
        Layer.STRATEGIC,
        "fit",
        _("Strategic fit"),
        round((mean - 1) * 25),
        _("In the last review, partners rated their strategic fit %(mean)s out of 5 on average.")
        % {"mean": formats.number_format(mean, 1)},
        _("The mean fit from 1 to 5 maps onto 0 to 100."),
        reverse("review_list", kwargs={"alliance_pk": alliance.pk}),
    )


def _with_reason(move: Move, reason: str) -> Move:
    return Move(move.key, move.title, reason, move.url)
