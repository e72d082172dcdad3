"""Small promises between partners, and what keeping or breaking them does to trust.

Delivered on time, a commitment records a deposit for its owner (the beneficiary vouches for
it by marking it delivered, so it counts at once); delivered late, a smaller one; lapsed, the
"commitment-lapse" timer records a withdrawal the day after its due date. The
"commitment-reminder" timer reminds the owner two days ahead.
"""

from __future__ import annotations

import datetime as dt
import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliances import timers
from alliances.models import Alliance, NotificationKind, Partner, Role, User
from alliances.notifications import notify

from . import ledger
from .models import Category, Commitment, TrustEntry

logger = logging.getLogger(__name__)
REMIND_AHEAD = timedelta(days=2)
# Commitments are small promises between partners, not multi-year plans.
LONGEST_PROMISE = timedelta(days=366)


def _url(alliance_id: int) -> str:
    return reverse("trust", kwargs={"alliance_pk": alliance_id})


@transaction.atomic
def commitment_make(
    *, alliance: Alliance, by: User, owner: Partner, beneficiary: Partner, description: str,
    due_on: dt.date,
) -> Commitment:  # fmt: skip
    if owner.alliance_id != alliance.pk or beneficiary.alliance_id != alliance.pk:
        raise ValidationError(_("Choose partners of this alliance."))
    if owner.pk == beneficiary.pk:
        raise ValidationError({"beneficiary": _("A commitment is made to another partner.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Give a due date from today on.")})
    if due_on > timezone.localdate() + LONGEST_PROMISE:
        raise ValidationError(
            {"due_on": _("A commitment is a small promise: give a due date within %(days)s days.")
             % {"days": LONGEST_PROMISE.days}}
        )  # fmt: skip
    commitment = Commitment(
        alliance=alliance, owner=owner, beneficiary=beneficiary, description=description,
        due_on=due_on, created_by=by,
        remind_due_at=max(timers.start_of_day(due_on) - REMIND_AHEAD, timezone.now()),
        lapse_due_at=timers.end_of_day(due_on),
    )  # fmt: skip
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_deliver(*, commitment: Commitment, by: User, partner: Partner) -> TrustEntry:
    """The beneficiary marks the promise kept: a deposit, smaller when it came late."""
    locked = Commitment.objects.select_for_update().select_related("alliance").get(pk=commitment.pk)
    if locked.status != Commitment.Status.OPEN:
        raise ValidationError(_("This commitment is already settled."))
    if partner.pk != locked.beneficiary_id:
        raise PermissionDenied(_("The partner it was promised to marks it delivered."))
    now = timezone.now()
    late = timezone.localdate(now) > locked.due_on
    full = ledger.points_for(locked.alliance, Category.COMMITMENT_DELIVERED)
    entry = ledger.entry_record(
        alliance=locked.alliance,
        by=by,
        kind=TrustEntry.Kind.DEPOSIT,
        category=Category.COMMITMENT_DELIVERED,
        actor=locked.owner,
        counterpart=locked.beneficiary,
        note=locked.description,
        points=max(1, full // 2) if late else full,
        idempotency_key=f"commitment-delivered:{locked.pk}",
    )
    locked.status = Commitment.Status.DELIVERED_LATE if late else Commitment.Status.DELIVERED
    locked.delivered_at, locked.remind_due_at, locked.lapse_due_at = now, None, None
    locked.save(update_fields=["status", "delivered_at", "remind_due_at", "lapse_due_at"])
    return entry


def lapse_overdue(commitments: list[Commitment], now: datetime) -> None:
    """The "commitment-lapse" timer: an open promise past its due date costs trust."""
    for commitment in commitments:
        Commitment.objects.filter(pk=commitment.pk).update(lapse_due_at=None, remind_due_at=None)
        if commitment.status != Commitment.Status.OPEN:
            continue
        Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.LAPSED)
        recorder = commitment.created_by or _someone_of(commitment.alliance)
        if recorder is None:
            logger.warning("commitment %s lapsed with nobody to record it", commitment.pk)
            continue
        try:
            with transaction.atomic():
                ledger.entry_record(
                    alliance=commitment.alliance,
                    by=recorder,
                    kind=TrustEntry.Kind.WITHDRAWAL,
                    category=Category.COMMITMENT_MISSED,
                    actor=commitment.owner,
                    counterpart=commitment.beneficiary,
                    note=commitment.description,
                    occurred_at=min(now, timezone.now()),
                    idempotency_key=f"commitment-lapsed:{commitment.pk}",
                )
        except ValidationError as error:  # one refused row must not jam the whole batch
            logger.warning("commitment %s lapsed, withdrawal refused: %s", commitment.pk, error)


def _someone_of(alliance: Alliance) -> User | None:
    role = (
        Role.objects.filter(alliance=alliance)
        .order_by("kind", "pk")
        .select_related("person")
        .first()
    )
    return role.person if role else None


def remind_due(commitments: list[Commitment], now: datetime) -> None:
    """The "commitment-reminder" timer: tell the owner's people a promise falls due soon."""
    for commitment in commitments:
        Commitment.objects.filter(pk=commitment.pk).update(remind_due_at=None)
        if commitment.status != Commitment.Status.OPEN:
            continue
        people = Role.objects.filter(partner_id=commitment.owner_id).select_related("person")
        notify(
            recipients=[role.person for role in people],
            kind=NotificationKind.TRUST,
            event=f"commitment-due:{commitment.pk}",
            moment=timers.start_of_day(commitment.due_on),
            render=lambda person, c=commitment: (
                _("Due %(day)s: %(promise)s")
                % {"day": formats.date_format(c.due_on, "DATE_FORMAT"), "promise": c.description},
                "",
            ),
            alliance=commitment.alliance,
            url=_url(commitment.alliance_id),
        )


COMMITMENT_REMINDER = timers.Timer(
    name="commitment-reminder", model=Commitment, due_field="remind_due_at", act=remind_due
)
COMMITMENT_LAPSE = timers.Timer(
    name="commitment-lapse", model=Commitment, due_field="lapse_due_at", act=lapse_overdue
)
