"""The HTML pages. Each view fetches with permission, validates a form, calls a service, redirects."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from . import services
from .access import get_alliance_for, get_invitation_for, get_partner_for, get_role_for
from .forms import (
    AccountFromInvitationForm,
    AllianceEditForm,
    AllianceFilterForm,
    AllianceForm,
    InvitationForm,
    PartnerAddForm,
    PartnerForm,
    ProfileForm,
    StageForm,
    add_service_error,
)
from .models import (
    Alliance,
    Invitation,
    Notification,
    Partner,
    Review,
    Role,
    User,
    normalize_email,
)


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a person, never anonymous."""

    user: User
    htmx: HtmxDetails


def _alliances_for(user: User) -> QuerySet[Alliance]:
    """The person's alliances with what a list row shows, in a fixed number of queries."""
    partners = Partner.objects.select_related("organization")
    return (
        Alliance.objects.visible_to(user)
        .with_roles_of(user)
        .prefetch_related(Prefetch("partners", queryset=partners))
    )


# The dashboard shows the reviews due within this horizon (and every overdue one),
# and the latest few unread notifications; the full lists are a link away.
DASHBOARD_REVIEW_HORIZON = timedelta(days=90)
DASHBOARD_NOTIFICATIONS = 5


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "alliances": _alliances_for(request.user),
        "reviews": Review.objects.visible_to(request.user)
        .pending()
        .filter(due_at__lte=now + DASHBOARD_REVIEW_HORIZON)
        .select_related("alliance")
        .order_by("due_at"),
        "notifications": Notification.objects.for_person(request.user).unread()[
            :DASHBOARD_NOTIFICATIONS
        ],
        "now": now,
    }
    return render(request, "alliances/dashboard.html", context)


@login_required
def alliance_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = AllianceFilterForm(request.GET)
    alliances = filters.filter(_alliances_for(request.user))
    template = "alliances/alliance_list.html"
    # A history restore (back button after a cache miss) needs the whole page, not the partial.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, {"alliances": alliances, "filters": filters})


@login_required
def alliance_create(request: AuthenticatedRequest) -> HttpResponse:
    form = AllianceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alliance = services.alliance_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The alliance is set up. Now add its partners."))
            return redirect("alliance_detail", alliance_pk=alliance.pk)
    return render(request, "alliances/alliance_form.html", {"form": form})


@login_required
def alliance_detail(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    partners = list(alliance.partners.select_related("organization"))
    roles = list(
        alliance.roles.select_related("person", "partner__organization").order_by(
            "kind", "person__last_name", "person__email"
        )
    )
    my_roles = [role for role in roles if role.person_id == request.user.pk]
    is_manager = any(role.kind == Role.Kind.COALITION_MANAGER for role in my_roles)
    invitations = (
        alliance.invitations.pending().select_related("partner__organization", "invited_by")
        if is_manager
        else Invitation.objects.none()
    )
    context = {
        "alliance": alliance,
        "is_manager": is_manager,
        "my_roles": my_roles,
        "partners": partners,
        "total_share": sum(partner.resource_share for partner in partners),
        "roles": roles,
        "transitions": alliance.transitions.select_related("by"),
        "invitations": invitations,
        "next_review": alliance.reviews.pending().first(),
        "now": timezone.now(),
        "pause": alliance.pauses.filter(resumed_at__isnull=True).first()
        if alliance.is_paused
        else None,
    }
    return render(request, "alliances/alliance_detail.html", context)


@login_required
def alliance_edit(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    # The form gets its own copy: a rejected edit must not rename the page's heading.
    form = AllianceEditForm(request.POST or None, instance=Alliance.objects.get(pk=alliance.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_update(alliance=alliance, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("alliance_detail", alliance_pk=alliance.pk)
    return render(request, "alliances/alliance_form.html", {"form": form, "alliance": alliance})


@login_required
def alliance_stage(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = StageForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        try:
            alliance.move_to(
                form.cleaned_data["stage"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The alliance is now %(stage)s.") % {"stage": alliance.get_stage_display()},
            )
            return redirect("alliance_detail", alliance_pk=alliance.pk)
    return render(request, "alliances/stage_form.html", {"form": form, "alliance": alliance})


@login_required
def partner_add(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = PartnerAddForm(
        request.POST or None,
        alliance=alliance,
        user=request.user,
        initial={"joined_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            partner = _add_partner(alliance, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s joined the alliance.") % {"name": partner})
            return redirect("alliance_detail", alliance_pk=alliance.pk)
    return render(request, "alliances/partner_add.html", {"form": form, "alliance": alliance})


def _add_partner(alliance: Alliance, data: dict) -> Partner:
    common = {"resource_share": data["resource_share"], "joined_on": data["joined_on"]}
    if data["organization"]:
        return services.partner_add(alliance=alliance, organization=data["organization"], **common)
    return services.partner_add_with_new_organization(
        alliance=alliance, name=data["name"], country=data["country"], kind=data["kind"], **common
    )


@login_required
def partner_edit(request: AuthenticatedRequest, alliance_pk: int, partner_pk: int) -> HttpResponse:
    partner = get_partner_for(request.user, alliance_pk, partner_pk, manage=True)
    form = PartnerForm(request.POST or None, instance=Partner.objects.get(pk=partner.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(partner=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is updated.") % {"name": partner})
            return redirect("alliance_detail", alliance_pk=partner.alliance_id)
    context = {"form": form, "partner": partner, "alliance": partner.alliance}
    return render(request, "alliances/partner_form.html", context)


@login_required
def invitation_create(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = InvitationForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                alliance=alliance,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("alliance_detail", alliance_pk=alliance.pk)
    return render(request, "alliances/invitation_form.html", {"form": form, "alliance": alliance})


@require_POST
@login_required
def invitation_revoke(
    request: AuthenticatedRequest, alliance_pk: int, invitation_pk: int
) -> HttpResponse:
    invitation = get_invitation_for(request.user, alliance_pk, invitation_pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("alliance_detail", alliance_pk=alliance_pk)


@require_POST
@login_required
def role_remove(request: AuthenticatedRequest, alliance_pk: int, role_pk: int) -> HttpResponse:
    role = get_role_for(request.user, alliance_pk, role_pk, manage=True)
    try:
        services.role_revoke(role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is no longer %(role)s.")
            % {"person": role.person, "role": role.get_kind_display().lower()},
        )
    return redirect("alliance_detail", alliance_pk=alliance_pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """One link for every case: signed in or not, with or without an account, right or wrong person."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    if invitation.state != Invitation.State.PENDING:
        return _invitation_unavailable(request, invitation)
    context: dict = {"invitation": invitation}
    if request.user.is_authenticated:
        if normalize_email(request.user.email) != invitation.email:
            return render(request, "invitations/wrong_account.html", context)
        return _accept_as(request, invitation, request.user)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "invitations/sign_in.html", context)
    return _accept_with_new_account(request, invitation)


def _invitation_unavailable(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    context = {"invitation": invitation}
    return render(request, "invitations/unavailable.html", context, status=410)


def _accept_as(request: HttpRequest, invitation: Invitation, person: User) -> HttpResponse:
    if request.method != "POST":
        return render(request, "invitations/confirm.html", {"invitation": invitation})
    try:
        services.invitation_accept(invitation=invitation, person=person)
    except ValidationError:
        invitation.refresh_from_db()
        return _invitation_unavailable(request, invitation)
    messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.alliance})
    return redirect("alliance_detail", alliance_pk=invitation.alliance_id)


def _accept_with_new_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = AccountFromInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.account_create_from_invitation(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.alliance})
            return redirect("alliance_detail", alliance_pk=invitation.alliance_id)
    context = {"invitation": invitation, "form": form}
    return render(request, "invitations/new_account.html", context)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        form.instance.save(update_fields=list(form.fields))
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "profile.html", {"form": form})
