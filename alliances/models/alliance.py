"""Who is in an alliance and in what role.

Every user-facing query starts from ``visible_to(user)``.
"""

from __future__ import annotations

import calendar
import hashlib
import zoneinfo
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later, or the month's last day when it is shorter."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]
INVITATION_LIFETIME = timedelta(days=14)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)

    def _create_user(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


def normalize_email(email: str) -> str:
    """Email addresses identify people; compare them without case or surrounding spaces."""
    return email.strip().lower()


class User(AbstractUser):
    """A person. People sign in with their email address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave blank to follow your browser's language."),
    )
    # The secret of the person's calendar feed URL; only its hash is kept (see alliances.calendar).
    calendar_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return str(self)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganizationQuerySet:
        """Organisations the person belongs to, and the partners of their alliances."""
        if not user.is_authenticated:
            return self.none()
        partner_orgs = Partner.objects.visible_to(user).values("organization_id")
        return self.filter(models.Q(members=user) | models.Q(pk__in=partner_orgs)).distinct()


class Organization(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        NONPROFIT = "nonprofit", _("Nonprofit")
        PUBLIC_BODY = "public_body", _("Public body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(verbose_name=_("country"))

    class DecisionCulture(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus: decisions are agreed by everyone concerned")
        HIERARCHICAL = "hierarchical", _("Hierarchical: a leader decides")
        DELEGATED = "delegated", _("Delegated: the people closest to the work decide")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    decision_culture = models.CharField(
        _("decision culture"),
        max_length=20,
        choices=DecisionCulture.choices,
        blank=True,
        help_text=_(
            "How the organisation usually makes decisions. Partners whose cultures differ "
            "are advised to agree on a hybrid decision mode."
        ),
    )
    members: models.ManyToManyField[User, OrganizationMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganizationMembership",
        related_name="organizations",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganizationMembership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"], name="one_membership_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"


class AllianceQuerySet(models.QuerySet["Alliance"]):
    def visible_to(self, user: User | AnonymousUser) -> AllianceQuerySet:
        """The alliances in which the person holds any role. Everything else does not exist for them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Role.objects.filter(person=user).values("alliance_id"))

    def managed_by(self, user: User | AnonymousUser) -> AllianceQuerySet:
        if not user.is_authenticated:
            return self.none()
        managers = Role.objects.filter(person=user, kind=Role.Kind.COALITION_MANAGER)
        return self.filter(pk__in=managers.values("alliance_id"))

    def with_roles_of(self, user: User) -> AllianceQuerySet:
        """Prefetch the person's own roles into ``my_roles`` (one extra query for the whole list)."""
        mine = Role.objects.filter(person=user).select_related("partner__organization")
        return self.prefetch_related(models.Prefetch("roles", queryset=mine, to_attr="my_roles"))


class Alliance(models.Model):
    class Form(models.TextChoices):
        JOINT_VENTURE = "joint_venture", _("Joint venture")
        ADVOCACY_COALITION = "advocacy_coalition", _("Advocacy coalition")
        PARTNER_ECOSYSTEM = "partner_ecosystem", _("Partner ecosystem")
        PROJECT_BASED = "project_based", _("Project-based alliance")
        INFORMAL = "informal", _("Informal coalition")

    class MarketPace(models.TextChoices):
        STABLE = "stable", _("Stable market")
        FAST = "fast", _("Fast-changing market")

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        UNDER_REVIEW = "under_review", _("Under review")
        EXITING = "exiting", _("Exiting")
        DISSOLVED = "dissolved", _("Dissolved")

    # The lifecycle: an alliance may be abandoned before it is active, reviewed and
    # resumed any number of times, and an exit may still be called off.
    ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
        Stage.PROPOSED: (Stage.FORMING, Stage.DISSOLVED),
        Stage.FORMING: (Stage.ACTIVE, Stage.DISSOLVED),
        Stage.ACTIVE: (Stage.UNDER_REVIEW, Stage.EXITING),
        Stage.UNDER_REVIEW: (Stage.ACTIVE, Stage.EXITING),
        Stage.EXITING: (Stage.ACTIVE, Stage.DISSOLVED),
        Stage.DISSOLVED: (),
    }

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("Why we are together."))
    form = models.CharField(_("form"), max_length=30, choices=Form.choices)
    market_pace = models.CharField(
        _("market pace"), max_length=10, choices=MarketPace.choices, default=MarketPace.STABLE
    )
    expected_end = models.DateField(
        _("expected end"),
        null=True,
        blank=True,
        help_text=_("Required for project-based alliances."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PROPOSED
    )

    class ReviewCadence(models.IntegerChoices):
        YEARLY = 12, _("Every 12 months")
        HALF_YEARLY = 6, _("Every 6 months")
        QUARTERLY = 3, _("Every 3 months (fast markets)")

    review_cadence_months = models.PositiveSmallIntegerField(
        _("realignment review cadence"),
        choices=ReviewCadence.choices,
        default=ReviewCadence.YEARLY,
        help_text=_("How often the partners reassess whether the alliance still fits."),
    )
    # Force majeure: while set, none of the alliance's timers fire (see alliances.timers).
    # The reasons and durations are kept in TimerPause.
    paused_at = models.DateTimeField(_("timers paused at"), null=True, blank=True)
    # Conditions that open a realignment review early (alliances.health); 0 turns one off.
    review_when_open_escalations = models.PositiveSmallIntegerField(
        _("open a review early at this many open escalations"),
        default=3,
        help_text=_("0: never."),
    )
    review_when_missed_commitments = models.PositiveSmallIntegerField(
        _("open a review early at this many missed commitments in 90 days"),
        default=3,
        help_text=_("0: never."),
    )
    # The "health-checks" timer (alliances.health): when the alliance's health is next
    # assessed and recorded. Cleared once the alliance is dissolved.
    health_check_at = models.DateTimeField(
        null=True, blank=True, default=timezone.now, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AllianceQuerySet.as_manager()

    if TYPE_CHECKING:
        partners: RelatedManager[Partner]
        roles: RelatedManager[Role]

    class Meta:
        ordering = ["name"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(form="project_based") | models.Q(expected_end__isnull=False),
                name="project_based_alliance_has_expected_end",
                violation_error_message=_("A project-based alliance needs an expected end date."),
            )
        ]
        indexes = [
            # Read by the "health-checks" timer (alliances.health).
            models.Index(
                fields=["health_check_at"],
                condition=models.Q(health_check_at__isnull=False),
                name="alliance_health_check_idx",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.form == self.Form.PROJECT_BASED and not self.expected_end:
            raise ValidationError(
                {"expected_end": _("A project-based alliance needs an expected end date.")}
            )

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def next_stages(self) -> tuple[str, ...]:
        return self.ALLOWED_TRANSITIONS[self.stage]

    def move_to(self, stage: str, *, by: User | None, note: str = "") -> StageTransition:
        """Change the lifecycle stage if the lifecycle allows it, and record who did it."""
        with transaction.atomic():
            current = Alliance.objects.select_for_update().get(pk=self.pk)
            if stage not in current.next_stages():
                raise ValidationError(
                    {
                        "stage": _("An alliance cannot move from %(current)s to %(stage)s.")
                        % {"current": current.get_stage_display(), "stage": stage}
                    }
                )
            transition = StageTransition.objects.create(
                alliance=current, from_stage=current.stage, to_stage=stage, by=by, note=note
            )
            current.stage = stage
            current.save(update_fields=["stage", "updated_at"])
            if stage == self.Stage.ACTIVE:
                current.ensure_review_scheduled(timezone.now())
        self.stage = stage
        return transition

    def ensure_review_scheduled(self, now: datetime) -> None:
        """An active alliance always has its next realignment review on the calendar.

        It falls a cadence after the last completed review, or after the alliance last
        became active, whichever is later.
        """
        if self.reviews.exclude(status="completed").exists():
            return
        completed = self.reviews.filter(status="completed").aggregate(m=models.Max("completed_at"))
        activated = self.transitions.filter(to_stage=self.Stage.ACTIVE).aggregate(
            m=models.Max("at")
        )
        base = max(filter(None, [completed["m"], activated["m"]]), default=now)
        review = self.reviews.model(
            alliance=self, due_at=add_months(base, self.review_cadence_months)
        )
        review.next_reminder_at = review.next_reminder_after(now)
        review.save()

    def reschedule_review(self, now: datetime) -> None:
        """After a cadence change, the review that has not opened yet moves to the new date."""
        review = self.reviews.filter(status="scheduled").first()
        if review is None:
            return
        review.delete()
        self.ensure_review_scheduled(now)

    def people(self) -> list[User]:
        """Everyone who holds a role in the alliance, once each."""
        roles = self.roles.select_related("person")
        return list({role.person_id: role.person for role in roles}.values())

    def role_kinds_of(self, user: User | AnonymousUser) -> set[str]:
        if not user.is_authenticated:
            return set()
        return set(self.roles.filter(person=user).values_list("kind", flat=True))

    def is_managed_by(self, user: User | AnonymousUser) -> bool:
        return Role.Kind.COALITION_MANAGER in self.role_kinds_of(user)

    def total_resource_share(self, *, excluding: Partner | None = None) -> Any:
        partners = self.partners.all()
        if excluding is not None:
            partners = partners.exclude(pk=excluding.pk)
        return partners.aggregate(total=models.Sum("resource_share"))["total"] or 0


class StageTransition(models.Model):
    """One step in an alliance's lifecycle. The first one records its creation."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(
        _("from"), max_length=20, choices=Alliance.Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=20, choices=Alliance.Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.alliance}: {self.from_stage or '-'} → {self.to_stage}"


class TimerPause(models.Model):
    """A force-majeure pause of an alliance's timers, such as sanctions or a policy change."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=500)
    paused_at = models.DateTimeField(_("paused at"))
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-paused_at", "-pk"]
        verbose_name = _("timer pause")
        verbose_name_plural = _("timer pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance"],
                condition=models.Q(resumed_at__isnull=True),
                name="one_running_pause_per_alliance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alliance}: {self.reason}"

    @property
    def length(self) -> timedelta | None:
        return self.resumed_at - self.paused_at if self.resumed_at else None


class AllianceScopedQuerySet(models.QuerySet[Any]):
    """For every model that hangs off one alliance: scope it by the alliances the person sees."""

    def visible_to(self, user: User | AnonymousUser) -> Any:
        return self.filter(alliance__in=Alliance.objects.visible_to(user))


class PartnerQuerySet(AllianceScopedQuerySet):
    def own_to(self, user: User | AnonymousUser) -> PartnerQuerySet:
        """Partners whose organisation the person belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization__members=user)

    def represented_by(self, user: User | AnonymousUser) -> PartnerQuerySet:
        """Partners the person speaks for: as their representative, and as a member of the
        partner's organisation (a role alone must not open an organisation's private side)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            roles__person=user,
            roles__kind=Role.Kind.PARTNER_REPRESENTATIVE,
            organization__members=user,
        )


class Partner(models.Model):
    """An organisation's membership of one alliance."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnerships"
    )
    resource_share = models.DecimalField(
        _("resource share (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of the alliance's resources this partner brings, in percent."),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    exiting_on = models.DateField(_("exiting on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organization"], name="one_partnership_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(resource_share__gte=0, resource_share__lte=100),
                name="resource_share_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def status(self) -> str:
        if self.exited_on:
            return gettext("exited")
        if self.exiting_on:
            return gettext("exiting")
        return gettext("active")


class Role(models.Model):
    """What a person does in one alliance. A person may hold several roles."""

    class Kind(models.TextChoices):
        COALITION_MANAGER = "manager", _("Coalition manager")
        PARTNER_REPRESENTATIVE = "representative", _("Partner representative")
        STEERING_COMMITTEE = "steering", _("Steering committee member")
        EXECUTIVE_SPONSOR = "sponsor", _("Executive sponsor")
        OBSERVER = "observer", _("Observer")

    # These roles act for one partner organisation (its interests, its vote, its sponsor).
    KINDS_FOR_A_PARTNER = frozenset(
        {Kind.PARTNER_REPRESENTATIVE, Kind.STEERING_COMMITTEE, Kind.EXECUTIVE_SPONSOR}
    )

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alliance_roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("on behalf of"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = AllianceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "person__email"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "person", "kind"], name="one_role_of_a_kind_per_person"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["representative", "steering", "sponsor"])
                | models.Q(partner__isnull=False),
                name="partner_roles_name_their_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


class InvitationQuerySet(AllianceScopedQuerySet):
    def pending(self, now: Any = None) -> InvitationQuerySet:
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A single-use, expiring link that gives a person a role in an alliance.

    Only a hash of the token is stored: a database leak does not hand out working links.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    kind = models.CharField(_("role"), max_length=20, choices=Role.Kind.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("on behalf of"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.alliance}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def state_at(self, now: Any = None) -> str:
        now = now or timezone.now()
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)
