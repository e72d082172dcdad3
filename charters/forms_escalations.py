"""Forms of the escalation and exit pages (issue 6): they validate; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Partner

from .models import Escalation, ExitPlan, SharedAsset
from .rules import Scope


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return obj.organization.name


class PartnersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return obj.organization.name


def _partners_of(alliance: Alliance) -> Any:
    return alliance.partners.filter(exited_on__isnull=True).select_related("organization")


class EscalationRaiseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is the dispute?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, what each side wants, and what you have tried."),
    )
    scope = forms.ChoiceField(
        label=_("Decision scope"),
        choices=[("", _("Choose…")), *Scope.choices],
        help_text=_("The charter's rule for this scope decides how the steering committee votes."),
    )
    partners = PartnersField(
        label=_("Partners involved"),
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Escalation.Kind.choices,
        initial=Escalation.Kind.DISPUTE,
        widget=forms.RadioSelect,
    )
    against = PartnerChoiceField(
        label=_("Partner not contributing"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_(
            "Only for “partner not contributing”; it must be one of the partners involved."
        ),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Missed commitments, resources not delivered, meetings not attended."),
    )

    def __init__(self, *args: Any, alliance: Alliance, can_name_free_rider: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = _partners_of(alliance)  # type: ignore[attr-defined]
        if can_name_free_rider:
            self.fields["against"].queryset = _partners_of(alliance)  # type: ignore[attr-defined]
        else:
            # Naming a partner as not contributing is a coalition manager's call.
            for name in ("kind", "against", "evidence"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Escalation.Kind.NOT_CONTRIBUTING:
            if not data.get("against"):
                self.add_error("against", _("Name the partner that is not contributing."))
            if not (data.get("evidence") or "").strip():
                self.add_error("evidence", _("Attach the evidence that it is not contributing."))
        else:
            data["against"], data["evidence"] = None, ""
        return data


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The recorded resolution: every partner reads it."),
    )
    # The level the person saw: a resolution never lands on a level it was not meant for.
    level = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class ProposeForm(forms.Form):
    text = forms.CharField(
        label=_("Proposed resolution"),
        max_length=100,
        help_text=_("Short: if the steering committee votes, each proposal is one option."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("More days"), min_value=1, max_value=30, initial=7)
    reason = forms.CharField(
        label=_("Why more time?"),
        max_length=500,
        help_text=_("Each level's deadline can be extended once, when every other party agrees."),
    )


class ExitPlanForm(forms.ModelForm):
    class Meta:
        model = ExitPlan
        fields = ["notice_period_days", "non_disparagement", "data_terms", "transition_obligations"]
        widgets = {
            "non_disparagement": forms.Textarea(attrs={"rows": 3}),
            "data_terms": forms.Textarea(attrs={"rows": 3}),
            "transition_obligations": forms.Textarea(attrs={"rows": 5}),
        }


class SharedAssetForm(forms.ModelForm):
    contributed_by = PartnerChoiceField(label=_("Contributed by"), queryset=Partner.objects.none())

    class Meta:
        model = SharedAsset
        fields = ["name", "contributed_by", "division_rule", "allocation_on_exit"]

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["contributed_by"].queryset = _partners_of(alliance)  # type: ignore[attr-defined]


class ExitNoticeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Every partner reads this with the notice."),
    )
    given_on = forms.DateField(
        label=_("Notice given on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DissolutionForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Voting closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "In your time zone. Every partner's delegate votes under the charter's membership rule."
        ),
    )
