"""The one place that turns a URL's ids into objects a person may see or change.

Anything outside the person's alliances answers 404, so nobody learns that it exists.
A person who can see an alliance but lacks the role to change it gets 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import (
    Alliance,
    Goal,
    Interest,
    InterestLink,
    Invitation,
    Organization,
    Partner,
    Role,
    User,
)


def get_alliance_for(user: User | AnonymousUser, pk: int, *, manage: bool = False) -> Alliance:
    alliance = get_object_or_404(Alliance.objects.visible_to(user), pk=pk)
    if manage and not alliance.is_managed_by(user):
        raise PermissionDenied(_("Only the alliance's coalition managers can do this."))
    return alliance


def get_partner_for(
    user: User | AnonymousUser, alliance_pk: int, pk: int, *, manage: bool = False
) -> Partner:
    alliance = get_alliance_for(user, alliance_pk, manage=manage)
    return get_object_or_404(alliance.partners.select_related("organization"), pk=pk)


def get_role_for(
    user: User | AnonymousUser, alliance_pk: int, pk: int, *, manage: bool = False
) -> Role:
    alliance = get_alliance_for(user, alliance_pk, manage=manage)
    return get_object_or_404(alliance.roles.select_related("person", "partner"), pk=pk)


def get_invitation_for(user: User | AnonymousUser, alliance_pk: int, pk: int) -> Invitation:
    # Invitations carry email addresses and are a manager's business only.
    alliance = get_alliance_for(user, alliance_pk, manage=True)
    return get_object_or_404(alliance.invitations.select_related("partner"), pk=pk)


def get_organization_for(
    user: User | AnonymousUser, pk: int, *, manage: bool = False
) -> Organization:
    organization = get_object_or_404(Organization.objects.visible_to(user), pk=pk)
    if manage and not organization.members.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Only members of this organisation can change it."))
    return organization


def get_goal_for(
    user: User | AnonymousUser, alliance_pk: int, pk: int, *, manage: bool = False
) -> Goal:
    alliance = get_alliance_for(user, alliance_pk, manage=manage)
    return get_object_or_404(alliance.goals.all(), pk=pk)


def get_partner_to_represent(user: User | AnonymousUser, alliance_pk: int, pk: int) -> Partner:
    """A partner whose interests the person keeps (as its partner representative)."""
    partner = get_partner_for(user, alliance_pk, pk)
    if not Partner.objects.represented_by(user).filter(pk=partner.pk).exists():
        raise PermissionDenied(_("Only this partner's representatives can change its interests."))
    return partner


def get_interest_to_edit(user: User | AnonymousUser, alliance_pk: int, pk: int) -> Interest:
    """An interest the person may change: their own partner's, as its representative.

    Another organisation's own-organisation-only draft answers 404 like a missing one;
    an interest they can see but not change answers 403.
    """
    alliance = get_alliance_for(user, alliance_pk)
    visible = Interest.objects.visible_to(user).filter(partner__alliance=alliance)
    interest = get_object_or_404(visible.select_related("partner__organization"), pk=pk)
    get_partner_to_represent(user, alliance_pk, interest.partner_id)
    return interest


def get_link_to_edit(
    user: User | AnonymousUser, alliance_pk: int, interest_pk: int, pk: int
) -> InterestLink:
    interest = get_interest_to_edit(user, alliance_pk, interest_pk)
    return get_object_or_404(interest.links.select_related("goal"), pk=pk)
