"""Forms for the charter and ballot pages. They turn input into Rules and options; the services
decide whether those are coherent (Rules.validate) and do the work."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Partner

from .models import Ballot, CharterVersion
from .rules import LadderLevel, Mode, Rules, Scope, ScopeRule, Weighting
from .tally import ABSTAIN, NO, YES

HUNDRED = Decimal(100)
LADDER_ROWS = 5
OPTION_LABELS = {YES: _("Yes"), NO: _("No"), ABSTAIN: _("Abstain")}


def option_label(option: str) -> str:
    return str(OPTION_LABELS.get(option, option))


class LadderLevelForm(forms.Form):
    name = forms.CharField(label=_("Level"), max_length=100, required=False)
    days = forms.IntegerField(
        label=_("Days"),
        required=False,
        help_text=_("Leave empty at the top level: it has no time limit."),
    )

    def level(self) -> LadderLevel | None:
        name, days = self.cleaned_data.get("name", ""), self.cleaned_data.get("days")
        return LadderLevel(name=name, days=days) if name or days is not None else None


LadderFormSet = forms.formset_factory(
    LadderLevelForm, extra=0, min_num=LADDER_ROWS, max_num=LADDER_ROWS, validate_max=True
)


class VersionForm(forms.Form):
    """A draft's summary, prose and structured rules, one field per choice a person makes."""

    summary = forms.CharField(
        label=_("What changes"),
        max_length=300,
        required=False,
        help_text=_("One line for the history."),
    )
    prose = forms.CharField(
        label=_("Text of the charter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: # headings, - lists, *emphasis* and [links](https://…)."),
    )
    weighting = forms.ChoiceField(
        label=_("Voting weights"), choices=Weighting.choices, widget=forms.RadioSelect
    )
    quorum = forms.DecimalField(
        label=_("Quorum (% of the voting weight that must vote)"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "decimal"}),
    )
    force_majeure = forms.CharField(
        label=_("Force majeure terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Events that suspend obligations, such as sanctions or changes in policy."),
    )
    review_cadence_months = forms.TypedChoiceField(
        label=_("Realignment review"),
        coerce=int,
        choices=[(3, _("Every 3 months")), (6, _("Every 6 months")), (12, _("Every 12 months"))],
    )

    def __init__(
        self, data: Any = None, *, version: CharterVersion, partners: list[Partner], **kwargs: Any
    ):
        self.partners = partners
        rules = version.rules
        kwargs.setdefault("initial", self._initial(version, rules))
        super().__init__(data, **kwargs)
        names = [(p.pk, p.organization.name) for p in partners]
        for scope in Scope:
            self.fields[f"{scope}_mode"] = forms.ChoiceField(
                label=_("Decided by"), choices=Mode.choices
            )
            self.fields[f"{scope}_lead"] = forms.TypedChoiceField(
                label=_("Lead partner (when a lead partner decides)"),
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", _("None")), *names],
            )
            self.fields[f"{scope}_veto"] = forms.TypedMultipleChoiceField(
                label=_("Veto holders"),
                coerce=int,
                required=False,
                choices=names,
                widget=forms.CheckboxSelectMultiple,
            )
        for pk, name in names:
            self.fields[f"weight_{pk}"] = forms.DecimalField(
                label=name, required=False, max_digits=9, decimal_places=4
            )
        self.ladder = LadderFormSet(data, prefix="ladder", initial=self._ladder_initial(rules))

    @staticmethod
    def _initial(version: CharterVersion, rules: Rules) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "summary": version.summary,
            "prose": version.prose,
            "weighting": rules.weighting,
            "quorum": format((rules.quorum * HUNDRED).normalize(), "f"),
            "force_majeure": rules.force_majeure,
            "review_cadence_months": rules.review_cadence_months,
        }
        for scope in Scope:
            rule = rules.rule_for(scope)
            initial |= {
                f"{scope}_mode": rule.mode,
                f"{scope}_lead": rule.lead_partner,
                f"{scope}_veto": rule.veto_holders,
            }
        return initial | {f"weight_{pk}": w for pk, w in rules.weights.items()}

    @staticmethod
    def _ladder_initial(rules: Rules) -> list[dict[str, Any]]:
        return [{"name": level.name, "days": level.days} for level in rules.ladder]

    def scope_rows(
        self,
    ) -> Iterator[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        for scope in Scope:
            yield (
                str(scope.label),
                self[f"{scope}_mode"],
                self[f"{scope}_lead"],
                self[f"{scope}_veto"],
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{p.pk}"] for p in self.partners]

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.ladder.is_valid()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for scope in Scope:
            if data.get(f"{scope}_mode") == Mode.LEAD_PARTNER and not data.get(f"{scope}_lead"):
                message = _("%(scope)s: choose the partner that decides.")
                self.add_error(f"{scope}_lead", message % {"scope": scope.label})
        if data.get("weighting") == Weighting.CUSTOM:
            for partner in self.partners:
                if data.get(f"weight_{partner.pk}") is None:
                    message = _("Give %(partner)s a weight.")
                    name = partner.organization.name
                    self.add_error(f"weight_{partner.pk}", message % {"partner": name})
        return data

    def rules(self) -> Rules:
        """The rules as entered; Rules.validate (in the service) says whether they hold together."""
        data = self.cleaned_data
        custom = data["weighting"] == Weighting.CUSTOM
        return Rules(
            scopes={
                scope.value: ScopeRule(
                    mode=data[f"{scope}_mode"],
                    lead_partner=data[f"{scope}_lead"]
                    if data[f"{scope}_mode"] == Mode.LEAD_PARTNER
                    else None,
                    veto_holders=data[f"{scope}_veto"],
                )
                for scope in Scope
            },
            weighting=data["weighting"],
            weights={p.pk: data[f"weight_{p.pk}"] for p in self.partners} if custom else {},
            quorum=data["quorum"] / HUNDRED,
            ladder=[level for form in self.ladder for level in [form.level()] if level],
            force_majeure=data["force_majeure"],
            review_cadence_months=data["review_cadence_months"],
        )


class DiffForm(forms.Form):
    """Pick the two versions to compare (GET)."""

    def __init__(self, *args: Any, versions: list[CharterVersion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, f"{v} · {v.get_status_display()}") for v in versions]
        for name, label in (("from", _("Compare")), ("to", _("with"))):
            self.fields[name] = forms.TypedChoiceField(label=label, coerce=int, choices=choices)


class BallotForm(forms.Form):
    """A free motion put to the partners' vote."""

    question = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the partners need to know to decide."),
    )
    scope = forms.ChoiceField(
        label=_("Decision scope"),
        choices=Scope.choices,
        help_text=_("The charter's rule for this scope decides how the votes count."),
    )
    closes_at = forms.DateTimeField(
        label=_("Voting closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone."),
    )
    custom_options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty for Yes / No / Abstain, or write one option per line."),
    )
    secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=Ballot._meta.get_field("secret").help_text,
    )

    def options(self) -> list[str] | None:
        lines = [line.strip() for line in self.cleaned_data["custom_options"].splitlines()]
        return [line for line in lines if line] or None


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your organisation's vote"), widget=forms.RadioSelect)
    veto = forms.BooleanField(
        label=_("Veto this decision"),
        required=False,
        help_text=_("Your organisation holds a veto on this scope: a veto stops the decision."),
    )

    def __init__(self, *args: Any, ballot: Ballot, can_veto: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice = self.fields["choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(o, option_label(o)) for o in ballot.options]
        if not can_veto:
            del self.fields["veto"]
