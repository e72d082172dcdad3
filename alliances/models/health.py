"""Alliance health over time: one recorded assessment per alliance and day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .alliance import Alliance, AllianceScopedQuerySet


class HealthSnapshot(models.Model):
    """The three layer scores of an alliance on one (UTC) day, kept by the "health-checks"
    timer; a later check on the same day replaces that day's scores."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="health_history")
    recorded_on = models.DateField(_("recorded on"))
    strategic = models.PositiveSmallIntegerField(_("strategic"), null=True)
    operational = models.PositiveSmallIntegerField(_("operational"), null=True)
    relational = models.PositiveSmallIntegerField(_("relational"), null=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "recorded_on"]
        verbose_name = _("health snapshot")
        verbose_name_plural = _("health snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "recorded_on"], name="one_health_snapshot_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alliance_id} {self.recorded_on}"
