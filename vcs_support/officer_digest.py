"""The officers' daily email: everything waiting longer than its deadline, in one message.

It gathers from several apps, so it lives in the wiring layer, which may import
them all. Each app offers a section function `(today) -> DigestSection | None`;
to add a section, add its function to SECTIONS (eligibility applications come
from diagnostics, payment claims from delivery). Nothing waiting, no email.

One email per officer per working day: the idempotency key holds the date and the
officer's id, so running the job twice, or on two workers at once, sends it once.
"""

from datetime import date

from delivery.reminders import claims_waiting_section
from diagnostics.reminders import applications_waiting
from diagnostics.rules import long_date
from notifications.calendar import is_working_day
from notifications.services import queue_for_each
from notifications.working_days import non_working_days
from organisations.models import User

# To add a section, add its function here.
SECTIONS = (applications_waiting, claims_waiting_section)


def send_officer_digest(today: date, sections=SECTIONS) -> int:
    """Queue today's digest for every officer; return how many emails were queued now.

    Working days only: on a weekend, a bank holiday or a day off managers added
    nobody is there to act, and the next working day's email lists everything anyway.
    """
    if not is_working_day(today, non_working_days()):
        return 0
    found = [section for section in (make(today) for make in sections) if section]
    if not found:
        return 0
    return queue_for_each(
        User.objects.officers(),
        template="officer_digest",
        context={
            "sections": found,
            "day": long_date(today),
            "total": sum(section.total for section in found),
        },
        kind="officer_digest",
        key=f"officer-digest:{today.isoformat()}",
    )
