"""Workflows that touch several models. Each runs in one transaction: all of it or nothing."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications, tasks
from .models import (
    INVITATION_LIFETIME,
    Alliance,
    Goal,
    Interest,
    InterestLink,
    Invitation,
    Organization,
    OrganizationMembership,
    Partner,
    Role,
    StageTransition,
    User,
    VisibilityChange,
    normalize_email,
)


@transaction.atomic
def alliance_create(*, by: User, **fields: Any) -> Alliance:
    """Create an alliance; its creator becomes its first coalition manager."""
    if "review_cadence_months" not in fields:
        fast = fields.get("market_pace") == Alliance.MarketPace.FAST
        fields["review_cadence_months"] = (
            Alliance.ReviewCadence.QUARTERLY if fast else Alliance.ReviewCadence.YEARLY
        )
    alliance = Alliance(**fields)
    alliance.full_clean()
    alliance.save()
    StageTransition.objects.create(alliance=alliance, to_stage=alliance.stage, by=by)
    Role.objects.create(alliance=alliance, person=by, kind=Role.Kind.COALITION_MANAGER)
    return alliance


@transaction.atomic
def alliance_update(*, alliance: Alliance, **fields: Any) -> Alliance:
    cadence_changed = fields.get("review_cadence_months", alliance.review_cadence_months) != (
        alliance.review_cadence_months
    )
    for name, value in fields.items():
        setattr(alliance, name, value)
    alliance.full_clean()
    alliance.save(update_fields=[*fields, "updated_at"])
    if cadence_changed:
        alliance.reschedule_review(timezone.now())
    return alliance


def _check_resource_shares(alliance: Alliance, share: Decimal, *, partner: Partner | None) -> None:
    others = alliance.total_resource_share(excluding=partner)
    if others + share > 100:
        raise ValidationError(
            {
                "resource_share": _(
                    "The partners' shares would add up to %(total)s%%; they cannot exceed 100%%."
                )
                % {"total": others + share}
            }
        )


@transaction.atomic
def organization_create(
    *, by: User | None, name: str, country: str, kind: str, decision_culture: str = ""
) -> Organization:
    organization = Organization(
        name=name, country=country, kind=kind, decision_culture=decision_culture
    )
    organization.full_clean()
    organization.save()
    if by is not None:
        OrganizationMembership.objects.create(organization=organization, person=by)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields: Any) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save(update_fields=list(fields))
    return organization


@transaction.atomic
def partner_add(
    *,
    alliance: Alliance,
    organization: Organization,
    resource_share: Decimal = Decimal(0),
    joined_on: date | None = None,
) -> Partner:
    # Lock the alliance so two managers adding partners at once cannot exceed 100% together.
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
    if alliance.partners.filter(organization=organization).exists():
        raise ValidationError(
            {"organization": _("%(name)s is already a partner.") % {"name": organization}}
        )
    _check_resource_shares(alliance, resource_share, partner=None)
    partner = Partner(
        alliance=alliance,
        organization=organization,
        resource_share=resource_share,
        joined_on=joined_on or timezone.localdate(),
    )
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_add_with_new_organization(
    *,
    alliance: Alliance,
    name: str,
    country: str,
    kind: str,
    resource_share: Decimal = Decimal(0),
    joined_on: date | None = None,
) -> Partner:
    """One transaction: the new organisation is not kept when the partner cannot be added."""
    organization = organization_create(by=None, name=name, country=country, kind=kind)
    return partner_add(
        alliance=alliance,
        organization=organization,
        resource_share=resource_share,
        joined_on=joined_on,
    )


@transaction.atomic
def partner_update(*, partner: Partner, **fields: Any) -> Partner:
    Alliance.objects.select_for_update().filter(pk=partner.alliance_id).first()
    for name, value in fields.items():
        setattr(partner, name, value)
    if "resource_share" in fields:
        _check_resource_shares(partner.alliance, partner.resource_share, partner=partner)
    partner.full_clean()
    partner.save(update_fields=list(fields))
    return partner


def _check_role_partner(alliance: Alliance, kind: str, partner: Partner | None) -> None:
    if kind in Role.KINDS_FOR_A_PARTNER and partner is None:
        raise ValidationError(
            {
                "partner": _("A %(role)s acts for a partner: choose which one.")
                % {"role": Role.Kind(kind).label.lower()}
            }
        )
    if partner is not None and partner.alliance_id != alliance.pk:
        raise ValidationError({"partner": _("Choose a partner of this alliance.")})


@transaction.atomic
def role_grant(*, alliance: Alliance, person: User, kind: str, partner: Partner | None) -> Role:
    _check_role_partner(alliance, kind, partner)
    role, created = Role.objects.get_or_create(
        alliance=alliance, person=person, kind=kind, defaults={"partner": partner}
    )
    if not created:
        raise ValidationError(
            {"kind": _("%(person)s already holds this role.") % {"person": person}}
        )
    return role


@transaction.atomic
def role_revoke(*, role: Role) -> None:
    alliance = Alliance.objects.select_for_update().get(pk=role.alliance_id)
    is_last_manager = (
        role.kind == Role.Kind.COALITION_MANAGER
        and alliance.roles.filter(kind=Role.Kind.COALITION_MANAGER).count() == 1
    )
    if is_last_manager:
        raise ValidationError(_("An alliance needs at least one coalition manager."))
    role.delete()


@transaction.atomic
def invitation_create(
    *, alliance: Alliance, by: User, email: str, kind: str, partner: Partner | None
) -> tuple[Invitation, str]:
    """Invite an email address; returns the invitation and the one-time token for the link."""
    _check_role_partner(alliance, kind, partner)
    email = normalize_email(email)
    if alliance.roles.filter(person__email=email, kind=kind).exists():
        raise ValidationError({"email": _("This person already holds this role.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        alliance=alliance,
        email=email,
        kind=kind,
        partner=partner,
        token_hash=Invitation.hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    # The link's token is never stored, so it travels to the worker with the task.
    transaction.on_commit(lambda: tasks.send_invitation_email.delay(invitation.pk, token))
    return invitation, token


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])


def invitation_email_send(*, invitation: Invitation, token: str) -> None:
    """In the invited person's language and time zone if they have an account already;
    otherwise in the inviter's language, with the expiry in UTC."""
    context = {"invitation": invitation, "url": invitation_url(token)}
    invitee = User.objects.filter(email=invitation.email, is_active=True).first()
    inviter_language = invitation.invited_by.language if invitation.invited_by else ""
    with notifications.person_locale(invitee, fallback_language=inviter_language):
        send_mail(
            subject=_("You are invited to %(alliance)s") % {"alliance": invitation.alliance},
            message=render_to_string("email/invitation.txt", context),
            html_message=render_to_string("email/invitation.html", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    revoked = (
        Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )
    if not revoked:
        raise ValidationError(_("Only a pending invitation can be revoked."))


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("alliance", "partner__organization")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, person: User) -> Role:
    """Use the invitation once: the conditional update lets exactly one acceptance through."""
    now = timezone.now()
    claimed = (
        Invitation.objects.pending(now)
        .filter(pk=invitation.pk)
        .update(accepted_at=now, accepted_by=person)
    )
    if not claimed:
        raise ValidationError(_("This invitation has already been used, was revoked or expired."))
    role = Role.objects.filter(
        alliance_id=invitation.alliance_id, person=person, kind=invitation.kind
    ).first()
    if role is None:
        role = role_grant(
            alliance=invitation.alliance,
            person=person,
            kind=invitation.kind,
            partner=invitation.partner,
        )
    if invitation.partner is not None:
        # Accepting an invitation to act for a partner makes one of its organisation's people.
        # Granting a role later does not: nobody gives themselves an organisation's private side.
        OrganizationMembership.objects.get_or_create(
            organization_id=invitation.partner.organization_id, person=person
        )
    return role


@transaction.atomic
def account_create_from_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this email address exists: sign in to accept."))
    try:
        person = User.objects.create_user(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
    except IntegrityError as error:  # two tabs racing to create the same account
        raise ValidationError(_("An account with this email address exists.")) from error
    invitation_accept(invitation=invitation, person=person)
    return person


# The interest map ---------------------------------------------------------------------------


@transaction.atomic
def goal_create(*, alliance: Alliance, **fields: Any) -> Goal:
    goal = Goal(alliance=alliance, **fields)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, **fields: Any) -> Goal:
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save(update_fields=[*fields, "updated_at"])
    return goal


@transaction.atomic
def interest_create(*, partner: Partner, by: User, **fields: Any) -> Interest:
    """Record a partner's interest. Starting wider than a draft counts as sharing it."""
    interest = Interest(partner=partner, created_by=by, **fields)
    interest.full_clean()
    interest.save()
    if interest.visibility != Interest.Visibility.ORGANIZATION:
        VisibilityChange.objects.create(
            interest=interest,
            from_visibility=Interest.Visibility.ORGANIZATION,
            to_visibility=interest.visibility,
            by=by,
        )
    return interest


@transaction.atomic
def interest_update(*, interest: Interest, **fields: Any) -> Interest:
    """Edit what an interest says. Its visibility changes only through ``interest_share``."""
    if "visibility" in fields:
        raise ValueError("Use interest_share to change an interest's visibility.")
    for name, value in fields.items():
        setattr(interest, name, value)
    interest.full_clean()
    interest.save(update_fields=[*fields, "updated_at"])
    return interest


@transaction.atomic
def interest_share(
    *, interest: Interest, by: User, visibility: str, summary: str = ""
) -> VisibilityChange:
    if visibility == interest.visibility and not summary:
        raise ValidationError({"visibility": _("The interest already has this visibility.")})
    return interest.change_visibility(visibility, by=by, summary=summary)


@transaction.atomic
def interest_link(
    *, interest: Interest, goal: Goal, effect: str, note: str = "", by: User
) -> InterestLink:
    """Say that a goal supports or conflicts with an interest (replacing what was said before)."""
    if goal.alliance_id != interest.partner.alliance_id:
        raise ValidationError({"goal": _("Choose a goal of this alliance.")})
    link = InterestLink.objects.filter(interest=interest, goal=goal).first() or InterestLink(
        interest=interest, goal=goal, created_by=by
    )
    link.effect, link.note = effect, note
    link.full_clean(validate_unique=False)
    link.save()
    return link


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    """Remove a goal and what partners said about it."""
    goal.delete()


@transaction.atomic
def interest_delete(*, interest: Interest) -> None:
    interest.delete()


@transaction.atomic
def interest_unlink(*, link: InterestLink) -> None:
    link.delete()
