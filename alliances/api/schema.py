"""The error responses of every endpoint, documented in one place instead of on each view."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorSerializer(serializers.Serializer[Any]):
    """An error about the request rather than its input: who asks, for what, how often."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """Invalid input: the messages for each invalid field, and for errors that concern no one field."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class ValidationErrorExtension(OpenApiSerializerExtension):
    # The other keys are the names of the request's fields, so the body is an open map.
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(
            self.target, direction, bypass_extensions=True
        )
        schema["additionalProperties"] = {"type": "array", "items": {"type": "string"}}
        return schema


class AutoSchemaWithErrors(AutoSchema):
    def get_tags(self) -> list[str]:
        # Group operations by resource rather than by the version prefix they all share.
        resource = re.search(r"/v\d+/([^/{]+)/", self.path)
        return [resource.group(1)] if resource else super().get_tags()

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        # The one place that sees every operation's responses, @extend_schema ones included.
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, error in self.error_responses().items():
            responses.setdefault(
                str(code), self._get_response_for_code(error, str(code), direction=direction)
            )
        return responses

    def error_responses(self) -> dict[int, OpenApiResponse]:
        writes = self.method in WRITE_METHODS
        anonymous = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        # Reads that check a role: managers-only ones, and those naming ``read_roles_checked``.
        # The caller's own things (``callers_own``: notifications, preferences) check none.
        role_checked = not getattr(self.view, "callers_own", False) and (
            writes
            or getattr(self.view, "managers_only", False)
            or getattr(self.view, "read_roles_checked", False)
        )
        errors = {}
        if writes or getattr(self.view, "filterset_class", None):
            errors[400] = OpenApiResponse(ValidationErrorSerializer, _("Invalid input."))
        if not anonymous:
            errors[401] = OpenApiResponse(ErrorSerializer, _("Not signed in."))
        if role_checked and not anonymous:
            errors[403] = OpenApiResponse(ErrorSerializer, _("The caller lacks the role for this."))
        if "{" in self.path:
            errors[404] = OpenApiResponse(
                ErrorSerializer, _("Does not exist, or is outside the caller's alliances.")
            )
        if self.view.throttle_classes:
            errors[429] = OpenApiResponse(ErrorSerializer, _("Too many requests: wait and retry."))
        return errors
