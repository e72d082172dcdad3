"""API v1 for realignment reviews and the force-majeure pause of an alliance's timers.

Writes call alliances.reviews, like the pages do; its ValidationErrors become 400s.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from alliances import reviews
from alliances.models import Partner, PartnerFit, Review

from .review_serializers import (
    CompleteInputSerializer,
    FitInputSerializer,
    PauseInputSerializer,
    ReviewDetailSerializer,
    ReviewSerializer,
    TimerPauseSerializer,
)
from .views import AllianceScopedView, _person


@dataclass
class FitRow:
    partner: Partner
    record: PartnerFit | None


class ReviewListView(AllianceScopedView, generics.ListAPIView[Review]):
    """The alliance's realignment reviews, the pending one and the history, latest due first."""

    queryset = Review.objects.none()
    serializer_class = ReviewSerializer

    def get_queryset(self) -> QuerySet[Review]:
        return self.alliance.reviews.select_related("opened_by", "completed_by")


class ReviewScopedView(AllianceScopedView):
    def get_review(self, review_pk: int) -> Review:
        queryset = self.alliance.reviews.select_related("opened_by", "completed_by")
        return get_object_or_404(queryset, pk=review_pk)

    def detail(self, review: Review) -> Response:
        partners = self.alliance.partners.select_related("organization")
        fits = {fit.partner_id: fit for fit in review.fits.select_related("recorded_by")}
        rows = [FitRow(partner, fits.get(partner.pk)) for partner in partners]
        return Response(ReviewDetailSerializer(review, context={"fits": rows}).data)

    def acted_on(self, review_pk: int) -> Response:
        # Re-read: the domain functions change the row behind the instance they were given.
        return self.detail(self.get_review(review_pk))


class ReviewDetailView(ReviewScopedView):
    """One review with each partner's strategic fit (null where none is recorded yet)."""

    @extend_schema(responses={200: ReviewDetailSerializer})
    def get(self, request: Request, alliance_pk: int, review_pk: int) -> Response:
        return self.detail(self.get_review(review_pk))


class ReviewOpenView(ReviewScopedView):
    """Open a scheduled review (managers), so partners can record their fit. The alliance goes
    under review, and managers and representatives are told."""

    @extend_schema(request=None, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, alliance_pk: int, review_pk: int) -> Response:
        reviews.review_open(review=self.get_review(review_pk), by=_person(request))
        return self.acted_on(review_pk)


class ReviewFitView(ReviewScopedView):
    """Record, or change, the caller's partner's strategic fit while the review is open (its
    partner representatives)."""

    managers_write = False

    @extend_schema(request=FitInputSerializer, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, alliance_pk: int, review_pk: int) -> Response:
        review = self.get_review(review_pk)
        # The partner the caller represents, as on the review page.
        partner = (
            Partner.objects.represented_by(request.user).filter(alliance=self.alliance).first()
        )
        if partner is None:
            raise PermissionDenied(_("Partner representatives record their organisation's fit."))
        data = self.validated(FitInputSerializer)
        reviews.review_record_fit(review=review, partner=partner, by=_person(request), **data)
        return self.acted_on(review_pk)


class ReviewCompleteView(ReviewScopedView):
    """Record the outcome of an open review (managers). The next review is scheduled; "begin
    exit" starts the alliance's exit."""

    @extend_schema(request=CompleteInputSerializer, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, alliance_pk: int, review_pk: int) -> Response:
        review = self.get_review(review_pk)
        data = self.validated(CompleteInputSerializer)
        reviews.review_complete(review=review, by=_person(request), **data)
        return self.acted_on(review_pk)


# Force majeure


class TimersPauseView(AllianceScopedView):
    """Pause every timer of the alliance for a stated reason (managers): reminders and
    deadlines stop until the timers are resumed. Everyone in the alliance is told."""

    @extend_schema(request=PauseInputSerializer, responses={201: TimerPauseSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(PauseInputSerializer)
        pause = reviews.timers_pause(alliance=self.alliance, by=_person(request), **data)
        return Response(TimerPauseSerializer(pause).data, status.HTTP_201_CREATED)


class TimersResumeView(AllianceScopedView):
    """Resume the alliance's timers (managers): every pending deadline moves on by the length
    of the pause."""

    @extend_schema(request=None, responses={200: TimerPauseSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        pause = reviews.timers_resume(alliance=self.alliance, by=_person(request))
        return Response(TimerPauseSerializer(pause).data)
