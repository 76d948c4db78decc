"""An accepted award with its monitoring reports: what the monitoring tests share."""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from allowances.award_models import StrandAward
from grants import assessment_services as assessing
from grants import monitoring_services as monitoring
from grants.accountability_models import ReportStatus
from grants.models import GrantRound, MonitoringReport
from grants.offer_services import accept_offer
from grants.rules import SCHEDULE_MONTHS, add_months, london_datetime

from .assessing import ready_to_decide

ANSWERS = {
    "engagement_activities": "Two open meetings at the community centre.",
    "people_reached": 120,
    "issues_raised": "Parking near the temple, taken to the engagement meeting.",
    "feedback_given": "The council's answer, in our newsletter.",
    "community_views": "Less worry about parking than before.",
}


def awarded(world):
    """Organisation A's award for a closed round's community, offered and accepted."""
    grant_round, (application,) = ready_to_decide(world)
    decision = assessing.offer_award(
        round_community=application.round_community,
        application=application,
        reasons="Ranked first.",
        by=world.manager,
    )
    return accept_offer(decision=decision, by=world.org_a_admin, declaration_name="Asha Patel")


def _same_length(old_start: date, old_end: date, start: date) -> date:
    """The end of a period from `start` as long as old_start to old_end: in whole months
    when it was (1 October to 30 September stays a year), else in days."""
    after = old_end + timedelta(days=1)
    months = (after.year - old_start.year) * 12 + after.month - old_start.month
    if add_months(old_start, months) == after:
        return add_months(start, months) - timedelta(days=1)
    return start + (old_end - old_start)


def move_grant_period(decision, today: date) -> None:
    """Move the grant's period back so that two of its periods ended before `today`, and
    remake its (untouched) reports for the new dates."""
    grant_round = decision.round_community.round
    months = SCHEDULE_MONTHS[grant_round.payment_schedule] or 12
    starts = add_months(today.replace(day=1), -2 * months)
    ends = _same_length(grant_round.period_starts_on, grant_round.period_ends_on, starts)
    closes = london_datetime(starts - timedelta(days=30), time(17))
    with transaction.atomic():
        updates = {"period_starts_on": starts, "period_ends_on": ends}
        if grant_round.closes_at > closes:
            updates |= {"opens_at": closes - timedelta(weeks=6), "closes_at": closes}
        GrantRound.objects.filter(pk=grant_round.pk).update(**updates)
        StrandAward.objects.filter(pk=decision.award_id).update(starts_on=starts, ends_on=ends)
        MonitoringReport.objects.filter(decision=decision, status=ReportStatus.DUE).delete()
        grant_round.refresh_from_db()
        monitoring.create_reports(decision)


def under_way(world, today: date | None = None):
    """An accepted award whose first two periods ended before today (quarterly: four)."""
    decision = awarded(world)
    move_grant_period(decision, today or timezone.localdate())
    decision.refresh_from_db()
    return decision


def reports_of(decision) -> list[MonitoringReport]:
    return list(MonitoringReport.objects.filter(decision=decision).order_by("period"))
