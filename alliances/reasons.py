"""Words the product stores and shows later, to each reader in their own language.

A reason for an early review is written when a condition fires, often by the timer, which
speaks no one's language. So it is kept as its untranslated message (marked with
``gettext_noop``) and its values, and put into words when someone reads it: in their
language, with its dates in their format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext


@dataclass(frozen=True)
class Reason:
    # The message as marked in the code: ``gettext_noop("... %(n)s ...")``.
    message: str
    # Values to fill in; those named in ``dates`` are ISO dates, shown in the reader's format.
    values: Mapping[str, str | int] = field(default_factory=dict)
    dates: tuple[str, ...] = ()

    def __str__(self) -> str:
        shown = {
            key: formats.date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
            if key in self.dates
            else value
            for key, value in self.values.items()
        }
        return gettext(self.message) % shown

    def as_data(self) -> dict[str, Any]:
        return {"message": self.message, "values": dict(self.values), "dates": list(self.dates)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Reason:
        return cls(data["message"], data.get("values", {}), tuple(data.get("dates", ())))
