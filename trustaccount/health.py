"""The relational layer of alliance health (how we build trust): see ``alliances.health``.

Signals: the trust balance and its trend, confirmed deposits, missed commitments and the
latest check-in. Advice: a partner that takes from the alliance without putting anything
in is shown the escalation-then-exit path. Condition: too many missed commitments in 90
days call for a realignment review.

Everything is counted as it stood at the moment assessed: entries that happened later,
confirmations and answers given later and commitments made later do not count, so past
moments can be assessed for the history chart. Every figure is one the trust pages show to
everyone in the alliance; check-ins keep the anonymity rules of ``trustaccount.checkins``.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import reduce

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from alliances.health import (
    Advice,
    Condition,
    Deadline,
    Layer,
    Move,
    Signal,
    Source,
    local_date,
)
from alliances.models import Alliance, Partner
from alliances.reasons import Reason
from alliances.timers import end_of_day

from .checkins import ANONYMITY_THRESHOLD, ITEMS
from .models import CheckInAnswer, CheckInRound, Commitment, TrustEntry

WINDOW = timedelta(days=90)
# A deposit a partner logs about itself may wait this long for a confirmation unblamed.
CONFIRMATION_WAIT = timedelta(days=14)

# The trust balance: its sign sets the level, its last 90 days move it.
BALANCE_POSITIVE, BALANCE_ZERO, BALANCE_NEGATIVE = 80, 60, 30
FALL_COST, RISE_BONUS = 30, 20

# Check-ins: 20 points off for each rating point the partners' averages differ beyond 0.5.
SPREAD_TOLERANCE, SPREAD_COST = 0.5, 20
NO_CHECK_IN, TOO_FEW_ANSWERS = 20, 50


class RelationalHealth(Source):
    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        ids = [alliance.pk for alliance in alliances]
        balances = ledger_as_of(ids, now)
        confirmations = confirmations_as_of(ids, now)
        kept = commitments_as_of(ids, now)
        rounds = check_ins_as_of(ids, now)
        history = check_in_history(ids, now)
        return {
            alliance.pk: [
                _balance(alliance, balances.get(alliance.pk, Trend(0, 0, 0))),
                _confirmed(alliance, confirmations.get(alliance.pk, Confirmations(0, 0, 0))),
                _commitments(alliance, kept.get(alliance.pk, Kept(0, 0))),
                _check_in(alliance, rounds.get(alliance.pk, []), history.get(alliance.pk)),
            ]
            for alliance in alliances
        }

    def advice(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Advice]]:
        found = not_contributing_as_of([alliance.pk for alliance in alliances], now)
        return {
            alliance.pk: [_escalate_then_exit(alliance, found[alliance.pk])]
            for alliance in alliances
            if found.get(alliance.pk)
        }

    def review_conditions(
        self, alliances: Sequence[Alliance], now: datetime
    ) -> dict[int, list[Condition]]:
        kept = commitments_as_of([alliance.pk for alliance in alliances], now)
        conditions: dict[int, list[Condition]] = {}
        for alliance in alliances:
            threshold = alliance.review_when_missed_commitments
            missed = kept.get(alliance.pk, Kept(0, 0)).missed
            if threshold and missed >= threshold:
                conditions[alliance.pk] = [_missed_condition(missed, threshold)]
        return conditions

    def deadlines(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Deadline]]:
        """Commitments open at ``now`` and due today or later, and check-in rounds open at
        ``now`` that take answers today or later: both listed to everyone in the alliance,
        until their day (UTC, as the timers count) is over. Two queries."""
        ids = [alliance.pk for alliance in alliances]
        today = now.astimezone(UTC).date()
        found: dict[int, list[Deadline]] = defaultdict(list)
        promised = (
            Commitment.objects.filter(alliance__in=ids, created_at__lte=now, due_on__gte=today)
            .filter(Q(status=Commitment.Status.OPEN) | Q(delivered_at__gt=now))
            .select_related("owner__organization")
            .only("alliance_id", "description", "due_on", "owner__organization__name")
        )
        for commitment in promised:
            found[commitment.alliance_id].append(Deadline(
                _("Commitment due: %(promise)s (%(partner)s)")
                % {"promise": commitment.description,
                   "partner": commitment.owner.organization.name},
                end_of_day(commitment.due_on),
                reverse("commitment_list", kwargs={"alliance_pk": commitment.alliance_id})
                + "#open",
                day=commitment.due_on,
            ))  # fmt: skip
        rounds = CheckInRound.objects.filter(
            alliance__in=ids, opened_at__lte=now, closes_on__gte=today
        ).only("alliance_id", "closes_on")
        for opened in rounds:
            found[opened.alliance_id].append(Deadline(
                _("Last day to answer the trust check-in"),
                end_of_day(opened.closes_on),
                reverse("check_in_list", kwargs={"alliance_pk": opened.alliance_id})
                + f"#round-{opened.pk}",
                day=opened.closes_on,
            ))  # fmt: skip
        return dict(found)


# Bulk facts, each one query grouped by alliance -------------------------------------------


def counted_as_of(entries: QuerySet[TrustEntry], now: datetime) -> QuerySet[TrustEntry]:
    """``ledger.counted`` as it stood at ``now``: entries that had happened, and whose
    confirmation (or their original's, for a reversal) had been given by then."""
    return entries.filter(occurred_at__lte=now).filter(
        Q(reverses__isnull=True, needs_confirmation=False)
        | Q(reverses__isnull=True, needs_confirmation=True, confirmation__at__lte=now)
        | Q(reverses__needs_confirmation=False)
        | Q(reverses__needs_confirmation=True, reverses__confirmation__at__lte=now)
    )


def _standing(now: datetime) -> Q:
    """Not reversed by ``now``."""
    return Q(reversed_by__isnull=True) | Q(reversed_by__occurred_at__gt=now)


@dataclass(frozen=True)
class Trend:
    balance: int
    recent: int  # change over the last 90 days
    earlier: int  # change over the 90 days before


def ledger_as_of(ids: Sequence[int], now: datetime) -> dict[int, Trend]:
    start, before = now - WINDOW, now - 2 * WINDOW
    rows = (
        counted_as_of(TrustEntry.objects.filter(alliance__in=ids), now)
        .order_by()
        .values("alliance_id")
        .annotate(
            balance=Sum("points"),
            recent=Sum("points", filter=Q(occurred_at__gt=start)),
            earlier=Sum("points", filter=Q(occurred_at__gt=before, occurred_at__lte=start)),
        )
    )
    return {
        row["alliance_id"]: Trend(row["balance"], row["recent"] or 0, row["earlier"] or 0)
        for row in rows
    }


@dataclass(frozen=True)
class Confirmations:
    confirmed: int
    overdue: int  # waiting for longer than CONFIRMATION_WAIT
    waiting: int  # waiting for less

    @property
    def judged(self) -> int:
        return self.confirmed + self.overdue


def confirmations_as_of(ids: Sequence[int], now: datetime) -> dict[int, Confirmations]:
    """Deposits partners logged about themselves in the last 90 days, by confirmation."""
    unconfirmed = Q(confirmation__isnull=True) | Q(confirmation__at__gt=now)
    rows = (
        TrustEntry.objects.filter(
            _standing(now),
            alliance__in=ids,
            kind=TrustEntry.Kind.DEPOSIT,
            needs_confirmation=True,
            occurred_at__gt=now - WINDOW,
            occurred_at__lte=now,
        )
        .order_by()
        .values("alliance_id")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmation__at__lte=now)),
            overdue=Count("pk", filter=unconfirmed & Q(recorded_at__lte=now - CONFIRMATION_WAIT)),
            waiting=Count("pk", filter=unconfirmed & Q(recorded_at__gt=now - CONFIRMATION_WAIT)),
        )
    )
    return {
        row["alliance_id"]: Confirmations(row["confirmed"], row["overdue"], row["waiting"])
        for row in rows
    }


def _due_window(now: datetime) -> tuple[date, date]:
    """The days whose commitments have fallen due within the last 90 days: the lapse timer
    settles a commitment at the start of the day after its due date (UTC)."""
    today = now.astimezone(UTC).date()
    return today - WINDOW, today


def _due(ids: Sequence[int], now: datetime) -> QuerySet[Commitment]:
    since, until = _due_window(now)
    return Commitment.objects.filter(
        alliance__in=ids, created_at__lte=now, due_on__gte=since, due_on__lt=until
    ).order_by()


@dataclass(frozen=True)
class Kept:
    due: int
    missed: int


def commitments_as_of(ids: Sequence[int], now: datetime) -> dict[int, Kept]:
    """Commitments due in the last 90 days, and how many of them lapsed."""
    rows = (
        _due(ids, now)
        .values("alliance_id")
        .annotate(due=Count("pk"), missed=Count("pk", filter=Q(status=Commitment.Status.LAPSED)))
    )
    return {row["alliance_id"]: Kept(row["due"], row["missed"]) for row in rows}


@dataclass(frozen=True)
class Round:
    """What a check-in round may show everyone, as it stood at the moment assessed."""

    pk: int
    opened_at: datetime
    answers: int
    mean: float | None  # None: an anonymous round with too few answers shows nothing
    spread: float | None  # between partners' own averages, where the round may show them


def check_ins_as_of(ids: Sequence[int], now: datetime) -> dict[int, list[Round]]:
    """Rounds opened in the last 90 days with answers, latest first."""
    rows = (
        CheckInAnswer.objects.filter(
            round__alliance__in=ids,
            round__opened_at__gt=now - WINDOW,
            round__opened_at__lte=now,
            answered_at__lte=now,
        )
        .order_by()
        .values(
            "round_id", "round__alliance_id", "round__opened_at", "round__anonymous", "partner_id"
        )
        .annotate(answers=Count("pk"), total=Sum(reduce(operator.add, map(F, ITEMS))))
    )
    by_round: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_round[row["round_id"]].append(row)
    found: dict[int, list[Round]] = defaultdict(list)
    for round_id, partners in by_round.items():
        first = partners[0]
        found[first["round__alliance_id"]].append(
            _shown(round_id, first["round__opened_at"], first["round__anonymous"], partners)
        )
    for rounds in found.values():
        rounds.sort(key=lambda r: (r.opened_at, r.pk), reverse=True)
    return found


def _shown(pk: int, opened_at: datetime, anonymous: bool, partners: list[dict]) -> Round:
    """The rules of ``checkins.results``: an anonymous round shows its averages from
    ANONYMITY_THRESHOLD answers, and partners' own only when each partner has that many."""
    answers = sum(row["answers"] for row in partners)
    if anonymous and answers < ANONYMITY_THRESHOLD:
        return Round(pk, opened_at, answers, None, None)
    mean = sum(row["total"] for row in partners) / (answers * len(ITEMS))
    spread = None
    if len(partners) > 1 and (
        not anonymous or all(row["answers"] >= ANONYMITY_THRESHOLD for row in partners)
    ):
        means = [row["total"] / (row["answers"] * len(ITEMS)) for row in partners]
        spread = max(means) - min(means)
    return Round(pk, opened_at, answers, mean, spread)


@dataclass(frozen=True)
class OpenRound:
    pk: int
    closes_on: date  # its last day to take answers
    answers: int  # given by the moment assessed; a count every member is shown


@dataclass(frozen=True)
class History:
    last_held: datetime | None  # when the latest round that got answers opened
    open: OpenRound | None  # the round taking answers at the moment assessed


def check_in_history(ids: Sequence[int], now: datetime) -> dict[int, History]:
    """As of ``now``, per alliance: when it last opened a round that got answers, and the
    round open at ``now`` (opened by then, its last day, UTC, not over; one at a time).
    One query."""
    today = now.astimezone(UTC).date()
    answered, taking = Q(answers__answered_at__lte=now), Q(closes_on__gte=today)
    rows = (
        CheckInRound.objects.filter(alliance__in=ids, opened_at__lte=now)
        .order_by()
        .values("alliance_id")
        .annotate(
            last=Max("opened_at", filter=answered),
            open_pk=Max("pk", filter=taking),
            open_until=Max("closes_on", filter=taking),
            open_answers=Count("answers", filter=taking & answered),
        )
    )
    return {
        row["alliance_id"]: History(
            row["last"],
            OpenRound(row["open_pk"], row["open_until"], row["open_answers"])
            if row["open_pk"]
            else None,
        )
        for row in rows
    }


@dataclass(frozen=True)
class Contribution:
    partner: Partner
    missed: int  # commitments lapsed in the last 90 days
    withdrawals: int


def not_contributing_as_of(ids: Sequence[int], now: datetime) -> dict[int, list[Contribution]]:
    """Partners with a missed commitment or a withdrawal in the last 90 days and no
    counted deposit of theirs in that time. Three queries."""
    ledger_rows = (
        counted_as_of(TrustEntry.objects.filter(alliance__in=ids), now)
        .filter(_standing(now), occurred_at__gt=now - WINDOW)
        .order_by()
        .values("actor_id")
        .annotate(
            deposits=Count("pk", filter=Q(kind=TrustEntry.Kind.DEPOSIT)),
            withdrawals=Count("pk", filter=Q(kind=TrustEntry.Kind.WITHDRAWAL)),
        )
    )
    entries = {row["actor_id"]: row for row in ledger_rows}
    missed = dict(
        _due(ids, now)
        .filter(status=Commitment.Status.LAPSED)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    today = now.astimezone(UTC).date()  # the same for every viewer, as the timers count
    partners = (
        Partner.objects.filter(alliance__in=ids)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=today))
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    found: dict[int, list[Contribution]] = defaultdict(list)
    for partner in partners:
        row = entries.get(partner.pk, {"deposits": 0, "withdrawals": 0})
        taken = Contribution(partner, missed.get(partner.pk, 0), row["withdrawals"])
        if (taken.missed or taken.withdrawals) and not row["deposits"]:
            found[partner.alliance_id].append(taken)
    return found


# Scoring rules --------------------------------------------------------------------------


def balance_score(trend: Trend) -> int:
    if trend.balance > 0:
        score = BALANCE_POSITIVE
    else:
        score = BALANCE_ZERO if trend.balance == 0 else BALANCE_NEGATIVE
    if trend.recent < 0:
        score -= FALL_COST
    elif trend.recent > 0 and trend.recent >= trend.earlier:
        score += RISE_BONUS
    return max(0, min(100, score))


def check_in_score(shown: Round) -> int:
    if shown.mean is None:
        return TOO_FEW_ANSWERS
    score = round((shown.mean - 1) * 25)
    if shown.spread is not None:
        score -= round(max(0.0, shown.spread - SPREAD_TOLERANCE) * SPREAD_COST)
    return max(0, score)


def _signed(points: int) -> str:
    return f"{points:+d}" if points else "0"


def _balance(alliance: Alliance, trend: Trend) -> Signal:
    rule = _(
        "A positive balance scores %(positive)s, zero %(zero)s and a negative one "
        "%(negative)s. A fall over the last 90 days costs %(fall)s; a rise at least as large "
        "as in the 90 days before adds %(rise)s."
    ) % {
        "positive": BALANCE_POSITIVE, "zero": BALANCE_ZERO, "negative": BALANCE_NEGATIVE,
        "fall": FALL_COST, "rise": RISE_BONUS,
    }  # fmt: skip
    fact = _(
        "The trust balance is %(balance)s points: %(recent)s over the last 90 days, "
        "%(earlier)s over the 90 days before."
    ) % {
        "balance": trend.balance,
        "recent": _signed(trend.recent),
        "earlier": _signed(trend.earlier),
    }
    return Signal(
        Layer.RELATIONAL, "trust_balance", _("Trust balance and its trend"),
        balance_score(trend), fact, rule, _trust(alliance) + "#trend", weight=2,
    )  # fmt: skip


def _confirmed(alliance: Alliance, found: Confirmations) -> Signal:
    rule = _(
        "The share confirmed of the deposits partners logged about themselves in the last 90 "
        "days, leaving out those waiting less than %(days)s days. With none to judge, this "
        "fact does not count."
    ) % {"days": CONFIRMATION_WAIT.days}
    url = reverse("trust_ledger", kwargs={"alliance_pk": alliance.pk}) + "?kind=deposit"
    title = _("Confirmed deposits")
    if not found.judged:
        fact = (
            ngettext(
                "One deposit a partner logged about itself is waiting for confirmation.",
                "%(n)s deposits partners logged about themselves are waiting for confirmation.",
                found.waiting,
            )
            % {"n": found.waiting}
            if found.waiting
            else _("No partner logged a deposit about itself in the last 90 days.")
        )
        return Signal(Layer.RELATIONAL, "confirmed_deposits", title, 100, fact, rule, url, weight=0)
    fact = ngettext(
        "%(confirmed)s of %(judged)s deposit partners logged about themselves in the last 90 "
        "days is confirmed.",
        "%(confirmed)s of %(judged)s deposits partners logged about themselves in the last 90 "
        "days are confirmed.",
        found.judged,
    ) % {"confirmed": found.confirmed, "judged": found.judged}
    if found.overdue:
        fact += " " + ngettext(
            "%(n)s has waited more than %(days)s days.",
            "%(n)s have waited more than %(days)s days.",
            found.overdue,
        ) % {"n": found.overdue, "days": CONFIRMATION_WAIT.days}
    score = round(100 * found.confirmed / found.judged)
    return Signal(Layer.RELATIONAL, "confirmed_deposits", title, score, fact, rule, url)


def _commitments(alliance: Alliance, kept: Kept) -> Signal:
    rule = _(
        "The share of the commitments due in the last 90 days that were kept rather than "
        "missed. With none due, this fact does not count."
    )
    url = reverse("commitment_list", kwargs={"alliance_pk": alliance.pk}) + "#settled"
    title = _("Missed commitments")
    if not kept.due:
        fact = _("No commitment fell due in the last 90 days.")
        return Signal(Layer.RELATIONAL, "missed_commitments", title, 100, fact, rule, url, weight=0)
    fact = ngettext(
        "%(missed)s of %(due)s commitment due in the last 90 days was missed.",
        "%(missed)s of %(due)s commitments due in the last 90 days were missed.",
        kept.due,
    ) % {"missed": kept.missed, "due": kept.due}
    score = round(100 * (kept.due - kept.missed) / kept.due)
    return Signal(Layer.RELATIONAL, "missed_commitments", title, score, fact, rule, url, weight=2)


def _check_in(alliance: Alliance, rounds: list[Round], history: History | None) -> Signal:
    rule = _(
        "The mean rating of the latest check-in, from 1 to 5, maps onto 0 to 100. Where the "
        "round may show partners' own averages, each rating point by which they differ beyond "
        "%(tolerance)s costs %(cost)s. No check-in in the last 90 days scores %(none)s; a "
        "round with too few answers to show scores %(few)s."
    ) % {
        "tolerance": _one_decimal(SPREAD_TOLERANCE), "cost": SPREAD_COST,
        "none": NO_CHECK_IN, "few": TOO_FEW_ANSWERS,
    }  # fmt: skip
    check_ins = reverse("check_in_list", kwargs={"alliance_pk": alliance.pk})
    title = _("Trust check-in")
    history = history or History(None, None)
    taking = history.open
    shown = next((r for r in rounds if r.mean is not None), None)
    if shown is not None:
        fact = _round_fact(shown)
        if taking is not None:
            fact += " " + _open_note(shown, taking)
        return Signal(
            Layer.RELATIONAL, "check_in", title, check_in_score(shown), fact, rule,
            f"{check_ins}#round-{shown.pk}", weight=2,
        )  # fmt: skip
    if taking is not None:
        # Nothing to show yet, and a round is asking: answering it is the move, not another.
        url = f"{check_ins}#round-{taking.pk}"
        move = Move(
            "schedule_check_in",
            _("Answer the open trust check-in"),
            _("Its results show how the partners trust each other once enough of their "
              "people have answered."),
            url,
        )  # fmt: skip
        return Signal(
            Layer.RELATIONAL, "check_in", title, TOO_FEW_ANSWERS, _taking_fact(taking), rule,
            url, weight=2, move=move,
        )  # fmt: skip
    if rounds:
        latest = rounds[0]
        return Signal(
            Layer.RELATIONAL, "check_in", title, check_in_score(latest), _round_fact(latest),
            rule, f"{check_ins}#round-{latest.pk}", weight=2,
        )  # fmt: skip
    if history.last_held:
        when = {"date": local_date(history.last_held)}
        fact = _("No trust check-in in the last 90 days: the last was on %(date)s.") % when
        reason = _("The partners have not checked in on trust since %(date)s.") % when
    else:
        fact = _("No trust check-in has been held yet.")
        reason = _("The partners have never checked in on how they trust each other.")
    # The check-ins page: every member may open it, and managers open a round from there.
    move = Move("schedule_check_in", _("Schedule a trust check-in"), reason, check_ins)
    return Signal(
        Layer.RELATIONAL, "check_in", title, NO_CHECK_IN, fact, rule, check_ins,
        weight=2, move=move,
    )  # fmt: skip


def _taking_fact(taking: OpenRound) -> str:
    until = {"date": _day(taking.closes_on), "n": taking.answers}
    if not taking.answers:
        return _("A trust check-in is open until %(date)s, with no answers yet.") % until
    return (
        ngettext(
            "A trust check-in is open until %(date)s, with %(n)s answer so far.",
            "A trust check-in is open until %(date)s, with %(n)s answers so far.",
            taking.answers,
        )
        % until
    )


def _open_note(shown: Round, taking: OpenRound) -> str:
    until = {"date": _day(taking.closes_on)}
    if taking.pk == shown.pk:
        return _("It takes answers until %(date)s.") % until
    return _("A new check-in takes answers until %(date)s.") % until


def _round_fact(shown: Round) -> str:
    opened = local_date(shown.opened_at)
    if shown.mean is None:
        return ngettext(
            "The check-in of %(date)s has %(n)s answer; an anonymous round shows its results "
            "from %(threshold)s.",
            "The check-in of %(date)s has %(n)s answers; an anonymous round shows its results "
            "from %(threshold)s.",
            shown.answers,
        ) % {"date": opened, "n": shown.answers, "threshold": ANONYMITY_THRESHOLD}
    fact = ngettext(
        "The check-in of %(date)s: %(n)s answer, a mean rating of %(mean)s out of 5.",
        "The check-in of %(date)s: %(n)s answers, a mean rating of %(mean)s out of 5.",
        shown.answers,
    ) % {"date": opened, "n": shown.answers, "mean": _one_decimal(shown.mean)}
    if shown.spread is None:
        return fact
    return (
        fact
        + " "
        + _("Partners' own averages differ by %(spread)s.") % {"spread": _one_decimal(shown.spread)}
    )


def _escalate_then_exit(alliance: Alliance, partners: list[Contribution]) -> Advice:
    names = ", ".join(taken.partner.organization.name for taken in partners)
    return Advice(
        "partner_not_contributing",
        _("A partner is not contributing: escalate, then exit"),
        " ".join(_taken_reason(taken) for taken in partners),
        _(
            "On the escalations page, raise an escalation naming %(partners)s as not "
            "contributing. If the escalation path does not settle it, turn to the exit plan."
        )
        % {"partners": names},
        # The board every member may open; managers and representatives raise from there.
        reverse("escalation_list", kwargs={"alliance_pk": alliance.pk}),
    )


def _taken_reason(taken: Contribution) -> str:
    values = {
        "partner": taken.partner.organization.name,
        "missed": ngettext("%(n)s commitment", "%(n)s commitments", taken.missed)
        % {"n": taken.missed},
        "withdrawals": ngettext("%(n)s withdrawal", "%(n)s withdrawals", taken.withdrawals)
        % {"n": taken.withdrawals},
    }
    if taken.missed and taken.withdrawals:
        text = _(
            "In the last 90 days %(partner)s missed %(missed)s and had %(withdrawals)s "
            "recorded, and no deposit of its own counted."
        )
    elif taken.missed:
        text = _(
            "In the last 90 days %(partner)s missed %(missed)s, and no deposit of its own counted."
        )
    else:
        text = _(
            "In the last 90 days %(partner)s had %(withdrawals)s recorded, and no deposit of "
            "its own counted."
        )
    return text % values


def _missed_condition(missed: int, threshold: int) -> Condition:
    reason = Reason(
        gettext_noop(
            "Commitments missed in the last 90 days: %(n)s. This alliance reviews itself early "
            "from %(threshold)s."
        ),
        {"n": missed, "threshold": threshold},
    )
    return Condition("missed_commitments", reason)


def _trust(alliance: Alliance) -> str:
    return reverse("trust", kwargs={"alliance_pk": alliance.pk})


def _one_decimal(value: float) -> str:
    # number_format cuts a float's digits off; round first.
    return formats.number_format(round(value, 1), 1)


def _day(day: date) -> str:
    """A calendar day (a round's last day): the same day in every time zone."""
    return formats.date_format(day, "DATE_FORMAT")
