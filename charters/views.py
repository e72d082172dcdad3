"""Charter and ballot pages (filled in next)."""

from django.http import Http404, HttpRequest, HttpResponse


def charter(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def version_start(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def charter_diff(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def charter_one_page(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def version_detail(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def version_edit(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def version_propose(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def version_withdraw(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def ballot_list(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def ballot_create(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def ballot_detail(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def ballot_vote(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404
