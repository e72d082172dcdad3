"""Forms of the trust pages. They validate input; the ledger, commitment and check-in
services decide what is allowed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Partner

from .checkins import ITEMS, LONGEST_ROUND
from .models import DEPOSIT_CATEGORIES, WITHDRAWAL_CATEGORIES, Category, TrustEntry


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return obj.organization.name


def _choose_from(form: forms.Form, name: str, partners: QuerySet[Partner]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = partners


def _new_key() -> str:
    return uuid.uuid4().hex


class IdempotentForm(forms.Form):
    # Made when the form renders and sent back with it: a double tap or a resend of the same
    # form replays this key, and the ledger records the entry once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, initial=_new_key)


class EntryForm(IdempotentForm):
    """The quick "log a deposit" form; managers may also record withdrawals."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in (TrustEntry.Kind.DEPOSIT, TrustEntry.Kind.WITHDRAWAL)],
        widget=forms.RadioSelect(attrs={"class": "choice-tiles"}),
        initial=TrustEntry.Kind.DEPOSIT,
    )
    category = forms.ChoiceField(
        label=_("What happened?"), widget=forms.RadioSelect(attrs={"class": "choice-tiles"})
    )
    actor = PartnerChoiceField(label=_("Who did it?"), queryset=Partner.objects.none())
    counterpart = PartnerChoiceField(
        label=_("Towards whom?"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("The whole alliance"),
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("e.g. Told us about the bug before release")}
        ),
    )

    def __init__(
        self,
        *args: Any,
        actors: QuerySet[Partner],
        partners: QuerySet[Partner],
        withdrawals: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = DEPOSIT_CATEGORIES | (WITHDRAWAL_CATEGORIES if withdrawals else set())
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c.value, c.label) for c in Category if c in allowed]
        _choose_from(self, "actor", actors)
        _choose_from(self, "counterpart", partners)
        if not withdrawals:
            del self.fields["kind"]
        if len(actors) == 1:
            # A representative records for the partner they represent: nothing to choose.
            self.fields["actor"].initial = actors[0].pk
            self.fields["actor"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("kind", TrustEntry.Kind.DEPOSIT)
        actor, counterpart = data.get("actor"), data.get("counterpart")
        if actor and counterpart and actor.pk == counterpart.pk:
            self.add_error("counterpart", _("The counterpart is another partner."))
        return data


class ReverseForm(IdempotentForm):
    note = forms.CharField(
        label=_("What was wrong with this entry?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LedgerFilterForm(forms.Form):
    partner = PartnerChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Any partner"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *TrustEntry.Kind.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any category")), *Category.choices], required=False
    )
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self, "partner", partners)

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            month = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None
        if not 2000 <= month.year <= 9000:
            raise forms.ValidationError(_("Give a month between the years 2000 and 9000."))
        return month


class CommitmentForm(forms.Form):
    owner = PartnerChoiceField(label=_("Who promises?"), queryset=Partner.objects.none())
    beneficiary = PartnerChoiceField(label=_("To whom?"), queryset=Partner.objects.none())
    description = forms.CharField(
        label=_("The promise"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Send the delivery data for March")}),
    )
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, owners: QuerySet[Partner], partners: QuerySet[Partner], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self, "owner", owners)
        _choose_from(self, "beneficiary", partners)
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0].pk
            self.fields["owner"].widget = forms.HiddenInput()


class CheckInOpenForm(forms.Form):
    anonymous = forms.BooleanField(
        label=_("Anonymous round"),
        required=False,
        initial=True,
        help_text=_("Results show only as averages, once at least three people answered."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The service refuses a later day; the browser's date picker stops there too.
        last = timezone.localdate() + LONGEST_ROUND
        field = self.fields["closes_on"]
        field.widget.attrs["max"] = last.isoformat()
        field.help_text = _(
            "Two weeks from today unless you choose a day, at most %(days)s days ahead."
        ) % {"days": LONGEST_ROUND.days}


RATINGS = [(n, str(n)) for n in range(1, 6)]


class CheckInAnswerForm(forms.Form):
    one_thing = forms.CharField(
        label=_("One thing we could do to make this partnership stronger"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ratings = {
            name: forms.TypedChoiceField(
                label=label,
                choices=RATINGS,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "rating"}),
                help_text=_("1 = poor, 5 = excellent"),
            )
            for name, label in ITEMS.items()
        }
        self.fields = {**ratings, **self.fields}


class PointsForm(forms.Form):
    """One number per category: what a deposit or withdrawal of that kind weighs here."""

    def __init__(self, *args: Any, initial_points: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category, points in initial_points.items():
            self.fields[category] = forms.IntegerField(
                label=Category(category).label, min_value=1, max_value=100, initial=points
            )
