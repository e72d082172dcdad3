from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustAccountConfig(AppConfig):
    name = "trustaccount"
    verbose_name = _("Trust accounts")

    def ready(self) -> None:
        from alliances import health, timers

        from . import checkins, commitments
        from .health import RelationalHealth

        timers.register(commitments.COMMITMENT_REMINDER)
        timers.register(commitments.COMMITMENT_LAPSE)
        timers.register(checkins.CHECK_IN_CADENCE)
        health.register(RelationalHealth())
