"""Exit plan pages (issue 6): the plan, its shared assets, notices and their wind-down."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from alliances.views import AuthenticatedRequest


@login_required
def exit_plan(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    raise Http404


@login_required
def exit_plan_edit(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    raise Http404


@login_required
def shared_asset_add(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    raise Http404


@login_required
def exit_notice_give(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    raise Http404


@login_required
def exit_notice_detail(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def exit_notice_withdraw(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def wind_down_task_done(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int, task_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def asset_allocation_confirm(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int, asset_pk: int
) -> HttpResponse:
    raise Http404
