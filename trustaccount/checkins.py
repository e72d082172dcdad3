"""Relationship check-ins: four ratings and one suggestion, and where partners' views diverge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances import timers
from alliances.models import Alliance, NotificationKind, Partner, Role, User
from alliances.notifications import notify

from .models import CheckInAnswer, CheckInRound, CheckInSchedule

ITEMS = {
    "openness": gettext_lazy("Openness"),
    "reliability": gettext_lazy("Reliability"),
    "fairness": gettext_lazy("Fairness"),
    "communication": gettext_lazy("Communication"),
}
ANONYMITY_THRESHOLD = 3
ROUND_LENGTH = timedelta(days=14)
# A round takes answers for at most this long: a check-in is a snapshot of the relationship.
LONGEST_ROUND = timedelta(days=90)


@transaction.atomic
def round_open(
    *, alliance: Alliance, by: User, anonymous: bool = True, closes_on: dt.date | None = None
) -> CheckInRound:
    today = timezone.localdate()
    closes_on = closes_on or today + ROUND_LENGTH
    if closes_on < today:
        raise ValidationError({"closes_on": _("A round closes today or later.")})
    if closes_on > today + LONGEST_ROUND:
        raise ValidationError({
            "closes_on": _("A round closes within %(days)s days from today.")
            % {"days": LONGEST_ROUND.days}
        })  # fmt: skip
    if CheckInRound.objects.filter(alliance=alliance, closes_on__gte=today).exists():
        raise ValidationError(_("A check-in round is already open."))
    return CheckInRound.objects.create(
        alliance=alliance, opened_by=by, anonymous=anonymous, closes_on=closes_on
    )


@transaction.atomic
def answer_give(*, round: CheckInRound, by: User, **ratings: object) -> CheckInAnswer:
    if round.closes_on < timezone.localdate():
        raise ValidationError(_("This check-in round has closed."))
    partner = Partner.objects.filter(alliance=round.alliance_id, organization__members=by).first()
    if partner is None:
        raise PermissionDenied(_("People of the partner organisations answer the check-in."))
    answer = CheckInAnswer.objects.filter(round=round, person=by).first() or CheckInAnswer(
        round=round, person=by, partner=partner
    )
    for name, value in ratings.items():
        setattr(answer, name, value)
    answer.answered_at = timezone.now()
    answer.full_clean(validate_unique=False)
    answer.save()
    return answer


def schedule_for(alliance: Alliance) -> CheckInSchedule:
    """The alliance's check-in schedule, started on first use: the first round opens now."""
    schedule, _created = CheckInSchedule.objects.get_or_create(
        alliance=alliance, defaults={"next_round_at": timezone.now()}
    )
    return schedule


def open_due_rounds(schedules: list[CheckInSchedule], now: datetime) -> None:
    """The "check-in-cadence" timer: open the round, ask the partners, plan the next one."""
    for schedule in schedules:
        alliance = Alliance.objects.get(pk=schedule.alliance_id)
        CheckInSchedule.objects.filter(pk=schedule.pk).update(
            next_round_at=now + timedelta(days=schedule.cadence_days)
        )
        if alliance.stage not in (Alliance.Stage.ACTIVE, Alliance.Stage.UNDER_REVIEW):
            continue
        if CheckInRound.objects.filter(
            alliance=alliance, closes_on__gte=timezone.localdate(now)
        ).exists():
            continue
        check_in = CheckInRound.objects.create(
            alliance=alliance, anonymous=schedule.anonymous,
            closes_on=timezone.localdate(now) + ROUND_LENGTH,
        )  # fmt: skip
        people = Role.objects.filter(alliance=alliance, partner__isnull=False).select_related(
            "person"
        )
        notify(
            recipients=[role.person for role in people],
            kind=NotificationKind.TRUST,
            event=f"check-in:{check_in.pk}",
            moment=now,
            render=lambda person, name=alliance.name: (
                _("Check-in: how is the partnership in %(alliance)s?") % {"alliance": name},
                _("Four quick ratings and one thing that would make the partnership stronger."),
            ),
            alliance=alliance,
            url=reverse("trust", kwargs={"alliance_pk": alliance.pk}),
        )


CHECK_IN_CADENCE = timers.Timer(
    name="check-in-cadence", model=CheckInSchedule, due_field="next_round_at", act=open_due_rounds
)


@dataclass(frozen=True)
class Results:
    answers: int
    shown: bool  # anonymous rounds show nothing below the threshold
    averages: dict[str, float]
    by_partner: dict[int, dict[str, float]]
    divergence: list[tuple[str, float]]  # items by the spread between partners, widest first
    suggestions: list[str]


def results(round: CheckInRound) -> Results:
    answers = CheckInAnswer.objects.filter(round=round)
    count = answers.count()
    if round.anonymous and count < ANONYMITY_THRESHOLD:
        return Results(count, False, {}, {}, [], [])
    averages = answers.aggregate(**{name: Avg(name) for name in ITEMS})
    rows = list(answers.order_by().values("partner").annotate(
        n=Count("pk"), **{name: Avg(name) for name in ITEMS}
    ).values("partner", "n", *ITEMS))  # fmt: skip
    # In an anonymous round partners' own averages show only when every partner has enough
    # answers: one partner's averages beside the overall ones would give away the others'.
    enough = all(row["n"] >= ANONYMITY_THRESHOLD for row in rows)
    by_partner = (
        {row["partner"]: {name: float(row[name]) for name in ITEMS} for row in rows}
        if enough or not round.anonymous
        else {}
    )
    divergence = sorted(
        (
            (name, max(p[name] for p in by_partner.values()) - min(p[name] for p in by_partner.values()))
            for name in ITEMS
        ),
        key=lambda item: item[1],
        reverse=True,
    ) if len(by_partner) > 1 else []  # fmt: skip
    suggestions = [text for text in answers.values_list("one_thing", flat=True) if text.strip()]
    return Results(
        count, True, {k: float(v or 0) for k, v in averages.items()}, by_partner, divergence,
        suggestions,
    )  # fmt: skip
