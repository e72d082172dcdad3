"""The interest map: the alliance's shared goals and each partner's interests, stated or not.

An interest's visibility decides who learns of it. Reading goes through
``alliances.alignment``, which hands other organisations only what they may see.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .alliance import Alliance, AllianceScopedQuerySet, Partner, User


class Goal(models.Model):
    """One of the alliance's shared goals."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    measure = models.CharField(
        _("measure"),
        max_length=300,
        blank=True,
        help_text=_("How the partners will know the goal is met."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class InterestQuerySet(models.QuerySet["Interest"]):
    def visible_to(self, user: User | AnonymousUser) -> InterestQuerySet:
        """Interests the person may know exist: their own organisation's, and shared ones.

        The rows still hold the statement of summary-only interests: to show interests, read
        them through ``alliances.alignment``, which gives other organisations the summary only.
        """
        shared = models.Q(
            visibility__in=[Interest.Visibility.ALLIANCE, Interest.Visibility.SUMMARY]
        )
        own = models.Q(partner__in=Partner.objects.own_to(user))
        return self.filter(partner__alliance__in=Alliance.objects.visible_to(user)).filter(
            shared | own
        )


class Interest(models.Model):
    """What one partner wants from the alliance, or cannot afford to lose."""

    class Kind(models.TextChoices):
        EXPLICIT = "explicit", _("Explicit (stated)")
        IMPLICIT = "implicit", _("Implicit (unspoken)")

    class Visibility(models.TextChoices):
        ORGANIZATION = "organization", _("Own organisation only")
        SUMMARY = "summary", _("Summary only")
        ALLIANCE = "alliance", _("Shared with the alliance")

    # How far each visibility reaches: sharing moves up this scale, and is recorded.
    REACH = {Visibility.ORGANIZATION: 0, Visibility.SUMMARY: 1, Visibility.ALLIANCE: 2}

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    statement = models.TextField(_("statement"))
    summary = models.CharField(
        _("summary for other partners"),
        max_length=300,
        blank=True,
        help_text=_("What other organisations see when the interest is shared as a summary."),
    )
    importance = models.PositiveSmallIntegerField(
        _("importance"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (nice to have) to 5 (essential)."),
    )
    is_red_line = models.BooleanField(
        _("red line"),
        default=False,
        help_text=_("The partner cannot afford to lose this."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.ORGANIZATION,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["-is_red_line", "-importance", "pk"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__gte=1, importance__lte=5),
                name="interest_importance_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility="summary") | ~models.Q(summary=""),
                name="summary_only_interest_has_a_summary",
                violation_error_message=_("Write the summary other partners will see."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.visibility == self.Visibility.SUMMARY and not self.summary.strip():
            raise ValidationError({"summary": _("Write the summary other partners will see.")})

    def change_visibility(self, visibility: str, *, by: User, summary: str = "") -> Any:
        """Move the interest to another visibility and record who did it and when."""
        with transaction.atomic():
            change = VisibilityChange.objects.create(
                interest=self, from_visibility=self.visibility, to_visibility=visibility, by=by
            )
            self.visibility = visibility
            fields = ["visibility", "updated_at"]
            if summary:
                self.summary = summary
                fields.append("summary")
            self.full_clean()
            self.save(update_fields=fields)
        return change


class VisibilityChange(models.Model):
    """The record of an interest being shared more widely (or withdrawn)."""

    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="visibility_changes"
    )
    from_visibility = models.CharField(max_length=12, choices=Interest.Visibility.choices)
    to_visibility = models.CharField(max_length=12, choices=Interest.Visibility.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("visibility change")
        verbose_name_plural = _("visibility changes")

    def __str__(self) -> str:
        return f"{self.interest}: {self.from_visibility} → {self.to_visibility}"


class InterestLink(models.Model):
    """An interest that a goal serves, or that a goal works against."""

    class Effect(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        CONFLICTS = "conflicts", _("Conflicts")

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="links")
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("interest link")
        verbose_name_plural = _("interest links")
        constraints = [
            models.UniqueConstraint(fields=["interest", "goal"], name="one_link_per_interest_goal")
        ]

    def __str__(self) -> str:
        return f"{self.interest} {self.effect} {self.goal}"
