"""Charters (how the partners decide) and ballots (the decisions they take under them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, AllianceScopedQuerySet, Partner, Role

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
        ESCALATION = "escalation", _("Resolving an escalation")
        DISSOLUTION = "dissolution", _("Dissolving the alliance")
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


class ElectorQuerySet(models.QuerySet["Elector"]):
    def cast_by(self, person: Any) -> ElectorQuerySet:
        """Places whose vote the person casts: a partner's steering committee members vote
        for it, or its representatives when it has none (charters.ballots.delegates is the
        same rule, from the partner's side)."""
        roles = Role.objects.filter(partner=models.OuterRef("partner"))
        mine = roles.filter(person=person)
        return self.filter(
            models.Q(models.Exists(mine.filter(kind=Role.Kind.STEERING_COMMITTEE)))
            | models.Q(
                models.Exists(mine.filter(kind=Role.Kind.PARTNER_REPRESENTATIVE)),
                ~models.Exists(roles.filter(kind=Role.Kind.STEERING_COMMITTEE)),
            )
        )

    def awaiting_vote(self, now: datetime | None = None) -> ElectorQuerySet:
        """Places in open ballots, closing after ``now``, whose partner has not voted yet."""
        voted = Vote.objects.filter(
            ballot=models.OuterRef("ballot"), partner=models.OuterRef("partner")
        )
        return self.filter(
            ballot__status=Ballot.Status.OPEN, ballot__closes_at__gt=now or timezone.now()
        ).exclude(models.Exists(voted))


class Elector(models.Model):
    """A partner's place in a ballot's electorate, with its weight when the ballot opened."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=9, decimal_places=4, default=Decimal(1))
    can_veto = models.BooleanField(_("holds a veto"), default=False)

    objects = ElectorQuerySet.as_manager()

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


class EscalationQuerySet(AllianceScopedQuerySet):
    def open(self) -> EscalationQuerySet:
        return self.filter(status=Escalation.Status.OPEN)


class Escalation(models.Model):
    """A dispute climbing the charter's escalation ladder, each level with its deadline."""

    class Kind(models.TextChoices):
        DISPUTE = "dispute", _("Dispute")
        NOT_CONTRIBUTING = "not_contributing", _("Partner not contributing")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNRESOLVED = "unresolved", _("Unresolved at the top of the ladder")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISPUTE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    scope = models.CharField(_("decision scope"), max_length=20, choices=Scope.choices)
    partners = models.ManyToManyField(
        Partner, related_name="escalations", verbose_name=_("partners involved")
    )
    against = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner not contributing"),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    decided_under = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The ladder as the charter in force defined it when the escalation was raised.
    ladder_json = models.JSONField(default=list)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    level_deadline = models.DateTimeField(_("deadline at this level"), null=True, blank=True)
    # Timer column of "escalation-deadline": the level deadline while the escalation is open.
    climb_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    ballot = models.OneToOneField(
        Ballot, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalation"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [
            # Read by the "escalation-deadline" timer (charters.escalations).
            models.Index(
                fields=["climb_due_at"],
                condition=models.Q(climb_due_at__isnull=False),
                name="escalation_climb_due_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ladder(self) -> list[dict[str, Any]]:
        return list(self.ladder_json)

    @property
    def level_name(self) -> str:
        return self.ladder[self.level]["name"] if self.ladder else ""

    @property
    def is_at_top(self) -> bool:
        return self.level >= len(self.ladder) - 1


class EscalationEvent(models.Model):
    """One line of an escalation's timeline."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        CLIMBED = "climbed", _("Moved up at its deadline")
        ESCALATED = "escalated", _("Escalated by hand")
        EXTENSION_ASKED = "extension_asked", _("Extension asked")
        EXTENSION_CONSENT = "extension_consent", _("Consented to the extension")
        EXTENDED = "extended", _("Deadline extended")
        COMMENT = "comment", _("Comment")
        PROPOSAL = "proposal", _("Resolution proposed")
        BALLOT = "ballot", _("Put to the steering committee's vote")
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNRESOLVED = "unresolved", _("Unresolved at the top")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)  # extensions

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("escalation event")
        verbose_name_plural = _("escalation events")

    def __str__(self) -> str:
        return f"{self.escalation}: {self.kind}"


class ExitPlan(models.Model):
    """How partners leave gracefully, agreed before anyone needs it."""

    alliance = models.OneToOneField(Alliance, on_delete=models.CASCADE, related_name="exit_plan")
    notice_period_days = models.PositiveSmallIntegerField(
        _("notice period (days)"), help_text=_("How long before leaving a partner must say so.")
    )
    non_disparagement = models.TextField(_("non-disparagement terms"), blank=True)
    data_terms = models.TextField(
        _("data return or destruction"),
        blank=True,
        help_text=_("What happens to shared data, and by when, when a partner leaves."),
    )
    transition_obligations = models.TextField(
        _("transition obligations"),
        blank=True,
        help_text=_("One obligation per line; each becomes a wind-down task when notice is given."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("exit plan")
        verbose_name_plural = _("exit plans")

    def __str__(self) -> str:
        return _("Exit plan of %(alliance)s") % {"alliance": self.alliance}

    def obligations(self) -> list[str]:
        return [line.strip() for line in self.transition_obligations.splitlines() if line.strip()]


class SharedAsset(models.Model):
    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(_("asset"), max_length=200)
    contributed_by = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("contributed by")
    )
    division_rule = models.CharField(_("division rule"), max_length=500)
    allocation_on_exit = models.CharField(_("allocation on exit"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("shared asset")
        verbose_name_plural = _("shared assets")

    def __str__(self) -> str:
        return self.name


class ExitNotice(models.Model):
    """A partner's notice that it leaves; its timer makes the exit effective on the day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Serving notice")
        EFFECTIVE = "effective", _("Exited")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="exit_notices")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="exit_notices")
    reason = models.TextField(_("reason"))
    given_on = models.DateField(_("notice given on"))
    effective_on = models.DateField(_("effective on"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Timer column of "exit-effective": the start of the effective day, until it is handled.
    effective_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("exit notice")
        verbose_name_plural = _("exit notices")
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(status="pending"),
                name="one_pending_notice_per_partner",
            )
        ]
        indexes = [
            # Read by the "exit-effective" timer (charters.exits).
            models.Index(
                fields=["effective_due_at"],
                condition=models.Q(effective_due_at__isnull=False),
                name="exit_effective_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.effective_on}"


class WindDownTask(models.Model):
    """One step of leaving well, with who does it and by when."""

    notice = models.ForeignKey(ExitNotice, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Timer column of "wind-down-reminder": a few days before due_on, until reminded.
    remind_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("wind-down task")
        verbose_name_plural = _("wind-down tasks")
        indexes = [
            # Read by the "wind-down-reminder" timer (charters.exits).
            models.Index(
                fields=["remind_due_at"],
                condition=models.Q(remind_due_at__isnull=False),
                name="winddown_remind_due_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AssetConfirmation(models.Model):
    """A party's agreement to how a shared asset is allocated when the partner leaves."""

    notice = models.ForeignKey(ExitNotice, on_delete=models.CASCADE, related_name="confirmations")
    asset = models.ForeignKey(SharedAsset, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("asset allocation confirmation")
        verbose_name_plural = _("asset allocation confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "asset", "partner"], name="one_confirmation_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset}: {self.partner}"
