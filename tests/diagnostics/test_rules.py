"""Pure rules: automatic checks, moves, scoring, ranking, uploads. No database."""

import pytest

from diagnostics import rules
from diagnostics.rules import ThemeResult
from diagnostics.uploads import content_problem, name_problem

AREA = {
    "LE1": True,
    "LE2": True,
    "LE2 4": False,
    "LE7 9": True,
}


@pytest.mark.parametrize(
    ("postcode", "inside"),
    [
        ("LE1 6ZG", True),
        ("LE2 0DS", True),
        ("LE2 4AB", False),  # a sector row overrides its district
        ("LE7 9XX", True),  # the city part of a shared district
        ("LE7 1AA", False),
        ("LE11 3TU", False),  # LE11 is not LE1
        ("NG1 1AA", False),
        ("", False),
        ("LE1", False),
    ],
)
def test_postcode_in_area_uses_the_longest_prefix(postcode, inside):
    assert rules.postcode_in_area(postcode, AREA) is inside


@pytest.mark.parametrize(
    ("kind", "value", "accepted", "outcome"),
    [
        ("answer_in", "yes", ["yes"], rules.PASS),
        ("answer_in", "no", ["yes"], rules.FAIL),
        ("answer_in", "policy", ["not_applicable", "policy"], rules.PASS),
        ("answer_in", "no_policy", ["not_applicable", "policy"], rules.FAIL),
        ("postcode_in_area", "LE1 6ZG", [], rules.PASS),
        ("postcode_in_area", "LE2 4AB", [], rules.FAIL),
        ("officer", "anything", [], rules.OFFICER),
        ("answer_in", None, ["yes"], rules.FAIL),
        ("officer", "", [], rules.FAIL),
    ],
)
def test_check_answer(kind, value, accepted, outcome):
    result = rules.check_answer(
        check_kind=kind,
        value=value,
        accepted=accepted,
        fail_reason="Must have a policy.",
        area_table=AREA,
        area_name="Leicester City Council",
    )
    assert result.outcome == outcome
    assert result.reason


def test_a_failed_check_gives_the_criterion_s_reason():
    result = rules.check_answer(
        check_kind="answer_in",
        value="no",
        accepted=["yes"],
        fail_reason="An organisation must have a bank account in its own name.",
        area_table={},
        area_name="x",
    )
    assert result.reason == "An organisation must have a bank account in its own name."


STATUSES = ["draft", "submitted", "more_info", "eligible", "not_eligible"]
ALLOWED_MOVES = {
    ("draft", "submit"),
    ("more_info", "submit"),
    ("submitted", "find_eligible"),
    ("submitted", "find_not_eligible"),
    ("submitted", "ask_for_more_information"),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("verb", sorted(rules.APPLICATION_TRANSITIONS))
def test_application_moves_follow_the_table(status, verb):
    decision = rules.application_move(status, verb)
    assert decision.allowed is ((status, verb) in ALLOWED_MOVES)
    if not decision:
        assert decision.reason.startswith("This application ")


DIAGNOSTIC_ALLOWED = {
    ("self_assessment", "submit_self_assessment"),
    ("self_assessment", "book_session"),
    ("awaiting_session", "book_session"),
    ("session_booked", "book_session"),
    ("awaiting_session", "adjust_score"),
    ("session_booked", "adjust_score"),
    ("awaiting_session", "complete"),
    ("session_booked", "complete"),
    ("completed", "change_recommendations"),
}


@pytest.mark.parametrize(
    "status", ["self_assessment", "awaiting_session", "session_booked", "completed"]
)
@pytest.mark.parametrize("verb", sorted(rules.DIAGNOSTIC_TRANSITIONS))
def test_diagnostic_moves_follow_the_table(status, verb):
    assert rules.diagnostic_move(status, verb).allowed is ((status, verb) in DIAGNOSTIC_ALLOWED)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([1, 1, 1], 1.0), ([1, 2, 2], 1.7), ([4, 4, 3], 3.7), ([2, None, 3], 2.5), ([None], None)],
)
def test_theme_score_is_the_mean_to_one_place(scores, expected):
    assert rules.theme_score(scores) == expected


@pytest.mark.parametrize(
    ("value", "valid"), [(1, True), (4, True), (0, False), (5, False), ("2", False), (True, False)]
)
def test_only_1_to_4_is_a_score(value, valid):
    assert rules.valid_score(value) is valid


FINANCE = ThemeResult(
    name="Financial management and sustainability",
    score=1.0,
    statements=(("budget monitoring", 1), ("cash-flow forecasting", 1), ("full cost recovery", 1)),
    packages=("financial-sustainability", "professional-support"),
)


def test_the_reason_names_the_theme_score_and_what_is_not_in_place():
    assert rules.theme_reason(FINANCE) == (
        "Financial management and sustainability scored 1 of 4: "
        "budget monitoring not in place; cash-flow forecasting not in place"
    )


def _theme(name, score, packages, priority=False):
    return ThemeResult(
        name=name,
        score=score,
        statements=(("x", int(score) if score else None),),
        is_priority=priority,
        packages=packages,
    )


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        # weakest theme first
        ([_theme("A", 2.0, ("a",)), _theme("B", 1.0, ("b",))], ["b", "a"]),
        # themes at or above 3 need no support
        ([_theme("A", 3.0, ("a",)), _theme("B", 2.9, ("b",))], ["b"]),
        # a priority counts half a point weaker: 2.0 priority beats 1.7
        ([_theme("A", 1.7, ("a",)), _theme("B", 2.0, ("b",), priority=True)], ["b", "a"]),
        # equal scores keep the questionnaire's order
        ([_theme("A", 2.0, ("a",)), _theme("B", 2.0, ("b",))], ["a", "b"]),
        # a package serving two weak themes appears once, at its weakest
        (
            [_theme("A", 2.0, ("shared", "a")), _theme("B", 1.0, ("shared",))],
            ["shared", "a"],
        ),
        # within one theme, the more specific package first
        (
            [_theme("Finance", 1.0, ("general", "finance")), _theme("HR", 3.0, ("general",))],
            ["finance", "general"],
        ),
        ([], []),
        ([_theme("A", None, ("a",))], []),
    ],
)
def test_rank_packages(themes, expected):
    ranked = rules.rank_packages(themes)
    assert [r.package for r in ranked] == expected
    assert [r.rank for r in ranked] == list(range(1, len(expected) + 1))


def test_a_package_for_two_weak_themes_gives_both_reasons():
    ranked = rules.rank_packages(
        [_theme("Governance", 2.0, ("shared",)), _theme("ICT", 1.0, ("shared",), priority=True)]
    )
    assert "Governance scored 2 of 4" in ranked[0].reason
    assert "ICT scored 1 of 4" in ranked[0].reason
    assert "(one of your priorities)" in ranked[0].reason


def test_distance_travelled_matches_themes_by_slug_and_says_the_change():
    changes = rules.distance_travelled(
        {"governance": 1.5, "ict": 3.0, "old": 2.0},
        {"governance": 3.0, "ict": 2.5, "new": 1.0},
        {"governance": "Governance", "ict": "ICT"},
    )
    by_slug = {c.slug: c for c in changes}
    assert [c.slug for c in changes][:2] == ["governance", "ict"]
    assert by_slug["governance"].change == 1.5 and by_slug["governance"].words == "Up 1.5"
    assert by_slug["ict"].words == "Down 0.5"
    assert by_slug["old"].words == "Not comparable"
    summary = rules.summarise_changes(changes)
    assert (summary.mean_change, summary.improved, summary.worse) == (0.5, 1, 1)


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "head", "size", "problem"),
    [
        ("constitution.pdf", b"%PDF-1.7\n", 1000, None),
        ("logo.png", b"\x89PNG\r\n\x1a\n....", 1000, None),
        ("photo.JPG", b"\xff\xd8\xff\xe0", 1000, None),
        ("policy.docx", b"PK\x03\x04", 1000, None),
        ("page.pdf", b"<!DOCTYPE html><html>", 1000, "not a real PDF"),
        ("page.html", b"<html>", 1000, "must be a PDF, PNG, JPEG or DOCX"),
        ("noextension", b"%PDF-", 1000, "must be a PDF, PNG, JPEG or DOCX"),
        ("image.png", b"%PDF-1.4", 1000, "not a real PNG"),
        ("big.pdf", b"%PDF-1.4", 10 * MB + 1, "must be smaller than 10MB"),
        ("empty.pdf", b"", 0, "is empty"),
        ("../../etc/passwd.pdf", b"%PDF-", 10, "folder path"),
        ("..\\evil.pdf", b"%PDF-", 10, "folder path"),
        ("C:evil.pdf", b"%PDF-", 10, "folder path"),
        ("..%2Fevil.pdf", b"%PDF-", 10, "folder path"),
        ("bad\x00name.pdf", b"%PDF-", 10, "letters, numbers"),
    ],
)
def test_content_problem(name, head, size, problem):
    found = content_problem(name=name, head=head, size=size, max_bytes=10 * MB)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_a_plain_name_has_no_problem():
    assert name_problem("Accounts 2025 (final).pdf") is None
