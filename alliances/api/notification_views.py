"""API v1 for the caller's own notifications and email preferences.

Everything here starts from the caller: another person's notification answers 404 like one
that does not exist, and is never listed or counted.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from alliances import notifications
from alliances.models import Notification, NotificationQuerySet

from .filters import NotificationFilter
from .notification_serializers import (
    MarkedSerializer,
    NotificationSerializer,
    PreferencesInputSerializer,
    PreferencesSerializer,
    UnreadCountSerializer,
)
from .views import V1View, _person


class OwnView(V1View):
    # Nobody else's notifications exist for the caller, so no role is checked (no 403).
    callers_own = True

    def notifications(self) -> NotificationQuerySet:
        return Notification.objects.for_person(_person(self.request))


class NotificationListView(OwnView, generics.ListAPIView[Notification]):
    """The caller's notifications, latest first; `unread=true` keeps the unread ones."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        return self.notifications()


class NotificationReadView(OwnView):
    """Mark one of the caller's notifications read (reading it again changes nothing)."""

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request: Request, notification_pk: int) -> Response:
        notification = get_object_or_404(self.notifications(), pk=notification_pk)
        notifications.mark_read(person=_person(request), notification_ids=[notification.pk])
        notification.refresh_from_db(fields=["read_at"])
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(OwnView):
    """Mark all the caller's unread notifications read."""

    @extend_schema(request=None, responses={200: MarkedSerializer})
    def post(self, request: Request) -> Response:
        marked = notifications.mark_read(person=_person(request))
        return Response(MarkedSerializer({"marked": marked}).data)


class UnreadCountView(OwnView):
    """How many of the caller's notifications are unread (the count in the header)."""

    @extend_schema(responses={200: UnreadCountSerializer})
    def get(self, request: Request) -> Response:
        unread = self.notifications().unread().count()
        return Response(UnreadCountSerializer({"unread": unread}).data)


class PreferencesView(OwnView):
    """Email on or off for each kind of notification; in the app they always appear. PUT sets
    every kind, PATCH the kinds it names. Email is on until turned off."""

    def preferences(self) -> Response:
        email = notifications.preferences_of(_person(self.request))
        return Response(PreferencesSerializer({"email": email}).data)

    @extend_schema(responses={200: PreferencesSerializer})
    def get(self, request: Request) -> Response:
        return self.preferences()

    @extend_schema(request=PreferencesInputSerializer, responses={200: PreferencesSerializer})
    def put(self, request: Request) -> Response:
        return self.change(partial=False)

    @extend_schema(request=PreferencesInputSerializer, responses={200: PreferencesSerializer})
    def patch(self, request: Request) -> Response:
        return self.change(partial=True)

    def change(self, *, partial: bool) -> Response:
        data = self.validated(PreferencesInputSerializer, partial=partial)
        email_by_kind = data.get("email", {})
        notifications.preferences_set(person=_person(self.request), email_by_kind=email_by_kind)
        return self.preferences()
