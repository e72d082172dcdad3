"""Exit plan pages (issue 6): the plan, its shared assets, notices and their wind-down.

Managers keep the plan. A manager, or a representative for its own partner, gives notice and
may withdraw it. The owner's people tick off wind-down tasks; the leaving partner and an
asset's contributor confirm how the asset is allocated.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.access import get_alliance_for
from alliances.forms import add_service_error
from alliances.models import Alliance, Partner, Role, User
from alliances.views import AuthenticatedRequest

from . import exits as service
from .forms_escalations import (
    DissolutionForm,
    ExitNoticeForm,
    ExitPlanForm,
    PartnerChoiceField,
    SharedAssetForm,
)
from .models import AssetConfirmation, ExitNotice, ExitPlan, SharedAsset, WindDownTask


def _plan_of(alliance: Alliance) -> ExitPlan | None:
    return ExitPlan.objects.filter(alliance=alliance).first()


def _my_partner_ids(user: User, alliance: Alliance) -> set[int]:
    """The partners the person speaks for in the alliance (representative or steering)."""
    roles = Role.objects.filter(alliance=alliance, person=user, partner__isnull=False)
    return set(roles.values_list("partner_id", flat=True))


def _notices(alliance: Alliance) -> QuerySet[ExitNotice]:
    tasks = WindDownTask.objects.select_related("owner__organization", "done_by")
    confirmations = AssetConfirmation.objects.select_related("partner__organization", "by")
    return (
        ExitNotice.objects.filter(alliance=alliance)
        .select_related("partner__organization", "given_by")
        .prefetch_related(
            Prefetch("tasks", queryset=tasks), Prefetch("confirmations", queryset=confirmations)
        )
    )


def _assets(plan: ExitPlan | None) -> list[SharedAsset]:
    if plan is None:
        return []
    return list(plan.assets.select_related("contributed_by__organization"))


@login_required
def exit_plan(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    plan = _plan_of(alliance)
    notices = list(_notices(alliance))
    context = {
        "alliance": alliance,
        "plan": plan,
        "assets": _assets(plan),
        "pending": [n for n in notices if n.status == ExitNotice.Status.PENDING],
        "past": [n for n in notices if n.status != ExitNotice.Status.PENDING],
        "is_manager": alliance.is_managed_by(request.user),
        "may_give_notice": _givable(request.user, alliance).exists(),
    }
    return render(request, "exits/exit_plan.html", context)


@login_required
def exit_plan_edit(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = ExitPlanForm(request.POST or None, instance=_plan_of(alliance))
    if request.method == "POST" and form.is_valid():
        try:
            service.exit_plan_save(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The exit plan is saved."))
            return redirect("exit_plan", alliance_pk=alliance.pk)
    return render(request, "exits/exit_plan_form.html", {"alliance": alliance, "form": form})


@login_required
def shared_asset_add(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    plan = _plan_of(alliance)
    if plan is None:
        messages.error(request, _("Agree on the exit plan first, then list its shared assets."))
        return redirect("exit_plan_edit", alliance_pk=alliance.pk)
    form = SharedAssetForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        try:
            service.shared_asset_add(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The shared asset is on the register."))
            return redirect("exit_plan", alliance_pk=alliance.pk)
    return render(request, "exits/shared_asset_form.html", {"alliance": alliance, "form": form})


def _givable(user: User, alliance: Alliance) -> QuerySet[Partner]:
    """The partners for which the person may give notice: any, for a manager; else their own."""
    partners = alliance.partners.filter(exited_on__isnull=True).select_related("organization")
    if alliance.is_managed_by(user):
        return partners
    return partners.filter(pk__in=Partner.objects.represented_by(user).values("pk"))


def _effective_on(plan: ExitPlan | None, given_on: Any) -> dt.date | None:
    """The effective date to show beside the form, for any date a person could mean."""
    if plan is None or not isinstance(given_on, dt.date) or not 1900 <= given_on.year <= 9000:
        return None
    return given_on + timedelta(days=plan.notice_period_days)


@login_required
def exit_notice_give(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    partners = _givable(request.user, alliance)
    if not partners.exists():
        raise PermissionDenied(_("A manager, or a partner's representative, gives its notice."))
    form = ExitNoticeForm(
        request.POST or None,
        initial={"given_on": timezone.localdate(), "partner": request.GET.get("partner")},
    )
    form.fields["partner"] = PartnerChoiceField(label=_("Leaving partner"), queryset=partners)
    form.order_fields(["partner"])
    plan = _plan_of(alliance)
    if request.method == "POST" and form.is_valid():
        try:
            notice = service.exit_notice_give(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The notice is given and the wind-down checklist is made."))
            return redirect("exit_notice_detail", alliance_pk=alliance.pk, notice_pk=notice.pk)
    given_on = form["given_on"].value()
    if request.htmx:
        given_on = request.GET.get("given_on")
    context = {
        "alliance": alliance,
        "form": form,
        "plan": plan,
        "effective_on": _effective_on(plan, _as_date(given_on)),
    }
    template = "exits/exit_notice_form.html"
    return render(request, template + "#effective" if request.htmx else template, context)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _get_notice_for(request: AuthenticatedRequest, alliance_pk: int, notice_pk: int) -> ExitNotice:
    alliance = get_alliance_for(request.user, alliance_pk)
    return get_object_or_404(_notices(alliance).select_related("alliance"), pk=notice_pk)


@login_required
def exit_notice_detail(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int
) -> HttpResponse:
    notice = _get_notice_for(request, alliance_pk, notice_pk)
    alliance = notice.alliance
    mine = _my_partner_ids(request.user, alliance)
    is_manager = alliance.is_managed_by(request.user)
    plan = _plan_of(alliance)
    confirmed = {(c.asset_id, c.partner_id): c for c in notice.confirmations.all()}
    allocations = []
    for asset in _assets(plan):
        parties = list(dict.fromkeys([notice.partner, asset.contributed_by]))
        rows = [(party, confirmed.get((asset.pk, party.pk)), party.pk in mine) for party in parties]
        allocations.append((asset, rows))
    context = {
        "alliance": alliance,
        "notice": notice,
        "tasks": notice.tasks.all(),
        "mine": mine,
        "is_manager": is_manager,
        "allocations": allocations,
        "may_withdraw": notice.status == ExitNotice.Status.PENDING
        and (is_manager or notice.partner_id in _represented_ids(request.user, alliance)),
        "today": timezone.localdate(),
    }
    return render(request, "exits/exit_notice_detail.html", context)


def _represented_ids(user: User, alliance: Alliance) -> set[int]:
    return set(
        Partner.objects.represented_by(user).filter(alliance=alliance).values_list("pk", flat=True)
    )


def _back_to(notice: ExitNotice) -> HttpResponse:
    return redirect("exit_notice_detail", alliance_pk=notice.alliance_id, notice_pk=notice.pk)


@require_POST
@login_required
def exit_notice_withdraw(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int
) -> HttpResponse:
    notice = _get_notice_for(request, alliance_pk, notice_pk)
    alliance = notice.alliance
    if not (
        alliance.is_managed_by(request.user)
        or notice.partner_id in _represented_ids(request.user, alliance)
    ):
        raise PermissionDenied(_("Managers or the leaving partner's representatives withdraw it."))
    try:
        service.exit_notice_withdraw(notice=notice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The notice is withdrawn: %(partner)s stays.") % {"partner": notice.partner}
        )
    return _back_to(notice)


@require_POST
@login_required
def wind_down_task_done(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int, task_pk: int
) -> HttpResponse:
    notice = _get_notice_for(request, alliance_pk, notice_pk)
    task = get_object_or_404(notice.tasks.all(), pk=task_pk)
    alliance = notice.alliance
    if not (
        alliance.is_managed_by(request.user)
        or task.owner_id in _my_partner_ids(request.user, alliance)
    ):
        raise PermissionDenied(_("The task's owner ticks it off."))
    try:
        service.wind_down_task_done(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(task)s") % {"task": task.title})
    return _back_to(notice)


@require_POST
@login_required
def asset_allocation_confirm(
    request: AuthenticatedRequest, alliance_pk: int, notice_pk: int, asset_pk: int
) -> HttpResponse:
    notice = _get_notice_for(request, alliance_pk, notice_pk)
    plan = get_object_or_404(ExitPlan, alliance_id=notice.alliance_id)
    asset = get_object_or_404(plan.assets.all(), pk=asset_pk)
    parties = {notice.partner_id, asset.contributed_by_id} & _my_partner_ids(
        request.user, notice.alliance
    )
    if not parties:
        raise PermissionDenied(_("The leaving partner and the contributor confirm the allocation."))
    for party in Partner.objects.filter(pk__in=parties):
        service.asset_allocation_confirm(notice=notice, asset=asset, partner=party, by=request.user)
    messages.success(
        request, _("Your confirmation of %(asset)s is recorded.") % {"asset": asset.name}
    )
    return _back_to(notice)


@login_required
def dissolution_propose(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    """Put mutual dissolution to the vote (managers)."""
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = DissolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ballot = service.dissolution_propose(
                alliance=alliance, by=request.user, closes_at=form.cleaned_data["closes_at"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The partners are asked to vote on dissolving."))
            return redirect("ballot_detail", alliance_pk=alliance.pk, ballot_pk=ballot.pk)
    context = {"alliance": alliance, "form": form}
    return render(request, "exits/dissolution_form.html", context)
