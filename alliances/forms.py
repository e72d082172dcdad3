"""Forms for the pages. They validate input; the services and model verbs do the work."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import (
    Alliance,
    Goal,
    Interest,
    InterestLink,
    Invitation,
    NotificationKind,
    Organization,
    Partner,
    Role,
    User,
)

ROLE_DESCRIPTIONS = {
    Role.Kind.COALITION_MANAGER: _(
        "Runs the alliance: edits it, adds partners, invites people and moves it through its stages."
    ),
    Role.Kind.PARTNER_REPRESENTATIVE: _(
        "Speaks for one partner organisation day to day and looks after its interests."
    ),
    Role.Kind.STEERING_COMMITTEE: _(
        "Casts a partner's vote on decisions and disputes that reach the steering committee."
    ),
    Role.Kind.EXECUTIVE_SPONSOR: _(
        "The senior person at a partner who backs the alliance and unblocks it when needed."
    ),
    Role.Kind.OBSERVER: _("Follows the alliance and reads along, without acting for a partner."),
}


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's error next to the field it names, or above the form when the form has no such field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class AllianceFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage")), *Alliance.Stage.choices], required=False
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=[("", _("Any form")), *Alliance.Form.choices], required=False
    )

    def filter(self, alliances: Any) -> Any:
        if not self.is_valid():
            return alliances
        for name in ("stage", "form"):
            if self.cleaned_data[name]:
                alliances = alliances.filter(**{name: self.cleaned_data[name]})
        return alliances


class AllianceForm(forms.ModelForm):
    class Meta:
        model = Alliance
        fields = ["name", "purpose", "form", "market_pace", "expected_end"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "expected_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "market_pace": _("In a fast-changing market the alliance is reviewed more often."),
        }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"))
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Why the alliance moves on. Everyone in the alliance can read this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Alliance.Stage.choices)
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [(stage, labels[stage]) for stage in alliance.next_stages()]


class PartnerAddForm(forms.Form):
    """Either an organisation the manager already knows, or a new one described here."""

    organization = forms.ModelChoiceField(
        label=_("Existing organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Choose an organisation…"),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    # A callable, so the country names follow the language of each request.
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", "—"), *countries], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *Organization.Kind.choices], required=False
    )
    resource_share = forms.DecimalField(
        label=_("Resource share (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=0,
        help_text=_("What this partner brings, as a share of all the alliance's resources."),
    )
    joined_on = forms.DateField(
        label=_("Joined on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, alliance: Alliance, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_field = self.fields["organization"]
        assert isinstance(organization_field, forms.ModelChoiceField)
        organization_field.queryset = Organization.objects.visible_to(user).exclude(
            partnerships__alliance=alliance
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organization") and data.get("name"):
            raise ValidationError(
                _("Choose an existing organisation or describe a new one, not both.")
            )
        if not data.get("organization") and not data.get("name"):
            self.add_error(
                "organization", _("Choose an organisation, or describe a new one below.")
            )
        if data.get("name"):
            for field in ("country", "kind"):
                if not data.get(field):
                    self.add_error(field, _("A new organisation needs this."))
        return data


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["resource_share", "joined_on", "exiting_on", "exited_on"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("joined_on", "exiting_on", "exited_on")
        }
        help_texts = {
            "exiting_on": _("The day the partner gave notice that it leaves."),
            "exited_on": _("The day the partner left the alliance."),
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    kind = forms.ChoiceField(label=_("Role"), choices=Role.Kind.choices)
    partner = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("No partner"),
        help_text=_(
            "Partner representatives, steering committee members and executive sponsors act for one partner."
        ),
    )

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, forms.ModelChoiceField)
        partner_field.queryset = alliance.partners.select_related("organization")


class AccountFromInvitationForm(forms.Form):
    """The few things a new person tells us when they accept their first invitation."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise ValidationError(_("The two passwords differ."))
        return password2

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password2")
        if password:
            # Judge the password against the person it will belong to (similarity to their name).
            person = User(
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, person)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "time_zone", "language"]
        help_texts = {
            "time_zone": _("Dates and deadlines are shown in this time zone, in emails too."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Your browser's language")), *settings.LANGUAGES]


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "country", "kind", "decision_culture"]


# The interest map ---------------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


SUMMARY_RULE = "summary_only_interest_has_a_summary"
VISIBILITY_HELP = _(
    "Own organisation only: a draft nobody else sees, not even the coalition managers. "
    "Summary only: the other partners see your summary, never the statement. "
    "Shared with the alliance: everyone in it sees the statement."
)


def _summary_rule_message() -> str:
    rule = next(c for c in Interest._meta.constraints if c.name == SUMMARY_RULE)
    return str(rule.get_violation_error_message())


class SummaryNextToItsField(forms.BaseForm):
    """The model's rule that a summary-only interest needs a summary is a check constraint, which
    Django reports for the whole interest; the person needs it next to the summary field."""

    def add_error(self, field: str | None, error: Any) -> None:
        if field is None and "summary" in self.fields:
            error = self._move_summary_rule(ValidationError(error))
        if error is not None:
            super().add_error(field, error)

    def _move_summary_rule(self, error: ValidationError) -> ValidationError | None:
        """Put the rule's message next to the summary; hand back the rest of the error."""
        errors: dict[str, list[ValidationError]] = (
            dict(error.error_dict)
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: error.error_list}
        )
        rule = _summary_rule_message()
        whole = errors.pop(NON_FIELD_ERRORS, [])
        if any(str(item.message) == rule for item in whole):
            super().add_error("summary", rule)
        if rest := [item for item in whole if str(item.message) != rule]:
            errors[NON_FIELD_ERRORS] = rest
        return ValidationError(errors) if errors else None


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "measure", "target_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "target_date": DATE_INPUT}


class InterestForm(SummaryNextToItsField, forms.ModelForm):
    """A new interest chooses its visibility here; an existing one changes it by sharing."""

    class Meta:
        model = Interest
        fields = ["kind", "statement", "summary", "importance", "is_red_line", "visibility"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _(
                "Explicit interests are said out loud. Implicit ones usually go unsaid: "
                "autonomy, brand, risks to avoid."
            ),
            "statement": _("In your organisation's own words."),
            "summary": _(
                "Needed when you choose “Summary only”: other organisations see this sentence, "
                "never the statement."
            ),
            "visibility": VISIBILITY_HELP,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = Interest.Kind.choices  # every interest is one or the other
        if self.instance.pk:
            del self.fields["visibility"]


class InterestShareForm(SummaryNextToItsField, forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who may see this interest"),
        choices=Interest.Visibility.choices,
        help_text=VISIBILITY_HELP,
    )
    summary = forms.CharField(
        label=_("Summary for other partners"),
        max_length=300,
        required=False,
        help_text=_(
            "Needed for “Summary only”: other organisations see this, never the statement."
        ),
    )


class InterestLinkForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), empty_label=_("Choose a goal…")
    )
    effect = forms.ChoiceField(
        label=_("This goal…"),
        choices=[
            (InterestLink.Effect.SUPPORTS, _("supports the interest")),
            (InterestLink.Effect.CONFLICTS, _("conflicts with the interest")),
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("How the goal helps or hurts. Saying it again for the same goal replaces it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal_field = self.fields["goal"]
        assert isinstance(goal_field, forms.ModelChoiceField)
        goal_field.queryset = alliance.goals.all()


# Reviews, notifications and the calendar -------------------------------------------------------


class AllianceEditForm(AllianceForm):
    """Editing also sets how often the alliance is reviewed (a new alliance takes its pace's)."""

    class Meta(AllianceForm.Meta):
        fields = [
            *AllianceForm.Meta.fields,
            "review_cadence_months",
            "review_when_open_escalations",
            "review_when_missed_commitments",
        ]
        help_texts = {
            **AllianceForm.Meta.help_texts,
            "review_cadence_months": _(
                "How often the partners reassess whether the alliance still fits their "
                "strategies. A review that has not opened yet moves to the new date."
            ),
            "review_when_open_escalations": _(
                "Besides the cadence, a review opens early when this many escalations are "
                "open at once. 0 turns this off."
            ),
            "review_when_missed_commitments": _(
                "A review also opens early when this many commitments have lapsed in the "
                "last 90 days. 0 turns this off."
            ),
        }


class ReviewRescheduleForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"),
        widget=DATE_INPUT,
        help_text=_(
            "The review becomes due at 09:00 on that day, your time. A date in the past "
            "makes it due at once: it opens and its reminder goes out within minutes."
        ),
    )

    def due_at(self) -> datetime:
        """09:00 on the chosen day in the person's time zone (the middleware's)."""
        day = datetime.combine(self.cleaned_data["due_on"], time(9))
        return timezone.make_aware(day, timezone.get_current_timezone())


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification: email on or off. The app shows them all anyway."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)
