"""Walk every URL pattern in the resolver, so that routes added later are covered automatically.

- An outsider (signed in, member of another alliance) gets 404 for every URL that names an
  object of the pilot: nothing tells them the pilot exists.
- An anonymous visitor is sent to sign in (pages) or gets 401 (API), except on public pages.
- The pilot's manager can open every page without a server error.

A new URL keyword must be added to KWARGS below, or these tests fail and say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from alliances.models import Invitation, Notification, NotificationKind

from .conftest import Pilot
from .factories import GoalFactory, InterestFactory, InterestLinkFactory, InvitationFactory


def _review(pilot: Pilot) -> Any:
    pilot.alliance.ensure_review_scheduled(timezone.now())
    return pilot.alliance.reviews.get()


def _notification(pilot: Pilot) -> Any:
    """One of the pilot manager's notifications: nobody else may read or mark it."""
    return Notification.objects.create(
        recipient=pilot.manager,
        alliance=pilot.alliance,
        kind=NotificationKind.REVIEW_REMINDER,
        title="The realignment review is due",
        delivery_key="url-walk",
    )


def _adoption_ballot(pilot: Pilot) -> Any:
    """The pilot's first charter version, proposed: its ballot is open."""
    from charters import services as charter_services
    from charters.models import Ballot

    ballot = Ballot.objects.filter(alliance=pilot.alliance).first()
    if ballot is None:
        version = charter_services.version_draft(alliance=pilot.alliance, by=pilot.manager)
        ballot = charter_services.version_propose(version=version, by=pilot.manager)
    return ballot


def _trust_entry(pilot: Pilot) -> Any:
    from trustaccount import ledger
    from trustaccount.models import Category, TrustEntry

    return ledger.entry_record(
        alliance=pilot.alliance, by=pilot.rep, kind=TrustEntry.Kind.DEPOSIT,
        category=Category.INFORMATION_SHARED_EARLY, actor=pilot.techco, idempotency_key="walk",
    )  # fmt: skip


def _commitment(pilot: Pilot) -> Any:
    from trustaccount.commitments import commitment_make

    return commitment_make(
        alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco, beneficiary=pilot.logicorp,
        description="Send the March data", due_on=timezone.localdate(),
    )  # fmt: skip


def _check_in(pilot: Pilot) -> Any:
    from trustaccount.checkins import round_open

    return round_open(alliance=pilot.alliance, by=pilot.manager)


def _escalation(pilot: Pilot) -> Any:
    """An open escalation between TechCo and LogiCorp, on a two-level ladder."""
    from charters.models import Escalation

    return Escalation.objects.get_or_create(
        alliance=pilot.alliance,
        defaults={
            "title": "Data ownership", "description": "Who owns the delivery data?",
            "scope": "strategy", "raised_by": pilot.rep,
            "ladder_json": [{"name": "Working group", "days": 7},
                            {"name": "Steering committee", "days": None}],
        },
    )[0]  # fmt: skip


def _exit_notice(pilot: Pilot) -> Any:
    """LogiCorp's notice under the pilot's exit plan, with one shared asset on the register."""
    from charters import exits

    notice = exits.ExitNotice.objects.filter(alliance=pilot.alliance).first()
    if notice is None:
        plan = exits.exit_plan_save(
            alliance=pilot.alliance, by=pilot.manager, notice_period_days=90
        )
        exits.shared_asset_add(plan=plan, name="Tracking platform", contributed_by=pilot.techco,
                               division_rule="TechCo keeps it")  # fmt: skip
        notice = exits.exit_notice_give(partner=pilot.logicorp, by=pilot.manager, reason="Strategy")
    return notice


def _shared_asset(pilot: Pilot) -> Any:
    from charters.models import SharedAsset

    _exit_notice(pilot)
    return SharedAsset.objects.filter(plan__alliance=pilot.alliance).earliest("pk")


def _interest(pilot: Pilot) -> Any:
    """A shared interest of the pilot's TechCo: its pages exist for the pilot's members."""
    return InterestFactory.create(partner=pilot.techco, statement="Shared with the pilot")


# Keywords that name an object of the pilot. Outsiders must get 404 for them.
PILOT_KWARGS: dict[str, Callable[[Pilot, Invitation], Any]] = {
    "alliance_pk": lambda pilot, invitation: pilot.alliance.pk,
    "partner_pk": lambda pilot, invitation: pilot.techco.pk,
    "role_pk": lambda pilot, invitation: pilot.alliance.roles.earliest("pk").pk,
    "invitation_pk": lambda pilot, invitation: invitation.pk,
    "organization_pk": lambda pilot, invitation: pilot.techco.organization_id,
    "goal_pk": lambda pilot, invitation: GoalFactory.create(alliance=pilot.alliance).pk,
    "interest_pk": lambda pilot, invitation: _interest(pilot).pk,
    "review_pk": lambda pilot, invitation: _review(pilot).pk,
    "notification_pk": lambda pilot, invitation: _notification(pilot).pk,
    "version_pk": lambda pilot, invitation: _adoption_ballot(pilot).proposal_id,
    "ballot_pk": lambda pilot, invitation: _adoption_ballot(pilot).pk,
    "link_pk": lambda pilot, invitation: (
        InterestLinkFactory.create(interest=_interest(pilot), goal__alliance=pilot.alliance).pk
    ),
    "escalation_pk": lambda pilot, invitation: _escalation(pilot).pk,
    "notice_pk": lambda pilot, invitation: _exit_notice(pilot).pk,
    "task_pk": lambda pilot, invitation: _exit_notice(pilot).tasks.earliest("pk").pk,
    "asset_pk": lambda pilot, invitation: _shared_asset(pilot).pk,
    "entry_pk": lambda pilot, invitation: _trust_entry(pilot).pk,
    "commitment_pk": lambda pilot, invitation: _commitment(pilot).pk,
    "round_pk": lambda pilot, invitation: _check_in(pilot).pk,
    # An invitation link the outsider was not sent: it must not exist for them either.
    "token": lambda pilot, invitation: "guessed-token",
}
# Keywords of third-party routes (admin, django-allauth) that carry no pilot object.
OTHER_KWARGS: dict[str, str] = {
    "app_label": "alliances",
    "model_name": "alliance",
    "object_id": "1",
    "content_type_id": "1",
    "uidb36": "1",
    "key": "x-y",
    "url": "x",
    "path": "x",
    "id": "1",
}
# Pages anyone may open: signing in, password reset, health, API schema and docs.
PUBLIC_PREFIXES = (
    "accounts/",
    "admin/login/",
    "admin/logout/",
    "healthz",
    "api/schema/",
    "api/docs/",
    "api/v1/auth/token/",
    "i18n/",
)
ADMIN_PREFIX = "admin/"


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "alliances/<int:alliance_pk>/partners/add/"
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + _as_route(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            names: list[str] = re.findall(r"<(?:\w+:)?(\w+)>", route)
            yield Route(route, tuple(names))


def _as_route(pattern: Any) -> str:
    """Regex patterns (admin's catch-alls) become route syntax; route patterns stay as they are."""
    text = str(pattern)
    if hasattr(pattern, "_route"):
        return text
    text = text.lstrip("^").rstrip("$").replace("\\Z", "")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text).replace("\\", "")


def _routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.template)


def _fill(route: Route, values: dict[str, Any]) -> str:
    unknown = set(route.kwargs) - values.keys()
    assert not unknown, f"{route.template}: add {unknown} to KWARGS in {__name__}"
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[str(m.group(1))]), route.template)


@pytest.fixture
def values(pilot: Pilot) -> dict[str, Any]:
    invitation = InvitationFactory(alliance=pilot.alliance, invited_by=pilot.manager)
    return {name: make(pilot, invitation) for name, make in PILOT_KWARGS.items()} | OTHER_KWARGS


def _answer(client: Client, url: str) -> Any:
    """GET the URL; a POST-only view is asked with POST instead."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def test_every_route_is_walked():
    templates = {route.template for route in _routes()}
    assert "alliances/<int:alliance_pk>/" in templates
    assert any(t.startswith("api/v1/alliances/<int:alliance_pk>/") for t in templates)


def test_outsider_gets_404_for_every_url_of_the_pilot(client, outsider, values):
    client.force_login(outsider)
    checked = []
    for route in _routes():
        if not set(route.kwargs) & PILOT_KWARGS.keys() or route.template.startswith(ADMIN_PREFIX):
            continue
        url = _fill(route, values)
        response = _answer(client, url)
        assert response.status_code == 404, f"{url} answered {response.status_code}"
        checked.append(url)
    assert len(checked) >= 10


def test_anonymous_is_sent_to_sign_in_everywhere_but_public_pages(client, values):
    for route in _routes():
        if route.template.startswith(PUBLIC_PREFIXES):
            continue
        url = _fill(route, values)
        response = _answer(client, url)
        if route.template.startswith("api/"):
            assert response.status_code == 401, f"{url} answered {response.status_code}"
        elif "token" in route.kwargs:
            assert response.status_code == 404, f"{url} answered {response.status_code}"
        else:
            assert response.status_code == 302, f"{url} answered {response.status_code}"
            login = (
                "/admin/login/" if route.template.startswith(ADMIN_PREFIX) else "/accounts/login/"
            )
            assert response["Location"].startswith(login), url


def test_pilot_manager_opens_every_page_without_a_server_error(client, pilot, values):
    client.force_login(pilot.manager)
    for route in _routes():
        if route.template.startswith(ADMIN_PREFIX) or "token" in route.kwargs:
            continue
        url = _fill(route, values)
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"


JUNK = {
    "name": "x" * 5000,
    "email": "not-an-email",
    "title": "",
    "statement": "\x00",
    "resource_share": "1e309",
    "joined_on": "31/02/2026",
    "closes_at": "yesterday",
    "given_on": "9999-12-31",
    "days": "-1",
    "fit": "six",
    "weight": "NaN",
    "partner": "999999999999999999999",
    "partners": ["abc"],
    "stage": "<script>",
    "visibility": "everyone",
    "choice": "",
    "level": "-5",
    "page": "0",
}


def test_junk_posted_to_every_url_never_causes_a_server_error(client, pilot, values):
    """Bad input gets a clear answer (400, 403, 404, a form with errors, a redirect), never 500."""
    client.force_login(pilot.manager)
    client.raise_request_exception = False
    for route in _routes():
        if route.template.startswith(ADMIN_PREFIX):
            continue
        url = _fill(route, values)
        response = client.post(url, JUNK)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if url.startswith("/api/"):
            response = client.post(url, "{not json", content_type="application/json")
            assert response.status_code < 500, f"{url} answered {response.status_code} to bad JSON"


@pytest.mark.parametrize(
    "path",
    [
        "alliances/{a}/trust/ledger/?month=9999-12",
        "alliances/{a}/trust/ledger.csv?month=9999-12",
        "alliances/{a}/exit-notices/new/?given_on=9999-12-31",
        "alliances/{a}/interests/?page=99999999999999999999",
        "alliances/{a}/charter/diff/?from=99999999999999999999&to=x",
    ],
)
def test_odd_query_strings_never_cause_a_server_error(client, pilot, path):
    from charters import exits

    exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=90)
    client.force_login(pilot.manager)
    client.raise_request_exception = False
    url = "/" + path.format(a=pilot.alliance.pk)

    assert client.get(url).status_code < 500
    assert client.get(url, headers={"HX-Request": "true"}).status_code < 500
