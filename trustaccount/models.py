"""The relationship layer: an append-only trust ledger, small commitments, and check-ins."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, AllianceScopedQuerySet, Partner


class Category(models.TextChoices):
    INFORMATION_SHARED_EARLY = "information_shared_early", _("Information shared early")
    COMMITMENT_DELIVERED = "commitment_delivered", _("Commitment delivered")
    CONTRIBUTION_ACKNOWLEDGED = "contribution_acknowledged", _("Contribution acknowledged")
    COMMITMENT_MISSED = "commitment_missed", _("Commitment missed")
    BREACH = "breach", _("Breach")
    OTHER = "other", _("Other")


DEPOSIT_CATEGORIES = {
    Category.INFORMATION_SHARED_EARLY,
    Category.COMMITMENT_DELIVERED,
    Category.CONTRIBUTION_ACKNOWLEDGED,
    Category.OTHER,
}
WITHDRAWAL_CATEGORIES = {Category.COMMITMENT_MISSED, Category.BREACH, Category.OTHER}
# Points per category unless the alliance sets its own (CategoryPoints).
DEFAULT_POINTS: dict[str, int] = {
    Category.INFORMATION_SHARED_EARLY: 3,
    Category.COMMITMENT_DELIVERED: 2,
    Category.CONTRIBUTION_ACKNOWLEDGED: 2,
    Category.COMMITMENT_MISSED: 3,
    Category.BREACH: 8,
    Category.OTHER: 1,
}


class CategoryPoints(models.Model):
    """An alliance's own weight for a category."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    points = models.PositiveSmallIntegerField(
        _("points"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("category points")
        verbose_name_plural = _("category points")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "category"], name="one_points_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.points}"


class TrustEntry(models.Model):
    """One line of the ledger. The database refuses to change or delete it (see migrations)."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        WITHDRAWAL = "withdrawal", _("Withdrawal")
        REVERSAL = "reversal", _("Reversal")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="trust_entries")
    sequence = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    # Signed: positive for a deposit, negative for a withdrawal; a reversal negates its original.
    points = models.IntegerField(_("points"))
    actor = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("acting partner")
    )
    counterpart = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counterpart"),
    )
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField(_("happened at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    idempotency_key = models.CharField(max_length=100)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    # A partner's deposit about its own action counts once another partner confirms it.
    needs_confirmation = models.BooleanField(default=False)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("trust entry")
        verbose_name_plural = _("trust entries")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "sequence"], name="one_entry_per_sequence"),
            models.UniqueConstraint(
                fields=["alliance", "idempotency_key"], name="one_entry_per_idempotency_key"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.points:+d}"


class TrustConfirmation(models.Model):
    """Another partner vouching for a self-reported deposit."""

    entry = models.OneToOneField(TrustEntry, on_delete=models.PROTECT, related_name="confirmation")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")

    def __str__(self) -> str:
        return f"{self.entry} confirmed by {self.partner}"


class Commitment(models.Model):
    """A small promise one partner makes to another."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DELIVERED = "delivered", _("Delivered on time")
        DELIVERED_LATE = "delivered_late", _("Delivered late")
        LAPSED = "lapsed", _("Lapsed")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="commitments")
    owner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("who promises")
    )
    beneficiary = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("for whom")
    )
    description = models.CharField(_("promise"), max_length=300)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default="open")
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Timer columns: the reminder before the due date, and the lapse after it.
    remind_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    lapse_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            # Read by the "commitment-reminder" timer (trustaccount.commitments).
            models.Index(
                fields=["remind_due_at"],
                condition=models.Q(remind_due_at__isnull=False),
                name="commitment_remind_due_idx",
            ),
            # Read by the "commitment-lapse" timer (trustaccount.commitments).
            models.Index(
                fields=["lapse_due_at"],
                condition=models.Q(lapse_due_at__isnull=False),
                name="commitment_lapse_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class CheckInSchedule(models.Model):
    """When the alliance's next check-in round opens (monthly unless it says otherwise)."""

    alliance = models.OneToOneField(
        Alliance, on_delete=models.CASCADE, related_name="check_in_schedule"
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("days between check-ins"), default=30, validators=[MinValueValidator(7)]
    )
    anonymous = models.BooleanField(_("anonymous rounds"), default=True)
    # Timer column of "check-in-cadence": the moment the next round opens.
    next_round_at = models.DateTimeField(null=True, blank=True)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedules")
        indexes = [
            # Read by the "check-in-cadence" timer (trustaccount.checkins).
            models.Index(
                fields=["next_round_at"],
                condition=models.Q(next_round_at__isnull=False),
                name="checkin_next_round_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alliance}: every {self.cadence_days} days"


class CheckInRound(models.Model):
    """One round of the relationship check-in, open for answers until it closes."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="check_ins")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closes_on = models.DateField(_("closes on"))
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers are shown only as averages, once at least three people answered."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("check-in round")
        verbose_name_plural = _("check-in rounds")

    def __str__(self) -> str:
        return f"{self.alliance}: check-in {self.opened_at:%Y-%m-%d}"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class CheckInAnswer(models.Model):
    round = models.ForeignKey(CheckInRound, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    openness = models.PositiveSmallIntegerField(_("openness"), validators=RATING)
    reliability = models.PositiveSmallIntegerField(_("reliability"), validators=RATING)
    fairness = models.PositiveSmallIntegerField(_("fairness"), validators=RATING)
    communication = models.PositiveSmallIntegerField(_("communication"), validators=RATING)
    one_thing = models.TextField(
        _("One thing we could do to make this partnership stronger"), blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("check-in answer")
        verbose_name_plural = _("check-in answers")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_answer_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.person}"
