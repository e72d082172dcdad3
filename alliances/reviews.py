"""Realignment reviews: open, record each partner's strategic fit, decide, schedule the next.

Reminders run on the "review-reminders" timer: 30, 7 and 1 days before a review is due, and
once more when it comes due, which also opens it if no manager has. They go only to people
who still have something to do: the managers, and the representatives of partners that
have not yet recorded their fit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import timers
from .models import (
    Alliance,
    NotificationKind,
    Partner,
    PartnerFit,
    Review,
    ReviewTrigger,
    Role,
    TimerPause,
    User,
)
from .notifications import Message, notify, notify_many
from .reasons import Reason

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from .health import Condition


def _people(
    alliance: Alliance, *kinds: str, partners_done: Collection[int] = frozenset()
) -> list[User]:
    roles = Role.objects.filter(alliance=alliance, kind__in=kinds).select_related("person")
    return [r.person for r in roles if r.partner_id is None or r.partner_id not in partners_done]


def _review_url(review: Review) -> str:
    return reverse(
        "review_detail", kwargs={"alliance_pk": review.alliance_id, "review_pk": review.pk}
    )


def _due_date(review: Review) -> str:
    return formats.date_format(timezone.localtime(review.due_at), "DATE_FORMAT")


def people_with_something_to_do(review: Review) -> list[User]:
    return _still_to_act([review])[review.pk]


def _still_to_act(reviews: list[Review]) -> dict[int, list[User]]:
    """Per review: its managers, and the representatives of partners yet to record their fit."""
    done = set(PartnerFit.objects.filter(review__in=reviews).values_list("review_id", "partner_id"))
    roles = Role.objects.filter(
        alliance__in={review.alliance_id for review in reviews},
        kind__in=[Role.Kind.COALITION_MANAGER, Role.Kind.PARTNER_REPRESENTATIVE],
    ).select_related("person")
    by_alliance: dict[int, list[Role]] = defaultdict(list)
    for role in roles:
        by_alliance[role.alliance_id].append(role)
    return {
        review.pk: [
            role.person
            for role in by_alliance[review.alliance_id]
            if role.partner_id is None or (review.pk, role.partner_id) not in done
        ]
        for review in reviews
    }


def send_review_reminders(reviews: list[Review], now: datetime) -> None:
    """The "review-reminders" timer: remind, open what comes due, move to the next reminder."""
    alliances = Alliance.objects.in_bulk({review.alliance_id for review in reviews})
    messages = []
    next_lead: dict[timedelta | None, list[int]] = defaultdict(list)
    for review in reviews:
        review.alliance = alliances[review.alliance_id]
        passed = [m for m in review.reminder_moments() if m <= now]
        if passed:  # only the latest: reminders a stopped worker missed are not sent late
            moment = max(passed)
            if moment >= review.due_at and review.status == Review.Status.SCHEDULED:
                review_open(review=review, by=None, now=now)
            messages.append((review, moment))
        next_reminder = review.next_reminder_after(now)
        next_lead[None if next_reminder is None else review.due_at - next_reminder].append(
            review.pk
        )
    recipients = _still_to_act([review for review, _moment in messages])
    notify_many([_reminder(review, moment, recipients[review.pk]) for review, moment in messages])
    # A few updates per batch, one per reminder lead time, rather than one per review.
    for lead, ids in next_lead.items():
        next_moment = None if lead is None else F("due_at") - lead
        Review.objects.filter(pk__in=ids).update(next_reminder_at=next_moment)


def _reminder(review: Review, moment: datetime, recipients: list[User]) -> Message:
    def render(person: User) -> tuple[str, str]:
        values = {"alliance": review.alliance.name, "date": _due_date(review)}
        if moment >= review.due_at:
            title = _("The realignment review of %(alliance)s is due") % values
        else:
            title = _("The realignment review of %(alliance)s is due on %(date)s") % values
        body = _(
            "Reassess whether the alliance still fits each partner's strategy: record your "
            "organisation's strategic fit, and managers, decide the outcome."
        )
        return title, body

    return Message(
        recipients=recipients,
        kind=NotificationKind.REVIEW_REMINDER,
        event=f"review-reminder:{review.pk}",
        moment=moment,
        render=render,
        alliance=review.alliance,
        url=_review_url(review),
    )


REVIEW_REMINDERS = timers.Timer(
    name="review-reminders",
    model=Review,
    due_field="next_reminder_at",
    act=send_review_reminders,
    shifts_with=("due_at",),
)


@transaction.atomic
def review_open(*, review: Review, by: User | None, now: datetime | None = None) -> Review:
    """Open the review (a manager, or the timer on its due date); the alliance goes under review."""
    now = now or timezone.now()
    claimed = Review.objects.filter(pk=review.pk, status=Review.Status.SCHEDULED).update(
        status=Review.Status.OPEN, opened_at=now, opened_by=by
    )
    if not claimed:
        raise ValidationError(_("Only a scheduled review can be opened."))
    review.refresh_from_db()
    alliance = review.alliance
    if Alliance.Stage.UNDER_REVIEW in alliance.next_stages():
        alliance.move_to(Alliance.Stage.UNDER_REVIEW, by=by, note=_("Realignment review opened."))
    notify(
        recipients=people_with_something_to_do(review),
        kind=NotificationKind.REVIEW_OPENED,
        event=f"review-opened:{review.pk}",
        moment=now,
        render=lambda person: (
            _("The realignment review of %(alliance)s is open") % {"alliance": alliance.name},
            _("Record your organisation's strategic fit, from 1 to 5, with your comments."),
        ),
        alliance=alliance,
        url=_review_url(review),
    )
    return review


@transaction.atomic
def review_record_fit(
    *, review: Review, partner: Partner, by: User, fit: int, comments: str = ""
) -> PartnerFit:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status != Review.Status.OPEN:
        raise ValidationError(_("Strategic fit can be recorded while the review is open."))
    if partner.alliance_id != locked.alliance_id:
        raise ValidationError({"partner": _("Choose a partner of this alliance.")})
    record = PartnerFit.objects.filter(review=locked, partner=partner).first() or PartnerFit(
        review=locked, partner=partner
    )
    record.fit, record.comments, record.recorded_by = fit, comments, by
    record.full_clean(validate_unique=False)
    record.save()
    return record


@transaction.atomic
def review_complete(
    *, review: Review, by: User, outcome: str, notes: str = "", now: datetime | None = None
) -> Review:
    """Record the outcome, schedule the next review; "begin exit" starts the alliance's exit."""
    now = now or timezone.now()
    if outcome not in Review.Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes.")})
    claimed = Review.objects.filter(pk=review.pk, status=Review.Status.OPEN).update(
        status=Review.Status.COMPLETED,
        completed_at=now,
        completed_by=by,
        outcome=outcome,
        outcome_notes=notes,
        next_reminder_at=None,
    )
    if not claimed:
        raise ValidationError(_("Only an open review can be completed."))
    review.refresh_from_db()
    alliance = Alliance.objects.get(pk=review.alliance_id)
    note = _("Realignment review completed: %(outcome)s.") % {
        "outcome": review.get_outcome_display()
    }
    if outcome == Review.Outcome.BEGIN_EXIT and Alliance.Stage.EXITING in alliance.next_stages():
        alliance.move_to(Alliance.Stage.EXITING, by=by, note=note)
    elif (
        Alliance.Stage.ACTIVE in alliance.next_stages()
        and alliance.stage == Alliance.Stage.UNDER_REVIEW
    ):
        alliance.move_to(Alliance.Stage.ACTIVE, by=by, note=note)  # schedules the next review
    else:
        alliance.ensure_review_scheduled(now)
    notify(
        recipients=_people(
            alliance,
            Role.Kind.COALITION_MANAGER,
            Role.Kind.PARTNER_REPRESENTATIVE,
            Role.Kind.STEERING_COMMITTEE,
            Role.Kind.EXECUTIVE_SPONSOR,
        ),
        kind=NotificationKind.REVIEW_COMPLETED,
        event=f"review-completed:{review.pk}",
        moment=now,
        render=lambda person: (
            _("The realignment review of %(alliance)s is complete") % {"alliance": alliance.name},
            _("Realignment review completed: %(outcome)s.")
            % {"outcome": review.get_outcome_display()}
            + ("\n\n" + notes if notes else ""),
        ),
        alliance=alliance,
        url=_review_url(review),
    )
    return review


@transaction.atomic
def timers_pause(*, alliance: Alliance, by: User, reason: str) -> TimerPause:
    """Force majeure: stop every timer of the alliance until a manager resumes them."""
    locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if locked.paused_at is not None:
        raise ValidationError(_("The alliance's timers are already paused."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the timers are paused.")})
    now = timezone.now()
    pause = TimerPause.objects.create(alliance=locked, reason=reason, paused_at=now, paused_by=by)
    Alliance.objects.filter(pk=locked.pk).update(paused_at=now)
    alliance.paused_at = now
    _tell_everyone(
        alliance,
        event=f"timers-paused:{pause.pk}",
        moment=now,
        title=gettext_lazy("Timers of %(alliance)s are paused"),
        body=reason,
    )
    return pause


@transaction.atomic
def timers_resume(*, alliance: Alliance, by: User) -> TimerPause:
    """Resume the timers; every pending deadline moves on by the length of the pause."""
    locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
    pause = TimerPause.objects.filter(alliance=locked, resumed_at__isnull=True).first()
    if locked.paused_at is None or pause is None:
        raise ValidationError(_("The alliance's timers are not paused."))
    now = timezone.now()
    timers.shift_for_pause(alliance_id=locked.pk, by=now - locked.paused_at)
    pause.resumed_at, pause.resumed_by = now, by
    pause.save(update_fields=["resumed_at", "resumed_by"])
    Alliance.objects.filter(pk=locked.pk).update(paused_at=None)
    alliance.paused_at = None
    _tell_everyone(
        alliance,
        event=f"timers-resumed:{pause.pk}",
        moment=now,
        title=gettext_lazy("Timers of %(alliance)s run again"),
        body=gettext_lazy("Every pending deadline moved on by the length of the pause."),
    )
    return pause


def _tell_everyone(
    alliance: Alliance, *, event: str, moment: datetime, title: StrOrPromise, body: StrOrPromise
) -> None:
    """``title`` and ``body`` may be lazy, so each person reads them in their own language."""
    notify(
        recipients=alliance.people(),
        kind=NotificationKind.TIMERS_PAUSED,
        event=event,
        moment=moment,
        render=lambda person: (str(title) % {"alliance": alliance.name}, str(body)),
        alliance=alliance,
        url=reverse("alliance_detail", kwargs={"alliance_pk": alliance.pk}),
    )


@transaction.atomic
def review_reschedule(*, review: Review, due_at: datetime) -> Review:
    """Bring a review forward or put it back; a date in the past makes it due at once."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status == Review.Status.COMPLETED:
        raise ValidationError(_("A completed review keeps its date."))
    locked.move_due(due_at, timezone.now())
    return locked


@transaction.atomic
def review_open_early(
    *, alliance: Alliance, key: str, reason: Reason | str, now: datetime | None = None
) -> ReviewTrigger | None:
    """A condition calls for a realignment review now: open one, once per condition.

    While the condition's trigger is active nothing more happens, however often this is
    called. With a review already open, the reason is added to it rather than opening
    another: one review at a time. Returns the new trigger, or None when it had fired.
    """
    now = now or timezone.now()
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()  # one trigger at a time
    if ReviewTrigger.objects.filter(alliance=alliance, key=key, cleared_at__isnull=True).exists():
        return None
    # For the record in the site's language; readers get ``reason`` in theirs.
    with translation.override(settings.LANGUAGE_CODE):
        recorded = str(reason)[: ReviewTrigger._meta.get_field("reason").max_length]
    review = alliance.reviews.pending().first() or Review(alliance=alliance, due_at=now)
    if review.status == Review.Status.SCHEDULED:
        review.reason = recorded
        if review.pk is None:
            review.plan_reminders(now)
            review.save()
        else:
            review.save(update_fields=["reason"])
            review.move_due(now, now)
        review_open(review=review, by=None, now=now)
    trigger = ReviewTrigger.objects.create(
        alliance=alliance,
        key=key,
        reason=recorded,
        reason_data=reason.as_data() if isinstance(reason, Reason) else {},
        review=review,
        fired_at=now,
    )
    notify(
        recipients=_people(alliance, Role.Kind.COALITION_MANAGER, Role.Kind.EXECUTIVE_SPONSOR),
        kind=NotificationKind.REVIEW_OPENED,
        event=f"review-trigger:{trigger.pk}",
        moment=now,
        render=lambda person: (
            _("The facts call for a realignment review of %(alliance)s")
            % {"alliance": alliance.name},
            str(reason),
        ),
        alliance=alliance,
        url=_review_url(review),
    )
    return trigger


def review_conditions_apply(
    alliances: list[Alliance], conditions: dict[int, list[Condition]], now: datetime
) -> None:
    """Fire the conditions that newly hold; clear the triggers whose condition has passed.

    A trigger clears only once its review is complete: a condition that comes and goes while
    the review is under way (a score hovering around a threshold) fires once, not each time.
    """
    active: dict[int, set[str]] = defaultdict(set)
    settled: dict[int, set[str]] = defaultdict(set)
    for alliance_id, key, review_status in ReviewTrigger.objects.filter(
        alliance__in=alliances, cleared_at__isnull=True
    ).values_list("alliance_id", "key", "review__status"):
        active[alliance_id].add(key)
        if review_status == Review.Status.COMPLETED:
            settled[alliance_id].add(key)
    for alliance in alliances:
        holding = {condition.key for condition in conditions[alliance.pk]}
        passed = settled[alliance.pk] - holding
        if passed:
            ReviewTrigger.objects.filter(
                alliance=alliance, key__in=passed, cleared_at__isnull=True
            ).update(cleared_at=now)
        for condition in conditions[alliance.pk]:
            if condition.key not in active[alliance.pk]:
                review_open_early(
                    alliance=alliance, key=condition.key, reason=condition.reason, now=now
                )
