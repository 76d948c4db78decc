"""The organisation's progress lines: each says what is true in its state, and nothing else."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from diagnostics.rules import diagnostic_progress
from diagnostics.selectors import progress_of

from ..factories import DiagnosticFactory, EligibilityApplicationFactory, EligibilityDecisionFactory

TODAY = date(2026, 6, 10)
NOT_ELIGIBLE_YET = "Once your organisation is found eligible, you complete a self-assessment."


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            {"status": None, "eligible": True, "expired": False},
            "Your organisation is eligible: the next step is your self-assessment.",
        ),
        ({"status": None, "eligible": False, "expired": False}, NOT_ELIGIBLE_YET),
        (
            {"status": None, "eligible": False, "expired": True},
            "Renew your eligibility before you start a self-assessment.",
        ),
        (
            {"status": "self_assessment", "eligible": True, "expired": False},
            "Finish your self-assessment and send it to the council.",
        ),
        (
            {"status": "awaiting_session", "eligible": True, "expired": False},
            "A council officer will contact you to book your diagnostic session.",
        ),
        (
            {"status": "session_booked", "session_date": date(2026, 6, 12)},
            "Your diagnostic session is on 12 June 2026.",
        ),
        ({"status": "session_booked", "session_date": TODAY}, "Your diagnostic session is today."),
        (
            {"status": "session_booked", "session_date": date(2026, 6, 8)},
            "Your diagnostic session was on 8 June 2026. The council officer will now complete "
            "your diagnostic and recommend support packages.",
        ),
        (
            {"status": "completed", "held_on": date(2026, 6, 1)},
            "Your diagnostic session took place on 1 June 2026. Your report shows the support "
            "packages recommended for you.",
        ),
    ],
)
def test_each_state_has_its_own_true_sentence(state, expected):
    state = {"eligible": True, "expired": False, **state}
    assert diagnostic_progress(today=TODAY, **state) == expected


def test_no_state_but_not_yet_eligible_says_once_eligible():
    """The old bug: "Once eligible, you complete a self-assessment" shown to the eligible."""
    others = [
        diagnostic_progress(status=status, eligible=eligible, expired=expired, today=TODAY)
        for status in (None, "self_assessment", "awaiting_session", "session_booked", "completed")
        for eligible, expired in ((True, False), (False, True))
    ]
    assert NOT_ELIGIBLE_YET not in others


# --- The same lines as the home page reads them from the database


def _line(world):
    return progress_of(world.org_a, timezone.localdate()).diagnostic_text


def test_a_registered_organisation_is_told_to_become_eligible_first(world):
    assert _line(world) == NOT_ELIGIBLE_YET
    EligibilityApplicationFactory(organisation=world.org_a, status="submitted")
    assert _line(world) == NOT_ELIGIBLE_YET


def test_an_eligible_organisation_is_told_to_start_its_self_assessment(world):
    EligibilityDecisionFactory(organisation=world.org_a)
    progress = progress_of(world.org_a, timezone.localdate())
    assert progress.eligible
    assert progress.diagnostic_text.startswith("Your organisation is eligible")


def test_an_organisation_whose_eligibility_ran_out_is_told_to_renew(world):
    today = timezone.localdate()
    EligibilityDecisionFactory(
        organisation=world.org_a,
        valid_from=today - timedelta(days=1100),
        valid_until=today - timedelta(days=1),
    )
    progress = progress_of(world.org_a, today)
    assert progress.eligibility_label == "Eligibility expired"
    assert progress.diagnostic_text == "Renew your eligibility before you start a self-assessment."


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("self_assessment", "Finish your self-assessment"),
        ("awaiting_session", "will contact you to book"),
        ("completed", "took place on"),
    ],
)
def test_each_diagnostic_state_reads_its_own_line(world, status, words):
    EligibilityDecisionFactory(organisation=world.org_a)
    DiagnosticFactory(organisation=world.org_a, status=status)
    assert words in _line(world)


def test_a_booked_session_says_when(world):
    EligibilityDecisionFactory(organisation=world.org_a)
    on = timezone.localdate() + timedelta(days=3)
    DiagnosticFactory(organisation=world.org_a, status="session_booked", session_date=on)
    assert _line(world) == f"Your diagnostic session is on {on.day} {on:%B %Y}."
