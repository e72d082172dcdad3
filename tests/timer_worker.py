"""A sweeper in its own process, for the tests that kill one half-way (test_timer_reliability).

It sweeps the review reminders in batches of BATCH, pausing DELAY seconds after each
review, so the test can SIGKILL it while a batch is open.
"""

import dataclasses
import os
import time
from datetime import datetime

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.utils import timezone

    from alliances import reviews, timers

    delay = float(os.environ["DELAY"])

    def slow_act(rows: list, now: datetime) -> None:
        for row in rows:
            reviews.send_review_reminders([row], now)
            time.sleep(delay)

    timer = dataclasses.replace(
        timers.get("review-reminders"), act=slow_act, batch_size=int(os.environ["BATCH"])
    )
    print("sweeping", flush=True)
    timers.sweep(timer, timezone.now())
    print("done", flush=True)


if __name__ == "__main__":
    main()
