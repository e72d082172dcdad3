"""Relational health answers for many alliances in the same number of queries as for one."""

from __future__ import annotations

import pytest

from trustaccount.health import RelationalHealth

from .health_data import NOW, another_pilot, with_every_kind_of_fact

QUERIES = {"signals": 5, "advice": 3, "review_conditions": 1}


@pytest.fixture
def alliances(pilot):
    with_every_kind_of_fact(pilot)
    others = [another_pilot(f"Alliance {n}") for n in range(9)]
    for other in others:
        with_every_kind_of_fact(other)
    return [pilot.alliance] + [other.alliance for other in others]


@pytest.mark.parametrize("method", QUERIES)
@pytest.mark.parametrize("many", [1, 10])
def test_each_method_costs_the_same_for_1_and_10_alliances(
    alliances, method, many, django_assert_num_queries
):
    source = RelationalHealth()

    with django_assert_num_queries(QUERIES[method]):
        found = getattr(source, method)(alliances[:many], NOW)

    if method == "signals":
        assert set(found) == {alliance.pk for alliance in alliances[:many]}
        assert all(len(signals) == 4 for signals in found.values())


def test_every_alliance_is_assessed_on_its_own_facts(alliances):
    found = RelationalHealth().signals(alliances, NOW)
    one = RelationalHealth().signals(alliances[:1], NOW)

    assert found[alliances[0].pk] == one[alliances[0].pk]
    assert {s.score for signals in found.values() for s in signals if s.key == "check_in"} == {75}
    missed = {
        s.fact for signals in found.values() for s in signals if s.key == "missed_commitments"
    }
    assert missed == {"1 of 2 commitments due in the last 90 days were missed."}
