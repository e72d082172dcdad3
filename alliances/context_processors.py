"""What every page's header needs to know about the person."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from .models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header badge. Templates call it: it is counted once, and only
    if the page shows it (a partial or a redirect costs nothing), never for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return Notification.objects.for_person(user).unread().count()

    return {"unread_notification_count": count}
