"""The governance audit: what the charter in force leaves undefined, item by item, with reasons.

Each item is passed, missing or advised. The rules for lopsided shares and short or tiny
alliances follow the guide: the largest share at 50% or more, or at least three times the
smallest, calls for minority protection; an alliance expected to last under six months, or
with fewer than three people, is better served by a one-page agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Alliance, Partner, Role

from .models import CharterVersion, ExitPlan
from .rules import Rules, Scope

SHORT_ALLIANCE = timedelta(days=183)  # about six months
FEW_PEOPLE = 3


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


@dataclass(frozen=True)
class Governance:
    """What the audit reads about one alliance: the rules in force, the partners still in
    it, the exit plan and how many people take part."""

    alliance: Alliance
    rules: Rules | None
    partners: list[Partner]
    plan: ExitPlan | None
    assets: int
    people: int


def governance_many(
    alliances: Sequence[Alliance], now: datetime | None = None
) -> dict[int, Governance]:
    """Each alliance's governance as of ``now``, in four queries however many there are: the
    charter version in force then, the partners that had joined by that day (UTC) and not yet
    left, and the people holding a role granted by then. An exit plan keeps no history: it is
    read as it stands."""
    now = now or timezone.now()
    ids = [alliance.pk for alliance in alliances]
    rules = {
        alliance_id: Rules.from_json(data)
        for alliance_id, data in CharterVersion.objects.filter(charter__alliance__in=ids)
        .filter(_in_force_at(now))
        .order_by("adopted_at", "pk")
        .values_list("charter__alliance_id", "rules_json")
    }
    partners: dict[int, list[Partner]] = defaultdict(list)
    # A partner leaves at the start of its exit day (UTC), when its exit timer runs.
    today = now.astimezone(UTC).date()
    for partner in (
        Partner.objects.filter(alliance__in=ids, joined_on__lte=today)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=today))
        .select_related("organization")
    ):
        partners[partner.alliance_id].append(partner)
    plans = {
        plan.alliance_id: plan
        for plan in ExitPlan.objects.filter(alliance__in=ids).annotate(asset_count=Count("assets"))
    }
    people = dict(
        Role.objects.filter(alliance__in=ids, granted_at__lte=now)
        .values("alliance_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("alliance_id", "n")
    )
    return {
        alliance.pk: Governance(
            alliance=alliance,
            rules=rules.get(alliance.pk),
            partners=partners[alliance.pk],
            plan=plans.get(alliance.pk),
            assets=getattr(plans.get(alliance.pk), "asset_count", 0),
            people=people.get(alliance.pk, 0),
        )
        for alliance in alliances
    }


def _in_force_at(now: datetime) -> Q:
    adopted = Q(status=CharterVersion.Status.ADOPTED) & (
        Q(adopted_at__isnull=True) | Q(adopted_at__lte=now)
    )
    superseded_since = Q(
        status=CharterVersion.Status.SUPERSEDED, adopted_at__lte=now, superseded_at__gt=now
    )
    return adopted | superseded_since


def audit_many(alliances: Sequence[Alliance], now: datetime | None = None) -> dict[int, list[Item]]:
    """The audit of each alliance as of ``now`` (see ``governance_many``), in a fixed number
    of queries."""
    return {pk: items_of(facts) for pk, facts in governance_many(alliances, now).items()}


def audit(alliance: Alliance) -> list[Item]:
    return audit_many([alliance])[alliance.pk]


def items_of(governance: Governance) -> list[Item]:
    rules, partners = governance.rules, governance.partners
    items = [
        _decisions(rules),
        _ladder(rules),
        _exit_plan(governance),
        _review_cadence(governance.alliance, rules),
        _minority_protection(rules, partners),
        _force_majeure(rules, partners),
    ]
    advice = _one_page_advice(governance)
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


def _exit_plan(governance: Governance) -> Item:
    title = _("Mutual exit plan")
    plan = governance.plan
    if plan is None:
        return Item("exit", title, Status.MISSING,
                    _("No exit plan yet: agree on notice periods, shared assets and non-disparagement before you need them."))  # fmt: skip
    if not plan.non_disparagement.strip() or not governance.assets:
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


@dataclass(frozen=True)
class Shares:
    """The partners' resource shares, for the guide's power-asymmetry rules."""

    largest: Partner
    smallest: Partner
    protected: bool  # some partner other than the largest holds a veto

    @property
    def lopsided(self) -> bool:
        """The largest share at 50% or more, or at least three times the smallest."""
        largest, smallest = (
            Decimal(self.largest.resource_share),
            Decimal(self.smallest.resource_share),
        )
        return largest >= 50 or largest >= 3 * smallest

    @property
    def uneven(self) -> bool:
        return Decimal(self.largest.resource_share) > Decimal("1.5") * Decimal(
            self.smallest.resource_share
        )

    def shown(self) -> dict[str, str]:
        return {
            "largest": f"{Decimal(self.largest.resource_share).normalize():f}",
            "smallest": f"{Decimal(self.smallest.resource_share).normalize():f}",
            "largest_name": str(self.largest),
            "smallest_name": str(self.smallest),
        }


def shares_of(rules: Rules | None, partners: list[Partner]) -> Shares | None:
    """None with fewer than two partners: there is no one to protect."""
    if len(partners) < 2:
        return None
    ranked = sorted(partners, key=lambda p: (Decimal(p.resource_share), p.pk))
    largest = Decimal(ranked[-1].resource_share)
    biggest = {p.pk for p in partners if Decimal(p.resource_share) == largest}
    protected = rules is not None and any(
        set(rule.veto_holders) - biggest for rule in rules.scopes.values()
    )
    return Shares(largest=ranked[-1], smallest=ranked[0], protected=protected)


def _minority_protection(rules: Rules | None, partners: list[Partner]) -> Item:
    title = _("Minority protection")
    shares = shares_of(rules, partners)
    if shares is None:
        return Item("minority", title, Status.PASSED, _("Fewer than two partners."))
    if shares.protected:
        return Item("minority", title, Status.PASSED, _("Smaller partners hold a veto."))
    if shares.lopsided:
        return Item("minority", title, Status.MISSING,
                    _("The largest share is %(largest)s%% against %(smallest)s%%: give smaller partners a veto on critical decisions, or use bilateral agreements.")
                    % shares.shown())  # fmt: skip
    if shares.uneven:
        return Item("minority", title, Status.ADVISED,
                    _("Shares range from %(smallest)s%% to %(largest)s%%: consider a veto for smaller partners on strategy and charter changes.")
                    % shares.shown())  # fmt: skip
    return Item("minority", title, Status.PASSED, _("Resource shares are balanced."))


def countries_of(partners: list[Partner]) -> set[str]:
    return {str(p.organization.country) for p in partners}


def covers_force_majeure(rules: Rules | None) -> bool:
    return rules is not None and bool(rules.force_majeure.strip())


def _force_majeure(rules: Rules | None, partners: list[Partner]) -> Item:
    title = _("Force majeure")
    countries = countries_of(partners)
    if len(countries) < 2:
        return Item("force_majeure", title, Status.PASSED, _("All partners are in one country."))
    if covers_force_majeure(rules):
        return Item("force_majeure", title, Status.PASSED,
                    _("Terms cover events such as sanctions or policy changes."))  # fmt: skip
    return Item("force_majeure", title, Status.MISSING,
                _("Partners are in %(n)s countries: add force majeure terms covering changes in government policy and sanctions.")
                % {"n": len(countries)})  # fmt: skip


def one_page_reason(governance: Governance) -> str | None:
    """Why a one-page agreement may be enough, or None when a full charter fits."""
    alliance = governance.alliance
    short = (
        alliance.expected_end is not None
        and alliance.expected_end - alliance.created_at.astimezone(UTC).date() < SHORT_ALLIANCE
    )
    if short:
        return _("Expected to last under six months")
    if governance.people < FEW_PEOPLE:
        return _("Fewer than three people take part")
    return None


def _one_page_advice(governance: Governance) -> Item | None:
    reason = one_page_reason(governance)
    if reason is None:
        return None
    return Item("one_page", _("A one-page agreement may be enough"), Status.ADVISED,
                reason + _(": a full charter may cost more than it protects. Use the one-page template."))  # fmt: skip
