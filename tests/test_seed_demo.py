from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from alliances.models import Alliance, Role, User


def _snapshot() -> str:
    models = list(apps.get_app_config("alliances").get_models())
    return serializers.serialize(
        "json", [obj for m in models for obj in m._default_manager.order_by("pk")]
    )


def test_seed_demo_creates_the_pilot_and_its_sign_ins(db, capsys):
    call_command("seed_demo")

    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    assert pilot.stage == Alliance.Stage.ACTIVE
    assert {p.organization.name for p in pilot.partners.all()} == {
        "TechCo",
        "LogiCorp",
        "GreenAlliance",
    }
    manager = User.objects.get(email="manager@greenalliance.example")
    assert manager.check_password("alliance-demo")
    assert pilot.is_managed_by(manager)
    steering = Role.objects.filter(alliance=pilot, kind=Role.Kind.STEERING_COMMITTEE)
    assert steering.count() == 3
    assert "rep@logicorp.example" in capsys.readouterr().out


def test_outsider_belongs_to_another_alliance_only(db):
    call_command("seed_demo")

    outsider = User.objects.get(email="outsider@elsewhere.example")
    assert [a.name for a in Alliance.objects.visible_to(outsider)] == [
        "Reusable packaging coalition"
    ]


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == before
