"""API v1 for leaving an alliance: the exit plan and its shared assets, exit notices with
their wind-down checklists and asset allocations. Writes call charters.exits, like the pages.

Any member of the alliance reads. Coalition managers agree the plan and its assets. Notice is
given, or withdrawn, by a manager or by a representative of the leaving partner; a task is
ticked off by its owner partner's people or a manager; an asset's allocation is confirmed,
for a party, by that partner's representative or steering member.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from alliances.api.schema import ErrorSerializer
from alliances.api.views import AllianceScopedView, _person
from alliances.models import Partner
from charters import exits
from charters.models import AssetConfirmation, ExitNotice, ExitPlan, SharedAsset, WindDownTask

from .access import require, require_acting_for
from .escalation_serializers import PartyInputSerializer
from .exit_serializers import (
    ExitNoticeDetailSerializer,
    ExitNoticeInputSerializer,
    ExitNoticeSerializer,
    ExitPlanInputSerializer,
    ExitPlanSerializer,
    SharedAssetInputSerializer,
    SharedAssetSerializer,
)

# Exit plan


class ExitPlanScopedView(AllianceScopedView):
    def plan(self) -> ExitPlan | None:
        return ExitPlan.objects.filter(alliance=self.alliance).first()

    def assets(self) -> QuerySet[SharedAsset]:
        return SharedAsset.objects.filter(plan__alliance=self.alliance).select_related(
            "contributed_by__organization"
        )

    def plan_data(self) -> Any:
        plan = get_object_or_404(
            ExitPlan.objects.select_related("updated_by").prefetch_related(
                Prefetch("assets", queryset=self.assets())
            ),
            alliance=self.alliance,
        )
        return ExitPlanSerializer(plan).data


class ExitPlanView(ExitPlanScopedView):
    """The exit plan agreed in advance: notice period, non-disparagement, data and transition
    terms, and the shared-asset register. Managers write it whole."""

    @extend_schema(
        responses={
            200: ExitPlanSerializer,
            404: OpenApiResponse(ErrorSerializer, _("No exit plan has been agreed yet.")),
        }
    )
    def get(self, request: Request, alliance_pk: int) -> Response:
        if self.plan() is None:
            raise NotFound(_("No exit plan has been agreed yet."))
        return Response(self.plan_data())

    @extend_schema(request=ExitPlanInputSerializer, responses={200: ExitPlanSerializer})
    def put(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(ExitPlanInputSerializer)
        exits.exit_plan_save(alliance=self.alliance, by=_person(request), **data)
        return Response(self.plan_data())


class SharedAssetListView(ExitPlanScopedView, generics.ListAPIView[SharedAsset]):
    """The shared-asset register: who contributed each asset, how it is divided and where it
    goes on exit. Managers add assets once the plan exists."""

    queryset = SharedAsset.objects.none()
    serializer_class = SharedAssetSerializer

    def get_queryset(self) -> QuerySet[SharedAsset]:
        return self.assets()

    @extend_schema(request=SharedAssetInputSerializer, responses={201: SharedAssetSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(SharedAssetInputSerializer)
        plan = self.plan()
        if plan is None:
            raise ValidationError(
                {"non_field_errors": [_("Agree on an exit plan first: assets belong to it.")]}
            )
        asset = exits.shared_asset_add(plan=plan, **data)
        return Response(SharedAssetSerializer(asset).data, status.HTTP_201_CREATED)


# Exit notices


class NoticeScopedView(ExitPlanScopedView):
    managers_write = False  # each write checks the partners the caller acts for

    def notices(self) -> QuerySet[ExitNotice]:
        tasks = WindDownTask.objects.select_related("owner__organization", "done_by")
        return (
            ExitNotice.objects.filter(alliance=self.alliance)
            .select_related("partner__organization", "given_by")
            .prefetch_related(Prefetch("tasks", queryset=tasks))
        )

    def get_notice(self, notice_pk: int) -> ExitNotice:
        return get_object_or_404(self.notices(), pk=notice_pk)

    def require_manager_or_representative(self, partner: Partner) -> None:
        person = _person(self.request)
        require(
            self.alliance.is_managed_by(person)
            or Partner.objects.represented_by(person).filter(pk=partner.pk).exists(),
            _("Only coalition managers and the partner's representatives can do this."),
        )

    def detail(self, notice_pk: int, code: int = status.HTTP_200_OK) -> Response:
        notice = self.get_notice(notice_pk)
        assets = self.assets()
        confirmations = list(
            AssetConfirmation.objects.filter(notice=notice).select_related(
                "partner__organization", "by"
            )
        )
        allocations = [
            {
                "asset": asset,
                "parties": list({p.pk: p for p in (notice.partner, asset.contributed_by)}.values()),
                "confirmations": [c for c in confirmations if c.asset_id == asset.pk],
            }
            for asset in assets
        ]
        context = {"allocations": allocations}
        return Response(ExitNoticeDetailSerializer(notice, context=context).data, code)


class ExitNoticeListView(NoticeScopedView, generics.ListAPIView[ExitNotice]):
    """Exit notices, soonest effective first, each with its wind-down checklist. A manager,
    or a representative for its own partner, gives notice: the effective date follows from
    the plan's notice period and the checklist from its terms and assets."""

    queryset = ExitNotice.objects.none()
    serializer_class = ExitNoticeSerializer

    def get_queryset(self) -> QuerySet[ExitNotice]:
        return self.notices()

    @extend_schema(request=ExitNoticeInputSerializer, responses={201: ExitNoticeDetailSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(ExitNoticeInputSerializer)
        self.require_manager_or_representative(data["partner"])
        notice = exits.exit_notice_give(by=_person(request), **data)
        return self.detail(notice.pk, status.HTTP_201_CREATED)


class ExitNoticeDetailView(NoticeScopedView):
    """One exit notice: its dates, wind-down checklist and each shared asset's allocation
    with the parties that have confirmed it."""

    @extend_schema(responses={200: ExitNoticeDetailSerializer})
    def get(self, request: Request, alliance_pk: int, notice_pk: int) -> Response:
        return self.detail(notice_pk)


class ExitNoticeWithdrawView(NoticeScopedView):
    """Withdraw a pending notice (a manager, or the leaving partner's representative)."""

    @extend_schema(request=None, responses={200: ExitNoticeDetailSerializer})
    def post(self, request: Request, alliance_pk: int, notice_pk: int) -> Response:
        notice = self.get_notice(notice_pk)
        self.require_manager_or_representative(notice.partner)
        exits.exit_notice_withdraw(notice=notice)
        return self.detail(notice_pk)


class WindDownTaskDoneView(NoticeScopedView):
    """Tick off a wind-down task: its owner partner's representatives or steering members,
    or a manager."""

    @extend_schema(request=None, responses={200: ExitNoticeDetailSerializer})
    def post(self, request: Request, alliance_pk: int, notice_pk: int, task_pk: int) -> Response:
        notice = self.get_notice(notice_pk)
        task = get_object_or_404(notice.tasks.select_related("owner"), pk=task_pk)
        if not self.alliance.is_managed_by(_person(request)):
            require_acting_for(_person(request), task.owner)
        exits.wind_down_task_done(task=task, by=_person(request))
        return self.detail(notice_pk)


class AssetConfirmView(NoticeScopedView):
    """Confirm, for a party, how a shared asset is allocated as the partner leaves: the
    leaving partner and the asset's contributor each confirm."""

    @extend_schema(request=PartyInputSerializer, responses={200: ExitNoticeDetailSerializer})
    def post(self, request: Request, alliance_pk: int, notice_pk: int, asset_pk: int) -> Response:
        notice = self.get_notice(notice_pk)
        asset = get_object_or_404(self.assets(), pk=asset_pk)
        data = self.validated(PartyInputSerializer)
        require_acting_for(_person(request), data["partner"])
        exits.asset_allocation_confirm(notice=notice, asset=asset, by=_person(request), **data)
        return self.detail(notice_pk)
