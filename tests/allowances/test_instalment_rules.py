"""Every award's report moves (allowances.instalment_rules): ended early, a report not yet
sent is withdrawn; a sent one is decided first; nothing leaves accepted or withdrawn."""

from datetime import date

import pytest

from allowances import instalment_rules as rules


@pytest.mark.parametrize(
    ("status", "allowed"),
    [("due", True), ("more_needed", True), ("sent", False), ("accepted", False)],
)
def test_a_report_is_withdrawn_only_before_it_is_sent(status, allowed):
    assert bool(rules.report_move(status, rules.WITHDRAWN)) is allowed


@pytest.mark.parametrize("to", ["sent", "accepted", "more_needed", "due"])
def test_a_withdrawn_report_goes_nowhere(to):
    refusal = rules.report_move(rules.WITHDRAWN, to)
    assert not refusal and refusal.reason == "This report is no longer due: its award ended early."


def test_a_withdrawn_report_reads_as_no_longer_due_even_when_overdue():
    state = rules.report_state(
        status=rules.WITHDRAWN,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 6, 30),
        due_on=date(2026, 7, 14),
        today=date(2026, 9, 1),
    )
    assert (state.words, state.tag, state.overdue) == ("No longer due", "govuk-tag--grey", False)
    assert not rules.is_overdue(
        status=rules.WITHDRAWN, due_on=date(2026, 7, 14), today=date(2026, 9, 1)
    )
