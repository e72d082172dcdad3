"""A charter version's structured rules: what the software enforces, validated with clear errors.

Rules are stored as JSON on the version (a snapshot that never changes once proposed) and
read through ``Rules``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Scope(models.TextChoices):
    STRATEGY = "strategy", gettext_lazy("Strategy")
    BUDGET = "budget", gettext_lazy("Budget")
    EXECUTION = "execution", gettext_lazy("Execution")
    MEMBERSHIP = "membership", gettext_lazy("Membership")
    CHARTER = "charter", gettext_lazy("Charter amendment")


class Mode(models.TextChoices):
    CONSENSUS = "consensus", gettext_lazy("Consensus (nobody objects)")
    UNANIMITY = "unanimity", gettext_lazy("Unanimity (every partner says yes)")
    TWO_THIRDS = "two_thirds", gettext_lazy("Two-thirds majority")
    SIMPLE_MAJORITY = "simple_majority", gettext_lazy("Simple majority")
    LEAD_PARTNER = "lead_partner", gettext_lazy("A lead partner decides")


class Weighting(models.TextChoices):
    EQUAL = "equal", gettext_lazy("Equal")
    RESOURCE_SHARE = "resource_share", gettext_lazy("By resource share")
    CUSTOM = "custom", gettext_lazy("Set per partner")


@dataclass
class ScopeRule:
    mode: str
    lead_partner: int | None = None
    veto_holders: list[int] = field(default_factory=list)


@dataclass
class LadderLevel:
    name: str
    days: int | None  # None: the top of the ladder has no time limit


@dataclass
class Rules:
    scopes: dict[str, ScopeRule] = field(default_factory=dict)
    weighting: str = Weighting.EQUAL
    weights: dict[int, Decimal] = field(default_factory=dict)  # partner id -> weight (custom)
    quorum: Decimal = Decimal("0.5")  # share of the total weight that must vote
    ladder: list[LadderLevel] = field(default_factory=list)
    force_majeure: str = ""
    review_cadence_months: int = 12

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rules:
        return cls(
            scopes={k: ScopeRule(**v) for k, v in data.get("scopes", {}).items()},
            weighting=data.get("weighting", Weighting.EQUAL),
            weights={int(k): Decimal(v) for k, v in data.get("weights", {}).items()},
            quorum=Decimal(data.get("quorum", "0.5")),
            ladder=[LadderLevel(**level) for level in data.get("ladder", [])],
            force_majeure=data.get("force_majeure", ""),
            review_cadence_months=int(data.get("review_cadence_months", 12)),
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["weights"] = {str(k): str(v) for k, v in self.weights.items()}
        data["quorum"] = str(self.quorum)
        return data

    def weights_for(self, partners: list[Any]) -> dict[int, Decimal]:
        """Each partner's voting weight under these rules (partners: Partner objects)."""
        if self.weighting == Weighting.RESOURCE_SHARE:
            return {p.pk: Decimal(p.resource_share) for p in partners}
        if self.weighting == Weighting.CUSTOM:
            return {p.pk: self.weights.get(p.pk, Decimal(0)) for p in partners}
        return {p.pk: Decimal(1) for p in partners}

    def rule_for(self, scope: str) -> ScopeRule:
        return self.scopes.get(scope) or ScopeRule(mode=Mode.UNANIMITY)

    def validate(self, partner_ids: set[int]) -> None:
        """Raise ValidationError naming each incoherent rule."""
        errors: list[str] = []
        for scope, rule in self.scopes.items():
            label = Scope(scope).label if scope in Scope.values else scope
            if scope not in Scope.values:
                errors.append(_("Unknown decision scope: %(scope)s.") % {"scope": scope})
            if rule.mode not in Mode.values:
                errors.append(_("%(scope)s: unknown decision mode.") % {"scope": label})
            if rule.mode == Mode.LEAD_PARTNER and rule.lead_partner not in partner_ids:
                errors.append(_("%(scope)s: the lead partner must be a partner of the alliance.")
                              % {"scope": label})  # fmt: skip
            if set(rule.veto_holders) - partner_ids:
                errors.append(_("%(scope)s: veto holders must be partners of the alliance.")
                              % {"scope": label})  # fmt: skip
        if self.weighting not in Weighting.values:
            errors.append(_("Unknown weighting."))
        if self.weighting == Weighting.CUSTOM:
            if set(self.weights) != partner_ids:
                errors.append(_("Give every partner a weight."))
            if any(w <= 0 for w in self.weights.values()):
                errors.append(_("Voting weights must be positive."))
        if not Decimal(0) < self.quorum <= Decimal(1):
            errors.append(
                _("The quorum is a share of the total weight: above 0% and at most 100%.")
            )
        for position, level in enumerate(self.ladder):
            last = position == len(self.ladder) - 1
            if not level.name.strip():
                errors.append(_("Every escalation level needs a name."))
            if level.days is None and not last:
                errors.append(_("Only the top escalation level may have no time limit."))
            if level.days is not None and level.days < 1:
                errors.append(_("Escalation time limits are whole days, at least one."))
        if self.review_cadence_months not in (3, 6, 12):
            errors.append(_("The review cadence is 3, 6 or 12 months."))
        if errors:
            raise ValidationError(errors)


def parse_decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number.")) from error


def describe(rules: Rules, partner_names: dict[int, str]) -> dict[str, str]:
    """The rules in plain language, one line per topic (the charter page and the diff)."""

    def names(ids: list[int]) -> str:
        return ", ".join(sorted(partner_names.get(i, "?") for i in ids))

    lines: dict[str, str] = {}
    for scope in Scope:
        rule = rules.scopes.get(scope.value)
        if rule is None:
            lines[str(scope.label)] = _("Not defined")
            continue
        text = str(Mode(rule.mode).label) if rule.mode in Mode.values else rule.mode
        if rule.mode == Mode.LEAD_PARTNER and rule.lead_partner:
            text += f": {names([rule.lead_partner])}"
        if rule.veto_holders:
            text += "; " + _("veto: %(names)s") % {"names": names(rule.veto_holders)}
        lines[str(scope.label)] = text
    weighting = str(Weighting(rules.weighting).label) if rules.weighting in Weighting.values else ""
    if rules.weighting == Weighting.CUSTOM:
        weighting += ": " + ", ".join(
            f"{partner_names.get(pk, '?')} {weight}" for pk, weight in sorted(rules.weights.items())
        )
    lines[_("Voting weights")] = weighting
    lines[_("Quorum")] = _("%(share)s%% of the voting weight") % {
        "share": f"{rules.quorum * 100:.0f}"
    }
    lines[_("Escalation ladder")] = " → ".join(
        f"{level.name} ({level.days} d)" if level.days else level.name for level in rules.ladder
    ) or _("Not defined")
    lines[_("Force majeure")] = rules.force_majeure or _("Not defined")
    lines[_("Review cadence")] = _("Every %(months)s months") % {
        "months": rules.review_cadence_months
    }
    return lines
