"""The Celery app. Tasks live in each app's tasks.py; the beat schedule lives here, in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("alliance_keeper")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        # Every deadline in the product is a due row; this tick sweeps them all.
        "sweep-timers": {"task": "alliances.tasks.tick", "schedule": settings.TIMER_TICK_SECONDS},
    }
