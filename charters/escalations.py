"""Escalations: a dispute climbs the ladder of the charter in force, level by level, on time.

Who each level brings in follows its place on the ladder: the first level is the working
group of the partners' representatives; the top of a ladder of three or more levels is the
executive sponsors; every level between is the steering committee. Reaching the steering
committee puts the proposed resolutions to its vote, and the ballot's outcome resolves the
escalation. A level's deadline can be extended once, when every other partner involved
consents. The deadline sweep and a person resolving the escalation both lock its row, so
exactly one of them wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import timers
from alliances.models import Alliance, NotificationKind, Partner, Review, Role, User
from alliances.notifications import notify
from alliances.reviews import review_reschedule

from .ballots import ballot_close_now, ballot_open, delegates
from .models import Ballot, CharterVersion, Escalation, EscalationEvent
from .rules import Scope
from .tally import ABSTAIN, Outcome

Event = EscalationEvent.Kind
KEEP_CLIMBING = "escalate"  # the ballot option that leaves the dispute to the next level
REVIEW_WITHIN = timedelta(days=14)  # how soon a review follows an escalation reaching the top


def audience_kind(escalation: Escalation, level: int) -> str:
    last = len(escalation.ladder) - 1
    if level == 0:
        return Role.Kind.PARTNER_REPRESENTATIVE
    if level == last and last >= 2:
        return Role.Kind.EXECUTIVE_SPONSOR
    return Role.Kind.STEERING_COMMITTEE


def audience(escalation: Escalation, level: int) -> list[User]:
    roles = Role.objects.filter(
        alliance_id=escalation.alliance_id, kind=audience_kind(escalation, level)
    ).select_related("person")
    managers = Role.objects.filter(
        alliance_id=escalation.alliance_id, kind=Role.Kind.COALITION_MANAGER
    ).select_related("person")
    return [role.person for role in [*roles, *managers]]


def _url(escalation: Escalation) -> str:
    return reverse(
        "escalation_detail",
        kwargs={"alliance_pk": escalation.alliance_id, "escalation_pk": escalation.pk},
    )


def _tell(
    escalation: Escalation, people: list[User], event: str, text: Callable[[], tuple[str, str]]
) -> None:
    """``text`` gives (title, body); it is called once per person, in their own language."""
    notify(
        recipients=people,
        kind=NotificationKind.ESCALATION,
        event=f"escalation-{event}:{escalation.pk}:{escalation.level}",
        moment=escalation.level_deadline or escalation.raised_at,
        render=lambda person: text(),
        alliance=escalation.alliance,
        url=_url(escalation),
    )


def _record(escalation: Escalation, kind: str, *, by: User | None = None, **fields: Any) -> None:
    EscalationEvent.objects.create(
        escalation=escalation, kind=kind, level=escalation.level, by=by, **fields
    )


def _enter_level(escalation: Escalation, level: int, now: datetime) -> None:
    escalation.level = level
    days = escalation.ladder[level].get("days")
    escalation.level_deadline = now + timedelta(days=days) if days else None
    escalation.climb_due_at = escalation.level_deadline


@transaction.atomic
def escalation_raise(
    *,
    alliance: Alliance,
    by: User,
    title: str,
    description: str,
    scope: str,
    partners: list[Partner],
    kind: str = Escalation.Kind.DISPUTE,
    against: Partner | None = None,
    evidence: str = "",
) -> Escalation:
    """Raise a dispute at the bottom of the ladder of the charter in force."""
    in_force = CharterVersion.objects.filter(
        charter__alliance=alliance, status=CharterVersion.Status.ADOPTED
    ).first()
    ladder = in_force.rules.ladder if in_force else []
    if not ladder:
        raise ValidationError(
            _("The charter in force defines no escalation ladder: adopt one first.")
        )
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose a decision scope.")})
    if not partners or any(p.alliance_id != alliance.pk for p in partners):
        raise ValidationError({"partners": _("Choose the partners of this alliance involved.")})
    if kind == Escalation.Kind.NOT_CONTRIBUTING and (against is None or against not in partners):
        raise ValidationError({"against": _("Name the partner that is not contributing.")})
    now = timezone.now()
    escalation = Escalation(
        alliance=alliance, kind=kind, title=title, description=description, scope=scope,
        against=against, evidence=evidence, raised_by=by, raised_at=now, decided_under=in_force,
        ladder_json=[{"name": lv.name, "days": lv.days} for lv in ladder],
    )  # fmt: skip
    _enter_level(escalation, 0, now)
    escalation.full_clean(exclude=["partners"])
    escalation.save()
    escalation.partners.set(partners)
    _record(escalation, Event.RAISED, by=by, at=now, text=description)
    _tell(escalation, audience(escalation, 0), "raised", lambda: (
          _("Escalation raised: %(title)s") % {"title": title},
          _("It is now with the %(level)s.") % {"level": escalation.level_name}))  # fmt: skip
    return escalation


def _locked(escalation: Escalation) -> Escalation:
    locked = Escalation.objects.select_for_update().select_related("alliance").get(pk=escalation.pk)
    if locked.status != Escalation.Status.OPEN:
        raise ValidationError(_("This escalation is already closed."))
    return locked


def _close(
    escalation: Escalation, status: str, *, by: User | None, text: str, now: datetime
) -> None:
    escalation.status, escalation.closed_at, escalation.closed_by = status, now, by
    escalation.climb_due_at = None
    if status == Escalation.Status.RESOLVED:
        escalation.resolution = text
    escalation.save()
    kind = {
        Escalation.Status.RESOLVED.value: Event.RESOLVED,
        Escalation.Status.WITHDRAWN.value: Event.WITHDRAWN,
        Escalation.Status.UNRESOLVED.value: Event.UNRESOLVED,
    }[status]
    _record(escalation, kind, by=by, at=now, text=text)
    people = [p for partner in escalation.partners.all() for p in delegates(partner)]
    _tell(escalation, people + audience(escalation, escalation.level), status, lambda: (
          _("%(status)s: %(title)s") % {"status": escalation.get_status_display(), "title": escalation.title},
          text))  # fmt: skip


@transaction.atomic
def escalation_resolve(
    *, escalation: Escalation, by: User | None, resolution: str, level: int | None = None
) -> Escalation:
    """Record what was agreed. ``level`` is the level the person saw: if the deadline sweep
    moved the escalation on meanwhile, the resolution is refused rather than landing on
    a level it was not meant for."""
    locked = _locked(escalation)
    if level is not None and locked.level != level:
        raise ValidationError(
            {"level": _("The escalation has moved to the %(level)s since you read it: read it again.")
             % {"level": locked.level_name}}
        )  # fmt: skip
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write down what was agreed.")})
    _close(locked, Escalation.Status.RESOLVED, by=by, text=resolution, now=timezone.now())
    return locked


@transaction.atomic
def escalation_withdraw(*, escalation: Escalation, by: User) -> Escalation:
    locked = _locked(escalation)
    if locked.raised_by_id != by.pk:
        raise PermissionDenied(_("Only the person who raised it can withdraw it."))
    _close(locked, Escalation.Status.WITHDRAWN, by=by, text="", now=timezone.now())
    return locked


@transaction.atomic
def escalation_escalate(*, escalation: Escalation, by: User) -> Escalation:
    """Move it up one level by hand, before its deadline."""
    locked = _locked(escalation)
    if locked.is_at_top:
        raise ValidationError(_("The escalation is already at the top of the ladder."))
    _climb(locked, timezone.now(), by=by)
    return locked


def _climb(escalation: Escalation, now: datetime, *, by: User | None) -> None:
    if escalation.is_at_top:
        _close(escalation, Escalation.Status.UNRESOLVED, by=None, now=now,
               text=_("The deadline at the top of the ladder passed without a resolution."))  # fmt: skip
        return
    _enter_level(escalation, escalation.level + 1, now)
    escalation.save()
    _record(escalation, Event.ESCALATED if by else Event.CLIMBED, by=by, at=now,
            text=escalation.level_name)  # fmt: skip
    _tell(escalation, audience(escalation, escalation.level), "climbed", lambda: (
          _("Escalation for you: %(title)s") % {"title": escalation.title},
          _("It has reached the %(level)s.") % {"level": escalation.level_name}))  # fmt: skip
    kind = audience_kind(escalation, escalation.level)
    if kind == Role.Kind.STEERING_COMMITTEE and escalation.ballot_id is None:
        _put_to_vote(escalation, now)
    if kind == Role.Kind.EXECUTIVE_SPONSOR:
        _bring_review_forward(escalation, now)


def _put_to_vote(escalation: Escalation, now: datetime) -> None:
    proposals = list(
        dict.fromkeys(escalation.events.filter(kind=Event.PROPOSAL).values_list("text", flat=True))
    )[:6]
    closes_at = escalation.level_deadline or now + timedelta(days=7)
    ballot = ballot_open(
        alliance=escalation.alliance,
        by=None,
        question=_("Resolve the escalation “%(title)s”") % {"title": escalation.title},
        description=escalation.description,
        scope=escalation.scope,
        closes_at=closes_at,
        subject=Ballot.Subject.ESCALATION,
        options=[*proposals, KEEP_CLIMBING, ABSTAIN],
    )
    escalation.ballot = ballot
    escalation.save(update_fields=["ballot"])
    _record(escalation, Event.BALLOT, at=now, text=ballot.question)


def _bring_review_forward(escalation: Escalation, now: datetime) -> None:
    review = Review.objects.filter(alliance_id=escalation.alliance_id).pending().first()
    soon = now + REVIEW_WITHIN
    if review is not None and review.status == Review.Status.SCHEDULED and review.due_at > soon:
        review_reschedule(review=review, due_at=soon)


def ballot_settled(ballot: Ballot, now: datetime) -> None:
    """Called when a steering-committee ballot on an escalation closes."""
    escalation = Escalation.objects.select_for_update().get(ballot=ballot)
    if escalation.status != Escalation.Status.OPEN:
        return
    if ballot.outcome == Outcome.PASSED and ballot.decided_option not in (KEEP_CLIMBING, ABSTAIN):
        text = _("Decided by the steering committee's vote: %(option)s") % {
            "option": ballot.decided_option
        }
        _close(escalation, Escalation.Status.RESOLVED, by=None, text=text, now=now)


@transaction.atomic
def escalation_propose(*, escalation: Escalation, by: User, text: str) -> None:
    locked = _locked(escalation)
    if not text.strip():
        raise ValidationError({"text": _("Write the resolution you propose.")})
    _record(locked, Event.PROPOSAL, by=by, text=text.strip()[:100])


@transaction.atomic
def escalation_comment(*, escalation: Escalation, by: User, text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
    _record(locked, Event.COMMENT, by=by, text=text)


@transaction.atomic
def extension_ask(
    *, escalation: Escalation, by: User, partner: Partner, days: int, reason: str
) -> None:
    """Ask once per level for more time; it takes effect when every other party consents."""
    locked = _locked(escalation)
    if locked.level_deadline is None:
        raise ValidationError(_("This level has no deadline to extend."))
    at_level = locked.events.filter(level=locked.level)
    if at_level.filter(kind__in=[Event.EXTENSION_ASKED, Event.EXTENDED]).exists():
        raise ValidationError(_("A level's deadline can be extended only once."))
    if not 1 <= days <= 30:
        raise ValidationError({"days": _("Ask for 1 to 30 more days.")})
    if not locked.partners.filter(pk=partner.pk).exists():
        raise PermissionDenied(_("Only a party to the escalation can ask for more time."))
    _record(locked, Event.EXTENSION_ASKED, by=by, partner=partner, days=days, text=reason)
    others = [p for other in locked.partners.exclude(pk=partner.pk) for p in delegates(other)]
    _tell(locked, others, "extension-asked", lambda: (
          _("%(partner)s asks %(days)s more days: %(title)s")
          % {"partner": partner, "days": days, "title": locked.title},
          _("The deadline moves only if every other party consents. Reason: %(reason)s")
          % {"reason": reason}))  # fmt: skip
    _extend_if_agreed(locked)


@transaction.atomic
def extension_consent(*, escalation: Escalation, by: User, partner: Partner) -> None:
    locked = _locked(escalation)
    asked = locked.events.filter(level=locked.level, kind=Event.EXTENSION_ASKED).first()
    if asked is None or locked.events.filter(level=locked.level, kind=Event.EXTENDED).exists():
        raise ValidationError(_("No extension is waiting for consent."))
    if not locked.partners.filter(pk=partner.pk).exists():
        raise PermissionDenied(_("Only a party to the escalation can consent."))
    _record(locked, Event.EXTENSION_CONSENT, by=by, partner=partner)
    _extend_if_agreed(locked)


def _extend_if_agreed(escalation: Escalation) -> None:
    at_level = escalation.events.filter(level=escalation.level)
    asked = at_level.get(kind=Event.EXTENSION_ASKED)
    agreed = {
        asked.partner_id,
        *at_level.filter(kind=Event.EXTENSION_CONSENT).values_list("partner_id", flat=True),
    }
    if set(escalation.partners.values_list("pk", flat=True)) - agreed:
        return
    assert escalation.level_deadline is not None  # extension_ask refuses levels without one
    assert asked.days is not None
    escalation.level_deadline += timedelta(days=asked.days)
    escalation.climb_due_at = escalation.level_deadline
    escalation.save(update_fields=["level_deadline", "climb_due_at"])
    _record(escalation, Event.EXTENDED, days=asked.days, text=asked.text)
    people = [p for partner in escalation.partners.all() for p in delegates(partner)]
    _tell(escalation, people, "extended", lambda: (
          _("Deadline extended by %(days)s days: %(title)s")
          % {"days": asked.days, "title": escalation.title},
          _("Every party agreed. A level's deadline is extended only once.")))  # fmt: skip


def climb_overdue(escalations: list[Escalation], now: datetime) -> None:
    """The "escalation-deadline" timer: a level's deadline passed unresolved, so it climbs."""
    for escalation in escalations:
        ballot = escalation.ballot
        if ballot is not None:
            # The steering committee's vote closes at this same deadline: count it first,
            # so a decision it reached resolves the escalation instead of being overtaken.
            ballot_close_now(ballot=ballot, now=now)
            escalation.refresh_from_db()
        if escalation.status == Escalation.Status.OPEN:
            _climb(escalation, now, by=None)
        else:
            Escalation.objects.filter(pk=escalation.pk).update(climb_due_at=None)


ESCALATION_DEADLINE = timers.Timer(
    name="escalation-deadline",
    model=Escalation,
    due_field="climb_due_at",
    act=climb_overdue,
    shifts_with=("level_deadline",),
)


# Who may act on an escalation: the pages and the API both ask here.
PARTY_KINDS = (Role.Kind.PARTNER_REPRESENTATIVE, Role.Kind.STEERING_COMMITTEE)


@dataclass(frozen=True)
class Standing:
    """What the person may do on one escalation."""

    is_manager: bool
    party: Partner | None  # the partner involved that the person speaks for
    at_level: bool  # the person holds the role the current level brings in
    is_raiser: bool

    @property
    def can_act(self) -> bool:
        return self.is_manager or self.party is not None or self.at_level


def standing(user: User, escalation: Escalation) -> Standing:
    roles = list(
        Role.objects.filter(alliance_id=escalation.alliance_id, person=user).select_related(
            "partner__organization"
        )
    )
    involved = {partner.pk for partner in escalation.partners.all()}
    party = next(
        (r.partner for r in roles if r.kind in PARTY_KINDS and r.partner_id in involved), None
    )
    level_kind = audience_kind(escalation, escalation.level)
    return Standing(
        is_manager=any(r.kind == Role.Kind.COALITION_MANAGER for r in roles),
        party=party,
        at_level=any(r.kind == level_kind for r in roles),
        is_raiser=escalation.raised_by_id == user.pk,
    )


def may_raise(user: User, alliance: Alliance) -> bool:
    return (
        alliance.is_managed_by(user)
        or Partner.objects.represented_by(user).filter(alliance=alliance).exists()
    )
