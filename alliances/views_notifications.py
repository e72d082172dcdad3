"""A person's own pages: their notifications, which of them come by email, and their calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import calendar, notifications
from .forms import NotificationPreferencesForm
from .models import Notification
from .views import AuthenticatedRequest

LIST = "notifications/notification_list.html"
PAGE_SIZE = 50
# The feed's URL is shown once, on the page after it is made, then only its hash remains.
NEW_FEED_URL = "calendar_new_feed_url"


def _get_notification_for(request: AuthenticatedRequest, notification_pk: int) -> Notification:
    """Someone else's notification does not exist for this person."""
    return get_object_or_404(Notification.objects.for_person(request.user), pk=notification_pk)


def _back(request: AuthenticatedRequest) -> HttpResponse:
    """Back to the page the person marked something read on (only ever a page of this site)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notification_list")


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    mine = Notification.objects.for_person(request.user)
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, LIST, {"page": page})


@require_POST
@login_required
def notification_read(request: AuthenticatedRequest, notification_pk: int) -> HttpResponse:
    notification = _get_notification_for(request, notification_pk)
    notifications.mark_read(person=request.user, notification_ids=[notification.pk])
    if not request.htmx:
        return _back(request)
    notification.refresh_from_db(fields=["read_at"])
    # The row in place, and the header's count out of band.
    context = {"notification": notification, "badge_out_of_band": True}
    row = render_to_string(LIST + "#row", context, request)
    badge = render_to_string("base.html#unread-badge", context, request)
    return HttpResponse(row + badge)


@require_POST
@login_required
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    count = notifications.mark_read(person=request.user)
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return _back(request)


@login_required
def notification_preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = NotificationPreferencesForm(
        request.POST or None, initial=notifications.preferences_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        notifications.preferences_set(person=request.user, email_by_kind=form.cleaned_data)
        messages.success(request, _("Your email choices are saved."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def calendar_page(request: AuthenticatedRequest) -> HttpResponse:
    new_url = request.session.pop(NEW_FEED_URL, None)
    context = {
        "has_feed": request.user.calendar_token_hash is not None,
        "new_feed_url": new_url,
        # Calendar apps open webcal:// links as a subscription rather than a download.
        "new_feed_webcal": "webcal:" + new_url.partition(":")[2] if new_url else None,
    }
    return render(request, "notifications/calendar.html", context)


@require_POST
@login_required
def calendar_feed_new(request: AuthenticatedRequest) -> HttpResponse:
    token = calendar.feed_token_issue(person=request.user)
    request.session[NEW_FEED_URL] = calendar.feed_url(token)
    messages.success(
        request, _("Your calendar address is ready. Any earlier one has stopped working.")
    )
    return redirect("calendar")


@require_POST
@login_required
def calendar_feed_off(request: AuthenticatedRequest) -> HttpResponse:
    calendar.feed_token_revoke(person=request.user)
    messages.success(request, _("Your calendar address is turned off."))
    return redirect("calendar")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public: calendar apps cannot sign in, so the secret in the URL is the key."""
    person = calendar.person_for_token(token)
    if person is None:
        raise Http404
    return HttpResponse(
        # A person who left their language blank gets the calendar app's (Accept-Language).
        calendar.feed_for(person, fallback_language=translation.get_language()),
        content_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"},
    )
