"""Two charter versions side by side: the prose line by line, the rules topic by topic."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .models import CharterVersion
from .rules import describe


@dataclass(frozen=True)
class Row:
    tag: str  # "equal", "changed", "added" or "removed"
    old: str
    new: str


def prose_diff(old: CharterVersion, new: CharterVersion) -> list[Row]:
    a, b = old.prose.splitlines(), new.prose.splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        left, right = a[i1:i2], b[j1:j2]
        kind = {"equal": "equal", "replace": "changed", "delete": "removed", "insert": "added"}[tag]
        for k in range(max(len(left), len(right))):
            rows.append(
                Row(kind, left[k] if k < len(left) else "", right[k] if k < len(right) else "")
            )
    return rows


def rules_diff(
    old: CharterVersion, new: CharterVersion, partner_names: dict[int, str]
) -> list[tuple[str, Row]]:
    before, after = describe(old.rules, partner_names), describe(new.rules, partner_names)
    rows = []
    for topic in dict.fromkeys([*before, *after]):
        a, b = before.get(topic, ""), after.get(topic, "")
        tag = "equal" if a == b else "added" if not a else "removed" if not b else "changed"
        rows.append((topic, Row(tag, a, b)))
    return rows
