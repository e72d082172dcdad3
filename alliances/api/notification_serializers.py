"""The shapes of a person's notifications and email preferences in API v1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.models import Notification, NotificationKind

UNKNOWN_KIND = _("There is no such kind of notification.")

# Output


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    url = serializers.CharField(read_only=True, help_text=_("The page of what it is about."))

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "alliance", "created_at", "read_at"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(read_only=True, help_text=_("How many were unread."))


class UnreadCountSerializer(serializers.Serializer[Any]):
    unread = serializers.IntegerField(read_only=True)


class EmailByKindSerializer(serializers.Serializer[Any]):
    """Email on or off, one field per kind of notification."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            kind: serializers.BooleanField(help_text=label)
            for kind, label in NotificationKind.choices
        }

    def to_internal_value(self, data: Any) -> Any:
        # Silently ignoring a misspelt kind would let a client believe it was turned off.
        errors: dict[str, Any] = {}
        if isinstance(data, Mapping):
            errors = {kind: [UNKNOWN_KIND] for kind in data if kind not in self.fields}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors.update(cast(dict[str, Any], error.detail))
        if errors:
            raise serializers.ValidationError(errors)
        return value


class PreferencesSerializer(serializers.Serializer[Any]):
    email = EmailByKindSerializer(read_only=True)


# Input


class PreferencesInputSerializer(serializers.Serializer[Any]):
    email = EmailByKindSerializer()
