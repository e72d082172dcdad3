from __future__ import annotations

import django_filters

from charters.models import Ballot, Escalation


class BallotFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Ballot.Status.choices)

    class Meta:
        model = Ballot
        fields = ["status"]


class EscalationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Escalation.Status.choices)
    level = django_filters.NumberFilter(min_value=0, max_value=100)

    class Meta:
        model = Escalation
        fields = ["status", "level"]
