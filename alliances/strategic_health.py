"""The strategic layer of alliance health (why we are together): see ``alliances.health``.

Signals: alignment on the shared interest map, red lines at risk, whether the realignment
review is up to date, and the strategic fit partners recorded in the last review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Avg
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .alignment import Alignment, shared_alignments
from .health import Deadline, Layer, Move, Signal, Source
from .models import Alliance, PartnerFit, Review

# A review under way this long past its date still counts as up to date.
REVIEW_GRACE = timedelta(days=30)
# A review overdue longer than this leaves the strategy unchecked.
REVIEW_OVERDUE = timedelta(days=60)


class StrategicHealth(Source):
    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        ids = [alliance.pk for alliance in alliances]
        alignments = {
            a.alliance.pk: a for a in shared_alignments(Alliance.objects.filter(pk__in=ids))
        }
        pending = {
            review.alliance_id: review
            for review in Review.objects.filter(alliance__in=ids).pending()
        }
        # The latest completed review of each alliance, and its partners' mean fit.
        last_completed: dict[int, tuple[int, datetime]] = {}
        for alliance_id, review_id, completed_at in (
            Review.objects.filter(alliance__in=ids)
            .completed()
            .order_by("alliance_id", "-completed_at")
            .values_list("alliance_id", "pk", "completed_at")
        ):
            last_completed.setdefault(alliance_id, (review_id, completed_at))
        fits = dict(
            PartnerFit.objects.filter(review__in=[pk for pk, _at in last_completed.values()])
            .values("review__alliance_id")
            .annotate(mean=Avg("fit"))
            .values_list("review__alliance_id", "mean")
        )
        signals: dict[int, list[Signal]] = {}
        for alliance in alliances:
            found = [
                _alignment(alignments[alliance.pk]),
                _red_lines(alignments[alliance.pk]),
                _review(
                    alliance,
                    pending.get(alliance.pk),
                    last_completed.get(alliance.pk, (0, None))[1],
                    now,
                ),
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


def _review(
    alliance: Alliance, pending: Review | None, completed_at: datetime | None, now: datetime
) -> Signal:
    rule = _(
        "A review not due yet, or under way up to %(open)s days past its date, scores 100; "
        "otherwise up to %(late)s days overdue scores 50, and longer 10. With no review "
        "pending, one completed scores 100; an alliance that is not active yet, with no review "
        "scheduled, scores 60."
    ) % {"open": REVIEW_GRACE.days, "late": REVIEW_OVERDUE.days}
    url = reverse("review_list", kwargs={"alliance_pk": alliance.pk})
    title = _("Realignment review")
    if pending is None:
        if completed_at is None:
            return Signal(Layer.STRATEGIC, "review", title, 60,
                          _("No review is scheduled yet: the first is set when the alliance becomes active."),
                          rule, url)  # fmt: skip
        return Signal(Layer.STRATEGIC, "review", title, 100,
                      _("The last review was completed on %(date)s.") % {"date": _date(completed_at)},
                      rule, url)  # fmt: skip
    overdue = now - pending.due_at
    under_way = pending.status == Review.Status.OPEN
    if overdue <= timedelta(0) or (under_way and overdue <= REVIEW_GRACE):
        if under_way:
            fact = _("A review is under way.")
        else:
            fact = _("The next review is due on %(date)s.") % {"date": _date(pending.due_at)}
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


def _date(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")
