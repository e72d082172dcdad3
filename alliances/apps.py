from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances")

    def ready(self) -> None:
        from . import notifications, reviews, timers

        timers.register(notifications.SEND_EMAIL)
        timers.register(reviews.REVIEW_REMINDERS)
