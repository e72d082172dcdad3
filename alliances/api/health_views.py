"""API v1 of alliance health: the health now, its recorded history and the guide's advice.

Health is the same for everyone in the alliance (``alliances.health`` uses only what every
member may see), so these are reads for any member; outsiders get 404 like everywhere.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from alliances import health
from alliances.models import HealthSnapshot, ReviewTrigger

from .health_serializers import (
    AdviceSerializer,
    HealthSerializer,
    HealthSnapshotSerializer,
    ReviewTriggerSerializer,
)
from .views import AllianceScopedView


class HealthView(AllianceScopedView):
    """The alliance's health now, per layer (strategic: why we are together; operational: how
    we work together; relational: how we build trust): each layer's score and state from the
    facts listed under it, each fact with its rule and where it is recorded; the guide's
    warnings when one layer is strong and another weak; and the next moves."""

    @extend_schema(responses={200: HealthSerializer})
    def get(self, request: Request, alliance_pk: int) -> Response:
        assessed = health.assess(self.alliance)
        return Response(HealthSerializer(assessed, context={"alliance": self.alliance}).data)


class HealthHistoryFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        field_name="recorded_on",
        lookup_expr="gte",
        label=_("Only days from this one on (YYYY-MM-DD)."),
    )

    class Meta:
        model = HealthSnapshot
        fields = ["since"]


class HealthHistoryView(AllianceScopedView, generics.ListAPIView[HealthSnapshot]):
    """The alliance's layer scores day by day, oldest first, as the "health-checks" timer
    recorded them (once a day; a later check the same day replaces that day's scores)."""

    queryset = HealthSnapshot.objects.none()
    serializer_class = HealthSnapshotSerializer
    filterset_class = HealthHistoryFilter

    def get_queryset(self) -> QuerySet[HealthSnapshot]:
        return self.alliance.health_history.order_by("recorded_on")


class AdviceView(AllianceScopedView):
    """Advice from the guide that fits the alliance's shape (power asymmetry, cross-border
    partners, a fast market, differing decision cultures, a tiny or short alliance, a partner
    not contributing), each with its reason and where to act."""

    @extend_schema(responses={200: AdviceSerializer(many=True)})
    def get(self, request: Request, alliance_pk: int) -> Response:
        advice: list[Any] = health.advice_for(self.alliance)
        return Response(AdviceSerializer(advice, many=True).data)


class ReviewTriggerFilter(django_filters.FilterSet):
    active = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_active",
        label=_("true: only conditions that still count; false: only cleared ones."),
    )

    def filter_active(
        self, queryset: QuerySet[ReviewTrigger], name: str, value: str
    ) -> QuerySet[ReviewTrigger]:
        return queryset.filter(cleared_at__isnull=value == "true")

    class Meta:
        model = ReviewTrigger
        fields = ["active"]


class ReviewTriggerListView(AllianceScopedView, generics.ListAPIView[ReviewTrigger]):
    """The conditions that opened a realignment review early (a layer at risk, open
    escalations or missed commitments at the alliance's thresholds, a partner's notice), most
    recent first, each with its reason and the review it opened or joined."""

    queryset = ReviewTrigger.objects.none()
    serializer_class = ReviewTriggerSerializer
    filterset_class = ReviewTriggerFilter

    def get_queryset(self) -> QuerySet[ReviewTrigger]:
        return self.alliance.review_triggers.order_by("-fired_at", "-pk")
