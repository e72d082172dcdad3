"""Votes under concurrency, on PostgreSQL with committed transactions.

Two submissions of the same partner's vote at once leave one vote; a vote racing the closing
sweep is either counted before the close or refused, and the stored result matches the votes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from alliances import timers
from charters import ballots
from charters.models import Ballot, Vote, VoteChange
from tests.test_timer_reliability import committed_postgres  # noqa: F401

from .conftest import open_ballot

CLOSING = timers.get("ballot-closing")
pytestmark = pytest.mark.usefixtures("committed_postgres")


def _run_together(*jobs: Callable[[], None]) -> list[BaseException]:
    """Start the jobs at the same moment, each on its own thread and database connection."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_two_submissions_of_one_partners_vote_at_once_leave_one_vote(pilot):
    ballot = open_ballot(pilot)
    url = f"/api/v1/alliances/{pilot.alliance.pk}/ballots/{ballot.pk}/vote/"
    answers: list[int] = []

    def submit(choice: str) -> Callable[[], None]:
        def job() -> None:
            client = APIClient()
            client.force_authenticate(pilot.steering)
            answers.append(client.post(url, {"choice": choice}, format="json").status_code)

        return job

    for _attempt in range(5):
        assert _run_together(submit("yes"), submit("no")) == []

    assert set(answers) == {200}
    vote = Vote.objects.get(ballot=ballot)
    last = VoteChange.objects.filter(ballot=ballot).last()
    assert last is not None
    assert (vote.partner_id, vote.choice) == (pilot.logicorp.pk, last.choice)
    assert VoteChange.objects.filter(ballot=ballot).count() == 10


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.14, 0.15, 0.16, 0.2])
def test_a_vote_racing_the_closing_sweep_is_counted_before_the_close_or_refused(pilot, delay):
    ballot = open_ballot(pilot)
    deadline = timezone.now() + timedelta(milliseconds=150)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=deadline, closing_due_at=deadline)
    fate: list[str] = []

    def vote() -> None:
        time.sleep(delay)
        try:
            ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
            fate.append("counted")
        except ValidationError:
            fate.append("refused")

    def sweep() -> None:
        time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()))
        timers.sweep(CLOSING, deadline)

    assert _run_together(vote, sweep) == []
    timers.sweep(CLOSING, deadline)  # the next tick, had the vote held the row's lock

    ballot.refresh_from_db()
    assert (ballot.status, ballot.closed_at) == (Ballot.Status.CLOSED, deadline)
    votes = list(Vote.objects.filter(ballot=ballot))
    assert len(votes) == (1 if fate == ["counted"] else 0)
    assert all(v.cast_at <= deadline for v in votes)
    assert not VoteChange.objects.filter(ballot=ballot, at__gt=deadline).exists()
    # The locked result counts exactly the stored votes (equal weights: one each).
    assert Decimal(ballot.result_json["turnout"]) == len(votes)
    assert {k: Decimal(v) for k, v in ballot.result_json["support"].items()} == (
        {"yes": Decimal(1)} if votes else {}
    )
