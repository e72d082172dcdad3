from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartersConfig(AppConfig):
    name = "charters"
    verbose_name = _("Charters and decisions")

    def ready(self) -> None:
        from alliances import calendar, health, timers

        from . import ballots, escalations, exits
        from .health import OperationalHealth

        timers.register(escalations.ESCALATION_DEADLINE)
        timers.register(exits.EXIT_EFFECTIVE)
        timers.register(exits.WIND_DOWN_REMINDER)
        timers.register(ballots.BALLOT_CLOSING)
        timers.register(ballots.BALLOT_CLOSING_SOON)
        calendar.register_source(ballots.calendar_events)
        calendar.register_source(exits.calendar_events)
        health.register(OperationalHealth())
