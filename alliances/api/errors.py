"""One error format for the whole API: DRF's.

The services and model verbs raise Django's ValidationError; here it becomes the same 400 body
that serializers produce, so clients handle one shape: ``{"field": ["message"]}``, with errors
that belong to no field under ``non_field_errors`` and those of a nested object's field under
its dotted name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, views
from rest_framework.response import Response
from rest_framework.settings import api_settings


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        # get_object_or_404's message is English and names the model: say "not found" instead.
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(messages_by_field(exc))
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        exc.detail = flat(exc.detail)
    return views.exception_handler(exc, context)


def flat(detail: dict[Any, Any], prefix: str = "") -> dict[str, Any]:
    """Errors of a nested object go under dotted names: ``{"email.review_opened": [...]}``."""
    messages: dict[str, Any] = {}
    for key, value in detail.items():
        if isinstance(value, dict):
            messages |= flat(value, f"{prefix}{key}.")
        else:
            messages[f"{prefix}{key}"] = value
    return messages


def messages_by_field(error: DjangoValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
        for field, messages in error.message_dict.items()
    }
