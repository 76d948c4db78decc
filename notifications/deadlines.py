"""The deadlines managers set: reading them, and changing them.

Every job that reminds or expires asks here, by code, so a manager's change
applies from the job's next run:

    rule = deadline("choose_provider")
    due = rule.due_on(agreed.agreed_on)          # 8 weeks after agreement
    if rule.reminder_due(due, today): ...        # from 2 weeks before, up to the day
    if rule.is_missed(due, today): ...           # from the day after

A rule that counts working days comes with the days off it skips: bank
holidays and the managers' one-off days (notifications.working_days), read
with it, so a day added this morning counts in this morning's run.

The codes are created by migration 0006_seed_deadlines; see CODES.
"""

from dataclasses import replace

from django.db import transaction

from audit.services import record

from .models import Deadline
from .rules import DeadlineRule, Period
from .working_days import non_working_days

# The codes the jobs use. Each has a row from the data migration.
CHOOSE_PROVIDER = "choose_provider"
PROVIDER_RESPOND = "provider_respond"
COMPLETE_DELIVERY = "complete_delivery"
CONFIRM_DELIVERY = "confirm_delivery"
OFFICER_REVIEW = "officer_review"
ELIGIBILITY_FIRST_REMINDER = "eligibility_expiring_first"
ELIGIBILITY_FINAL_REMINDER = "eligibility_expiring_final"
INSURANCE_EXPIRING = "insurance_expiring"
DIAGNOSTIC_SESSION = "diagnostic_session"
# Section B (representation grants): migration 0009_grant_deadlines.
GRANT_REPORT = "grant_report"
CONCERN_RESPONSE = "concern_response"
GRANT_APPEAL = "grant_appeal"
# Section C (the volunteer centre's agreement): migration 0010_centre_report_deadline.
CENTRE_REPORT = "centre_report"
CODES = (
    CHOOSE_PROVIDER,
    PROVIDER_RESPOND,
    COMPLETE_DELIVERY,
    CONFIRM_DELIVERY,
    OFFICER_REVIEW,
    ELIGIBILITY_FIRST_REMINDER,
    ELIGIBILITY_FINAL_REMINDER,
    INSURANCE_EXPIRING,
    DIAGNOSTIC_SESSION,
    GRANT_REPORT,
    CONCERN_RESPONSE,
    GRANT_APPEAL,
    CENTRE_REPORT,
)


class UnknownDeadline(LookupError):
    """No deadline has this code: a typo, or a migration not run."""


def deadline(code: str) -> DeadlineRule:
    """The deadline `code` as it is set now.

    One query, and a second for the days off when the rule counts working
    days (weeks and months do not need them). Raises UnknownDeadline rather
    than guessing: a job must not quietly run on a number nobody chose.
    """
    return deadlines(code)[code]


def deadlines(*codes: str) -> dict[str, DeadlineRule]:
    """Several deadlines by code: one query, and one for the days off if any needs them."""
    rules = {row.code: row.as_rule() for row in Deadline.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in rules]
    if missing:
        raise UnknownDeadline(f"No deadline with the code {missing[0]!r}")
    if any(rule.counts_working_days for rule in rules.values()):
        days_off = non_working_days()
        rules = {code: replace(rule, holidays=days_off) for code, rule in rules.items()}
    return rules


def describe(row: Deadline) -> str:
    """The row's settings in words, for the audit trail: "8 weeks; remind 2 weeks before"."""
    rule = row.as_rule()
    parts = [str(rule.period)] if rule.period else []
    if rule.remind_before:
        parts.append(f"remind {rule.remind_before} before")
    return "; ".join(parts) or "no settings"


@transaction.atomic
def change_deadline(
    row: Deadline,
    *,
    by,
    period: Period | None = None,
    remind_before: Period | None = None,
) -> Deadline:
    """Save a manager's new numbers for a deadline and record who changed what.

    Only what the row already has can be changed (a period, a reminder);
    the row is locked so two managers saving at once are both recorded, in turn.
    """
    if not by.is_manager:
        raise PermissionError("Only managers can change deadlines.")
    row = Deadline.objects.select_for_update().get(pk=row.pk)
    before = describe(row)
    if row.period is not None and period is not None:
        row.period, row.period_unit = period.amount, period.unit
    if row.remind_before is not None and remind_before is not None:
        row.remind_before, row.remind_unit = remind_before.amount, remind_before.unit
    row.updated_by = by
    row.save(
        update_fields=[
            "period",
            "period_unit",
            "remind_before",
            "remind_unit",
            "updated_by",
            "updated_at",
        ]
    )
    after = describe(row)
    # In `reason` and `data`: the states columns are too short for these words.
    record(
        actor=by,
        action="deadline.changed",
        obj=row,
        reason=f"From {before} to {after}",
        data={"code": row.code, "from": before, "to": after},
    )
    return row
