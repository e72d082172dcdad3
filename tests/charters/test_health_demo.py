"""The demo's operational layer: the pilot on watch after the data-ownership dispute outlasted
the working group's deadline; the packaging coalition, without a charter yet, differently."""

from django.core.management import call_command

from alliances import health
from alliances.models import Alliance


def test_the_pilot_is_on_watch_after_the_dispute_and_the_coalition_lacks_a_charter(db):
    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    coalition = Alliance.objects.get(name="Reusable packaging coalition")

    layer = health.assess(pilot).layer("operational")
    signals = {signal.key: signal for signal in layer.signals}
    assert layer.state == "watch"
    assert signals["escalations"].score == 0
    assert "stayed with the Working group past its deadline" in signals["escalations"].fact
    assert signals["ballots"].score == 100
    assert signals["governance_audit"].move is None
    assert [advice.key for advice in health.advice_for(pilot)] == ["diversify"]

    other = health.assess(coalition).layer("operational")
    audit = next(signal for signal in other.signals if signal.key == "governance_audit")
    assert audit.move is not None
    assert audit.move.key == "audit_governance"
    # GreenAlliance (GB) joined the Irish coalition: cross-border advice as well.
    assert [advice.key for advice in health.advice_for(coalition)][:5] == [
        "minority_protection",
        "force_majeure",
        "diversify",
        "hybrid_decisions",
        "one_page",
    ]
