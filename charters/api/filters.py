from __future__ import annotations

import django_filters

from charters.models import Ballot


class BallotFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Ballot.Status.choices)

    class Meta:
        model = Ballot
        fields = ["status"]
