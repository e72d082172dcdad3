from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alliances.api.filters import _partners_of_caller
from alliances.models import Partner
from trustaccount.models import Category, Commitment, TrustEntry


class EntryFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners_of_caller,
        field_name="actor",  # the schema reads its type; the method filters both ways
        method="involving",
        label=_("Entries where this partner acts or is the counterpart."),
    )
    kind = django_filters.ChoiceFilter(choices=TrustEntry.Kind.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)

    class Meta:
        model = TrustEntry
        fields = ["partner", "kind", "category"]

    def involving(
        self, entries: QuerySet[TrustEntry], name: str, partner: Partner
    ) -> QuerySet[TrustEntry]:
        return entries.filter(Q(actor=partner) | Q(counterpart=partner))


class CommitmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices)

    class Meta:
        model = Commitment
        fields = ["status"]
