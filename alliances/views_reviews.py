"""Realignment reviews and the force-majeure pause of an alliance's timers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import reviews
from .access import get_alliance_for
from .forms import add_service_error
from .models import Alliance, Partner, PartnerFit, Review
from .views import AuthenticatedRequest


class FitForm(forms.ModelForm):
    class Meta:
        model = PartnerFit
        fields = ["fit", "comments"]
        widgets = {
            "fit": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
            "comments": forms.Textarea(attrs={"rows": 4}),
        }


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Review.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=gettext_lazy("What we decided"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Everyone in the alliance reads this with the outcome."),
    )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        help_text=gettext_lazy("For example sanctions, or a change in government policy."),
    )


def _get_review_for(request: AuthenticatedRequest, alliance_pk: int, review_pk: int) -> Review:
    alliance = get_alliance_for(request.user, alliance_pk)
    return get_object_or_404(alliance.reviews.select_related("alliance"), pk=review_pk)


def _my_partner(request: AuthenticatedRequest, alliance: Alliance) -> Partner | None:
    """The partner this person records the strategic fit for, as its representative."""
    return Partner.objects.represented_by(request.user).filter(alliance=alliance).first()


@login_required
def review_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "current": alliance.reviews.pending().first(),
        "history": alliance.reviews.completed().select_related("completed_by"),
        "pauses": alliance.pauses.select_related("paused_by", "resumed_by")[:10],
        "now": timezone.now(),
    }
    return render(request, "reviews/review_list.html", context)


@login_required
def review_detail(request: AuthenticatedRequest, alliance_pk: int, review_pk: int) -> HttpResponse:
    review = _get_review_for(request, alliance_pk, review_pk)
    return render(request, "reviews/review_detail.html", _detail_context(request, review))


def _detail_context(request: AuthenticatedRequest, review: Review, **forms_: Any) -> dict[str, Any]:
    alliance = review.alliance
    my_partner = _my_partner(request, alliance)
    fits = {fit.partner_id: fit for fit in review.fits.select_related("recorded_by")}
    my_fit = fits.get(my_partner.pk) if my_partner else None
    partners = alliance.partners.select_related("organization")
    return {
        "alliance": alliance,
        "review": review,
        "is_manager": alliance.is_managed_by(request.user),
        "partner_rows": [(partner, fits.get(partner.pk)) for partner in partners],
        "my_partner": my_partner,
        "fit_form": forms_.get("fit_form") or FitForm(instance=my_fit),
        "complete_form": forms_.get("complete_form") or CompleteForm(),
        "goals": alliance.goals.all(),
    }


@require_POST
@login_required
def review_open(request: AuthenticatedRequest, alliance_pk: int, review_pk: int) -> HttpResponse:
    get_alliance_for(request.user, alliance_pk, manage=True)
    review = _get_review_for(request, alliance_pk, review_pk)
    try:
        reviews.review_open(review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The review is open: partners can record their fit."))
    return redirect("review_detail", alliance_pk=alliance_pk, review_pk=review.pk)


@require_POST
@login_required
def review_fit(request: AuthenticatedRequest, alliance_pk: int, review_pk: int) -> HttpResponse:
    review = _get_review_for(request, alliance_pk, review_pk)
    partner = _my_partner(request, review.alliance)
    if partner is None:
        raise PermissionDenied(_("Partner representatives record their organisation's fit."))
    form = FitForm(request.POST)
    if form.is_valid():
        try:
            reviews.review_record_fit(
                review=review, partner=partner, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your organisation's strategic fit is recorded."))
            return redirect("review_detail", alliance_pk=alliance_pk, review_pk=review.pk)
    context = _detail_context(request, review, fit_form=form)
    return render(request, "reviews/review_detail.html", context, status=400)


@require_POST
@login_required
def review_complete(
    request: AuthenticatedRequest, alliance_pk: int, review_pk: int
) -> HttpResponse:
    get_alliance_for(request.user, alliance_pk, manage=True)
    review = _get_review_for(request, alliance_pk, review_pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            reviews.review_complete(
                review=review,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The review is complete and the next one is scheduled."))
            return redirect("review_list", alliance_pk=alliance_pk)
    context = _detail_context(request, review, complete_form=form)
    return render(request, "reviews/review_detail.html", context, status=400)


@login_required
def timers_pause(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.timers_pause(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The alliance's timers are paused."))
            return redirect("review_list", alliance_pk=alliance.pk)
    return render(request, "reviews/pause_form.html", {"alliance": alliance, "form": form})


@require_POST
@login_required
def timers_resume(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    try:
        reviews.timers_resume(alliance=alliance, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Timers run again; pending deadlines moved by the pause."))
    return redirect("review_list", alliance_pk=alliance.pk)
