"""Assessing's pure rules: marks on the scale, disagreement, the suggested and moderated marks,
the weighted total, what stops an award, the ranking and who may be offered it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants import assessment_rules as rules
from grants.assessment_rules import MUST_HAVE, SCORED, Candidate, CriterionWeight

NEED = CriterionWeight(1, "The need", SCORED, weight=2)
SUPPORT = CriterionWeight(2, "Support", SCORED, weight=1, minimum=2)
ACTIVE = CriterionWeight(3, "Active in the city", MUST_HAVE)
CRITERIA = [NEED, SUPPORT, ACTIVE]


def test_the_panel_marks_scored_criteria_and_must_haves_the_service_does_not_check():
    assert rules.marked_by_panel(SCORED, "")
    assert rules.marked_by_panel(MUST_HAVE, "")
    assert not rules.marked_by_panel(MUST_HAVE, "based_in_area")


@pytest.mark.parametrize("value", [0, 4, "0", "4", "2"])
def test_a_score_on_the_scale_is_accepted(value):
    assert rules.mark_problem(SCORED, value) is None


@pytest.mark.parametrize("value", [5, -1, "5", "2.5", "two", " ", 99])
def test_a_score_off_the_scale_names_the_scale(value):
    assert rules.mark_problem(SCORED, value) == "Score must be a whole number from 0 to 4"


@pytest.mark.parametrize("value, problem", [(None, "Select a score"), ("", "Select a score")])
def test_a_missing_score_is_asked_for(value, problem):
    assert rules.mark_problem(SCORED, value) == problem


@pytest.mark.parametrize("value", [2, "3", None, "", "yes"])
def test_a_must_have_is_met_or_not(value):
    assert rules.mark_problem(MUST_HAVE, value) == "Select whether the must-have is met"
    assert rules.mark_problem(MUST_HAVE, 0) is None and rules.mark_problem(MUST_HAVE, "1") is None


def test_mark_words():
    assert rules.mark_words(SCORED, 3) == "3"
    assert rules.mark_words(MUST_HAVE, 1) == "Met" and rules.mark_words(MUST_HAVE, 0) == "Not met"
    assert rules.mark_words(SCORED, None) == "Not marked"


def test_an_assessor_may_score_only_on_the_panel_declared_and_unconflicted():
    assert rules.assessor_may_score(on_panel=True, declared=True, conflicted=False)
    refused = [
        rules.assessor_may_score(on_panel=False, declared=True, conflicted=False),
        rules.assessor_may_score(on_panel=True, declared=False, conflicted=False),
        rules.assessor_may_score(on_panel=True, declared=True, conflicted=True),
    ]
    assert not any(refused)
    assert "assessment panel" in refused[0].reason
    assert "Declare whether you have a conflict" in refused[1].reason
    assert "cannot see or give its scores" in refused[2].reason


@pytest.mark.parametrize(
    "marks, spread, disagree",
    [([], 0, False), ([3], 0, False), ([2, 3], 1, False), ([1, 3], 2, True), ([0, 4, 2], 4, True)],
)
def test_assessors_who_differ_by_2_or_more_disagree(marks, spread, disagree):
    assert rules.spread(marks) == spread
    assert rules.disagree(marks) is disagree


@pytest.mark.parametrize(
    "kind, marks, suggested",
    [
        (SCORED, [], None),
        (SCORED, [2, 3], 3),  # 2.5 rounds half up
        (SCORED, [1, 2, 2], 2),  # 1.67
        (SCORED, [0, 1], 1),
        (SCORED, [1, 1, 2], 1),  # 1.33
        (MUST_HAVE, [1, 1], 1),
        (MUST_HAVE, [1, 0], 0),
    ],
)
def test_the_suggested_mark_is_the_rounded_mean_and_a_must_have_needs_everyone(
    kind, marks, suggested
):
    assert rules.suggested_mark(kind, marks) == suggested


def test_a_moderated_mark_needs_a_reason_unless_every_assessor_gave_it():
    assert rules.moderation_problem([3, 3], 3, "") is None
    assert rules.moderation_problem([3, 3], 2, "  ").startswith("Give the reason")
    assert rules.moderation_problem([2, 4], 3, "") is not None
    assert rules.moderation_problem([2, 4], 3, "Discussed at panel") is None
    assert rules.moderation_problem([], 3, "") is not None


def test_the_weighted_total_is_out_of_100_to_one_decimal_place():
    # (4 * 2 + 3 * 1) / (4 * 3) = 11 / 12 = 91.67
    assert rules.weighted_total({1: 4, 2: 3, 3: 1}, CRITERIA) == Decimal("91.7")
    assert rules.weighted_total({1: 0, 2: 0}, CRITERIA) == Decimal("0.0")
    assert rules.weighted_total({1: 4, 2: 4}, CRITERIA) == Decimal("100.0")
    # The weight counts: the same marks the other way round score less.
    assert rules.weighted_total({1: 3, 2: 4}, CRITERIA) == Decimal("83.3")
    assert rules.weighted_total({1: 4}, CRITERIA) is None  # not fully moderated
    assert rules.weighted_total({}, [ACTIVE]) is None  # nothing scored


def test_what_stops_an_award():
    assert rules.award_problems({1: 4, 2: 3, 3: 1}, CRITERIA) == ()
    assert rules.award_problems({1: 4, 2: 1, 3: 0}, CRITERIA) == (
        "Scored 1 on Support, below the minimum of 2",
        "Does not meet the must-have: Active in the city",
    )
    assert rules.award_problems({1: 4}, CRITERIA) == (
        "Not moderated yet: Support, Active in the city",
    )


def _candidate(pk, need, support, active=1):
    moderated = {1: need, 2: support, 3: active}
    return Candidate(pk, f"VCS-GRA-{pk:06d}", {k: v for k, v in moderated.items() if v is not None})


def test_the_ranking_puts_the_best_awardable_first_and_equal_totals_share_a_place():
    ranked = rules.rank(
        [
            _candidate(1, 2, 2),  # 50.0
            _candidate(2, 4, 4, active=0),  # best total, but a must-have not met
            _candidate(3, 4, 2),  # 83.3
            _candidate(4, 3, 4),  # 83.3
            _candidate(5, 4, None),  # not moderated
            _candidate(6, 4, 1),  # below a minimum
        ],
        CRITERIA,
    )
    assert [(r.application_id, r.position, r.may_be_awarded) for r in ranked] == [
        (3, 1, True),
        (4, 1, True),
        (1, 3, True),
        (2, None, False),
        (5, None, False),
        (6, None, False),
    ]
    assert ranked[0].total == Decimal("83.3") and ranked[2].total == Decimal("50.0")
    assert ranked[3].reasons == ("Does not meet the must-have: Active in the city",)
    assert ranked[4].total is None


def test_the_award_goes_to_a_first_ranked_application_that_may_be_awarded():
    ranked = rules.rank(
        [_candidate(1, 4, 4), _candidate(2, 2, 2), _candidate(3, 4, 4, active=0)], CRITERIA
    )
    assert rules.award_decision(ranked, 1)
    second = rules.award_decision(ranked, 2)
    assert not second and "is not ranked first" in second.reason
    blocked = rules.award_decision(ranked, 3)
    assert not blocked
    assert blocked.reason == (
        "VCS-GRA-000003 cannot be awarded: Does not meet the must-have: Active in the city."
    )
    assert not rules.award_decision(ranked, 99)
    assert "not one of this community's" in rules.award_decision(ranked, 99).reason


def test_with_nothing_scored_every_application_that_may_be_awarded_is_first():
    # A round of must-haves only: no totals, so nothing to tell them apart.
    ranked = rules.rank([_candidate(1, None, None), _candidate(2, None, None, active=0)], [ACTIVE])
    assert [(r.application_id, r.position, r.total) for r in ranked] == [
        (1, 1, None),
        (2, None, None),
    ]
    assert rules.award_decision(ranked, 1)


def test_two_applications_tied_first_may_each_be_offered():
    ranked = rules.rank([_candidate(1, 4, 2), _candidate(2, 3, 4)], CRITERIA)
    assert rules.award_decision(ranked, 1) and rules.award_decision(ranked, 2)


# --------------------------------------------------------------- properties

mark = st.integers(min_value=0, max_value=4)
criteria_strategy = st.lists(
    st.tuples(
        st.sampled_from([SCORED, MUST_HAVE]),
        st.integers(min_value=1, max_value=5),
        st.one_of(st.none(), mark),
    ),
    min_size=1,
    max_size=6,
).map(
    lambda specs: [
        CriterionWeight(
            i,
            f"Criterion {i}",
            kind,
            weight if kind == SCORED else None,
            minimum if kind == SCORED else None,
        )
        for i, (kind, weight, minimum) in enumerate(specs, start=1)
    ]
)


@st.composite
def a_community(draw):
    criteria = draw(criteria_strategy)
    candidates = []
    for pk in range(1, draw(st.integers(min_value=0, max_value=8)) + 1):
        moderated = {}
        for c in criteria:
            value = draw(st.one_of(st.none(), st.integers(0, 1) if c.kind == MUST_HAVE else mark))
            if value is not None:
                moderated[c.criterion_id] = value
        candidates.append(Candidate(pk, f"VCS-GRA-{draw(st.integers(1, 999)):06d}", moderated))
    return criteria, candidates


@given(a_community())
def test_the_ranking_puts_every_awardable_first_and_positions_never_go_up(community):
    criteria, candidates = community
    ranked = rules.rank(candidates, criteria)
    assert sorted(r.application_id for r in ranked) == [c.application_id for c in candidates]
    awardable = [r.may_be_awarded for r in ranked]
    assert awardable == sorted(awardable, reverse=True)  # every True before every False
    positions = [r.position for r in ranked if r.may_be_awarded]
    assert positions == sorted(positions)
    assert all(r.position is None and r.reasons for r in ranked if not r.may_be_awarded)
    # Totals never go up (none at all when nothing is scored).
    totals = [r.total or Decimal(0) for r in ranked if r.may_be_awarded]
    assert totals == sorted(totals, reverse=True)
    if positions:
        assert positions[0] == 1
    # Equal totals share a position; a lower total never shares one.
    for a, b in zip(ranked, ranked[1:], strict=False):
        if a.may_be_awarded and b.may_be_awarded:
            assert (a.position == b.position) == (a.total == b.total)
    # Exactly the first-placed may be offered the award.
    for r in ranked:
        assert bool(rules.award_decision(ranked, r.application_id)) == (r.position == 1)


@given(criteria_strategy, st.data())
def test_the_weighted_total_is_between_0_and_100(criteria, data):
    moderated = {
        c.criterion_id: data.draw(st.integers(0, 1) if c.kind == MUST_HAVE else mark)
        for c in criteria
    }
    total = rules.weighted_total(moderated, criteria)
    if not any(c.kind == SCORED for c in criteria):
        assert total is None
        return
    assert Decimal(0) <= total <= Decimal(100)
    assert total == total.quantize(Decimal("0.1"))
    scored = [c for c in criteria if c.kind == SCORED]
    if all(moderated[c.criterion_id] == 4 for c in scored):
        assert total == 100
    if all(moderated[c.criterion_id] == 0 for c in scored):
        assert total == 0


@given(st.lists(mark, min_size=1, max_size=6))
def test_the_suggested_mark_lies_within_the_assessors_marks(marks):
    suggested = rules.suggested_mark(SCORED, marks)
    assert min(marks) <= suggested <= max(marks)
    assert rules.moderation_problem(marks, suggested, "") is None or not all(
        m == suggested for m in marks
    )
    assert rules.disagree(marks) == (max(marks) - min(marks) >= 2)
