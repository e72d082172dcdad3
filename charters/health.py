"""The operational layer of alliance health (how we work together): see ``alliances.health``.

Signals: the share of the governance audit's items in place, escalations resolved within
their deadlines, and ballots reaching their quorum. Advice from the guide that fits the
alliance's shape, given only where the charter in force does not already cover it. Early
reviews: when open escalations reach the alliance's threshold, and when a partner gives
notice (``charters.exits`` opens that review at once; the hourly check would find it too).
For the portfolio: deadlines (ballots closing, escalation levels' deadlines, notices taking
effect, wind-down tasks due) and what awaits a person (open escalations, ballots awaiting
the vote they cast for their partner).

Everything is read as of ``now``: facts recorded later are left out, so past moments can
be assessed for the history chart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from alliances.health import Advice, Awaiting, Condition, Deadline, Layer, Move, Signal, Source
from alliances.models import Alliance, Organization, TimerPause, User
from alliances.reasons import Reason
from alliances.timers import end_of_day, start_of_day

from .audit import (
    Governance,
    Item,
    Status,
    countries_of,
    covers_force_majeure,
    governance_many,
    items_of,
    one_page_reason,
    shares_of,
)
from .models import Ballot, Elector, Escalation, EscalationEvent, ExitNotice, WindDownTask
from .rules import Mode, Rules, Scope
from .tally import Outcome

WINDOW = timedelta(days=365)  # escalations and ballots closed in the last 12 months count
OVERDUE_PENALTY = 25  # per escalation open past its level's deadline
NO_BALLOTS_SCORE = 70  # nothing to judge yet: neither good nor bad
# The deadline sweep runs a little after a deadline; that lag is nobody's fault.
SWEEP_LAG = timedelta(hours=1)
QUARTERLY = 3
QUICK_NOTICE_DAYS = 30

Event = EscalationEvent.Kind
MOVES_ON = (Event.CLIMBED, Event.ESCALATED)
CLOSES = (Event.RESOLVED, Event.WITHDRAWN, Event.UNRESOLVED)
# Resolved, or left unresolved at the top; a withdrawn escalation asked nothing of anyone.
JUDGED = (Escalation.Status.RESOLVED, Escalation.Status.UNRESOLVED)

CULTURE_WORDS = {
    Organization.DecisionCulture.CONSENSUS: gettext_lazy("by consensus"),
    Organization.DecisionCulture.HIERARCHICAL: gettext_lazy("a leader decides"),
    Organization.DecisionCulture.DELEGATED: gettext_lazy("those closest to the work decide"),
}


class OperationalHealth(Source):
    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        governance = governance_many(alliances, now)
        escalations = _escalations(alliances, now)
        ballots = _closed_ballots(alliances, now)
        return {
            alliance.pk: [
                _audit_signal(alliance, items_of(governance[alliance.pk])),
                _escalation_signal(alliance, escalations[alliance.pk], now),
                _ballot_signal(alliance, ballots[alliance.pk]),
            ]
            for alliance in alliances
        }

    def advice(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Advice]]:
        return {pk: _advice(facts) for pk, facts in governance_many(alliances, now).items()}

    def review_conditions(
        self, alliances: Sequence[Alliance], now: datetime
    ) -> dict[int, list[Condition]]:
        ids = [alliance.pk for alliance in alliances]
        open_counts = dict(
            _open_at(Escalation.objects.filter(alliance__in=ids), now)
            .values("alliance_id")
            .annotate(n=Count("pk"))
            .values_list("alliance_id", "n")
        )
        notices: dict[int, list[ExitNotice]] = defaultdict(list)
        for notice in _pending_notices(ExitNotice.objects.filter(alliance__in=ids), now):
            notices[notice.alliance_id].append(notice)
        conditions: dict[int, list[Condition]] = {}
        for alliance in alliances:
            found = [notice_condition(notice) for notice in notices[alliance.pk]]
            escalation = _escalation_condition(alliance, open_counts.get(alliance.pk, 0))
            conditions[alliance.pk] = [escalation, *found] if escalation else found
        return conditions

    def deadlines(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Deadline]]:
        """Ballots closing, escalations' current level deadlines, notices taking effect and
        wind-down tasks falling due, after ``now``: all of it on pages every member reads.
        Four queries."""
        ids = [alliance.pk for alliance in alliances]
        found: dict[int, list[Deadline]] = defaultdict(list)
        for ballot in _open_ballots_at(Ballot.objects.filter(alliance__in=ids), now).only(
            "alliance_id", "question", "closes_at"
        ):
            found[ballot.alliance_id].append(Deadline(
                _("Ballot closes: %(question)s") % {"question": ballot.question},
                ballot.closes_at,
                _ballot_url(ballot.alliance_id, ballot.pk),
            ))  # fmt: skip
        escalations = _open_at(Escalation.objects.filter(alliance__in=ids), now)
        for escalation in escalations.filter(level_deadline__gt=now).only(
            "alliance_id", "title", "level_deadline"
        ):
            assert escalation.level_deadline is not None
            found[escalation.alliance_id].append(Deadline(
                _("Escalation level deadline: %(title)s") % {"title": escalation.title},
                escalation.level_deadline,
                _escalation_url(escalation),
            ))  # fmt: skip
        pending = _pending_notices(ExitNotice.objects.filter(alliance__in=ids), now)
        for notice in pending:  # effective_on is after today (UTC), so its start is after now
            found[notice.alliance_id].append(Deadline(
                _("Notice takes effect: %(partner)s") % {"partner": notice.partner},
                start_of_day(notice.effective_on),
                _notice_url(notice.alliance_id, notice.pk),
                day=notice.effective_on,
            ))  # fmt: skip
        for task in _wind_down_due_after(pending, now):
            found[task.notice.alliance_id].append(Deadline(
                _("Wind-down task due: %(task)s") % {"task": task.title},
                end_of_day(task.due_on),
                _notice_url(task.notice.alliance_id, task.notice_id),
                day=task.due_on,
            ))  # fmt: skip
        return dict(found)

    def awaiting(
        self, alliances: Sequence[Alliance], person: User, now: datetime
    ) -> dict[int, list[Awaiting]]:
        """The escalations open in each alliance the person sees, due at their current
        level's deadline; the open ballots where the person casts a partner's vote and that
        partner has not voted, due when they close. A secret ballot is awaited like any
        other: whether a partner voted is public, only how is secret. Two queries."""
        ids = Alliance.objects.visible_to(person).filter(pk__in=[a.pk for a in alliances])
        found: dict[int, list[Awaiting]] = defaultdict(list)
        escalations = _open_at(Escalation.objects.filter(alliance__in=ids), now)
        for escalation in escalations.order_by(F("level_deadline").asc(nulls_last=True), "pk").only(
            "alliance_id", "title", "level_deadline"
        ):
            found[escalation.alliance_id].append(Awaiting(
                "escalation", escalation.title, _escalation_url(escalation),
                escalation.level_deadline,
            ))  # fmt: skip
        places = (
            Elector.objects.filter(
                ballot__alliance__in=ids, ballot__opens_at__lte=now, ballot__closes_at__gt=now
            )
            .cast_by(person)
            .awaiting_vote(now)
            # A person casting the votes of two partners has one ballot to vote on.
            .values_list(
                "ballot_id", "ballot__alliance_id", "ballot__question", "ballot__closes_at"
            )
            .distinct()
            .order_by("ballot__closes_at", "ballot_id")
        )
        for ballot_id, alliance_id, question, closes_at in places:
            found[alliance_id].append(
                Awaiting("ballot", question, _ballot_url(alliance_id, ballot_id), closes_at)
            )
        return dict(found)


# The portfolio's deadlines and open matters ---------------------------------------------


def _open_ballots_at(ballots: QuerySet[Ballot], now: datetime) -> QuerySet[Ballot]:
    """Ballots open at ``now`` and closing after it: opened by then and not yet closed
    (a ballot closes early once every partner has voted)."""
    return ballots.filter(opens_at__lte=now, closes_at__gt=now).filter(
        Q(status=Ballot.Status.OPEN) | Q(closed_at__gt=now)
    )


def _wind_down_due_after(pending: QuerySet[ExitNotice], now: datetime) -> QuerySet[WindDownTask]:
    """The pending notices' wind-down tasks not done by ``now`` and due today or later."""
    return (
        WindDownTask.objects.filter(
            notice__in=pending.values("pk"), due_on__gte=now.astimezone(UTC).date()
        )
        .filter(Q(done_at__isnull=True) | Q(done_at__gt=now))
        .select_related("notice")
        .only("title", "due_on", "notice__alliance_id")
    )


def _ballot_url(alliance_id: int, ballot_id: int) -> str:
    return reverse("ballot_detail", kwargs={"alliance_pk": alliance_id, "ballot_pk": ballot_id})


def _escalation_url(escalation: Escalation) -> str:
    return reverse(
        "escalation_detail",
        kwargs={"alliance_pk": escalation.alliance_id, "escalation_pk": escalation.pk},
    )


def _notice_url(alliance_id: int, notice_id: int) -> str:
    return reverse(
        "exit_notice_detail", kwargs={"alliance_pk": alliance_id, "notice_pk": notice_id}
    )


# The governance audit -----------------------------------------------------------------


def _audit_signal(alliance: Alliance, items: list[Item]) -> Signal:
    # The one-page item is advice about the charter's form, not something it lacks.
    judged = [item for item in items if item.key != "one_page"]
    passed = [item for item in judged if item.status == Status.PASSED]
    advised = [item for item in judged if item.status == Status.ADVISED]
    missing = [item for item in judged if item.status == Status.MISSING]
    score = round(100 * (len(passed) + len(advised) / 2) / len(judged))
    fact = ngettext(
        "%(passed)s of %(n)s governance item is in place.",
        "%(passed)s of %(n)s governance items are in place.",
        len(judged),
    ) % {"passed": len(passed), "n": len(judged)}
    if advised:
        fact += " " + _("Advice on: %(items)s.") % {"items": _titles(advised)}
    if missing:
        fact += " " + _("Missing: %(items)s.") % {"items": _titles(missing)}
    url = reverse("charter", kwargs={"alliance_pk": alliance.pk}) + "#audit"
    move = None
    if missing:
        reason = _("The charter leaves undefined: %(items)s.") % {"items": _titles(missing)}
        move = Move("audit_governance", _("Audit governance"), reason, url)
    return Signal(
        Layer.OPERATIONAL,
        "governance_audit",
        _("Governance audit"),
        score,
        fact,
        _(
            "The share of the governance audit's items in place: each item in place counts "
            "fully, each with advice to improve counts half, each missing counts nothing."
        ),
        url,
        weight=2,
        move=move,
    )


def _titles(items: list[Item]) -> str:
    return "; ".join(item.title for item in items)


# Escalations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """The time an escalation spent at one level of its ladder."""

    level: int
    name: str
    entered: datetime
    deadline: datetime | None
    left: datetime | None  # None while it is still there
    climbed: bool  # the deadline sweep moved it on: the level's deadline passed

    @property
    def late(self) -> bool:
        if self.climbed:
            return True
        return (
            self.deadline is not None
            and self.left is not None
            and self.left > self.deadline + SWEEP_LAG
        )

    def overdue_at(self, now: datetime) -> bool:
        return self.left is None and self.deadline is not None and now > self.deadline + SWEEP_LAG


@dataclass
class Record:
    """An escalation as it stood at ``now``, with the levels it went through."""

    escalation: Escalation
    stays: list[Stay]
    closed: bool

    @property
    def on_time(self) -> bool:
        """Resolved where it started, or without any level's deadline passing."""
        if self.escalation.status != Escalation.Status.RESOLVED:
            return False
        return len(self.stays) == 1 or not any(stay.late for stay in self.stays)

    @property
    def late_stay(self) -> Stay | None:
        return next((stay for stay in self.stays if stay.late), None)


def _open_at(escalations: QuerySet[Escalation], now: datetime) -> QuerySet[Escalation]:
    return escalations.filter(raised_at__lte=now).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=now)
    )


def _escalations(alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Record]]:
    """Escalations open at ``now`` or closed in the 12 months before it: one query, and
    two more (their events, the pauses lifted meanwhile) when there are any."""
    ids = [alliance.pk for alliance in alliances]
    events = EscalationEvent.objects.filter(
        at__lte=now, kind__in=[*MOVES_ON, *CLOSES, Event.EXTENDED]
    )
    found = list(
        Escalation.objects.filter(alliance__in=ids, raised_at__lte=now)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=now - WINDOW))
        .exclude(Q(status=Escalation.Status.WITHDRAWN) & Q(closed_at__lte=now))
        .prefetch_related(Prefetch("events", queryset=events.order_by("at", "pk")))
    )
    pauses: dict[int, list[TimerPause]] = defaultdict(list)
    lifted = TimerPause.objects.filter(
        alliance__in={escalation.alliance_id for escalation in found}, resumed_at__lte=now
    )
    for pause in lifted if found else []:
        pauses[pause.alliance_id].append(pause)
    records: dict[int, list[Record]] = {alliance.pk: [] for alliance in alliances}
    for escalation in found:
        closed = escalation.closed_at is not None and escalation.closed_at <= now
        stays = _stays(escalation, list(escalation.events.all()), pauses[escalation.alliance_id])
        records[escalation.alliance_id].append(Record(escalation, stays, closed))
    return records


def _stays(
    escalation: Escalation, events: list[EscalationEvent], pauses: list[TimerPause]
) -> list[Stay]:
    """Each level the escalation reached, from its record up to the moment assessed."""
    entries = [(0, escalation.raised_at, False)]
    entries += [(e.level, e.at, e.kind == Event.CLIMBED) for e in events if e.kind in MOVES_ON]
    closing = next((e.at for e in events if e.kind in CLOSES), None)
    stays = []
    for index, (level, entered, _climbed) in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        left = following[1] if following else closing
        step = escalation.ladder[level] if level < len(escalation.ladder) else {}
        deadline = _deadline(step.get("days"), level, entered, left, events, pauses)
        climbed = following is not None and following[2]
        stays.append(Stay(level, step.get("name", ""), entered, deadline, left, climbed))
    return stays


def _deadline(
    days: int | None,
    level: int,
    entered: datetime,
    left: datetime | None,
    events: list[EscalationEvent],
    pauses: list[TimerPause],
) -> datetime | None:
    """The level's days from the moment it was reached, plus the extension agreed there,
    plus every force-majeure pause lifted meanwhile (lifting one moves deadlines on)."""
    if not days:
        return None
    extended = sum(e.days or 0 for e in events if e.kind == Event.EXTENDED and e.level == level)
    lifted = [
        p.resumed_at - p.paused_at
        for p in pauses
        if p.resumed_at and entered <= p.resumed_at and (left is None or p.resumed_at <= left)
    ]
    return entered + timedelta(days=days + extended) + sum(lifted, timedelta(0))


def _escalation_signal(alliance: Alliance, records: list[Record], now: datetime) -> Signal:
    rule = _(
        "The share of the escalations closed in the last 12 months that were resolved at "
        "the level where they started or without any level's deadline passing (withdrawn "
        "ones do not count), less %(penalty)s for each escalation open past its level's "
        "deadline. No escalations at all scores 100."
    ) % {"penalty": OVERDUE_PENALTY}
    url = reverse("escalation_list", kwargs={"alliance_pk": alliance.pk})
    title = _("Escalations resolved on time")
    judged = [r for r in records if r.closed and r.escalation.status in JUDGED]
    still_open = [r for r in records if not r.closed]
    paused = alliance.paused_at is not None and alliance.paused_at <= now
    # During a force-majeure pause every deadline waits.
    overdue = [] if paused else [r for r in still_open if r.stays[-1].overdue_at(now)]
    if not judged and not still_open:
        return Signal(Layer.OPERATIONAL, "escalations", title, 100,
                      _("No escalations in the last 12 months: a good sign."), rule, url,
                      weight=2)  # fmt: skip
    on_time = [r for r in judged if r.on_time]
    base = round(100 * len(on_time) / len(judged)) if judged else 100
    score = max(0, base - OVERDUE_PENALTY * len(overdue))
    facts = [_closed_fact(judged, on_time)]
    late = [r for r in judged if r.late_stay is not None]
    if late:
        latest = max(late, key=lambda r: r.escalation.raised_at)
        stay = latest.late_stay
        assert stay is not None
        facts.append(
            _("“%(title)s” stayed with the %(level)s past its deadline.")
            % {"title": latest.escalation.title, "level": stay.name}
        )
    if overdue:
        facts.append(ngettext(
            "%(n)s open escalation is past its level's deadline.",
            "%(n)s open escalations are past their level's deadline.", len(overdue),
        ) % {"n": len(overdue)})  # fmt: skip
    elif still_open:
        facts.append(ngettext(
            "%(n)s escalation is open, within its deadline.",
            "%(n)s escalations are open, within their deadlines.", len(still_open),
        ) % {"n": len(still_open)})  # fmt: skip
    return Signal(Layer.OPERATIONAL, "escalations", title, score, " ".join(facts), rule, url,
                  weight=2)  # fmt: skip


def _closed_fact(judged: list[Record], on_time: list[Record]) -> str:
    if not judged:
        return _("No escalation was closed in the last 12 months.")
    return ngettext(
        "%(on_time)s of %(n)s escalation closed in the last 12 months was resolved within "
        "its deadlines.",
        "%(on_time)s of %(n)s escalations closed in the last 12 months were resolved within "
        "their deadlines.",
        len(judged),
    ) % {"on_time": len(on_time), "n": len(judged)}


# Ballots -------------------------------------------------------------------------------


def _closed_ballots(alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Ballot]]:
    found: dict[int, list[Ballot]] = {alliance.pk: [] for alliance in alliances}
    for ballot in Ballot.objects.filter(
        alliance__in=[alliance.pk for alliance in alliances],
        status=Ballot.Status.CLOSED,
        closed_at__lte=now,
        closed_at__gt=now - WINDOW,
    ).only("alliance_id", "mode", "quorum", "outcome", "result_json"):
        found[ballot.alliance_id].append(ballot)
    return found


def reached_quorum(ballot: Ballot) -> bool:
    """Whether enough of the voting weight took part. A veto stops a ballot before its
    quorum is checked, so for a vetoed ballot the recorded turnout decides; under a lead
    partner's decision the lead deciding is the quorum."""
    if ballot.outcome == Outcome.NO_QUORUM:
        return False
    if ballot.outcome == Outcome.VETOED and ballot.mode != Mode.LEAD_PARTNER:
        turnout = Decimal(ballot.result_json.get("turnout", "0"))
        total = Decimal(ballot.result_json.get("total", "0"))
        return bool(total) and turnout / total >= ballot.quorum
    return True


def _ballot_signal(alliance: Alliance, ballots: list[Ballot]) -> Signal:
    rule = _(
        "The share of the ballots closed in the last 12 months in which enough of the voting "
        "weight took part (for a lead partner's decision: the lead partner decided). With no "
        "ballot closed, the score is %(neutral)s: nothing to judge yet."
    ) % {"neutral": NO_BALLOTS_SCORE}
    url = reverse("ballot_list", kwargs={"alliance_pk": alliance.pk})
    title = _("Ballots reaching quorum")
    if not ballots:
        return Signal(Layer.OPERATIONAL, "ballots", title, NO_BALLOTS_SCORE,
                      _("No ballot was held in the last 12 months."), rule, url)  # fmt: skip
    reached = sum(1 for ballot in ballots if reached_quorum(ballot))
    fact = ngettext(
        "%(reached)s of %(n)s ballot closed in the last 12 months reached its quorum.",
        "%(reached)s of %(n)s ballots closed in the last 12 months reached their quorum.",
        len(ballots),
    ) % {"reached": reached, "n": len(ballots)}
    return Signal(Layer.OPERATIONAL, "ballots", title, round(100 * reached / len(ballots)),
                  fact, rule, url)  # fmt: skip


# Advice --------------------------------------------------------------------------------


def _advice(facts: Governance) -> list[Advice]:
    found = [
        _minority_protection(facts),
        *_cross_border(facts),
        *_fast_market(facts),
        _hybrid_decisions(facts),
        _one_page(facts),
    ]
    return [advice for advice in found if advice is not None]


def _charter_url(alliance: Alliance) -> str:
    return reverse("charter", kwargs={"alliance_pk": alliance.pk})


def _minority_protection(facts: Governance) -> Advice | None:
    shares = shares_of(facts.rules, facts.partners)
    if shares is None or not shares.lopsided or shares.protected:
        return None
    return Advice(
        "minority_protection",
        _("Protect the smaller partners"),
        _("%(largest_name)s brings %(largest)s%% of the resources and %(smallest_name)s "
          "%(smallest)s%%: without protection, the charter's rules can become a cover for "
          "the largest partner's control.") % shares.shown(),
        _("Add a minority-protection clause giving smaller partners a veto on critical "
          "decisions such as strategy and charter changes, or run the alliance as bilateral "
          "agreements."),
        _charter_url(facts.alliance),
    )  # fmt: skip


def _cross_border(facts: Governance) -> list[Advice]:
    if len(countries_of(facts.partners)) < 2:
        return []
    names = ", ".join(sorted({p.organization.country.name for p in facts.partners}))
    reason = _("Partners are based in %(countries)s: a change of government policy or "
               "sanctions in one country can stop the alliance.") % {"countries": names}  # fmt: skip
    found = []
    if not covers_force_majeure(facts.rules):
        found.append(Advice(
            "force_majeure",
            _("Cover policy changes and sanctions"),
            reason,
            _("Add force majeure terms to the charter that cover changes in government policy "
              "and sanctions, and suspend the charter's deadlines while they last."),
            _charter_url(facts.alliance),
        ))  # fmt: skip
    found.append(Advice(
        "diversify",
        _("Keep a diversified portfolio of alliances"),
        reason,
        _("Make sure no single alliance is existential for your organisation: spread your "
          "activity over several partnerships and keep core capabilities in-house."),
        reverse("portfolio"),  # the person's portfolio, with its concentration risk
    ))  # fmt: skip
    return found


def _fast_market(facts: Governance) -> list[Advice]:
    alliance = facts.alliance
    if alliance.market_pace != Alliance.MarketPace.FAST:
        return []
    found = []
    if alliance.review_cadence_months > QUARTERLY:
        found.append(Advice(
            "quarterly_reviews",
            _("Review the alliance every quarter"),
            _("The market changes fast, and the alliance is reviewed only every %(n)s months.")
            % {"n": alliance.review_cadence_months},
            _("Hold the realignment review every three months, or make the alliance "
              "project-based with an end date."),
            reverse("review_list", kwargs={"alliance_pk": alliance.pk}),
        ))  # fmt: skip
    plan = facts.plan
    quick = plan is not None and plan.notice_period_days <= QUICK_NOTICE_DAYS
    if not quick and alliance.form != Alliance.Form.PROJECT_BASED:
        reason = (
            _("The market changes fast, and no exit plan sets a notice period yet.")
            if plan is None
            else _("The market changes fast, and leaving takes %(days)s days' notice.")
            % {"days": plan.notice_period_days}
        )
        found.append(Advice(
            "quick_exit",
            _("Keep a quick way out"),
            reason,
            _("Agree on a notice period of %(days)s days or less in the exit plan, so a "
              "collaboration that no longer works can end quickly; or make the alliance "
              "project-based with an end date.") % {"days": QUICK_NOTICE_DAYS},
            reverse("exit_plan", kwargs={"alliance_pk": alliance.pk}),
        ))  # fmt: skip
    return found


def is_hybrid(rules: Rules | None) -> bool:
    """Consensus on strategy, the lead partner decides on execution."""
    if rules is None:
        return False
    strategy, execution = rules.scopes.get(Scope.STRATEGY), rules.scopes.get(Scope.EXECUTION)
    return (
        strategy is not None
        and strategy.mode == Mode.CONSENSUS
        and execution is not None
        and execution.mode == Mode.LEAD_PARTNER
    )


def _hybrid_decisions(facts: Governance) -> Advice | None:
    cultures = {
        p: p.organization.decision_culture
        for p in facts.partners
        if p.organization.decision_culture
    }
    if len(set(cultures.values())) < 2 or is_hybrid(facts.rules):
        return None
    described = ", ".join(
        f"{partner} ({CULTURE_WORDS[Organization.DecisionCulture(culture)]})"
        for partner, culture in sorted(cultures.items(), key=lambda item: str(item[0]))
    )
    return Advice(
        "hybrid_decisions",
        _("Agree on a hybrid way of deciding"),
        _("The partners decide in different ways: %(partners)s.") % {"partners": described},
        _("Write a hybrid mode into the charter: consensus on strategy, and the lead partner "
          "decides on execution."),
        _charter_url(facts.alliance),
    )  # fmt: skip


def _one_page(facts: Governance) -> Advice | None:
    reason = one_page_reason(facts)
    if reason is None or facts.rules is not None:
        return None
    return Advice(
        "one_page",
        _("A one-page agreement may be enough"),
        reason + _(": a full charter may cost more than it protects."),
        _("Write down how you decide, communicate and leave on one page, even if it is not "
          "legally binding."),
        reverse("charter_one_page", kwargs={"alliance_pk": facts.alliance.pk}),
    )  # fmt: skip


# Early reviews -------------------------------------------------------------------------


def _escalation_condition(alliance: Alliance, open_now: int) -> Condition | None:
    threshold = alliance.review_when_open_escalations
    if not threshold or open_now < threshold:
        return None
    return Condition(
        "escalations",
        Reason(
            gettext_noop(
                "Escalations open: %(n)s. This alliance reviews itself early from %(threshold)s."
            ),
            {"n": open_now, "threshold": threshold},
        ),
    )


# A notice's ``given_on`` is the giver's own date, which runs up to a day ahead of UTC's (14
# hours, in the zones furthest east). ExitNotice keeps no moment of its recording, so a
# notice counts as given from the day before its date (UTC): one given today anywhere in the
# world is pending from the moment it is recorded, and the hourly check agrees with the
# call ``charters.exits`` makes then, never clearing the condition in between.
GIVEN_AHEAD = timedelta(days=1)


def _pending_notices(notices: QuerySet[ExitNotice], now: datetime) -> QuerySet[ExitNotice]:
    """Notices given and still running at ``now``: not withdrawn, not yet effective (an
    exit takes effect at the start of its day, UTC, when its timer runs)."""
    today = now.astimezone(UTC).date()
    return notices.filter(
        status__in=[ExitNotice.Status.PENDING, ExitNotice.Status.EFFECTIVE],
        given_on__lte=today + GIVEN_AHEAD,
        effective_on__gt=today,
    ).select_related("partner__organization")


def notice_condition(notice: ExitNotice) -> Condition:
    return Condition(
        f"notice:{notice.pk}",
        Reason(
            gettext_noop("%(partner)s gave notice on %(given)s and leaves on %(day)s."),
            {
                "partner": str(notice.partner),
                "given": notice.given_on.isoformat(),
                "day": notice.effective_on.isoformat(),
            },
            dates=("given", "day"),
        ),
    )


def notice_pending_at(notice: ExitNotice, now: datetime) -> bool:
    """The same rule as ``_pending_notices``, for one notice in hand."""
    today = now.astimezone(UTC).date()
    return (
        notice.status in (ExitNotice.Status.PENDING, ExitNotice.Status.EFFECTIVE)
        and notice.given_on <= today + GIVEN_AHEAD
        and today < notice.effective_on
    )
