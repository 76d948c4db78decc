"""Section C's jobs, each safe to run twice or on two workers at once, scheduled by data
migrations (London time, editable by managers in the admin):

- check_closing_dates (daily 06:40, 0006_lapse_schedule): published opportunities closed
  after their closing date, and their organisations reminded a week before.
- run_volunteer_jobs (daily 06:20, 0003_volunteer_jobs_schedule): organisations reminded
  of interest unanswered in 5 working days; volunteers two years without activity warned,
  then deleted; the volunteer centre's brokers reminded of reports due under its funding
  agreement (the `centre_report` deadline), and told once one is missed.
- send_event_reminders (hourly at ten past, 0009_events): everyone with a place on an
  event that starts tomorrow reminded, once per booking.
"""

from celery import shared_task
from django.utils import timezone

from .events_services import send_reminders
from .lapse_services import run_closing_dates


@shared_task(name="volunteering.tasks.check_closing_dates", ignore_result=True)
def check_closing_dates() -> dict:
    """Daily: close lapsed opportunities, remind of those closing within a week."""
    run = run_closing_dates(timezone.localdate())
    return {"closed": run.closed, "reminded": run.reminded}


@shared_task(name="volunteering.tasks.run_volunteer_jobs", ignore_result=True)
def run_volunteer_jobs() -> dict:
    """Daily: remind organisations of interest unanswered in 5 working days, and warn,
    then delete, volunteers two years without activity; remind the volunteer centre of
    its reports."""
    from .agreement_services import run_report_deadlines
    from .interest_reminders import remind_unanswered
    from .volunteer_privacy import run_inactivity

    reports = run_report_deadlines(timezone.localdate())
    return {
        "interest_reminded": remind_unanswered(timezone.localdate()),
        **run_inactivity(timezone.now()),
        "centre_reports_reminded": reports.reminded,
        "centre_reports_missed": reports.missed,
    }


@shared_task(name="volunteering.tasks.send_event_reminders", ignore_result=True)
def send_event_reminders() -> dict:
    """Hourly: remind everyone with a place on an event that starts tomorrow."""
    return {"reminded": send_reminders(timezone.now())}
