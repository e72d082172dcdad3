"""API v1 for escalations: the list with time left, one escalation with its timeline, and
its actions. Writes call charters.escalations, like the pages do, and ask it who may act
(``may_raise``, ``standing``), so pages and API share one rule.

Any member of the alliance reads and comments. Coalition managers and partner
representatives raise escalations (a partner not contributing: managers only). The managers,
the parties' representatives and steering members, and the people the current level brings
in resolve, propose and escalate; only the raiser withdraws; a party's representative or
steering member asks for more time, or consents, for that partner only.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from alliances.api.views import AllianceScopedView, _person
from alliances.models import Partner
from charters import escalations
from charters.models import Escalation, EscalationEvent

from .access import require, require_acting_for
from .escalation_serializers import (
    EscalationDetailSerializer,
    EscalationRaiseInputSerializer,
    EscalationSerializer,
    ExtensionAskInputSerializer,
    PartyInputSerializer,
    ResolveInputSerializer,
    TextInputSerializer,
)
from .filters import EscalationFilter


def _partners() -> Prefetch:
    return Prefetch("partners", queryset=Partner.objects.select_related("organization"))


class EscalationScopedView(AllianceScopedView):
    def escalations(self) -> QuerySet[Escalation]:
        return (
            Escalation.objects.filter(alliance=self.alliance)
            .select_related("raised_by", "against__organization")
            .prefetch_related(_partners())
        )

    def get_escalation(self, escalation_pk: int) -> Escalation:
        return get_object_or_404(self.escalations(), pk=escalation_pk)

    def detail(self, escalation_pk: int, code: int = status.HTTP_200_OK) -> Response:
        # Re-read: the services change the row behind the instance they were given.
        events = EscalationEvent.objects.select_related("by", "partner__organization")
        escalation = get_object_or_404(
            self.escalations()
            .select_related("closed_by")
            .prefetch_related(Prefetch("events", queryset=events)),
            pk=escalation_pk,
        )
        context = {"now": timezone.now()}
        return Response(EscalationDetailSerializer(escalation, context=context).data, code)


class ActingView(EscalationScopedView):
    managers_write = False  # the parties and the current level's people act too

    def get_acting(self, escalation_pk: int) -> Escalation:
        escalation = self.get_escalation(escalation_pk)
        require(
            escalations.standing(_person(self.request), escalation).can_act,
            _("The managers, the parties and the people of the current level act on it."),
        )
        return escalation


class EscalationListView(EscalationScopedView, generics.ListAPIView[Escalation]):
    """The alliance's escalations, latest first, each with its level, deadline and time left.
    Managers and partner representatives raise one; a partner not contributing is raised by
    managers only, naming the partner and the evidence."""

    queryset = Escalation.objects.none()
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    managers_write = False  # representatives raise too: checked in post

    def get_queryset(self) -> QuerySet[Escalation]:
        return self.escalations()

    def get_serializer_context(self) -> dict[str, object]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        request=EscalationRaiseInputSerializer, responses={201: EscalationDetailSerializer}
    )
    def post(self, request: Request, alliance_pk: int) -> Response:
        person = _person(request)
        require(
            escalations.may_raise(person, self.alliance),
            _("Coalition managers and partner representatives raise escalations."),
        )
        data = self.validated(EscalationRaiseInputSerializer)
        require(
            self.alliance.is_managed_by(person) or data["kind"] != Escalation.Kind.NOT_CONTRIBUTING,
            _("Only coalition managers say that a partner is not contributing."),
        )
        escalation = escalations.escalation_raise(alliance=self.alliance, by=person, **data)
        return self.detail(escalation.pk, status.HTTP_201_CREATED)


class EscalationDetailView(EscalationScopedView):
    """One escalation: the ladder it climbs, its level and time left, the steering committee's
    ballot once there is one, and its timeline of events."""

    @extend_schema(responses={200: EscalationDetailSerializer})
    def get(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        return self.detail(escalation_pk)


class EscalationResolveView(ActingView):
    """Record what was agreed, at the level the caller saw: an escalation that has
    climbed in the meantime refuses, so a resolution racing its deadline never lands twice."""

    @extend_schema(request=ResolveInputSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_acting(escalation_pk)
        data = self.validated(ResolveInputSerializer)
        escalations.escalation_resolve(
            escalation=escalation,
            by=_person(request),
            resolution=data["resolution"],
            level=data["level"],
        )
        return self.detail(escalation_pk)


class EscalationWithdrawView(EscalationScopedView):
    """Withdraw an open escalation: only the person who raised it can."""

    managers_write = False  # escalation_withdraw checks the raiser

    @extend_schema(request=None, responses={200: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_escalation(escalation_pk)
        escalations.escalation_withdraw(escalation=escalation, by=_person(request))
        return self.detail(escalation_pk)


class EscalationEscalateView(ActingView):
    """Move it up one level by hand, before its deadline. Reaching the steering committee
    puts the proposed resolutions to its vote."""

    @extend_schema(request=None, responses={200: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_acting(escalation_pk)
        escalations.escalation_escalate(escalation=escalation, by=_person(request))
        return self.detail(escalation_pk)


class EscalationProposalView(ActingView):
    """Propose a resolution: the proposals become the options of the steering committee's
    ballot."""

    @extend_schema(request=TextInputSerializer, responses={201: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_acting(escalation_pk)
        data = self.validated(TextInputSerializer)
        escalations.escalation_propose(escalation=escalation, by=_person(request), **data)
        return self.detail(escalation_pk, status.HTTP_201_CREATED)


class EscalationCommentView(EscalationScopedView):
    """Comment on the escalation's timeline (any member of the alliance)."""

    managers_write = False

    @extend_schema(request=TextInputSerializer, responses={201: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_escalation(escalation_pk)
        data = self.validated(TextInputSerializer)
        escalations.escalation_comment(escalation=escalation, by=_person(request), **data)
        return self.detail(escalation_pk, status.HTTP_201_CREATED)


class PartyView(EscalationScopedView):
    managers_write = False  # the caller must speak for the partner named in the body


class ExtensionAskView(PartyView):
    """Ask, for a party, for more time at the current level: once per level, and it takes
    effect only when every other party consents."""

    @extend_schema(request=ExtensionAskInputSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_escalation(escalation_pk)
        data = self.validated(ExtensionAskInputSerializer)
        require_acting_for(_person(request), data["partner"])
        escalations.extension_ask(escalation=escalation, by=_person(request), **data)
        return self.detail(escalation_pk)


class ExtensionConsentView(PartyView):
    """Consent, for a party, to the extension asked at the current level."""

    @extend_schema(request=PartyInputSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request: Request, alliance_pk: int, escalation_pk: int) -> Response:
        escalation = self.get_escalation(escalation_pk)
        data = self.validated(PartyInputSerializer)
        require_acting_for(_person(request), data["partner"])
        escalations.extension_consent(escalation=escalation, by=_person(request), **data)
        return self.detail(escalation_pk)
