"""API v1 for the interest map: goals, interests, links, the gap analysis and the portfolio.

Interests and links are read through ``alliances.alignment`` only, so another organisation
gets a summary-only interest's summary (and none of its link notes), and an own-organisation
draft of another organisation answers 404 exactly like an id that does not exist. Writes
fetch through ``alliances.access``, call the services and answer with the interest re-read as
the caller sees it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from alliances import services
from alliances.access import get_interest_to_edit, get_link_to_edit, get_partner_to_represent
from alliances.alignment import (
    SCORE_RULE,
    SeenInterest,
    SeenLink,
    alignment_for,
    portfolio,
    seen_interest,
    seen_interests,
)
from alliances.models import Alliance, Goal, Interest, InterestLink, VisibilityChange

from .filters import InterestFilter
from .interest_serializers import (
    AlignmentSerializer,
    GoalInputSerializer,
    GoalSerializer,
    InterestCreateInputSerializer,
    InterestUpdateInputSerializer,
    LinkInputSerializer,
    PortfolioEntrySerializer,
    SeenInterestSerializer,
    SeenLinkSerializer,
    VisibilityChangeSerializer,
    VisibilityInputSerializer,
)
from .views import AllianceScopedView, V1View, _person


class ComputedListView(generics.GenericAPIView[Any]):
    """A list computed from the alignment read model, paginated like the querysets are."""

    def paginated(self, items: list[Any]) -> Response:
        # DRF's paginators slice any sequence; the stubs only know querysets.
        page = self.paginate_queryset(items)  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# Goals


class GoalListView(AllianceScopedView, generics.ListAPIView[Goal]):
    """The alliance's shared goals. Coalition managers add them."""

    queryset = Goal.objects.none()
    serializer_class = GoalSerializer

    def get_queryset(self) -> QuerySet[Goal]:
        return self.alliance.goals.all()

    @extend_schema(request=GoalInputSerializer, responses={201: GoalSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(GoalInputSerializer)
        goal = services.goal_create(alliance=self.alliance, **data)
        return Response(GoalSerializer(goal).data, status.HTTP_201_CREATED)


class GoalDetailView(AllianceScopedView):
    """One shared goal. Coalition managers change or remove it (with what partners said of it)."""

    def get_goal(self, goal_pk: int) -> Goal:
        return get_object_or_404(self.alliance.goals.all(), pk=goal_pk)

    @extend_schema(responses={200: GoalSerializer})
    def get(self, request: Request, alliance_pk: int, goal_pk: int) -> Response:
        return Response(GoalSerializer(self.get_goal(goal_pk)).data)

    @extend_schema(request=GoalInputSerializer, responses={200: GoalSerializer})
    def patch(self, request: Request, alliance_pk: int, goal_pk: int) -> Response:
        goal = self.get_goal(goal_pk)
        data = self.validated(GoalInputSerializer, partial=True)
        services.goal_update(goal=goal, **data)
        return Response(GoalSerializer(goal).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, alliance_pk: int, goal_pk: int) -> Response:
        services.goal_delete(goal=self.get_goal(goal_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Interests


class InterestScopedView(AllianceScopedView):
    # A partner's interests are changed by its representatives, whatever their alliance role:
    # alliances.access checks that on the interest (404 for others' drafts, 403 otherwise).
    managers_write = False

    def to_edit(self, interest_pk: int) -> Interest:
        return get_interest_to_edit(self.request.user, self.alliance.pk, interest_pk)

    def seen(self, interest_pk: int, code: int = status.HTTP_200_OK) -> Response:
        interest = seen_interest(self.request.user, self.alliance, interest_pk)
        return Response(SeenInterestSerializer(interest).data, code)


class InterestListView(InterestScopedView, generics.ListAPIView[Any]):
    """The partners' interests the caller may see: shared ones, summaries of summary-only ones
    (`is_summary`), and their own organisation's drafts. Representatives add their partner's."""

    queryset = Interest.objects.none()
    serializer_class = SeenInterestSerializer
    filterset_class = InterestFilter

    def get_queryset(self) -> QuerySet[Any]:
        alliances = Alliance.objects.filter(pk=self.alliance.pk)
        return seen_interests(self.request.user, alliances)

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else [SeenInterest(**row) for row in page]

    @extend_schema(request=InterestCreateInputSerializer, responses={201: SeenInterestSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(InterestCreateInputSerializer)
        partner = get_partner_to_represent(request.user, alliance_pk, data.pop("partner").pk)
        interest = services.interest_create(partner=partner, by=_person(request), **data)
        return self.seen(interest.pk, status.HTTP_201_CREATED)


class InterestDetailView(InterestScopedView):
    """One interest as the caller may see it. Its partner's representatives change or remove it;
    its visibility changes only through the visibility action."""

    @extend_schema(responses={200: SeenInterestSerializer})
    def get(self, request: Request, alliance_pk: int, interest_pk: int) -> Response:
        return self.seen(interest_pk)

    @extend_schema(request=InterestUpdateInputSerializer, responses={200: SeenInterestSerializer})
    def patch(self, request: Request, alliance_pk: int, interest_pk: int) -> Response:
        interest = self.to_edit(interest_pk)
        data = self.validated(InterestUpdateInputSerializer, partial=True)
        services.interest_update(interest=interest, **data)
        return self.seen(interest_pk)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, alliance_pk: int, interest_pk: int) -> Response:
        services.interest_delete(interest=self.to_edit(interest_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InterestVisibilityView(InterestScopedView):
    """Share the interest more widely, as a summary or in full, or withdraw it (its partner's
    representatives). Every change is recorded in the visibility history."""

    @extend_schema(request=VisibilityInputSerializer, responses={200: SeenInterestSerializer})
    def post(self, request: Request, alliance_pk: int, interest_pk: int) -> Response:
        interest = self.to_edit(interest_pk)
        data = self.validated(VisibilityInputSerializer)
        services.interest_share(interest=interest, by=_person(request), **data)
        return self.seen(interest_pk)


class VisibilityHistoryView(InterestScopedView, generics.ListAPIView[VisibilityChange]):
    """Who shared the interest, when and how widely, latest first (its own organisation only)."""

    read_roles_checked = True
    queryset = VisibilityChange.objects.none()
    serializer_class = VisibilityChangeSerializer

    def get_queryset(self) -> QuerySet[VisibilityChange]:
        interest = seen_interest(self.request.user, self.alliance, self.kwargs["interest_pk"])
        if not interest.is_own:
            raise PermissionDenied(_("Only the interest's own organisation sees its history."))
        return VisibilityChange.objects.filter(interest_id=interest.id).select_related("by")


# Links


class InterestLinkListView(InterestScopedView, ComputedListView):
    """The goals that support or work against the interest. Its partner's representatives say
    which (saying it again for the same goal replaces what was said)."""

    queryset = InterestLink.objects.none()
    serializer_class = SeenLinkSerializer

    def links_seen(self, interest_pk: int) -> list[SeenLink]:
        interest = seen_interest(self.request.user, self.alliance, interest_pk)
        links = alignment_for(self.request.user, self.alliance).links
        return [link for link in links if link.interest_id == interest.id]

    @extend_schema(responses={200: SeenLinkSerializer(many=True)})
    def get(self, request: Request, alliance_pk: int, interest_pk: int) -> Response:
        return self.paginated(self.links_seen(interest_pk))

    @extend_schema(request=LinkInputSerializer, responses={201: SeenLinkSerializer})
    def post(self, request: Request, alliance_pk: int, interest_pk: int) -> Response:
        interest = self.to_edit(interest_pk)
        data = self.validated(LinkInputSerializer)
        link = services.interest_link(interest=interest, by=_person(request), **data)
        (seen,) = [s for s in self.links_seen(interest_pk) if s.id == link.pk]
        return Response(SeenLinkSerializer(seen).data, status.HTTP_201_CREATED)


class InterestLinkDetailView(InterestScopedView):
    """One link between the interest and a goal: its partner's representatives remove it."""

    @extend_schema(responses={204: None})
    def delete(
        self, request: Request, alliance_pk: int, interest_pk: int, link_pk: int
    ) -> Response:
        link = get_link_to_edit(request.user, alliance_pk, interest_pk, link_pk)
        services.interest_unlink(link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The gap analysis


class AllianceAlignmentView(AllianceScopedView):
    """The alliance's gap analysis from what the caller may see: scores (with the rule that
    computes them), red lines at risk, conflicts, unserved interests, and partners with no
    implicit interest surfaced yet."""

    @extend_schema(responses={200: AlignmentSerializer})
    def get(self, request: Request, alliance_pk: int) -> Response:
        alignment = alignment_for(request.user, self.alliance)
        return Response(AlignmentSerializer(alignment, context={"rule": SCORE_RULE}).data)


class PortfolioAlignmentView(V1View, ComputedListView):
    """Map your alliances: the open gaps of every alliance the caller sees, most urgent first
    (red lines at risk, then conflicts, then unserved interests)."""

    queryset = Alliance.objects.none()
    serializer_class = PortfolioEntrySerializer

    @extend_schema(responses={200: PortfolioEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        return self.paginated(portfolio(request.user))
