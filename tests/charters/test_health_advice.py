"""Advice from the guide on the alliance overview: given when it fits the alliance's shape
and the charter in force does not already cover it, each with its reason and a link."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.health import advice_for
from alliances.models import Alliance, Organization, Role
from charters import exits
from charters.health import OperationalHealth
from charters.rules import Mode, ScopeRule
from tests.factories import AllianceFactory, PartnerFactory, RoleFactory

from .test_audit import _adopt, _complete

Culture = Organization.DecisionCulture


def _advice(alliance):
    alliance.refresh_from_db()
    found = OperationalHealth().advice([alliance], timezone.now())[alliance.pk]
    return {advice.key: advice for advice in found}


def _shares(pilot, *shares):
    for partner, share in zip(
        (pilot.techco, pilot.logicorp, pilot.greenalliance), shares, strict=True
    ):
        partner.resource_share = Decimal(share)
        partner.save()


def _charter_url(pilot):
    return reverse("charter", kwargs={"alliance_pk": pilot.alliance.pk})


def test_the_pilot_as_the_fixture_builds_it_needs_no_advice(pilot):
    assert _advice(pilot.alliance) == {}


# Power asymmetry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shares", "advised"),
    [((50, 30, 20), True), ((45, 40, 15), True), ((44, 41, 15), False), ((36, 34, 30), False)],
)
def test_a_lopsided_share_calls_for_minority_protection(pilot, shares, advised):
    _shares(pilot, *shares)

    assert ("minority_protection" in _advice(pilot.alliance)) is advised


def test_the_minority_advice_names_the_partners_and_links_to_the_charter(pilot):
    _shares(pilot, 60, 25, 15)

    advice = _advice(pilot.alliance)["minority_protection"]

    assert "TechCo brings 60% of the resources and GreenAlliance 15%" in advice.reason
    assert "veto" in advice.action
    assert "bilateral" in advice.action
    assert advice.url == _charter_url(pilot)


def test_a_veto_for_a_smaller_partner_covers_it(pilot, green_steering):
    _shares(pilot, 60, 25, 15)
    rules = _complete()
    rules.scopes["strategy"].veto_holders = [pilot.greenalliance.pk]
    _adopt(pilot, green_steering, rules)

    assert "minority_protection" not in _advice(pilot.alliance)


def test_a_veto_for_the_largest_partner_only_does_not(pilot, green_steering):
    _shares(pilot, 60, 25, 15)
    rules = _complete()
    rules.scopes["strategy"].veto_holders = [pilot.techco.pk]
    _adopt(pilot, green_steering, rules)

    assert "minority_protection" in _advice(pilot.alliance)


# Cross-border partners ----------------------------------------------------------------------


def _abroad(partner, country="FR"):
    partner.organization.country = country
    partner.organization.save()


def test_partners_in_one_country_get_no_cross_border_advice(pilot):
    advice = _advice(pilot.alliance)

    assert "force_majeure" not in advice
    assert "diversify" not in advice


def test_partners_in_two_countries_are_advised_force_majeure_and_a_diversified_portfolio(pilot):
    _abroad(pilot.techco)

    advice = _advice(pilot.alliance)

    assert "France, Germany" in advice["force_majeure"].reason
    assert "sanctions" in advice["force_majeure"].action
    assert advice["force_majeure"].url == _charter_url(pilot)
    assert "no single alliance is existential" in advice["diversify"].action
    assert advice["diversify"].url == reverse("portfolio")


def test_force_majeure_terms_in_the_charter_cover_it_but_the_portfolio_advice_stays(
    pilot, green_steering
):
    _abroad(pilot.techco)
    _adopt(pilot, green_steering, _complete())

    advice = _advice(pilot.alliance)

    assert "force_majeure" not in advice
    assert "diversify" in advice


def test_a_partner_that_has_left_no_longer_makes_the_alliance_cross_border(pilot):
    _abroad(pilot.techco)
    pilot.techco.exited_on = timezone.localdate() - timedelta(days=1)
    pilot.techco.save()

    assert "diversify" not in _advice(pilot.alliance)


# Fast markets -------------------------------------------------------------------------------


def _fast(pilot, **fields):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(market_pace="fast", **fields)


def _plan(pilot, days):
    return exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=days)


def test_a_stable_market_gets_no_fast_market_advice(pilot):
    advice = _advice(pilot.alliance)

    assert "quarterly_reviews" not in advice
    assert "quick_exit" not in advice


def test_a_fast_market_is_advised_quarterly_reviews_and_a_quick_exit(pilot):
    _fast(pilot, review_cadence_months=12)

    advice = _advice(pilot.alliance)

    assert "every 12 months" in advice["quarterly_reviews"].reason
    assert "project-based" in advice["quarterly_reviews"].action
    assert advice["quarterly_reviews"].url == reverse(
        "review_list", kwargs={"alliance_pk": pilot.alliance.pk}
    )
    assert "no exit plan" in advice["quick_exit"].reason
    assert advice["quick_exit"].url == reverse(
        "exit_plan", kwargs={"alliance_pk": pilot.alliance.pk}
    )


@pytest.mark.parametrize(("months", "advised"), [(3, False), (6, True)])
def test_quarterly_reviews_cover_the_review_advice(pilot, months, advised):
    _fast(pilot, review_cadence_months=months)

    assert ("quarterly_reviews" in _advice(pilot.alliance)) is advised


@pytest.mark.parametrize(("days", "advised"), [(30, False), (31, True)])
def test_a_notice_period_of_30_days_or_less_covers_the_exit_advice(pilot, days, advised):
    _fast(pilot)
    _plan(pilot, days)

    advice = _advice(pilot.alliance)

    assert ("quick_exit" in advice) is advised
    if advised:
        assert "31 days' notice" in advice["quick_exit"].reason


def test_a_project_based_alliance_has_its_quick_way_out(pilot):
    _fast(pilot, form=Alliance.Form.PROJECT_BASED, expected_end=timezone.localdate())

    assert "quick_exit" not in _advice(pilot.alliance)


# Decision cultures --------------------------------------------------------------------------


def _cultures(pilot, *cultures):
    for partner, culture in zip(
        (pilot.techco, pilot.logicorp, pilot.greenalliance), cultures, strict=True
    ):
        partner.organization.decision_culture = culture
        partner.organization.save()


@pytest.mark.parametrize(
    ("cultures", "advised"),
    [
        (("", "", ""), False),
        ((Culture.CONSENSUS, Culture.CONSENSUS, ""), False),
        ((Culture.CONSENSUS, "", Culture.HIERARCHICAL), True),
        ((Culture.DELEGATED, Culture.CONSENSUS, Culture.CONSENSUS), True),
    ],
)
def test_two_different_decision_cultures_call_for_the_hybrid_mode(pilot, cultures, advised):
    _cultures(pilot, *cultures)

    assert ("hybrid_decisions" in _advice(pilot.alliance)) is advised


def test_the_hybrid_advice_says_how_each_partner_decides(pilot):
    _cultures(pilot, Culture.HIERARCHICAL, "", Culture.CONSENSUS)

    advice = _advice(pilot.alliance)["hybrid_decisions"]

    assert "GreenAlliance (by consensus), TechCo (a leader decides)" in advice.reason
    assert "consensus on strategy" in advice.action
    assert advice.url == _charter_url(pilot)


def test_a_partner_that_has_left_no_longer_counts(pilot):
    _cultures(pilot, Culture.HIERARCHICAL, Culture.CONSENSUS, Culture.CONSENSUS)
    pilot.techco.exited_on = timezone.localdate() - timedelta(days=1)
    pilot.techco.save()

    assert "hybrid_decisions" not in _advice(pilot.alliance)


@pytest.mark.parametrize(
    ("strategy", "execution", "advised"),
    [
        (Mode.CONSENSUS, Mode.LEAD_PARTNER, False),
        (Mode.UNANIMITY, Mode.LEAD_PARTNER, True),
        (Mode.CONSENSUS, Mode.SIMPLE_MAJORITY, True),
    ],
)
def test_a_charter_with_exactly_the_hybrid_mode_covers_it(
    pilot, green_steering, strategy, execution, advised
):
    _cultures(pilot, Culture.HIERARCHICAL, Culture.DELEGATED, Culture.CONSENSUS)
    rules = _complete()
    rules.scopes["strategy"] = ScopeRule(mode=strategy)
    lead = pilot.logicorp.pk if execution == Mode.LEAD_PARTNER else None
    rules.scopes["execution"] = ScopeRule(mode=execution, lead_partner=lead)
    _adopt(pilot, green_steering, rules)

    assert ("hybrid_decisions" in _advice(pilot.alliance)) is advised


# Tiny or short alliances --------------------------------------------------------------------


@pytest.mark.parametrize(("days", "advised"), [(182, True), (183, False)])
def test_a_short_alliance_is_advised_the_one_page_agreement(pilot, days, advised):
    pilot.alliance.expected_end = pilot.alliance.created_at.date() + timedelta(days=days)
    pilot.alliance.save()

    advice = _advice(pilot.alliance)

    assert ("one_page" in advice) is advised
    if advised:
        assert advice["one_page"].reason.startswith("Expected to last under six months")
        assert advice["one_page"].url == reverse(
            "charter_one_page", kwargs={"alliance_pk": pilot.alliance.pk}
        )


@pytest.mark.parametrize(("people", "advised"), [(2, True), (3, False)])
def test_a_tiny_alliance_is_advised_the_one_page_agreement(pilot, people, advised):
    if people == 2:
        Role.objects.filter(alliance=pilot.alliance, person=pilot.steering).delete()
    assert pilot.alliance.roles.values("person").distinct().count() == people

    assert ("one_page" in _advice(pilot.alliance)) is advised


def test_an_adopted_charter_covers_the_one_page_advice(pilot, green_steering):
    pilot.alliance.expected_end = pilot.alliance.created_at.date() + timedelta(days=30)
    pilot.alliance.save()
    _adopt(pilot, green_steering, _complete())

    assert "one_page" not in _advice(pilot.alliance)


# Through the contract, and in bulk ----------------------------------------------------------


def test_the_overview_gets_this_advice_through_the_health_contract(pilot):
    _shares(pilot, 60, 25, 15)

    assert "minority_protection" in {advice.key for advice in advice_for(pilot.alliance)}


def test_advice_takes_the_same_queries_for_one_alliance_or_ten(pilot, django_assert_num_queries):
    def shaped(alliance):
        for share, country, culture in (
            (70, "DE", Culture.CONSENSUS),
            (30, "FR", Culture.DELEGATED),
        ):
            PartnerFactory.create(alliance=alliance, resource_share=share,
                                  organization__country=country,
                                  organization__decision_culture=culture)  # fmt: skip
        RoleFactory.create(alliance=alliance, kind=Role.Kind.COALITION_MANAGER)

    alliance = AllianceFactory.create(market_pace="fast")
    shaped(alliance)
    alliances = [alliance]
    source = OperationalHealth()
    with django_assert_num_queries(4):
        one = source.advice(alliances, timezone.now())
    for _ in range(9):
        alliance = AllianceFactory.create(market_pace="fast")
        shaped(alliance)
        alliances.append(alliance)
    with django_assert_num_queries(4):
        ten = source.advice(alliances, timezone.now())

    expected = ["minority_protection", "force_majeure", "diversify", "quarterly_reviews",
                "quick_exit", "hybrid_decisions", "one_page"]  # fmt: skip
    assert [advice.key for advice in one[alliances[0].pk]] == expected
    assert all([advice.key for advice in found] == expected for found in ten.values())
