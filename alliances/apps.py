from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances")

    def ready(self) -> None:
        from . import health, notifications, reviews, timers
        from .strategic_health import StrategicHealth

        timers.register(notifications.SEND_EMAIL)
        timers.register(reviews.REVIEW_REMINDERS)
        timers.register(health.HEALTH_CHECKS)
        health.register(StrategicHealth())
