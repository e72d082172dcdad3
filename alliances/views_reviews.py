"""Realignment reviews and the force-majeure pause of an alliance's timers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import reviews
from .access import get_alliance_for
from .forms import ReviewRescheduleForm, add_service_error
from .models import Alliance, Partner, PartnerFit, Review
from .views import AuthenticatedRequest

DETAIL = "reviews/review_detail.html"


FIT_CHOICES = [
    (1, gettext_lazy("1: the alliance no longer serves our strategy")),
    (2, gettext_lazy("2: it serves our strategy poorly")),
    (3, gettext_lazy("3: it is useful to our strategy")),
    (4, gettext_lazy("4: it matters to our strategy")),
    (5, gettext_lazy("5: it is central to our strategy")),
]


class FitForm(forms.ModelForm):
    class Meta:
        model = PartnerFit
        fields = ["fit", "comments"]
        widgets = {
            "fit": forms.RadioSelect(choices=FIT_CHOICES),
            "comments": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "fit": "",
            "comments": gettext_lazy(
                "What has changed for your organisation, and what would make the alliance "
                "fit better. Everyone in the alliance reads this."
            ),
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
    mine = Partner.objects.represented_by(request.user).filter(alliance=alliance)
    return mine.select_related("organization").first()


@login_required
def review_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "current": alliance.reviews.pending().first(),
        "history": alliance.reviews.completed().select_related("completed_by"),
        "pauses": list(alliance.pauses.select_related("paused_by", "resumed_by")[:10]),
        "now": timezone.now(),
    }
    return render(request, "reviews/review_list.html", context)


@login_required
def review_detail(request: AuthenticatedRequest, alliance_pk: int, review_pk: int) -> HttpResponse:
    review = _get_review_for(request, alliance_pk, review_pk)
    return render(request, DETAIL, _detail_context(request, review))


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
        "reschedule_form": forms_.get("reschedule_form")
        or ReviewRescheduleForm(initial={"due_on": timezone.localdate(review.due_at)}),
        "goals": alliance.goals.all(),
        "recorded": len(fits),
        "now": timezone.now(),
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

    def record(data: dict[str, Any]) -> HttpResponse:
        reviews.review_record_fit(review=review, partner=partner, by=request.user, **data)
        messages.success(request, _("Your organisation's strategic fit is recorded."))
        return redirect("review_detail", alliance_pk=alliance_pk, review_pk=review.pk)

    return _submit(request, review, "fit_form", FitForm(request.POST), record)


@require_POST
@login_required
def review_complete(
    request: AuthenticatedRequest, alliance_pk: int, review_pk: int
) -> HttpResponse:
    get_alliance_for(request.user, alliance_pk, manage=True)
    review = _get_review_for(request, alliance_pk, review_pk)

    def complete(data: dict[str, Any]) -> HttpResponse:
        reviews.review_complete(review=review, by=request.user, **data)
        messages.success(request, _("The review is complete and the next one is scheduled."))
        return redirect("review_list", alliance_pk=alliance_pk)

    return _submit(request, review, "complete_form", CompleteForm(request.POST), complete)


@require_POST
@login_required
def review_reschedule(
    request: AuthenticatedRequest, alliance_pk: int, review_pk: int
) -> HttpResponse:
    get_alliance_for(request.user, alliance_pk, manage=True)
    review = _get_review_for(request, alliance_pk, review_pk)
    form = ReviewRescheduleForm(request.POST)

    def reschedule(data: dict[str, Any]) -> HttpResponse:
        moved = reviews.review_reschedule(review=review, due_at=form.due_at())
        day = formats.date_format(timezone.localtime(moved.due_at), "DATE_FORMAT")
        messages.success(request, _("The review is now due on %(date)s.") % {"date": day})
        return redirect("review_detail", alliance_pk=alliance_pk, review_pk=review.pk)

    return _submit(request, review, "reschedule_form", form, reschedule)


def _submit(
    request: AuthenticatedRequest,
    review: Review,
    name: str,
    form: forms.Form | forms.ModelForm,
    act: Callable[[dict[str, Any]], HttpResponse],
) -> HttpResponse:
    """Validate one of the review page's forms and act on it; a refusal shows on the page,
    next to the field it concerns, and nothing changes."""
    if form.is_valid():
        try:
            return act(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
    context = _detail_context(request, review, **{name: form})
    return render(request, DETAIL, context, status=400)


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
