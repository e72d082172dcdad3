"""Charter workflows: drafting versions, proposing them, and settling their adoption ballot."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import services as alliance_services
from alliances.models import Alliance, User

from .ballots import ballot_open
from .models import Ballot, Charter, CharterVersion
from .rules import Rules, Scope
from .tally import Outcome

ADOPTION_PERIOD = timedelta(days=7)


def _validate(alliance: Alliance, rules: Rules) -> None:
    rules.validate(set(alliance.partners.values_list("pk", flat=True)))


@transaction.atomic
def version_draft(*, alliance: Alliance, by: User) -> CharterVersion:
    """Start the next version from the one in force (or from scratch): it stays a draft
    until proposed."""
    charter, _created = Charter.objects.get_or_create(alliance=alliance)
    if charter.versions.filter(status__in=["draft", "proposed"]).exists():
        raise ValidationError(_("Finish or withdraw the open draft before starting another."))
    base = charter.in_force()
    number = (charter.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return CharterVersion.objects.create(
        charter=charter,
        number=number,
        prose=base.prose if base else "",
        rules_json=base.rules_json if base else Rules().to_json(),
        created_by=by,
    )


@transaction.atomic
def version_update(
    *, version: CharterVersion, summary: str, prose: str, rules: Rules
) -> CharterVersion:
    locked = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(_("Only a draft can change; a proposed version is fixed."))
    _validate(locked.charter.alliance, rules)
    locked.summary, locked.prose, locked.rules_json = summary, prose, rules.to_json()
    locked.save(update_fields=["summary", "prose", "rules_json"])
    return locked


@transaction.atomic
def version_withdraw(*, version: CharterVersion) -> None:
    if version.status != CharterVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be withdrawn."))
    version.delete()


@transaction.atomic
def version_propose(
    *, version: CharterVersion, by: User, closes_at: datetime | None = None
) -> Ballot:
    """Fix the draft and put it to the vote under the rules in force (the first: unanimity)."""
    locked = (
        CharterVersion.objects.select_for_update()
        .select_related("charter__alliance")
        .get(pk=version.pk)
    )
    if locked.status != CharterVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be proposed."))
    alliance = locked.charter.alliance
    _validate(alliance, locked.rules)
    now = timezone.now()
    locked.status, locked.proposed_at = CharterVersion.Status.PROPOSED, now
    locked.save(update_fields=["status", "proposed_at"])
    return ballot_open(
        alliance=alliance,
        by=by,
        subject=Ballot.Subject.CHARTER_ADOPTION,
        question=_("Adopt version %(number)s of the charter?") % {"number": locked.number},
        description=locked.summary,
        scope=Scope.CHARTER,
        closes_at=closes_at or now + ADOPTION_PERIOD,
        proposal=locked,
    )


def adoption_settle(*, ballot: Ballot, now: datetime) -> None:
    """Called when an adoption ballot closes (inside its transaction)."""
    proposal = CharterVersion.objects.select_for_update().get(adoption_ballots=ballot)
    if ballot.outcome != Outcome.PASSED:
        proposal.status = CharterVersion.Status.REJECTED
        proposal.save(update_fields=["status"])
        return
    CharterVersion.objects.filter(
        charter_id=proposal.charter_id, status=CharterVersion.Status.ADOPTED
    ).update(status=CharterVersion.Status.SUPERSEDED, superseded_at=now)
    proposal.status, proposal.adopted_at = CharterVersion.Status.ADOPTED, now
    proposal.save(update_fields=["status", "adopted_at"])
    alliance = Alliance.objects.get(pk=ballot.alliance_id)
    cadence = proposal.rules.review_cadence_months
    if alliance.review_cadence_months != cadence:
        alliance_services.alliance_update(alliance=alliance, review_cadence_months=cadence)
