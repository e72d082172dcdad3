from __future__ import annotations

import django_filters

from alliances.models import Alliance


class AllianceFilter(django_filters.FilterSet):
    class Meta:
        model = Alliance
        fields = ["stage", "form", "market_pace"]
