"""Ballots: opened under the charter in force, voted once per partner, closed by the timer.

The electorate and the weights are snapshotted when a ballot opens. Votes and the closing
sweep both lock the ballot's row, so a vote that races the deadline is either counted
before the close or refused after it, never both. A closed ballot is locked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliances import timers
from alliances.models import Alliance, NotificationKind, Partner, Role, User
from alliances.notifications import notify

from .models import Ballot, CharterVersion, Elector, Vote, VoteChange
from .rules import Mode, Rules, Scope
from .tally import ABSTAIN, NO, YES, Cast, Outcome, tally
from .tally import Elector as TallyElector

YES_NO = [YES, NO, ABSTAIN]
# The first charter has no rules in force to be adopted under: it needs every partner.
FOUNDING_RULES = Rules()
CLOSING_SOON = timedelta(hours=24)


def delegates(partner: Partner) -> list[User]:
    """Who casts a partner's vote: its steering committee members, else its representatives."""
    roles = list(
        Role.objects.filter(
            partner=partner,
            kind__in=[Role.Kind.STEERING_COMMITTEE, Role.Kind.PARTNER_REPRESENTATIVE],
        ).select_related("person")
    )
    steering = [r.person for r in roles if r.kind == Role.Kind.STEERING_COMMITTEE]
    return steering or [r.person for r in roles]


def partner_voting_as(person: User, ballot: Ballot) -> Partner | None:
    """The partner whose vote this person casts in the ballot, if any (one query)."""
    place = ballot.electors.cast_by(person).select_related("partner__organization").first()
    return place.partner if place else None


def _url(ballot: Ballot) -> str:
    return reverse(
        "ballot_detail", kwargs={"alliance_pk": ballot.alliance_id, "ballot_pk": ballot.pk}
    )


@transaction.atomic
def ballot_open(
    *,
    alliance: Alliance,
    by: User | None,
    question: str,
    scope: str,
    closes_at: datetime,
    subject: str = Ballot.Subject.MOTION,
    description: str = "",
    options: list[str] | None = None,
    secret: bool = False,
    proposal: CharterVersion | None = None,
) -> Ballot:
    """Open a ballot under the rules of the charter version in force (or the founding rules)."""
    now = timezone.now()
    if closes_at <= now + timedelta(minutes=5):
        raise ValidationError({"closes_at": _("Give the partners at least a few minutes to vote.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose a decision scope.")})
    options = options or YES_NO
    if len(set(options)) < 2:
        raise ValidationError({"options": _("A ballot needs at least two different options.")})
    in_force = CharterVersion.objects.filter(
        charter__alliance=alliance, status=CharterVersion.Status.ADOPTED
    ).first()
    rules = in_force.rules if in_force else FOUNDING_RULES
    rule = rules.rule_for(scope)
    partners = list(alliance.partners.filter(exited_on__isnull=True).select_related("organization"))
    if not partners:
        raise ValidationError(_("The alliance has no partners to vote."))
    ballot = Ballot.objects.create(
        alliance=alliance,
        subject=subject,
        question=question,
        description=description,
        scope=scope,
        options=options,
        secret=secret,
        decided_under=in_force,
        mode=rule.mode,
        quorum=rules.quorum,
        lead_partner_id=rule.lead_partner if rule.mode == Mode.LEAD_PARTNER else None,
        proposal=proposal,
        opened_by=by,
        opens_at=now,
        closes_at=closes_at,
        closing_due_at=closes_at,
        closing_soon_due_at=closes_at - CLOSING_SOON if closes_at - CLOSING_SOON > now else None,
    )
    weights = rules.weights_for(partners)
    Elector.objects.bulk_create(
        Elector(ballot=ballot, partner=p, weight=weights[p.pk], can_veto=p.pk in rule.veto_holders)
        for p in partners
    )
    _tell(ballot, NotificationKind.BALLOT_OPENED, "ballot-opened", now, _ballot_opened_text)
    return ballot


def _ballot_opened_text(ballot: Ballot) -> tuple[str, str]:
    closes = formats.date_format(timezone.localtime(ballot.closes_at), "DATETIME_FORMAT")
    return (
        _("Vote: %(question)s") % {"question": ballot.question},
        _("%(alliance)s asks for your organisation's vote before %(closes)s.")
        % {"alliance": ballot.alliance.name, "closes": closes},
    )


def _tell(
    ballot: Ballot,
    kind: str,
    event: str,
    moment: datetime,
    text: Any,
    *,
    only_pending: bool = False,
) -> None:
    voted = set(ballot.votes.values_list("partner_id", flat=True)) if only_pending else set()
    recipients = [
        person
        for elector in ballot.electors.select_related("partner")
        if elector.partner_id not in voted
        for person in delegates(elector.partner)
    ]
    if kind == NotificationKind.BALLOT_RESULT:
        recipients += ballot.alliance.people()
    notify(
        recipients=recipients,
        kind=kind,
        event=f"{event}:{ballot.pk}",
        moment=moment,
        render=lambda person: text(ballot),
        alliance=ballot.alliance,
        url=_url(ballot),
    )


@transaction.atomic
def vote_cast(*, ballot: Ballot, by: User, choice: str, veto: bool = False) -> Vote:
    """Cast or change the person's partner's vote, under the ballot's row lock."""
    locked = Ballot.objects.select_for_update().select_related("alliance").get(pk=ballot.pk)
    now = timezone.now()
    # While force majeure pauses the alliance's timers, the deadline waits too.
    if not (
        locked.is_open_at(now)
        or (locked.status == Ballot.Status.OPEN and locked.alliance.is_paused)
    ):
        raise ValidationError(_("The ballot is closed: votes are no longer accepted."))
    partner = partner_voting_as(by, locked)
    if partner is None:
        raise PermissionDenied(_("You do not cast a vote in this ballot."))
    if choice not in locked.options:
        raise ValidationError({"choice": _("Choose one of the ballot's options.")})
    elector = locked.electors.get(partner=partner)
    if veto and not elector.can_veto:
        raise ValidationError({"veto": _("Your organisation holds no veto on this decision.")})
    vote, _created = Vote.objects.update_or_create(
        ballot=locked,
        partner=partner,
        defaults={"choice": choice, "veto": veto, "cast_by": by, "cast_at": now},
    )
    VoteChange.objects.create(
        ballot=locked, partner=partner, choice=choice, veto=veto, cast_by=by, at=now
    )
    if locked.votes.count() == locked.electors.count():
        _close(locked, now)  # everyone has voted: no need to wait for the deadline
    return vote


def count(ballot: Ballot) -> Any:
    electors = [
        TallyElector(e.partner_id, e.partner.organization.name, e.weight, e.can_veto)
        for e in ballot.electors.select_related("partner__organization")
    ]
    casts = [Cast(v.partner_id, v.choice, v.veto) for v in ballot.votes.all()]
    return tally(
        mode=ballot.mode,
        quorum=ballot.quorum,
        electors=electors,
        casts=casts,
        yes_no=ballot.is_yes_no,
        lead_partner=ballot.lead_partner_id,
    )


def _close(ballot: Ballot, now: datetime) -> None:
    """Count, lock the result and apply it. The caller holds the ballot's row lock."""
    result = count(ballot)
    ballot.status, ballot.closed_at = Ballot.Status.CLOSED, now
    ballot.outcome, ballot.explanation = result.outcome, result.explanation
    ballot.decided_option = result.decided or ""
    ballot.result_json = {"turnout": str(result.turnout), "total": str(result.total)}
    if ballot.secret:
        # With a few partners of unequal weight, shares of the vote would tell who voted how.
        ballot.explanation = _secret_explanation(result.outcome)
    else:
        ballot.result_json["support"] = {k: str(v) for k, v in result.support.items()}
    ballot.closing_due_at = ballot.closing_soon_due_at = None
    ballot.save()
    if ballot.proposal_id:
        from .services import adoption_settle

        adoption_settle(ballot=ballot, now=now)
    if ballot.subject == Ballot.Subject.ESCALATION:
        from .escalations import ballot_settled

        ballot_settled(ballot, now)
    if ballot.subject == Ballot.Subject.DISSOLUTION:
        from .exits import dissolution_settled

        dissolution_settled(ballot, now)
    _tell(ballot, NotificationKind.BALLOT_RESULT, "ballot-result", now, _result_text)


def _secret_explanation(outcome: str) -> str:
    return {
        Outcome.PASSED.value: _("The decision carried under the charter's rules."),
        Outcome.FAILED.value: _("The decision did not carry under the charter's rules."),
        Outcome.VETOED.value: _("A partner holding a veto on this decision used it."),
        Outcome.NO_QUORUM.value: _("Too little of the voting weight took part to decide."),
    }[outcome]


def _result_text(ballot: Ballot) -> tuple[str, str]:
    return (
        _("%(outcome)s: %(question)s")
        % {"outcome": Outcome(ballot.outcome).label, "question": ballot.question},
        ballot.explanation,
    )


def ballot_close_now(*, ballot: Ballot, now: datetime) -> Ballot:
    """Count and lock a ballot before its deadline's sweep would (for a decision that
    cannot wait for the next tick). Nothing happens to a ballot already closed."""
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if locked.status == Ballot.Status.OPEN:
        _close(locked, now)
    return locked


def close_due_ballots(ballots: list[Ballot], now: datetime) -> None:
    """The "ballot-closing" timer: count and lock each ballot whose deadline has come."""
    for ballot in ballots:
        if ballot.status == Ballot.Status.OPEN:
            _close(ballot, now)
        else:
            Ballot.objects.filter(pk=ballot.pk).update(closing_due_at=None)


def remind_closing_soon(ballots: list[Ballot], now: datetime) -> None:
    """The "ballot-closing-soon" timer: a day before the deadline, remind who has not voted."""
    for ballot in ballots:
        if ballot.status == Ballot.Status.OPEN:
            _tell(
                ballot,
                NotificationKind.BALLOT_CLOSING_SOON,
                "ballot-closing-soon",
                ballot.closes_at - CLOSING_SOON,
                _closing_soon_text,
                only_pending=True,
            )
    Ballot.objects.filter(pk__in=[b.pk for b in ballots]).update(closing_soon_due_at=None)


def _closing_soon_text(ballot: Ballot) -> tuple[str, str]:
    return (
        _("Closing within 24 hours: %(question)s") % {"question": ballot.question},
        _("Your organisation has not voted yet."),
    )


BALLOT_CLOSING = timers.Timer(
    name="ballot-closing",
    model=Ballot,
    due_field="closing_due_at",
    act=close_due_ballots,
    shifts_with=("closes_at",),  # a force-majeure pause moves the deadline people see too
)
BALLOT_CLOSING_SOON = timers.Timer(
    name="ballot-closing-soon",
    model=Ballot,
    due_field="closing_soon_due_at",
    act=remind_closing_soon,
)


def calendar_events(person: User) -> list[Any]:
    """Open ballots' deadlines for the person's calendar feed (alliances.calendar)."""
    from icalendar import Event

    open_ballots = (
        Ballot.objects.visible_to(person).open().select_related("alliance").order_by("closes_at")
    )
    events = []
    for ballot in open_ballots:
        event = Event()
        event.add("uid", f"ballot-{ballot.pk}@alliance-keeper")
        event.add("summary", _("Ballot closes: %(question)s") % {"question": ballot.question})
        event.add("dtstart", timezone.localtime(ballot.closes_at))
        event.add("dtend", timezone.localtime(ballot.closes_at))
        event.add("dtstamp", timezone.now())
        event.add("url", settings.SITE_URL.rstrip("/") + _url(ballot))
        event.add("description", ballot.alliance.name)
        events.append(event)
    return events
