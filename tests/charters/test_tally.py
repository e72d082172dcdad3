"""The tally against a deliberately naive reference, over generated electorates and votes."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from charters.rules import Mode
from charters.tally import ABSTAIN, NO, YES, Cast, Elector, Outcome, tally


def _electors(weights, vetoes):
    return [
        Elector(i, f"P{i}", Decimal(w), v)
        for i, (w, v) in enumerate(zip(weights, vetoes, strict=True))
    ]


def test_weights_decide_a_simple_majority():
    electors = _electors([40, 35, 25], [False] * 3)
    result = tally(
        mode=Mode.SIMPLE_MAJORITY,
        quorum=Decimal("0.5"),
        electors=electors,
        casts=[Cast(0, YES), Cast(1, NO), Cast(2, NO)],
    )
    assert result.outcome == Outcome.FAILED
    assert "40%" in result.explanation


def test_a_veto_holder_stops_the_decision_and_is_named():
    electors = _electors([80, 20], [False, True])
    result = tally(
        mode=Mode.SIMPLE_MAJORITY,
        quorum=Decimal("0.5"),
        electors=electors,
        casts=[Cast(0, YES), Cast(1, NO, veto=True)],
    )
    assert result.outcome == Outcome.VETOED
    assert "P1" in result.explanation


def test_a_veto_from_a_partner_without_one_is_just_a_vote():
    electors = _electors([80, 20], [False, False])
    result = tally(
        mode=Mode.SIMPLE_MAJORITY,
        quorum=Decimal("0.5"),
        electors=electors,
        casts=[Cast(0, YES), Cast(1, NO, veto=True)],
    )
    assert result.outcome == Outcome.PASSED


def test_below_quorum_nothing_is_decided():
    electors = _electors([1, 1, 1], [False] * 3)
    result = tally(
        mode=Mode.SIMPLE_MAJORITY, quorum=Decimal("0.75"), electors=electors, casts=[Cast(0, YES)]
    )
    assert result.outcome == Outcome.NO_QUORUM


def test_the_lead_partner_decides_alone():
    electors = _electors([10, 45, 45], [False] * 3)
    result = tally(
        mode=Mode.LEAD_PARTNER,
        quorum=Decimal(1),
        electors=electors,
        casts=[Cast(0, YES), Cast(1, NO), Cast(2, NO)],
        lead_partner=0,
    )
    assert (result.outcome, result.decided) == (Outcome.PASSED, YES)


def test_unanimity_needs_every_partner():
    electors = _electors([1, 1, 1], [False] * 3)
    result = tally(
        mode=Mode.UNANIMITY,
        quorum=Decimal("0.1"),
        electors=electors,
        casts=[Cast(0, YES), Cast(1, YES)],
    )
    assert result.outcome == Outcome.FAILED


def _reference(mode, quorum, weights, vetoes, choices, lead):
    """The rules again, written as plainly as possible, one case after the other."""
    voted = [i for i, c in enumerate(choices) if c is not None]
    for i in voted:
        if choices[i][1] and vetoes[i]:
            return Outcome.VETOED
    if mode == Mode.LEAD_PARTNER:
        if choices[lead] is None or choices[lead][0] == ABSTAIN:
            return Outcome.NO_QUORUM
        return Outcome.PASSED if choices[lead][0] == YES else Outcome.FAILED
    total = sum(weights)
    if total == 0 or Decimal(sum(weights[i] for i in voted)) / total < quorum:
        return Outcome.NO_QUORUM
    yes = sum(weights[i] for i in voted if choices[i][0] == YES)
    no = sum(weights[i] for i in voted if choices[i][0] == NO)
    if yes <= no:
        return Outcome.FAILED
    if mode == Mode.SIMPLE_MAJORITY:
        return Outcome.PASSED if 2 * yes > yes + no else Outcome.FAILED
    if mode == Mode.TWO_THIRDS:
        return Outcome.PASSED if 3 * yes >= 2 * (yes + no) else Outcome.FAILED
    if mode == Mode.CONSENSUS:
        return Outcome.PASSED if no == 0 else Outcome.FAILED
    everyone_yes = all(c is not None and c[0] == YES for c in choices)
    return Outcome.PASSED if everyone_yes else Outcome.FAILED


ballots = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(
        st.sampled_from(list(Mode)),
        st.decimals(min_value="0.05", max_value="1", places=2),
        st.lists(st.integers(min_value=1, max_value=100), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(
            st.none() | st.tuples(st.sampled_from([YES, NO, ABSTAIN]), st.booleans()),
            min_size=n,
            max_size=n,
        ),
        st.integers(min_value=0, max_value=n - 1),
    )
)


@settings(max_examples=400, deadline=None)
@given(ballots)
def test_tally_agrees_with_the_reference(ballot):
    mode, quorum, weights, vetoes, choices, lead = ballot
    casts = [Cast(i, c[0], c[1]) for i, c in enumerate(choices) if c is not None]

    result = tally(
        mode=mode,
        quorum=quorum,
        electors=_electors(weights, vetoes),
        casts=casts,
        lead_partner=lead,
    )

    assert result.outcome == _reference(mode, quorum, weights, vetoes, choices, lead)
