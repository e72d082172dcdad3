"""Leaving an alliance gracefully: the exit plan, notices, the wind-down and the exit itself.

A notice's effective date is the day it is given plus the plan's notice period. Its
wind-down checklist is made from the plan: returning or destroying data, each transition
obligation, and settling each shared asset, with owners and due dates; the
"wind-down-reminder" timer reminds owners three days ahead. On the effective date the
"exit-effective" timer marks the partner exited; an alliance left with fewer than two
partners moves to its exit stage for a manager to confirm the dissolution.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliances import timers
from alliances.health import REVIEWABLE_STAGES
from alliances.models import Alliance, NotificationKind, Partner, Role, User
from alliances.notifications import notify
from alliances.reviews import review_open_early

from .ballots import ballot_open
from .health import notice_condition, notice_pending_at
from .models import AssetConfirmation, Ballot, ExitNotice, ExitPlan, SharedAsset, WindDownTask
from .rules import Scope
from .tally import Outcome

REMIND_AHEAD = timedelta(days=3)


def _url(alliance: Alliance) -> str:
    return reverse("exit_plan", kwargs={"alliance_pk": alliance.pk})


@transaction.atomic
def exit_plan_save(*, alliance: Alliance, by: User, **fields: Any) -> ExitPlan:
    plan = ExitPlan.objects.filter(alliance=alliance).first() or ExitPlan(alliance=alliance)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.updated_by = by
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def shared_asset_add(*, plan: ExitPlan, **fields: Any) -> SharedAsset:
    asset = SharedAsset(plan=plan, **fields)
    if asset.contributed_by.alliance_id != plan.alliance_id:
        raise ValidationError({"contributed_by": _("Choose a partner of this alliance.")})
    asset.full_clean()
    asset.save()
    return asset


@transaction.atomic
def exit_notice_give(
    *, partner: Partner, by: User, reason: str, given_on: dt.date | None = None
) -> ExitNotice:
    """Give notice for a partner: compute the effective date, build the wind-down checklist."""
    alliance = Alliance.objects.select_for_update().get(pk=partner.alliance_id)
    plan = ExitPlan.objects.filter(alliance=alliance).first()
    if plan is None:
        raise ValidationError(_("Agree on an exit plan first: it sets the notice period."))
    if partner.exited_on or ExitNotice.objects.filter(partner=partner, status="pending").exists():
        raise ValidationError(_("This partner has already given notice or left."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the partner leaves.")})
    given_on = given_on or timezone.localdate()
    if not 1900 <= given_on.year <= 9000:
        raise ValidationError({"given_on": _("Enter the real date the notice was given.")})
    effective_on = given_on + timedelta(days=plan.notice_period_days)
    notice = ExitNotice.objects.create(
        alliance=alliance, partner=partner, reason=reason, given_on=given_on,
        effective_on=effective_on, given_by=by, effective_due_at=timers.start_of_day(effective_on),
    )  # fmt: skip
    Partner.objects.filter(pk=partner.pk).update(exiting_on=given_on)
    _checklist(notice, plan)
    notify(
        recipients=alliance.people(),
        kind=NotificationKind.EXIT,
        event=f"exit-notice:{notice.pk}",
        moment=timezone.now(),
        render=lambda person: (
            _("%(partner)s gives notice: it leaves %(alliance)s on %(day)s")
            % {
                "partner": partner,
                "alliance": alliance.name,
                "day": formats.date_format(effective_on, "DATE_FORMAT"),
            },
            reason,
        ),
        alliance=alliance,
        url=_url(alliance),
    )
    _review_early(alliance, notice)
    return notice


def _review_early(alliance: Alliance, notice: ExitNotice) -> None:
    """A partner leaving calls for a realignment review now, not at the next hourly health
    check; both use the notice's condition key, so the review opens once. The rule is the
    hourly check's own (``notice_pending_at``): a notice given today, whatever the giver's
    time zone, holds from now until it takes effect, so no sweep clears it in between. A
    notice dated further ahead waits until the day before its date (UTC), as the hourly
    check does; one that has already taken effect opens nothing."""
    now = timezone.now()
    if alliance.stage not in REVIEWABLE_STAGES or alliance.is_paused:
        return  # as in the health check: the review waits until the alliance runs again
    if notice_pending_at(notice, now):
        condition = notice_condition(notice)
        review_open_early(alliance=alliance, key=condition.key, reason=condition.reason, now=now)


def _checklist(notice: ExitNotice, plan: ExitPlan) -> None:
    """The wind-down, spread over the notice period and due before the effective date."""
    leaving = notice.partner
    last_day = notice.effective_on - timedelta(days=1)
    halfway = notice.given_on + (notice.effective_on - notice.given_on) / 2
    tasks = [(title, leaving, halfway) for title in plan.obligations()]
    if plan.data_terms:
        tasks.append((_("Return or destroy shared data as agreed"), leaving, last_day))
    for asset in plan.assets.select_related("contributed_by"):
        tasks.append((_("Settle the shared asset: %(asset)s") % {"asset": asset.name},
                      asset.contributed_by, last_day))  # fmt: skip
    now = timezone.now()
    WindDownTask.objects.bulk_create(
        WindDownTask(
            notice=notice, title=title, owner=owner, due_on=due_on,
            remind_due_at=max(timers.start_of_day(due_on) - REMIND_AHEAD, now),
        )
        for title, owner, due_on in tasks
    )  # fmt: skip


@transaction.atomic
def wind_down_task_done(*, task: WindDownTask, by: User) -> WindDownTask:
    if task.done_at:
        raise ValidationError(_("This task is already done."))
    task.done_at, task.done_by, task.remind_due_at = timezone.now(), by, None
    task.save(update_fields=["done_at", "done_by", "remind_due_at"])
    return task


@transaction.atomic
def asset_allocation_confirm(
    *, notice: ExitNotice, asset: SharedAsset, partner: Partner, by: User
) -> AssetConfirmation:
    """A party confirms an asset's allocation: the leaving partner and the contributor."""
    if partner.pk not in (notice.partner_id, asset.contributed_by_id):
        raise ValidationError(_("Only the leaving partner and the contributor confirm this."))
    confirmation, _created = AssetConfirmation.objects.get_or_create(
        notice=notice, asset=asset, partner=partner, defaults={"by": by}
    )
    return confirmation


@transaction.atomic
def exit_notice_withdraw(*, notice: ExitNotice) -> None:
    claimed = ExitNotice.objects.filter(pk=notice.pk, status=ExitNotice.Status.PENDING).update(
        status=ExitNotice.Status.WITHDRAWN, effective_due_at=None
    )
    if not claimed:
        raise ValidationError(_("Only a pending notice can be withdrawn."))
    Partner.objects.filter(pk=notice.partner_id).update(exiting_on=None)
    notice.tasks.update(remind_due_at=None)


def make_exits_effective(notices: list[ExitNotice], now: datetime) -> None:
    """The "exit-effective" timer: the partner leaves on its effective date."""
    for notice in notices:
        ExitNotice.objects.filter(pk=notice.pk).update(effective_due_at=None)
        if notice.status != ExitNotice.Status.PENDING:
            continue
        ExitNotice.objects.filter(pk=notice.pk).update(status=ExitNotice.Status.EFFECTIVE)
        Partner.objects.filter(pk=notice.partner_id).update(exited_on=notice.effective_on)
        alliance = Alliance.objects.get(pk=notice.alliance_id)
        remaining = alliance.partners.filter(exited_on__isnull=True).count()
        if remaining < 2 and Alliance.Stage.EXITING in alliance.next_stages():
            alliance.move_to(Alliance.Stage.EXITING, by=None, note=_(
                "Fewer than two partners remain: a manager confirms the dissolution."
            ))  # fmt: skip
        notify(
            recipients=alliance.people(),
            kind=NotificationKind.EXIT,
            event=f"exit-effective:{notice.pk}",
            moment=now,
            render=lambda person, notice=notice, last=remaining < 2: (
                _("%(partner)s has left the alliance") % {"partner": notice.partner},
                _("Only one partner remains: dissolve the alliance when the wind-down is done.")
                if last
                else "",
            ),
            alliance=alliance,
            url=_url(alliance),
        )


def remind_wind_down(tasks: list[WindDownTask], now: datetime) -> None:
    """The "wind-down-reminder" timer: tell the owner's people a task is due soon."""
    for task in tasks:
        WindDownTask.objects.filter(pk=task.pk).update(remind_due_at=None)
        if task.done_at:
            continue
        people = Role.objects.filter(
            partner_id=task.owner_id,
            kind__in=[Role.Kind.PARTNER_REPRESENTATIVE, Role.Kind.COALITION_MANAGER],
        ).select_related("person")
        notify(
            recipients=[role.person for role in people],
            kind=NotificationKind.EXIT,
            event=f"wind-down:{task.pk}",
            moment=timers.start_of_day(task.due_on),
            render=lambda person, task=task: (
                _("Due %(day)s: %(task)s")
                % {"day": formats.date_format(task.due_on, "DATE_FORMAT"), "task": task.title},
                "",
            ),
            alliance=task.notice.alliance,
            url=_url(task.notice.alliance),
        )


def _move_effective_dates(alliance_id: int, by: timedelta) -> None:
    """After a force-majeure pause the exit day people see moves with the exit's timer."""
    for notice in ExitNotice.objects.filter(
        alliance_id=alliance_id, status=ExitNotice.Status.PENDING, effective_due_at__isnull=False
    ):
        notice.effective_on = notice.effective_due_at.date()
        notice.save(update_fields=["effective_on"])


EXIT_EFFECTIVE = timers.Timer(
    name="exit-effective", model=ExitNotice, due_field="effective_due_at",
    act=make_exits_effective, after_shift=_move_effective_dates,
)  # fmt: skip
WIND_DOWN_REMINDER = timers.Timer(
    name="wind-down-reminder", model=WindDownTask, due_field="remind_due_at",
    act=remind_wind_down, alliance_path="notice__alliance",
)  # fmt: skip


@transaction.atomic
def dissolution_propose(*, alliance: Alliance, by: User, closes_at: datetime) -> Ballot:
    """Put mutual dissolution to the partners' vote, under the charter's membership rule."""
    if Ballot.objects.filter(
        alliance=alliance, subject=Ballot.Subject.DISSOLUTION, status=Ballot.Status.OPEN
    ).exists():
        raise ValidationError(_("A vote on dissolving the alliance is already open."))
    if Alliance.Stage.EXITING not in alliance.next_stages():
        raise ValidationError(_("Only an active alliance can vote to dissolve."))
    return ballot_open(
        alliance=alliance,
        by=by,
        subject=Ballot.Subject.DISSOLUTION,
        question=_("Dissolve %(alliance)s by mutual agreement?") % {"alliance": alliance.name},
        description=_("If the vote carries, the alliance starts its exit: the wind-down under "
                      "the exit plan, then a manager confirms the dissolution."),
        scope=Scope.MEMBERSHIP,
        closes_at=closes_at,
    )  # fmt: skip


def dissolution_settled(ballot: Ballot, now: datetime) -> None:
    """Called when a dissolution ballot closes: if it carried, the alliance starts its exit."""
    alliance = Alliance.objects.get(pk=ballot.alliance_id)
    if ballot.outcome == Outcome.PASSED and Alliance.Stage.EXITING in alliance.next_stages():
        alliance.move_to(Alliance.Stage.EXITING, by=None, note=_(
            "The partners voted to dissolve the alliance."
        ))  # fmt: skip


def calendar_events(person: User) -> list[Any]:
    """Pending exit notices' effective dates, for the person's calendar feed."""
    from icalendar import Event

    notices = (
        ExitNotice.objects.visible_to(person)
        .filter(status=ExitNotice.Status.PENDING)
        .select_related("alliance", "partner__organization")
    )
    events = []
    for notice in notices:
        event = Event()
        event.add("uid", f"exit-notice-{notice.pk}@alliance-keeper")
        event.add("summary", _("%(partner)s leaves %(alliance)s") % {
            "partner": notice.partner, "alliance": notice.alliance.name})  # fmt: skip
        event.add("dtstart", notice.effective_on)
        event.add("dtstamp", timezone.now())
        event.add("url", settings.SITE_URL.rstrip("/") + _url(notice.alliance))
        events.append(event)
    return events
