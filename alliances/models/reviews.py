"""Realignment reviews: on a cadence the partners reassess whether the alliance still fits."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..reasons import Reason
from .alliance import Alliance, AllianceScopedQuerySet, Partner

# Reminders go this long before a review is due, and once more when it comes due.
REMINDER_LEAD_TIMES = (timedelta(days=30), timedelta(days=7), timedelta(days=1), timedelta(0))


class ReviewQuerySet(AllianceScopedQuerySet):
    def pending(self) -> ReviewQuerySet:
        return self.exclude(status=Review.Status.COMPLETED)

    def completed(self) -> ReviewQuerySet:
        return self.filter(status=Review.Status.COMPLETED)


class Review(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue as we are")
        ADJUST_GOALS = "adjust_goals", _("Adjust the goals")
        PIVOT = "pivot", _("Pivot")
        BEGIN_EXIT = "begin_exit", _("Begin the exit")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    due_at = models.DateTimeField(_("due"))
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why the review happens now, when it is not simply its turn."),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(_("what we decided"), blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-pk"]
        verbose_name = _("realignment review")
        verbose_name_plural = _("realignment reviews")
        constraints = [
            # One review in progress per alliance: the next one is scheduled when it completes.
            models.UniqueConstraint(
                fields=["alliance"],
                condition=~models.Q(status="completed"),
                name="one_pending_review_per_alliance",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | ~models.Q(outcome=""),
                name="completed_review_has_outcome",
            ),
        ]
        indexes = [
            # Read by the "review-reminders" timer (alliances.reviews).
            models.Index(
                fields=["next_reminder_at"],
                condition=models.Q(next_reminder_at__isnull=False),
                name="review_next_reminder_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alliance}: review due {self.due_at:%Y-%m-%d}"

    def reminder_moments(self) -> list[datetime]:
        return [self.due_at - lead for lead in REMINDER_LEAD_TIMES]

    def next_reminder_after(self, moment: datetime) -> datetime | None:
        """The first reminder strictly after ``moment``; reminders already late are skipped."""
        upcoming = [m for m in self.reminder_moments() if m > moment]
        return min(upcoming) if upcoming else None

    def plan_reminders(self, now: datetime) -> None:
        """Set the next reminder after a (re)scheduling: the next moment ahead, or at once
        when the review is already due, so its "due" reminder still goes out (once: its
        delivery key is the due moment's)."""
        upcoming = self.next_reminder_after(now)
        self.next_reminder_at = upcoming or (now if self.due_at <= now else None)

    def move_due(self, due_at: datetime, now: datetime) -> None:
        """Bring a pending review forward or put it back; reminders follow the new date."""
        self.due_at = due_at
        self.plan_reminders(now)
        self.save(update_fields=["due_at", "next_reminder_at"])

    @property
    def reason_shown(self) -> str:
        """Why the review happens now, in the reader's language: the first condition that
        opened it early, or the reason written when it was brought forward."""
        first = self.triggers.order_by("fired_at", "pk").first() if self.pk else None
        return first.reason_shown if first else self.reason

    def is_overdue_at(self, moment: datetime) -> bool:
        return self.status != self.Status.COMPLETED and self.due_at <= moment


class PartnerFit(models.Model):
    """One partner's view, in a review, of how well the alliance still fits its strategy."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="fits")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="review_fits")
    fit = models.PositiveSmallIntegerField(
        _("strategic fit"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1: the alliance no longer serves our strategy. 5: it is central to it."),
    )
    comments = models.TextField(_("comments"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["partner__organization__name"]
        verbose_name = _("strategic fit")
        verbose_name_plural = _("strategic fits")
        constraints = [
            models.UniqueConstraint(fields=["review", "partner"], name="one_fit_per_partner"),
            models.CheckConstraint(
                condition=models.Q(fit__gte=1, fit__lte=5), name="fit_is_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.fit}/5"


class ReviewTrigger(models.Model):
    """A condition that called for a realignment review before its date.

    A condition fires once: while it holds, its row stays active and nothing more happens;
    once it no longer holds the row is cleared, and the condition may fire again later.
    """

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="review_triggers")
    # Stable name of the condition, e.g. "layer:relational", "escalations", "notice:12".
    key = models.CharField(max_length=100)
    # In the site's language, for the record; ``reason_data`` words it for each reader.
    reason = models.CharField(_("reason"), max_length=300)
    reason_data = models.JSONField(default=dict, blank=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="triggers")
    fired_at = models.DateTimeField(_("fired at"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["fired_at", "pk"]
        verbose_name = _("review trigger")
        verbose_name_plural = _("review triggers")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "key"],
                condition=models.Q(cleared_at__isnull=True),
                name="one_active_trigger_per_condition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alliance_id}: {self.key}"

    @property
    def reason_shown(self) -> str:
        """The reason in the reader's language."""
        return str(Reason.from_data(self.reason_data)) if self.reason_data else self.reason
