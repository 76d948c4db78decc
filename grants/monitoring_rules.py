"""Pure decisions about a representation grant's monitoring reports: no writes, no database.

Each instalment of an award has a report, and accepting the report pays that
instalment. Periods, moves, when a report may be written and sent, its state in
words and its reminders are the same for every award (allowances.instalment_rules,
imported here under the names this app has always used); what is grants' own
is what a representative reports (REQUIRED_ON_SENDING).
"""

from allowances.instalment_rules import (  # noqa: F401 (this app's names for them)
    ACCEPTED,
    DUE,
    MISSED,
    MORE_NEEDED,
    OPEN_STATUSES,
    REMINDER,
    REPORT_TRANSITIONS,
    SENT,
    ReportPeriod,
    ReportState,
    blank_answers,
    is_overdue,
    may_send,
    may_write,
    payment_note,
    reminder_kind,
    report_move,
    report_periods,
    report_state,
)

# The report's answers, by field, and the message when one is missing on sending.
REQUIRED_ON_SENDING = {
    "engagement_activities": "Describe the engagement activities in this period",
    "people_reached": "Enter the number of people reached",
    "issues_raised": "Describe the issues you took to the council",
    "feedback_given": "Describe the feedback you gave to the community",
    "community_views": "Describe any changes in the community's views",
}
ANSWER_FIELDS = tuple(REQUIRED_ON_SENDING)


def sending_problems(answers: dict) -> dict[str, str]:
    """What a report still needs before it can be sent, by field; none means it may be."""
    problems = blank_answers(answers, REQUIRED_ON_SENDING)
    reached = answers.get("people_reached")
    if isinstance(reached, int) and reached < 0:
        problems["people_reached"] = "The number of people reached must be 0 or more"
    return problems
