"""Demo data for monitoring a representation grant, called by `seed_demo` after grants.demo.

`seed(decision, officer)` takes the demo's accepted award (Highfields for the
Indian community in "Representation grants 2025") to: report 1 accepted and
its instalment paid, report 2 sent and waiting for review, the later ones due.

grants.demo moves the closed round's grant period seven months into the past
before the award is accepted, so that two quarterly periods have ended.
Idempotent: once report 1 has been sent, it does nothing.
"""

from datetime import date

from django.utils import timezone

from organisations.models import Membership

from . import monitoring_services as monitoring
from .accountability_models import MonitoringReport, ReportStatus

ANSWERS = [
    {
        "engagement_activities": (
            "Four open meetings at the community centre on Belgrave Road and two at temples "
            "in Rushey Mead; a stall at the Diwali lights switch-on; an online survey in "
            "English, Gujarati and Punjabi."
        ),
        "people_reached": 640,
        "issues_raised": (
            "Parking and access for older people around the Golden Mile, taken to the "
            "council's engagement meeting in the second month; waiting times for "
            "interpreters at the housing office."
        ),
        "feedback_given": (
            "The council's answers on parking were posted in three languages in our "
            "newsletter and read out at the following meetings."
        ),
        "community_views": (
            "Less worry about parking after the council's plan; more concern than before "
            "about the cost of hiring halls for community events."
        ),
    },
    {
        "engagement_activities": (
            "Three listening sessions with young people at the youth club, and a joint "
            "meeting with the Black African community's representative."
        ),
        "people_reached": 210,
        "issues_raised": "Youth provision in the north of the city, raised at the cohesion forum.",
        "feedback_given": "A short video in English and Gujarati shared on our WhatsApp channel.",
        "community_views": "Young people feel less heard than their parents; we are changing "
        "how we meet them.",
    },
]


def seed(decision, officer, today: date | None = None) -> str:
    """Report 1 accepted and paid, report 2 sent, the rest due. Returns a line for the log."""
    today = today or timezone.localdate()
    reports = list(MonitoringReport.objects.filter(decision=decision).order_by("period"))
    if reports and reports[0].status != ReportStatus.DUE:
        return "Monitoring: already seeded"
    if len(reports) < 2 or reports[1].period_ends_on >= today:
        return "Monitoring: the grant's second period has not ended yet, so no reports seeded"
    admin = Membership.objects.admin_users(decision.application.organisation)[0]
    first, second = reports[0], reports[1]
    monitoring.send_report(report=first, answers=ANSWERS[0], by=admin, today=today)
    monitoring.accept_report(report=first, by=officer)
    monitoring.send_report(report=second, answers=ANSWERS[1], by=admin, today=today)
    return (
        f"Monitoring ({decision.award.reference}): report 1 accepted and paid, report 2 "
        f"waiting for review (officer@example.org: Grant monitoring reports), "
        f"{len(reports) - 2} more due"
    )
