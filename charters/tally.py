"""Counting a ballot: a pure function of the electorate, the votes and the charter's rules.

Each partner votes once with its weight. Abstentions count towards the quorum and nothing
else. The option with the most weight among the other votes leads (a tie decides nothing),
and the decision mode says whether its lead is enough:

- simple majority: more than half of the weight cast for an option;
- two-thirds: at least two thirds of it;
- consensus: nobody chose another option;
- unanimity: every partner of the electorate chose it;
- lead partner: the lead partner's choice decides, whatever the others chose.

A veto by a partner that holds one for the ballot's scope stops the decision, quorum or not.
On a yes/no question the mode is applied to "yes": the ballot passes when "yes" carries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .rules import Mode

YES, NO, ABSTAIN = "yes", "no", "abstain"


class Outcome(models.TextChoices):
    PASSED = "passed", gettext_lazy("Passed")
    FAILED = "failed", gettext_lazy("Failed")
    VETOED = "vetoed", gettext_lazy("Vetoed")
    NO_QUORUM = "no_quorum", gettext_lazy("No quorum")


@dataclass(frozen=True)
class Elector:
    partner_id: int
    name: str
    weight: Decimal
    can_veto: bool = False


@dataclass(frozen=True)
class Cast:
    partner_id: int
    choice: str
    veto: bool = False


@dataclass(frozen=True)
class Result:
    outcome: str
    decided: str | None  # the option the ballot settled on, if it passed
    support: dict[str, Decimal]
    turnout: Decimal
    total: Decimal
    explanation: str


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{(100 * part / whole):.0f}%" if whole else "0%"


def tally(
    *,
    mode: str,
    quorum: Decimal,
    electors: list[Elector],
    casts: list[Cast],
    yes_no: bool = True,
    lead_partner: int | None = None,
) -> Result:
    by_partner = {e.partner_id: e for e in electors}
    votes = {c.partner_id: c for c in casts if c.partner_id in by_partner}
    total = sum((e.weight for e in electors), Decimal(0))
    turnout = sum((by_partner[p].weight for p in votes), Decimal(0))
    support: dict[str, Decimal] = defaultdict(Decimal)
    for partner_id, cast in votes.items():
        support[cast.choice] += by_partner[partner_id].weight

    def result(outcome: str, explanation: str, decided: str | None = None) -> Result:
        return Result(outcome, decided, dict(support), turnout, total, explanation)

    vetoes = [by_partner[p].name for p, c in votes.items() if c.veto and by_partner[p].can_veto]
    if vetoes:
        return result(
            Outcome.VETOED, _("Vetoed by %(names)s.") % {"names": ", ".join(sorted(vetoes))}
        )
    if mode == Mode.LEAD_PARTNER:
        return _lead_decides(by_partner.get(lead_partner or 0), votes, yes_no, result)
    if not total or turnout / total < quorum:
        return result(
            Outcome.NO_QUORUM,
            _("%(turnout)s of the voting weight took part; the quorum is %(quorum)s.")
            % {"turnout": _share(turnout, total), "quorum": _share(quorum, Decimal(1))},
        )
    cast_for = {option: w for option, w in support.items() if option != ABSTAIN}
    cast_weight = sum(cast_for.values(), Decimal(0))
    if not cast_weight:
        return result(Outcome.FAILED, _("Every partner that voted abstained."))
    if yes_no:  # a yes/no question asks whether "yes" carries under the mode
        candidate = YES
    else:
        ranked = sorted(cast_for.items(), key=lambda item: item[1], reverse=True)
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return result(Outcome.FAILED, _("No option leads: the votes are tied."))
        candidate = ranked[0][0]
    enough, rule = _enough(
        mode, candidate, cast_for.get(candidate, Decimal(0)), cast_weight, electors, votes
    )
    if not enough:
        return result(Outcome.FAILED, rule)
    return result(Outcome.PASSED, rule, decided=candidate)


def _enough(
    mode: str,
    leader: str,
    weight: Decimal,
    cast_weight: Decimal,
    electors: list[Elector],
    votes: dict[int, Cast],
) -> tuple[bool, str]:
    share = _share(weight, cast_weight)
    values = {"option": leader, "share": share}
    if mode == Mode.SIMPLE_MAJORITY:
        return weight * 2 > cast_weight, _(
            "“%(option)s” has %(share)s of the weight cast; a simple majority needs more than half."
        ) % values
    if mode == Mode.TWO_THIRDS:
        return weight * 3 >= cast_weight * 2, _(
            "“%(option)s” has %(share)s of the weight cast; this decision needs two thirds."
        ) % values
    if mode == Mode.CONSENSUS:
        return weight == cast_weight, _(
            "Consensus needs that nobody chooses another option; “%(option)s” has %(share)s."
        ) % values
    agreeing = sum(1 for e in electors if (c := votes.get(e.partner_id)) and c.choice == leader)
    return agreeing == len(electors), _(
        "Unanimity needs every partner to choose the same option: %(agreeing)s of %(all)s chose “%(option)s”."
    ) % {"agreeing": agreeing, "all": len(electors), "option": leader}


def _lead_decides(
    lead: Elector | None,
    votes: dict[int, Cast],
    yes_no: bool,
    result: Callable[..., Result],
) -> Result:
    if lead is None:
        return result(Outcome.FAILED, _("The charter names no lead partner for this decision."))
    cast = votes.get(lead.partner_id)
    if cast is None or cast.choice == ABSTAIN:
        return result(
            Outcome.NO_QUORUM,
            _("The lead partner, %(name)s, did not decide.") % {"name": lead.name},
        )
    explanation = _("The lead partner, %(name)s, decides: “%(option)s”.") % {
        "name": lead.name,
        "option": cast.choice,
    }
    if yes_no and cast.choice != YES:
        return result(Outcome.FAILED, explanation)
    return result(Outcome.PASSED, explanation, decided=cast.choice)
