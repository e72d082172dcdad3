"""Trust ledger objects for the API tests.

In the pilot, TechCo's representative (``rep``) speaks for TechCo, LogiCorp's steering member
(``steering``) belongs to LogiCorp's organisation but represents nobody, and the coalition
manager belongs to GreenAlliance's organisation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import api_as, api_client  # noqa: F401
from tests.conftest import Pilot
from trustaccount import checkins, commitments, ledger
from trustaccount.models import (
    Category,
    CheckInAnswer,
    CheckInRound,
    Commitment,
    TrustConfirmation,
    TrustEntry,
)


def base(pilot: Pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/trust/"


def bug_shared(pilot: Pilot, key: str = "bug-shared") -> TrustEntry:
    """TechCo's own report of sharing a bug early: it waits for another partner's confirmation."""
    return ledger.entry_record(
        alliance=pilot.alliance, by=pilot.rep, kind=TrustEntry.Kind.DEPOSIT,
        category=Category.INFORMATION_SHARED_EARLY, actor=pilot.techco,
        counterpart=pilot.logicorp, note="Found a routing bug before launch",
        idempotency_key=key,
    )  # fmt: skip


@pytest.fixture
def entry(pilot: Pilot) -> TrustEntry:
    return bug_shared(pilot)


@pytest.fixture
def commitment(pilot: Pilot) -> Commitment:
    return commitments.commitment_make(
        alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco, beneficiary=pilot.logicorp,
        description="Send the API keys", due_on=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip


@pytest.fixture
def check_in(pilot: Pilot) -> CheckInRound:
    return checkins.round_open(alliance=pilot.alliance, by=pilot.manager)


def entry_body(pilot: Pilot, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "deposit",
        "category": "information_shared_early",
        "actor": pilot.techco.pk,
        "counterpart": pilot.logicorp.pk,
        "note": "Warned LogiCorp about the API outage a day early",
        "idempotency_key": "8d1c5a0e-4c1b-4f7e-9a55-0d7d2c1f0a01",
    } | changes


def state() -> list[Any]:
    """Everything the trust API can write, to check that a refusal changed nothing."""
    return [
        list(TrustEntry.objects.order_by("pk").values_list("pk", "hash")),
        TrustConfirmation.objects.count(),
        list(Commitment.objects.order_by("pk").values_list("pk", "status", "description")),
        list(CheckInRound.objects.order_by("pk").values_list("pk", "closes_on")),
        list(CheckInAnswer.objects.order_by("pk").values_list("pk", "openness", "one_thing")),
    ]
