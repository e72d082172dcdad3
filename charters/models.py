"""Charters (how the partners decide) and ballots (the decisions they take under them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, AllianceScopedQuerySet, Partner

from .rules import Rules, Scope
from .tally import ABSTAIN, NO, YES, Outcome


class Charter(models.Model):
    """The living agreement of one alliance: a series of versions, one adopted at a time."""

    alliance = models.OneToOneField(Alliance, on_delete=models.CASCADE, related_name="charter")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    def __str__(self) -> str:
        return _("Charter of %(alliance)s") % {"alliance": self.alliance}

    def in_force(self) -> CharterVersion | None:
        return self.versions.filter(status=CharterVersion.Status.ADOPTED).first()


class CharterVersion(models.Model):
    """One version of the charter. Once proposed, its prose and rules never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")
        REJECTED = "rejected", _("Not adopted")

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.CharField(
        _("what changes"), max_length=300, blank=True, help_text=_("One line for the history.")
    )
    prose = models.TextField(
        _("text"), blank=True, help_text=_("Markdown: headings, lists, emphasis and links.")
    )
    rules_json = models.JSONField(_("rules"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="charter_version_number"),
            models.UniqueConstraint(
                fields=["charter"],
                condition=models.Q(status="adopted"),
                name="one_adopted_version_per_charter",
            ),
            models.UniqueConstraint(
                fields=["charter"],
                condition=models.Q(status__in=["draft", "proposed"]),
                name="one_open_version_per_charter",
            ),
        ]

    def __str__(self) -> str:
        return _("Version %(number)s") % {"number": self.number}

    @property
    def rules(self) -> Rules:
        return Rules.from_json(self.rules_json)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class BallotQuerySet(AllianceScopedQuerySet):
    def open(self) -> BallotQuerySet:
        return self.filter(status=Ballot.Status.OPEN)


class Ballot(models.Model):
    """A decision put to the partners' vote under the charter version in force."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Subject(models.TextChoices):
        CHARTER_ADOPTION = "charter_adoption", _("Adopting a charter version")
        MOTION = "motion", _("Motion")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="ballots")
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    scope = models.CharField(_("decision scope"), max_length=20, choices=Scope.choices)
    options = models.JSONField(_("options"), default=list)  # e.g. ["yes", "no", "abstain"]
    secret = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("Everyone sees who voted, nobody sees how. This cannot be undone."),
    )
    # The decision rules, snapshotted from the charter version in force when the ballot opened.
    decided_under = models.ForeignKey(
        CharterVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("The charter version in force when the ballot opened."),
    )
    mode = models.CharField(_("decision mode"), max_length=20)
    quorum = models.DecimalField(_("quorum"), max_digits=5, decimal_places=4)
    lead_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        CharterVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adoption_ballots",
        help_text=_("The charter version this ballot would adopt."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    # Timer columns, cleared once their moment has been handled (alliances.timers).
    closing_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_soon_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    decided_option = models.CharField(_("decided"), max_length=100, blank=True)
    explanation = models.TextField(_("why"), blank=True)
    result_json = models.JSONField(_("tally"), default=dict, blank=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [
            # Read by the "ballot-closing" timer (charters.ballots).
            models.Index(
                fields=["closing_due_at"],
                condition=models.Q(closing_due_at__isnull=False),
                name="ballot_closing_due_idx",
            ),
            # Read by the "ballot-closing-soon" timer (charters.ballots).
            models.Index(
                fields=["closing_soon_due_at"],
                condition=models.Q(closing_soon_due_at__isnull=False),
                name="ballot_closing_soon_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_yes_no(self) -> bool:
        return set(self.options) <= {YES, NO, ABSTAIN}

    def is_open_at(self, moment: Any) -> bool:
        return self.status == self.Status.OPEN and moment < self.closes_at


class Elector(models.Model):
    """A partner's place in a ballot's electorate, with its weight when the ballot opened."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=9, decimal_places=4, default=Decimal(1))
    can_veto = models.BooleanField(_("holds a veto"), default=False)

    class Meta:
        ordering = ["partner__organization__name"]
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "partner"], name="one_place_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.weight})"


class Vote(models.Model):
    """A partner's current vote. It can change until the ballot closes; VoteChange keeps each."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("choice"), max_length=100)
    veto = models.BooleanField(_("veto"), default=False)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "partner"], name="one_vote_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.choice}"


class VoteChange(models.Model):
    """Every vote cast or changed, in order, for the record."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="vote_changes")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("choice"), max_length=100)
    veto = models.BooleanField(_("veto"), default=False)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("vote change")
        verbose_name_plural = _("vote changes")

    def __str__(self) -> str:
        return f"{self.partner}: {self.choice} at {self.at}"
