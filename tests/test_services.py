"""The domain's rules for alliances, partners, roles and invitations, through their services."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from alliances import services
from alliances.models import Alliance, Invitation, Role, StageTransition

from .factories import OrganizationFactory, UserFactory


def test_creator_becomes_coalition_manager_and_creation_is_recorded(db):
    person = UserFactory()

    alliance = services.alliance_create(
        by=person, name="Ports", purpose="Share berths.", form=Alliance.Form.JOINT_VENTURE
    )

    assert alliance.is_managed_by(person)
    assert list(alliance.transitions.values_list("from_stage", "to_stage")) == [("", "proposed")]


def test_project_based_alliance_needs_expected_end_and_nothing_is_saved(db):
    with pytest.raises(ValidationError) as error:
        services.alliance_create(
            by=UserFactory(), name="Pop-up", purpose="x", form=Alliance.Form.PROJECT_BASED
        )
    assert "expected_end" in error.value.message_dict
    assert not Alliance.objects.exists()


def test_stage_moves_only_along_the_lifecycle(pilot):
    pilot.alliance.move_to(Alliance.Stage.UNDER_REVIEW, by=pilot.manager, note="Six months in")

    with pytest.raises(ValidationError):
        pilot.alliance.move_to(Alliance.Stage.PROPOSED, by=pilot.manager)

    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.UNDER_REVIEW
    last = StageTransition.objects.filter(alliance=pilot.alliance).latest("at", "pk")
    assert (last.from_stage, last.to_stage, last.by) == ("active", "under_review", pilot.manager)


def test_dissolved_is_final(pilot):
    pilot.alliance.move_to(Alliance.Stage.EXITING, by=pilot.manager)
    pilot.alliance.move_to(Alliance.Stage.DISSOLVED, by=pilot.manager)

    assert pilot.alliance.next_stages() == ()


def test_resource_shares_cannot_exceed_100_percent(pilot):
    # The pilot's partners hold 40 + 35 + 25 = 100%.
    with pytest.raises(ValidationError) as error:
        services.partner_add(
            alliance=pilot.alliance, organization=OrganizationFactory(), resource_share=Decimal(1)
        )
    assert "resource_share" in error.value.message_dict
    assert pilot.alliance.partners.count() == 3


def test_updating_a_share_counts_the_others_only(pilot):
    services.partner_update(partner=pilot.techco, resource_share=Decimal(30))
    services.partner_update(partner=pilot.techco, resource_share=Decimal(40))

    pilot.techco.refresh_from_db()
    assert pilot.techco.resource_share == 40


def test_an_organization_partners_once(pilot):
    services.partner_update(partner=pilot.techco, resource_share=Decimal(10))
    with pytest.raises(ValidationError):
        services.partner_add(alliance=pilot.alliance, organization=pilot.techco.organization)


def test_partner_roles_must_name_a_partner_of_the_alliance(pilot, outsider):
    other_partner = outsider.alliance_roles.get(kind="manager").alliance.partners.first()
    with pytest.raises(ValidationError):
        services.role_grant(
            alliance=pilot.alliance, person=UserFactory(), kind="representative", partner=None
        )
    with pytest.raises(ValidationError):
        services.role_grant(
            alliance=pilot.alliance,
            person=UserFactory(),
            kind="representative",
            partner=other_partner,
        )


def test_the_last_manager_cannot_be_removed(pilot):
    role = Role.objects.get(alliance=pilot.alliance, kind=Role.Kind.COALITION_MANAGER)

    with pytest.raises(ValidationError):
        services.role_revoke(role=role)

    services.role_grant(
        alliance=pilot.alliance, person=pilot.rep, kind=Role.Kind.COALITION_MANAGER, partner=None
    )
    services.role_revoke(role=role)
    assert not pilot.alliance.is_managed_by(pilot.manager)


def test_invitation_emails_a_link_and_stores_only_its_hash(
    pilot, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            alliance=pilot.alliance,
            by=pilot.manager,
            email=" New.Person@Example.org ",
            kind=Role.Kind.PARTNER_REPRESENTATIVE,
            partner=pilot.logicorp,
        )

    assert invitation.email == "new.person@example.org"
    assert token not in invitation.token_hash
    assert len(mailoutbox) == 1
    assert services.invitation_url(token) in mailoutbox[0].body
    assert services.invitation_for_token(token) == invitation


def _invite(pilot, **fields):
    invitation, _token = services.invitation_create(
        alliance=pilot.alliance,
        by=pilot.manager,
        email=fields.pop("email", "joiner@example.org"),
        kind=fields.pop("kind", Role.Kind.STEERING_COMMITTEE),
        partner=fields.pop("partner", pilot.greenalliance),
    )
    return invitation


def test_new_account_from_invitation_gets_the_role_and_the_organization(pilot):
    invitation = _invite(pilot)

    person = services.account_create_from_invitation(
        invitation=invitation, first_name="Jo", last_name="Ner", password="a-long-passphrase"
    )

    role = Role.objects.get(alliance=pilot.alliance, person=person)
    assert (role.kind, role.partner) == (Role.Kind.STEERING_COMMITTEE, pilot.greenalliance)
    assert person.organizations.get() == pilot.greenalliance.organization
    assert Invitation.objects.get(pk=invitation.pk).state == Invitation.State.ACCEPTED


def test_an_invitation_is_single_use(pilot):
    invitation = _invite(pilot)
    services.invitation_accept(invitation=invitation, person=UserFactory())

    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, person=UserFactory())


def test_an_expired_invitation_cannot_be_accepted(pilot):
    invitation = _invite(pilot)

    with (
        time_machine.travel(invitation.expires_at + timedelta(seconds=1)),
        pytest.raises(ValidationError),
    ):
        services.invitation_accept(invitation=invitation, person=UserFactory())
    assert not Role.objects.filter(
        alliance=pilot.alliance, kind="steering", partner=pilot.greenalliance
    ).exists()


def test_a_revoked_invitation_cannot_be_accepted(pilot):
    invitation = _invite(pilot)
    services.invitation_revoke(invitation=invitation)

    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, person=UserFactory())
    with pytest.raises(ValidationError):
        services.invitation_revoke(invitation=invitation)


def test_cannot_invite_someone_to_a_role_they_hold(pilot):
    with pytest.raises(ValidationError):
        _invite(pilot, email="REP@techco.example", kind="representative", partner=pilot.techco)
