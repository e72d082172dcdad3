"""Who may do what, for every alliance endpoint and every persona.

Outsiders get 404 for anything of the pilot (never 403: nothing tells them it exists), members
without the coalition manager role get 403 on writes and on invitations, anonymous callers 401.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from alliances.models import Invitation, Role
from tests.conftest import Pilot
from tests.factories import InvitationFactory, MembershipFactory, OrganizationFactory

READS = [
    "alliance-detail",
    "alliance-stage-history",
    "partner-list",
    "partner-detail",
    "role-list",
    "role-detail",
    "invitation-list",
    "invitation-detail",
]
MANAGER_ONLY_READS = {"invitation-list", "invitation-detail"}
WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("patch", "alliance-detail", {"name": "Renamed"}),
    ("post", "alliance-stage", {"stage": "under_review"}),
    ("post", "partner-list", {"organization": "new_org", "resource_share": "0"}),
    ("patch", "partner-detail", {"resource_share": "1"}),
    ("post", "role-list", {"person_email": "rep@techco.example", "kind": "observer"}),
    ("delete", "role-detail", {}),
    ("post", "invitation-list", {"email": "new@example.org", "kind": "observer"}),
    ("post", "invitation-revoke", {}),
]


@pytest.fixture
def kwargs(pilot: Pilot) -> dict[str, int]:
    invitation = InvitationFactory.create(alliance=pilot.alliance, invited_by=pilot.manager)
    new_org = OrganizationFactory.create(name="Newcomer")
    MembershipFactory(person=pilot.manager, organization=new_org)
    return {
        "alliance_pk": pilot.alliance.pk,
        "partner_pk": pilot.techco.pk,
        "role_pk": Role.objects.get(person=pilot.rep).pk,
        "invitation_pk": invitation.pk,
        "new_org": new_org.pk,
    }


URL_KWARGS = {
    "alliance-detail": ("alliance_pk",),
    "alliance-stage": ("alliance_pk",),
    "alliance-stage-history": ("alliance_pk",),
    "partner-list": ("alliance_pk",),
    "partner-detail": ("alliance_pk", "partner_pk"),
    "role-list": ("alliance_pk",),
    "role-detail": ("alliance_pk", "role_pk"),
    "invitation-list": ("alliance_pk",),
    "invitation-detail": ("alliance_pk", "invitation_pk"),
    "invitation-revoke": ("alliance_pk", "invitation_pk"),
}


def _url(name: str, kwargs: dict[str, int]) -> str:
    return reverse(f"api:{name}", kwargs={key: kwargs[key] for key in URL_KWARGS[name]})


def _body(body: dict[str, Any], kwargs: dict[str, int]) -> dict[str, Any]:
    return {key: kwargs.get(value, value) for key, value in body.items()}


def _snapshot(pilot: Pilot) -> tuple[Any, ...]:
    pilot.alliance.refresh_from_db()
    return (
        pilot.alliance.name,
        pilot.alliance.stage,
        list(pilot.alliance.partners.values_list("pk", "resource_share")),
        list(pilot.alliance.roles.values_list("pk", "kind")),
        list(Invitation.objects.values_list("pk", "email", "revoked_at")),
    )


@pytest.mark.parametrize("name", READS)
def test_manager_reads_every_alliance_endpoint(api_as, pilot, kwargs, name):
    assert api_as(pilot.manager).get(_url(name, kwargs)).status_code == 200


@pytest.mark.parametrize("persona", ["rep", "steering"])
@pytest.mark.parametrize("name", READS)
def test_members_read_everything_but_invitations(api_as, pilot, kwargs, persona, name):
    response = api_as(getattr(pilot, persona)).get(_url(name, kwargs))
    assert response.status_code == (403 if name in MANAGER_ONLY_READS else 200)


@pytest.mark.parametrize("persona", ["rep", "steering"])
@pytest.mark.parametrize(("method", "name", "body"), WRITES)
def test_members_without_manager_role_get_403_on_writes_and_nothing_changes(
    api_as, pilot, kwargs, persona, method, name, body
):
    before = _snapshot(pilot)
    client = api_as(getattr(pilot, persona))
    response = getattr(client, method)(_url(name, kwargs), _body(body, kwargs), format="json")
    assert response.status_code == 403
    assert _snapshot(pilot) == before


@pytest.mark.parametrize("name", READS)
def test_outsider_gets_404_for_every_pilot_read(api_as, pilot, outsider, kwargs, name):
    response = api_as(outsider).get(_url(name, kwargs))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name", "body"), WRITES)
def test_outsider_gets_404_for_every_pilot_write_and_nothing_changes(
    api_as, pilot, outsider, kwargs, method, name, body
):
    before = _snapshot(pilot)
    client = api_as(outsider)
    response = getattr(client, method)(_url(name, kwargs), _body(body, kwargs), format="json")
    assert response.status_code == 404
    assert _snapshot(pilot) == before


@pytest.mark.parametrize("name", ["alliance-stage", "invitation-revoke"])
def test_outsider_gets_404_even_for_a_method_the_url_does_not_offer(
    api_as, pilot, outsider, kwargs, name
):
    assert api_as(outsider).get(_url(name, kwargs)).status_code == 404
    assert api_as(pilot.manager).get(_url(name, kwargs)).status_code == 405


@pytest.mark.parametrize(("method", "name", "body"), [*[("get", n, {}) for n in READS], *WRITES])
def test_anonymous_gets_401(api_client, pilot, kwargs, method, name, body):
    response = getattr(api_client, method)(_url(name, kwargs), body, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("name", ["alliance-list", "organization-list"])
def test_anonymous_gets_401_for_lists(api_client, db, name):
    assert api_client.get(reverse(f"api:{name}")).status_code == 401
