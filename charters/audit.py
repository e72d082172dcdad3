"""The governance audit: what the charter in force leaves undefined, item by item, with reasons.

Each item is passed, missing or advised. The rules for lopsided shares and short or tiny
alliances follow the guide: the largest share at 50% or more, or at least three times the
smallest, calls for minority protection; an alliance expected to last under six months, or
with fewer than three people, is better served by a one-page agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Alliance

from .models import CharterVersion, ExitPlan
from .rules import Rules, Scope


class Status(models.TextChoices):
    PASSED = "passed", gettext_lazy("In place")
    MISSING = "missing", gettext_lazy("Missing")
    ADVISED = "advised", gettext_lazy("Advice")


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    status: str
    reason: str


def audit(alliance: Alliance) -> list[Item]:
    version = CharterVersion.objects.filter(
        charter__alliance=alliance, status=CharterVersion.Status.ADOPTED
    ).first()
    rules = version.rules if version else None
    partners = list(alliance.partners.filter(exited_on__isnull=True).select_related("organization"))
    items = [
        _decisions(rules),
        _ladder(rules),
        _exit_plan(alliance),
        _review_cadence(alliance, rules),
        _minority_protection(rules, partners),
        _force_majeure(rules, partners),
    ]
    advice = _one_page_advice(alliance)
    return [*items, advice] if advice else items


def _decisions(rules: Rules | None) -> Item:
    title = _("Decision-making for each scope")
    undefined = [str(s.label) for s in Scope if not rules or s.value not in rules.scopes]
    if not undefined:
        return Item("decisions", title, Status.PASSED, _("Every decision scope has its mode."))
    return Item("decisions", title, Status.MISSING,
                _("No decision mode for: %(scopes)s.") % {"scopes": ", ".join(undefined)})  # fmt: skip


def _ladder(rules: Rules | None) -> Item:
    title = _("Conflict resolution with time limits")
    ladder = rules.ladder if rules else []
    if len(ladder) >= 2 and all(level.days for level in ladder[:-1]):
        return Item("ladder", title, Status.PASSED,
                    _("Disputes climb %(n)s levels, each with a time limit.") % {"n": len(ladder)})  # fmt: skip
    return Item("ladder", title, Status.MISSING,
                _("Define at least two escalation levels, each but the top with a time limit, so disputes cannot stall."))  # fmt: skip


def _exit_plan(alliance: Alliance) -> Item:
    title = _("Mutual exit plan")
    plan = ExitPlan.objects.filter(alliance=alliance).first()
    if plan is None:
        return Item("exit", title, Status.MISSING,
                    _("No exit plan yet: agree on notice periods, shared assets and non-disparagement before you need them."))  # fmt: skip
    if not plan.non_disparagement.strip() or not plan.assets.exists():
        return Item("exit", title, Status.ADVISED,
                    _("A %(days)s-day notice period is agreed; list the shared assets and the non-disparagement terms too.")
                    % {"days": plan.notice_period_days})  # fmt: skip
    return Item("exit", title, Status.PASSED,
                _("A %(days)s-day notice period, the shared assets and their division are agreed.")
                % {"days": plan.notice_period_days})  # fmt: skip


def _review_cadence(alliance: Alliance, rules: Rules | None) -> Item:
    title = _("Realignment review cadence")
    if rules is None:
        return Item("review", title, Status.MISSING, _("The charter sets no review cadence."))
    if alliance.market_pace == Alliance.MarketPace.FAST and rules.review_cadence_months > 3:
        return Item("review", title, Status.ADVISED,
                    _("In a fast-changing market, review every quarter rather than every %(n)s months.")
                    % {"n": rules.review_cadence_months})  # fmt: skip
    return Item("review", title, Status.PASSED,
                _("Reviews every %(n)s months.") % {"n": rules.review_cadence_months})  # fmt: skip


def _minority_protection(rules: Rules | None, partners: list) -> Item:
    title = _("Minority protection")
    shares = sorted(Decimal(p.resource_share) for p in partners)
    if len(shares) < 2:
        return Item("minority", title, Status.PASSED, _("Fewer than two partners."))
    largest, smallest = shares[-1], shares[0]
    shown = {"largest": f"{largest.normalize():f}", "smallest": f"{smallest.normalize():f}"}
    biggest = {p.pk for p in partners if Decimal(p.resource_share) == largest}
    protected = rules is not None and any(
        set(rule.veto_holders) - biggest for rule in rules.scopes.values()
    )
    lopsided = largest >= 50 or largest >= 3 * smallest
    if protected:
        return Item("minority", title, Status.PASSED, _("Smaller partners hold a veto."))
    if lopsided:
        return Item("minority", title, Status.MISSING,
                    _("The largest share is %(largest)s%% against %(smallest)s%%: give smaller partners a veto on critical decisions, or use bilateral agreements.")
                    % shown)  # fmt: skip
    if largest > Decimal("1.5") * smallest:
        return Item("minority", title, Status.ADVISED,
                    _("Shares range from %(smallest)s%% to %(largest)s%%: consider a veto for smaller partners on strategy and charter changes.")
                    % shown)  # fmt: skip
    return Item("minority", title, Status.PASSED, _("Resource shares are balanced."))


def _force_majeure(rules: Rules | None, partners: list) -> Item:
    title = _("Force majeure")
    countries = {str(p.organization.country) for p in partners}
    if len(countries) < 2:
        return Item("force_majeure", title, Status.PASSED, _("All partners are in one country."))
    if rules and rules.force_majeure.strip():
        return Item("force_majeure", title, Status.PASSED,
                    _("Terms cover events such as sanctions or policy changes."))  # fmt: skip
    return Item("force_majeure", title, Status.MISSING,
                _("Partners are in %(n)s countries: add force majeure terms covering changes in government policy and sanctions.")
                % {"n": len(countries)})  # fmt: skip


def _one_page_advice(alliance: Alliance) -> Item | None:
    people = alliance.roles.values("person").distinct().count()
    short = alliance.expected_end is not None and alliance.expected_end - timezone.localdate(
        alliance.created_at
    ) < timedelta(days=183)
    if not short and people >= 3:
        return None
    reason = (
        _("Expected to last under six months") if short else _("Fewer than three people take part")
    )
    return Item("one_page", _("A one-page agreement may be enough"), Status.ADVISED,
                reason + _(": a full charter may cost more than it protects. Use the one-page template."))  # fmt: skip
