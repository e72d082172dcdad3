"""Escalation pages (issue 6): the board by level, raising one, and its page with the timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from alliances.views import AuthenticatedRequest


@login_required
def escalation_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    raise Http404


@login_required
def escalation_raise(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    raise Http404


@login_required
def escalation_detail(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def escalation_resolve(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def escalation_withdraw(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def escalation_escalate(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def escalation_propose(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def escalation_comment(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def extension_ask(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404


@login_required
def extension_consent(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    raise Http404
