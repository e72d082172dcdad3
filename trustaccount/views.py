"""The trust pages: balances, the ledger, quick deposits, commitments and check-ins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from alliances.access import get_alliance_for
from alliances.views import AuthenticatedRequest


def _placeholder(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    return render(request, "trust/trust.html", {"alliance": alliance})


@login_required
def trust(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def trust_log(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def trust_ledger(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def trust_ledger_csv(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
@require_POST
def entry_confirm(request: AuthenticatedRequest, alliance_pk: int, entry_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def entry_reverse(request: AuthenticatedRequest, alliance_pk: int, entry_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def commitment_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def commitment_make(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
@require_POST
def commitment_deliver(
    request: AuthenticatedRequest, alliance_pk: int, commitment_pk: int
) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def check_in_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def check_in_open(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)


@login_required
def check_in_answer(request: AuthenticatedRequest, alliance_pk: int, round_pk: int) -> HttpResponse:
    return _placeholder(request, alliance_pk)
