"""API v1: one view per URL, one method per operation.

Each method fetches with permission, validates its input serializer, calls the same service or
model verb as the pages, and renders the output serializer. List views name their model in
``queryset`` for the schema only: ``get_queryset()`` always starts from the caller.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, cast

from django.contrib.auth import authenticate
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from alliances import services
from alliances.access import get_alliance_for, get_organization_for
from alliances.models import (
    Alliance,
    Invitation,
    Organization,
    Partner,
    Role,
    StageTransition,
    User,
)
from alliances.notifications import person_locale

from .filters import AllianceFilter
from .serializers import (
    AllianceInputSerializer,
    AllianceSerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    OrganizationInputSerializer,
    OrganizationSerializer,
    PartnerAddInputSerializer,
    PartnerSerializer,
    PartnerUpdateInputSerializer,
    RoleGrantInputSerializer,
    RoleSerializer,
    StageChangeInputSerializer,
    StageTransitionSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


def _person(request: Request) -> User:
    # IsAuthenticated has turned everyone else away before any handler runs.
    return cast(User, request.user)


class V1View(APIView):
    # alliances.middleware speaks the signed-in person's language in their time zone, but a
    # token is read here, after it. So once DRF has authenticated the caller, their own
    # language (if they chose one; else the one LocaleMiddleware took from the request) and
    # time zone hold until the response is rendered, errors included; then what was active
    # before comes back.
    _locale: ExitStack

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with ExitStack() as self._locale:
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):
                response.render()  # rendered later, the text would lose the person's language
            response.headers["Content-Language"] = translation.get_language()
            return response

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        person = request.user
        if person.is_authenticated and hasattr(self, "_locale"):
            fallback = translation.get_language() or ""
            self._locale.enter_context(person_locale(person, fallback_language=fallback))

    def validated(
        self, serializer_class: type[serializers.Serializer[Any]], *, partial: bool = False
    ) -> dict[str, Any]:
        context = {"request": self.request, "view": self}
        serializer = serializer_class(data=self.request.data, partial=partial, context=context)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


# View docstrings are the operations' descriptions in the API docs: the bases have none.


class AllianceScopedView(V1View):
    # Everything under /alliances/{alliance_pk}/. The alliance is fetched before any handler,
    # whatever the method, so a non-member gets 404 even for a method the URL does not offer.
    # Writes need the coalition manager role, unless ``managers_write`` is off because the
    # handler checks another role on the object itself (a partner's interests are its
    # representatives' to change); reads need it where ``managers_only`` is set.
    managers_only = False
    managers_write = True
    alliance: Alliance

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        writes = request.method not in SAFE_METHODS
        manage = self.managers_only or (writes and self.managers_write)
        self.alliance = get_alliance_for(request.user, kwargs["alliance_pk"], manage=manage)


# Sign-in


class TokenView(V1View):
    """Exchange an email address and password for an API token (send it as `Token <key>`)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        data = self.validated(TokenRequestSerializer)
        person = authenticate(request._request, email=data["email"], password=data["password"])
        if person is None:
            raise ValidationError(
                {"non_field_errors": [_("Unable to sign in with this email and password.")]}
            )
        token, _created = Token.objects.get_or_create(user=person)
        return Response(TokenSerializer({"token": token.key}).data)


# Alliances


def _alliances_of(person: User) -> QuerySet[Alliance]:
    return (
        Alliance.objects.visible_to(person)
        .with_roles_of(person)
        .annotate(partner_count=Count("partners"))
        .order_by("name", "pk")  # Meta.ordering does not apply to aggregating queries
    )


def _alliance_data(person: User, alliance: Alliance) -> Any:
    return AllianceSerializer(_alliances_of(person).get(pk=alliance.pk)).data


class AllianceListView(V1View, generics.ListAPIView[Alliance]):
    """The caller's alliances. Whoever creates one becomes its first coalition manager."""

    queryset = Alliance.objects.none()
    serializer_class = AllianceSerializer
    filterset_class = AllianceFilter

    def get_queryset(self) -> QuerySet[Alliance]:
        return _alliances_of(_person(self.request))

    @extend_schema(request=AllianceInputSerializer, responses={201: AllianceSerializer})
    def post(self, request: Request) -> Response:
        data = self.validated(AllianceInputSerializer)
        alliance = services.alliance_create(by=_person(request), **data)
        return Response(_alliance_data(_person(request), alliance), status.HTTP_201_CREATED)


class AllianceDetailView(AllianceScopedView):
    """One alliance. Its coalition managers may change it."""

    @extend_schema(responses={200: AllianceSerializer})
    def get(self, request: Request, alliance_pk: int) -> Response:
        return Response(_alliance_data(_person(request), self.alliance))

    @extend_schema(request=AllianceInputSerializer, responses={200: AllianceSerializer})
    def patch(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(AllianceInputSerializer, partial=True)
        services.alliance_update(alliance=self.alliance, **data)
        return Response(_alliance_data(_person(request), self.alliance))


class AllianceStageView(AllianceScopedView):
    """Move the alliance along its lifecycle (managers). Only the allowed transitions succeed."""

    @extend_schema(request=StageChangeInputSerializer, responses={201: StageTransitionSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(StageChangeInputSerializer)
        transition = self.alliance.move_to(data["stage"], by=_person(request), note=data["note"])
        return Response(StageTransitionSerializer(transition).data, status.HTTP_201_CREATED)


class StageHistoryView(AllianceScopedView, generics.ListAPIView[StageTransition]):
    """The alliance's lifecycle so far, latest first: who moved it, when and why."""

    queryset = StageTransition.objects.none()
    serializer_class = StageTransitionSerializer

    def get_queryset(self) -> QuerySet[StageTransition]:
        return self.alliance.transitions.select_related("by")


# Partners


class PartnerListView(AllianceScopedView, generics.ListAPIView[Partner]):
    """The partner organisations of the alliance. Managers add organisations they can see."""

    queryset = Partner.objects.none()
    serializer_class = PartnerSerializer

    def get_queryset(self) -> QuerySet[Partner]:
        return self.alliance.partners.select_related("organization")

    @extend_schema(request=PartnerAddInputSerializer, responses={201: PartnerSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(PartnerAddInputSerializer)
        partner = services.partner_add(alliance=self.alliance, **data)
        return Response(PartnerSerializer(partner).data, status.HTTP_201_CREATED)


class PartnerDetailView(AllianceScopedView):
    """One partner of the alliance. Managers change its share and dates."""

    def get_partner(self, partner_pk: int) -> Partner:
        return get_object_or_404(
            self.alliance.partners.select_related("organization"), pk=partner_pk
        )

    @extend_schema(responses={200: PartnerSerializer})
    def get(self, request: Request, alliance_pk: int, partner_pk: int) -> Response:
        return Response(PartnerSerializer(self.get_partner(partner_pk)).data)

    @extend_schema(request=PartnerUpdateInputSerializer, responses={200: PartnerSerializer})
    def patch(self, request: Request, alliance_pk: int, partner_pk: int) -> Response:
        partner = self.get_partner(partner_pk)
        data = self.validated(PartnerUpdateInputSerializer, partial=True)
        services.partner_update(partner=partner, **data)
        return Response(PartnerSerializer(partner).data)


# Roles


class RoleListView(AllianceScopedView, generics.ListAPIView[Role]):
    """Who does what in the alliance. Managers give members further roles; newcomers are invited."""

    queryset = Role.objects.none()
    serializer_class = RoleSerializer

    def get_queryset(self) -> QuerySet[Role]:
        return self.alliance.roles.select_related("person")

    @extend_schema(request=RoleGrantInputSerializer, responses={201: RoleSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(RoleGrantInputSerializer)
        person = self.member(data["person_email"])
        role = services.role_grant(
            alliance=self.alliance, person=person, kind=data["kind"], partner=data["partner"]
        )
        return Response(RoleSerializer(role).data, status.HTTP_201_CREATED)

    def member(self, email: str) -> User:
        # New people come in through invitations, which they accept themselves.
        person = User.objects.filter(
            alliance_roles__alliance=self.alliance, email__iexact=email
        ).first()
        if person is None:
            raise ValidationError(
                {"person_email": [_("Nobody with this email holds a role here: invite them.")]}
            )
        return person


class RoleDetailView(AllianceScopedView):
    """One role. Managers revoke it, except the alliance's last coalition manager."""

    def get_role(self, role_pk: int) -> Role:
        return get_object_or_404(self.alliance.roles.select_related("person"), pk=role_pk)

    @extend_schema(responses={200: RoleSerializer})
    def get(self, request: Request, alliance_pk: int, role_pk: int) -> Response:
        return Response(RoleSerializer(self.get_role(role_pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, alliance_pk: int, role_pk: int) -> Response:
        services.role_revoke(role=self.get_role(role_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Invitations carry email addresses: they are a manager's business only.


class InvitationListView(AllianceScopedView, generics.ListAPIView[Invitation]):
    """Invitations to the alliance (managers only). The link goes out by email, never here."""

    managers_only = True
    queryset = Invitation.objects.none()
    serializer_class = InvitationSerializer

    def get_queryset(self) -> QuerySet[Invitation]:
        return self.alliance.invitations.select_related("invited_by")

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(InvitationInputSerializer)
        invitation, _token = services.invitation_create(
            alliance=self.alliance, by=_person(request), **data
        )
        return Response(InvitationSerializer(invitation).data, status.HTTP_201_CREATED)


class InvitationScopedView(AllianceScopedView):
    managers_only = True

    def get_invitation(self, invitation_pk: int) -> Invitation:
        invitations = self.alliance.invitations.select_related("invited_by")
        return get_object_or_404(invitations, pk=invitation_pk)


class InvitationDetailView(InvitationScopedView):
    """One invitation and its state (managers only)."""

    @extend_schema(responses={200: InvitationSerializer})
    def get(self, request: Request, alliance_pk: int, invitation_pk: int) -> Response:
        return Response(InvitationSerializer(self.get_invitation(invitation_pk)).data)


class InvitationRevokeView(InvitationScopedView):
    """Revoke a pending invitation, so its link stops working (managers only)."""

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request: Request, alliance_pk: int, invitation_pk: int) -> Response:
        invitation = self.get_invitation(invitation_pk)
        services.invitation_revoke(invitation=invitation)
        invitation.refresh_from_db()
        return Response(InvitationSerializer(invitation).data)


# Organisations


class OrganizationListView(V1View, generics.ListAPIView[Organization]):
    """Organisations the caller belongs to or shares an alliance with. The creator becomes a member."""

    queryset = Organization.objects.none()
    serializer_class = OrganizationSerializer

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(_person(self.request))

    @extend_schema(request=OrganizationInputSerializer, responses={201: OrganizationSerializer})
    def post(self, request: Request) -> Response:
        data = self.validated(OrganizationInputSerializer)
        organization = services.organization_create(by=_person(request), **data)
        return Response(OrganizationSerializer(organization).data, status.HTTP_201_CREATED)


class OrganizationDetailView(V1View):
    """One organisation. Its members may change it."""

    @extend_schema(responses={200: OrganizationSerializer})
    def get(self, request: Request, organization_pk: int) -> Response:
        organization = get_organization_for(request.user, organization_pk)
        return Response(OrganizationSerializer(organization).data)

    @extend_schema(request=OrganizationInputSerializer, responses={200: OrganizationSerializer})
    def patch(self, request: Request, organization_pk: int) -> Response:
        organization = get_organization_for(request.user, organization_pk, manage=True)
        data = self.validated(OrganizationInputSerializer, partial=True)
        services.organization_update(organization=organization, **data)
        return Response(OrganizationSerializer(organization).data)
