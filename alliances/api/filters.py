from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from alliances.models import Alliance, Interest, Notification, Partner


class AllianceFilter(django_filters.FilterSet):
    class Meta:
        model = Alliance
        fields = ["stage", "form", "market_pace"]


def _partners_of_caller(request: Request | None) -> QuerySet[Partner]:
    # A partner of another of the caller's alliances filters to nothing; others' are a 400.
    if request is None:
        return Partner.objects.none()
    return Partner.objects.visible_to(request.user)


class InterestFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(queryset=_partners_of_caller)
    kind = django_filters.ChoiceFilter(choices=Interest.Kind.choices)
    red_line = django_filters.BooleanFilter(field_name="is_red_line")

    class Meta:
        model = Interest
        fields = ["partner", "kind", "red_line"]


class StrictBooleanField(forms.NullBooleanField):
    """``true`` or ``false``: another word is a 400, not a filter silently left out."""

    widget = forms.TextInput  # the select widgets turn an unknown word into "no filter"

    def to_python(self, value: Any) -> Any:
        result = super().to_python(value)
        if result is None and value not in self.empty_values:
            raise forms.ValidationError(_("Use true or false."), code="invalid")
        return result


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class NotificationFilter(django_filters.FilterSet):
    unread = StrictBooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label=_("Only the unread ones (true) or only the read ones (false)."),
    )

    class Meta:
        model = Notification
        fields = ["unread"]
