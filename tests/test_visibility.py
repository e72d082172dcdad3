"""Every user-facing query starts from what the person may see."""

from alliances.models import Alliance, Organization, Partner, Role


def test_members_see_their_alliance(pilot, outsider):
    for person in (pilot.manager, pilot.rep, pilot.steering):
        assert list(Alliance.objects.visible_to(person)) == [pilot.alliance]


def test_outsider_sees_only_their_own_alliance(pilot, outsider):
    assert [a.name for a in Alliance.objects.visible_to(outsider)] == ["Packaging coalition"]
    assert not Partner.objects.visible_to(outsider).filter(alliance=pilot.alliance).exists()
    assert not Role.objects.visible_to(outsider).filter(alliance=pilot.alliance).exists()


def test_outsider_does_not_see_pilot_organizations(pilot, outsider):
    names = set(Organization.objects.visible_to(outsider).values_list("name", flat=True))
    assert names == {"Elsewhere Ltd"}


def test_member_sees_every_partner_organization(pilot):
    names = set(Organization.objects.visible_to(pilot.rep).values_list("name", flat=True))
    assert names == {"TechCo", "LogiCorp", "GreenAlliance"}


def test_anonymous_sees_nothing(pilot, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Alliance.objects.visible_to(AnonymousUser()).exists()
    assert not Organization.objects.visible_to(AnonymousUser()).exists()


def test_managed_by_only_lists_managed_alliances(pilot):
    assert list(Alliance.objects.managed_by(pilot.manager)) == [pilot.alliance]
    assert not Alliance.objects.managed_by(pilot.rep).exists()
