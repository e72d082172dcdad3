"""The interest map as each person sees it, and the gap analysis computed from it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.alignment import (
    alignment_for,
    interests_every_member_sees,
    portfolio,
    shared_alignments,
)
from alliances.models import Alliance, Goal, Interest, InterestLink, Partner

from .factories import (
    AllianceFactory,
    GoalFactory,
    InterestFactory,
    InterestLinkFactory,
    PartnerFactory,
    RoleFactory,
)

ORG_ONLY = Interest.Visibility.ORGANIZATION
SUMMARY = Interest.Visibility.SUMMARY
SHARED = Interest.Visibility.ALLIANCE


@pytest.fixture
def goal(pilot):
    return GoalFactory(alliance=pilot.alliance, title="Publish verified emissions data")


def _texts(alignment):
    return {interest.text for interest in alignment.interests}


def test_own_organisation_draft_is_seen_by_its_organisation_only(pilot, goal):
    InterestFactory(partner=pilot.techco, statement="Resell the platform", visibility=ORG_ONLY)

    assert "Resell the platform" in _texts(alignment_for(pilot.rep, pilot.alliance))
    for other in (pilot.manager, pilot.steering):
        alignment = alignment_for(other, pilot.alliance)
        assert alignment.interests == []
        assert alignment.score is None


def test_summary_only_interest_shows_its_summary_to_others(pilot, goal):
    interest = InterestFactory(
        partner=pilot.techco,
        statement="Derivative algorithms stay ours",
        summary="Keep rights to what we build on top",
        visibility=SUMMARY,
    )
    InterestLinkFactory(interest=interest, goal=goal, note="Algorithms are our margin")

    others = alignment_for(pilot.steering, pilot.alliance)
    (seen,) = others.interests
    assert (seen.text, seen.is_summary) == ("Keep rights to what we build on top", True)
    assert others.links[0].note == ""  # the note could tell what the summary hides
    own = alignment_for(pilot.rep, pilot.alliance)
    assert own.interests[0].text == "Derivative algorithms stay ours"
    assert own.links[0].note == "Algorithms are our margin"


def test_red_line_in_conflict_is_at_risk(pilot, goal):
    red = InterestFactory.create(
        partner=pilot.logicorp, is_red_line=True, statement="No slower rounds"
    )
    InterestLinkFactory(interest=red, goal=goal, effect=InterestLink.Effect.CONFLICTS)

    alignment = alignment_for(pilot.manager, pilot.alliance)

    assert [c.interest.id for c in alignment.red_lines_at_risk] == [red.pk]
    assert [c.goal for c in alignment.conflicts] == [goal]


def test_scores_follow_the_rule(pilot, goal):
    other_goal = GoalFactory(alliance=pilot.alliance)
    served = InterestFactory(partner=pilot.techco, importance=4)  # weight 4, counts in full
    mixed = InterestFactory(partner=pilot.techco, importance=2)  # weight 2, counts half
    InterestFactory(partner=pilot.techco, importance=1, is_red_line=True)  # weight 2, unserved
    InterestLinkFactory(interest=served, goal=goal)
    InterestLinkFactory(interest=mixed, goal=goal)
    InterestLinkFactory(interest=mixed, goal=other_goal, effect=InterestLink.Effect.CONFLICTS)

    alignment = alignment_for(pilot.manager, pilot.alliance)

    techco_row = next(row for row in alignment.rows if row.partner == pilot.techco)
    assert techco_row.score == round(100 * (4 + 1) / 8)
    assert alignment.score == techco_row.score  # the only partner with interests
    assert len(alignment.unserved) == 1


def test_partners_without_a_surfaced_implicit_interest(pilot, goal):
    InterestFactory(partner=pilot.techco, kind=Interest.Kind.IMPLICIT, visibility=SUMMARY,
                    summary="Sell it on")  # fmt: skip
    InterestFactory(partner=pilot.logicorp, kind=Interest.Kind.IMPLICIT, visibility=ORG_ONLY)

    for viewer in (pilot.manager, pilot.steering):  # a draft is not surfaced, even to its own
        missing = alignment_for(viewer, pilot.alliance).partners_without_implicit
        assert set(missing) == {pilot.logicorp, pilot.greenalliance}


def test_matrix_cells_hold_the_links(pilot, goal):
    interest = InterestFactory.create(partner=pilot.greenalliance)
    InterestLinkFactory(interest=interest, goal=goal)

    rows = {row.partner: row for row in alignment_for(pilot.manager, pilot.alliance).rows}

    (cell,) = rows[pilot.greenalliance].cells
    assert [i.id for i, _link in cell.supports] == [interest.pk]
    assert cell.conflicts == []


def test_portfolio_puts_red_lines_at_risk_first(pilot, goal):
    calm = AllianceFactory(name="Calm")
    RoleFactory(alliance=calm, person=pilot.manager, kind="manager")
    red = InterestFactory(partner=pilot.logicorp, is_red_line=True)
    InterestLinkFactory(interest=red, goal=goal, effect=InterestLink.Effect.CONFLICTS)

    assert [a.alliance.name for a in portfolio(pilot.manager)] == [pilot.alliance.name, "Calm"]


def _grow(alliance, partners, goals):
    goal_rows = [GoalFactory(alliance=alliance) for _ in range(goals)]
    for _ in range(partners):
        partner = PartnerFactory(alliance=alliance, resource_share=0)
        for goal in goal_rows[:3]:
            InterestLinkFactory(interest=InterestFactory(partner=partner), goal=goal)


@pytest.mark.parametrize(("partners", "goals"), [(3, 5), (10, 30)])
def test_alignment_query_count_does_not_grow(pilot, django_assert_num_queries, partners, goals):
    _grow(pilot.alliance, partners, goals)

    with django_assert_num_queries(5):
        alignment_for(pilot.manager, pilot.alliance)


def test_a_role_granted_for_a_partner_does_not_open_its_private_side(pilot, goal):
    from django.core.exceptions import PermissionDenied

    from alliances import services
    from alliances.access import get_interest_to_edit

    interest = InterestFactory.create(
        partner=pilot.techco,
        statement="Resell the platform",
        summary="Reuse it",
        visibility=SUMMARY,
    )
    InterestFactory.create(partner=pilot.techco, statement="Our private draft", visibility=ORG_ONLY)
    for kind in ("sponsor", "representative"):
        services.role_grant(
            alliance=pilot.alliance, person=pilot.manager, kind=kind, partner=pilot.techco
        )

    texts = _texts(alignment_for(pilot.manager, pilot.alliance))
    assert "Resell the platform" not in texts
    assert "Our private draft" not in texts
    assert "Reuse it" in texts
    with pytest.raises(PermissionDenied):
        get_interest_to_edit(pilot.manager, pilot.alliance.pk, interest.pk)


def test_what_every_member_sees_never_holds_an_own_organisation_interest(pilot):
    InterestFactory.create(
        partner=pilot.techco, statement="Resell the platform", visibility=ORG_ONLY
    )
    InterestFactory.create(
        partner=pilot.techco,
        statement="Keep the algorithm rights",
        summary="Reuse the platform work",
        visibility=SUMMARY,
    )
    InterestFactory.create(partner=pilot.logicorp, statement="Cut fuel costs", visibility=SHARED)
    alliances = Alliance.objects.filter(pk=pilot.alliance.pk)

    for at in (None, timezone.now()):
        rows = list(interests_every_member_sees(alliances, at))
        # Whoever asks: a summary-only interest by its summary, nobody's own.
        assert {row["text"] for row in rows} == {"Reuse the platform work", "Cut fuel costs"}
        assert not any(row["is_own"] for row in rows)


def test_the_shared_map_as_of_a_moment_holds_what_was_recorded_and_shared_by_then(pilot, goal):
    now = timezone.now()
    old = InterestFactory.create(partner=pilot.techco, statement="Prove the platform")
    InterestLinkFactory.create(interest=old, goal=goal)
    Interest.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3))
    Goal.objects.filter(pk=goal.pk).update(created_at=now - timedelta(days=3))
    InterestLink.objects.filter(interest=old).update(created_at=now - timedelta(days=3))
    InterestFactory.create(partner=pilot.logicorp, statement="Cut fuel costs")  # recorded today
    Partner.objects.filter(pk=pilot.techco.pk).update(joined_on=(now - timedelta(days=2)).date())
    alliances = Alliance.objects.filter(pk=pilot.alliance.pk)

    (then,) = shared_alignments(alliances, at=now - timedelta(days=1))
    assert [i.text for i in then.interests] == ["Prove the platform"]
    assert (then.score, len(then.links), then.goals) == (100, 1, [goal])
    assert then.partners == [pilot.techco]  # the others joined today
    (today,) = shared_alignments(alliances)
    assert {i.text for i in today.interests} == {"Prove the platform", "Cut fuel costs"}
    (before,) = shared_alignments(alliances, at=now - timedelta(days=4))
    assert (before.interests, before.links, before.goals, before.score) == ([], [], [], None)
