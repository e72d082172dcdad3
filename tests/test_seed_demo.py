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


def test_demo_interest_map_surfaces_the_pilots_tensions(db):
    from alliances.alignment import alignment_for
    from alliances.models import Interest, InterestLink

    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    visibilities = list(
        Interest.objects.filter(partner__alliance=pilot).values_list("visibility", flat=True)
    )
    assert visibilities.count(Interest.Visibility.ORGANIZATION) == 1
    assert visibilities.count(Interest.Visibility.SUMMARY) == 1

    steering = User.objects.get(email="steering@logicorp.example")
    alignment = alignment_for(steering, pilot)
    # LogiCorp's speed; TechCo's resale plans were at risk until the steering committee's
    # settlement of the data-ownership dispute.
    assert [c.interest.partner_id for c in alignment.red_lines_at_risk] == [
        pilot.partners.get(organization__name="LogiCorp").pk
    ]
    settled = InterestLink.objects.get(
        interest__partner__alliance=pilot, note__startswith="Settled"
    )
    assert settled.effect == InterestLink.Effect.SUPPORTS
    texts = " ".join(interest.text for interest in alignment.interests)
    assert "endorse" not in texts  # GreenAlliance's draft stays inside GreenAlliance
    assert "derived from pilot data" not in texts  # TechCo shares a summary only
    assert "reusable beyond the pilot" in texts


def test_demo_six_month_review_is_due_within_days_with_a_reminder_sent(db):
    from datetime import timedelta

    from django.utils import timezone

    from alliances.models import Notification, NotificationKind, Review

    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    review = pilot.reviews.get(status=Review.Status.SCHEDULED)
    assert pilot.review_cadence_months == 6
    assert timezone.now() < review.due_at < timezone.now() + timedelta(days=7)
    manager = User.objects.get(email="manager@greenalliance.example")
    reminders = Notification.objects.filter(kind=NotificationKind.REVIEW_REMINDER, alliance=pilot)
    assert reminders.filter(recipient=manager).count() == 1
    assert review.next_reminder_at == review.due_at - timedelta(days=1)


def test_demo_charter_v1_is_adopted_and_v2_is_out_for_a_vote(db):
    from charters.audit import Status, audit
    from charters.models import Ballot, CharterVersion

    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    versions = dict(
        CharterVersion.objects.filter(charter__alliance=pilot).values_list("number", "status")
    )
    assert versions == {1: "adopted", 2: "proposed"}
    ballot = Ballot.objects.get(alliance=pilot, status=Ballot.Status.OPEN)
    assert ballot.proposal is not None
    assert ballot.proposal.number == 2
    assert ballot.mode == "two_thirds"
    ladder = CharterVersion.objects.get(charter__alliance=pilot, number=1).rules.ladder
    assert [(level.name, level.days) for level in ladder] == [
        ("Working group", 7),
        ("Steering committee", 10),
        ("Executive sponsors", None),
    ]
    assert [item.key for item in audit(pilot) if item.status == Status.ADVISED] == ["minority"]


def test_demo_data_dispute_was_settled_by_the_steering_committee(db):
    from charters.audit import Status, audit
    from charters.models import Escalation, ExitPlan

    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    dispute = Escalation.objects.get(alliance=pilot)
    assert dispute.status == Escalation.Status.RESOLVED
    assert dispute.level_name == "Steering committee"
    assert dispute.ballot is not None
    assert dispute.ballot.outcome == "passed"
    assert "derivative algorithms" in dispute.resolution
    plan = ExitPlan.objects.get(alliance=pilot)
    assert plan.notice_period_days == 90
    assert set(plan.assets.values_list("name", flat=True)) == {
        "Tracking platform",
        "Delivery data",
        "Grant funds",
    }
    exit_item = next(item for item in audit(pilot) if item.key == "exit")
    assert exit_item.status == Status.PASSED


def test_demo_trust_history_cushions_logicorps_missed_deadline(db):
    from trustaccount import checkins, ledger
    from trustaccount.models import CheckInRound, Commitment, TrustEntry

    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    partners = {p.organization.name: p.pk for p in pilot.partners.select_related("organization")}
    entries = list(TrustEntry.objects.filter(alliance=pilot).order_by("sequence"))

    assert ledger.verify(pilot) is None
    occurred = [entry.occurred_at for entry in entries]
    assert occurred == sorted(occurred)  # appended in the order it happened
    bug = entries[0]
    assert (bug.category, bug.actor_id, bug.confirmation.partner_id) == (
        "information_shared_early", partners["TechCo"], partners["LogiCorp"],
    )  # fmt: skip
    missed = TrustEntry.objects.get(alliance=pilot, kind="withdrawal")
    assert (missed.actor_id, missed.category) == (partners["LogiCorp"], "commitment_missed")
    balances = ledger.balances(pilot)
    assert missed.points < 0 < balances.per_partner[partners["LogiCorp"]]  # cushioned
    statuses = set(Commitment.objects.filter(alliance=pilot).values_list("status", flat=True))
    assert {"open", "delivered", "lapsed"} <= statuses
    rounds = CheckInRound.objects.filter(alliance=pilot)  # latest first
    assert rounds.count() == 3  # kick-off, after the missed deadline, this month
    check_in = rounds.first()
    assert check_in is not None
    assert checkins.results(check_in).answers >= 3
    assert checkins.results(check_in).shown

    call_command("seed_demo")
    assert TrustEntry.objects.filter(alliance=pilot).count() == len(entries)
