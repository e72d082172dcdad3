"""Telling people what needs them: in the app, and by email through an outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .alliance import Alliance, User


class NotificationKind(models.TextChoices):
    REVIEW_REMINDER = "review_reminder", _("Review reminders")
    REVIEW_OPENED = "review_opened", _("A review opens")
    REVIEW_COMPLETED = "review_completed", _("A review is completed")
    TIMERS_PAUSED = "timers_paused", _("Timers paused or resumed (force majeure)")
    BALLOT_OPENED = "ballot_opened", _("A ballot opens")
    BALLOT_CLOSING_SOON = "ballot_closing_soon", _("A ballot closes within 24 hours")
    BALLOT_RESULT = "ballot_result", _("A ballot's result")
    ESCALATION = "escalation", _("Escalations that reach you")
    EXIT = "exit", _("Exit notices and wind-down tasks")
    TRUST = "trust", _("Trust deposits to confirm and commitments due")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_person(self, user: User) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person. The delivery key makes each message happen at most once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # "<event>:<moment>:<recipient>": a sweep that runs twice, or two sweepers racing,
    # collide on this key instead of sending twice.
    delivery_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The unread count in every page's header.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Email on or off for one kind of notification. Without a row, email is on."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    email = models.BooleanField(_("send email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} email={'on' if self.email else 'off'}"


class OutboundEmail(models.Model):
    """An email waiting to be sent, being retried, sent, or given up on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    MAX_ATTEMPTS = 5

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    delivery_key = models.CharField(max_length=255, unique=True)  # the notification's, + ":email"
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [
            # Read by the "send-email" timer (alliances.notifications).
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="email_next_attempt_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
