"""Appending to the trust ledger, confirming, reversing, verifying, and the balances.

Appends to one alliance's ledger are serialised by a lock on the alliance's row, so the
hash chain never forks: each entry stores the hash of the one before it and the hash of
its own content with that previous hash. Changing any stored byte of an entry, or
removing one, breaks the chain at that entry, and ``verify`` names it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance, Partner, User

from .models import (
    DEFAULT_POINTS,
    DEPOSIT_CATEGORIES,
    WITHDRAWAL_CATEGORIES,
    CategoryPoints,
    TrustConfirmation,
    TrustEntry,
)

GENESIS = "0" * 64


def content_hash(entry: TrustEntry) -> str:
    """The hash of what the entry says, chained to the hash of the entry before it."""
    content = {
        "alliance": entry.alliance_id,
        "sequence": entry.sequence,
        "kind": entry.kind,
        "category": entry.category,
        "points": entry.points,
        "actor": entry.actor_id,
        "counterpart": entry.counterpart_id,
        "note": entry.note,
        "occurred_at": entry.occurred_at.astimezone(UTC).isoformat(),
        "recorded_by": entry.recorded_by_id,
        "recorded_at": entry.recorded_at.astimezone(UTC).isoformat(),
        "idempotency_key": entry.idempotency_key,
        "reverses": entry.reverses_id,
        "needs_confirmation": entry.needs_confirmation,
        "previous_hash": entry.previous_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def points_for(alliance: Alliance, category: str) -> int:
    custom = CategoryPoints.objects.filter(alliance=alliance, category=category).first()
    return custom.points if custom else DEFAULT_POINTS[category]


def _append(alliance: Alliance, key: str, **fields: Any) -> TrustEntry:
    """Lock the alliance, replay or chain a new entry. Caller runs in a transaction."""
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
    existing = TrustEntry.objects.filter(alliance=alliance, idempotency_key=key).first()
    if existing is not None:
        return existing  # a replayed request creates nothing new
    last = TrustEntry.objects.filter(alliance=alliance).order_by("-sequence").first()
    entry = TrustEntry(
        alliance=alliance,
        sequence=(last.sequence + 1) if last else 1,
        previous_hash=last.hash if last else GENESIS,
        idempotency_key=key,
        recorded_at=timezone.now(),
        **fields,
    )
    entry.hash = content_hash(entry)
    entry.save(force_insert=True)
    return entry


@transaction.atomic
def entry_record(
    *,
    alliance: Alliance,
    by: User,
    kind: str,
    category: str,
    actor: Partner,
    counterpart: Partner | None = None,
    note: str = "",
    occurred_at: datetime | None = None,
    points: int | None = None,
    idempotency_key: str,
) -> TrustEntry:
    """Record a deposit or a withdrawal. Replaying the same key returns the first entry."""
    if kind not in (TrustEntry.Kind.DEPOSIT, TrustEntry.Kind.WITHDRAWAL):
        raise ValidationError({"kind": _("Record a deposit or a withdrawal; reverse to correct.")})
    allowed = DEPOSIT_CATEGORIES if kind == TrustEntry.Kind.DEPOSIT else WITHDRAWAL_CATEGORIES
    if category not in allowed:
        raise ValidationError({"category": _("This category does not fit this kind of entry.")})
    for partner in filter(None, [actor, counterpart]):
        if partner.alliance_id != alliance.pk:
            raise ValidationError(_("Choose partners of this alliance."))
    if counterpart is not None and counterpart.pk == actor.pk:
        raise ValidationError({"counterpart": _("The counterpart is another partner.")})
    if not idempotency_key or len(idempotency_key) > 100:
        raise ValidationError({"idempotency_key": _("Send a key of 1 to 100 characters.")})
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("Record what has happened, not what will.")})
    if occurred_at.year < 2000:
        raise ValidationError({"occurred_at": _("Give the real date it happened.")})
    amount = points if points is not None else points_for(alliance, category)
    if not 1 <= amount <= 100:
        raise ValidationError({"points": _("Points run from 1 to 100.")})
    own_action = actor.organization.members.filter(pk=by.pk).exists()
    try:
        with transaction.atomic():
            return _append(
                alliance,
                idempotency_key,
                kind=kind,
                category=category,
                points=amount if kind == TrustEntry.Kind.DEPOSIT else -amount,
                actor=actor,
                counterpart=counterpart,
                note=note,
                occurred_at=occurred_at,
                recorded_by=by,
                needs_confirmation=kind == TrustEntry.Kind.DEPOSIT and own_action,
            )
    except IntegrityError:  # the same key raced in from another request: it won
        return TrustEntry.objects.get(alliance=alliance, idempotency_key=idempotency_key)


@transaction.atomic
def entry_reverse(*, entry: TrustEntry, by: User, note: str, idempotency_key: str) -> TrustEntry:
    """Correct a mistake: one reversal entry cancels the original's points."""
    if entry.kind == TrustEntry.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; record a new entry."))
    used = TrustEntry.objects.filter(
        alliance=entry.alliance, idempotency_key=idempotency_key
    ).first()
    if used is not None:
        if used.reverses_id == entry.pk:
            return used  # the same reversal, replayed
        raise ValidationError({"idempotency_key": _("This key was used for another entry.")})
    if TrustEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if not note.strip():
        raise ValidationError({"note": _("Say what was wrong with the entry.")})
    return _append(
        entry.alliance,
        idempotency_key,
        kind=TrustEntry.Kind.REVERSAL,
        category=entry.category,
        points=-entry.points,
        actor=entry.actor,
        counterpart=entry.counterpart,
        note=note,
        occurred_at=timezone.now(),
        recorded_by=by,
        reverses=entry,
    )


@transaction.atomic
def entry_confirm(*, entry: TrustEntry, by: User, partner: Partner) -> TrustConfirmation:
    """A person of another partner vouches for a self-reported deposit."""
    if not entry.needs_confirmation:
        raise ValidationError(_("This entry counts without confirmation."))
    if partner.pk == entry.actor_id or partner.alliance_id != entry.alliance_id:
        raise PermissionDenied(_("Someone from another partner of the alliance confirms it."))
    if not partner.organization.members.filter(pk=by.pk).exists():
        raise PermissionDenied(_("You confirm for your own organisation only."))
    confirmation, _created = TrustConfirmation.objects.get_or_create(
        entry=entry, defaults={"partner": partner, "by": by}
    )
    return confirmation


@dataclass(frozen=True)
class Break:
    sequence: int
    reason: str


def verify(alliance: Alliance) -> Break | None:
    """Walk the alliance's chain; the first entry whose hashes do not hold, if any."""
    previous, expected_sequence = GENESIS, 1
    for entry in TrustEntry.objects.filter(alliance=alliance).order_by("sequence").iterator():
        if entry.sequence != expected_sequence:
            return Break(expected_sequence, _("Entry %(n)s is missing.") % {"n": expected_sequence})
        if entry.previous_hash != previous:
            return Break(entry.sequence, _("It does not follow the entry before it."))
        if content_hash(entry) != entry.hash:
            return Break(entry.sequence, _("Its content no longer matches its hash."))
        previous, expected_sequence = entry.hash, expected_sequence + 1
    return None


def counted(entries: QuerySet[TrustEntry]) -> QuerySet[TrustEntry]:
    """Entries whose points count: not waiting for confirmation (a reversal counts when its
    original does)."""
    confirmed = TrustConfirmation.objects.filter(entry=OuterRef("pk"))
    original_confirmed = TrustConfirmation.objects.filter(entry=OuterRef("reverses"))
    return entries.filter(
        Q(needs_confirmation=False, reverses__isnull=True)
        | Q(needs_confirmation=True, reverses__isnull=True) & Q(Exists(confirmed))
        | Q(reverses__needs_confirmation=False)
        | Q(reverses__needs_confirmation=True) & Q(Exists(original_confirmed))
    )


@dataclass
class Balances:
    alliance: int
    per_partner: dict[int, int]
    per_pair: dict[tuple[int, int], int]  # (actor, counterpart) -> points
    trend: list[tuple[datetime, int]]  # (month, balance at its end)


def balances(alliance: Alliance) -> Balances:
    """Four aggregate queries, whatever the size of the ledger."""
    entries = counted(TrustEntry.objects.filter(alliance=alliance))
    total = entries.aggregate(total=Sum("points"))["total"] or 0
    per_partner = dict(
        entries.order_by().values("actor").annotate(p=Sum("points")).values_list("actor", "p")
    )
    per_pair = {
        (row["actor"], row["counterpart"]): row["p"]
        for row in entries.filter(counterpart__isnull=False)
        .order_by()
        .values("actor", "counterpart")
        .annotate(p=Sum("points"))
    }
    monthly = (
        entries.annotate(month=TruncMonth("occurred_at"))
        .order_by()
        .values("month")
        .annotate(p=Sum("points"))
        .order_by("month")
    )
    running, trend = 0, []
    for row in monthly:
        running += row["p"]
        trend.append((row["month"], running))
    return Balances(total, per_partner, per_pair, trend)


def awaiting_confirmation(alliance: Alliance) -> QuerySet[TrustEntry]:
    return TrustEntry.objects.filter(
        alliance=alliance, needs_confirmation=True, confirmation__isnull=True
    ).exclude(reversed_by__isnull=False)


def points_table(alliance: Alliance) -> dict[str, int]:
    """The points of every category for this alliance: its own, or the defaults."""
    custom = dict(
        CategoryPoints.objects.filter(alliance=alliance).values_list("category", "points")
    )
    return {category: custom.get(category, points) for category, points in DEFAULT_POINTS.items()}


@transaction.atomic
def points_set(*, alliance: Alliance, points_by_category: dict[str, int]) -> None:
    """Set the alliance's points per category; later entries use them, past ones keep theirs."""
    for category, points in points_by_category.items():
        if category not in DEFAULT_POINTS or not 1 <= points <= 100:
            raise ValidationError({category: _("Points run from 1 to 100.")})
        CategoryPoints.objects.update_or_create(
            alliance=alliance, category=category, defaults={"points": points}
        )
