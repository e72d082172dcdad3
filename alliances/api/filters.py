from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework.request import Request

from alliances.models import Alliance, Interest, Partner


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
