"""Demo data for the volunteer centre's funding agreement, called by `seed_volunteering`.

A year's agreement with the broker's provider that began seven months ago, paid
quarterly: report 1 accepted and its instalment paid, report 2 sent and waiting
for an officer, report 3's period under way, report 4 to come. Idempotent: a
provider that already has an agreement is left as it is.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from allowances.instalment_models import PaymentSchedule
from notifications.rules import add_months
from organisations.models import User

from .agreement_services import accept_report, make_agreement, send_report
from .models import Broker, CentreAgreement

AMOUNT = Decimal("60000.00")
ANSWERS = [
    {
        "work_done": (
            "Brokerage from the centre on Granby Street three days a week and online; 14 "
            "organisations helped to write their first volunteer role; two training sessions "
            "on recruiting volunteers."
        ),
        "outcomes": (
            "Most new volunteers were placed within a month. Three organisations that had "
            "never had volunteers now have a volunteer manager."
        ),
        "difficulties": "Few roles in the evenings or at weekends for people in work.",
        "next_period": "Work with six organisations on evening and weekend roles.",
    },
    {
        "work_done": (
            "Brokerage as before; a networking morning for volunteer managers; advice for "
            "organisations on DBS checks and expenses."
        ),
        "outcomes": "More interest from young people after the session at the college.",
        "difficulties": "",
        "next_period": "A course on supervising volunteers, and a drop-in in Braunstone.",
    },
]


def seed_agreement(stdout, broker: User, today: date | None = None) -> CentreAgreement | None:
    """The broker's provider's agreement, two reports in. Returns it, or None if it existed."""
    today = today or timezone.localdate()
    provider = Broker.objects.live().select_related("provider").get(user=broker).provider
    if CentreAgreement.objects.filter(provider=provider).exists():
        return None
    starts = add_months(today.replace(day=1), -7)
    agreement = make_agreement(
        provider=provider,
        amount=AMOUNT,
        starts_on=starts,
        ends_on=add_months(starts, 12) - timedelta(days=1),
        schedule=PaymentSchedule.QUARTERLY,
        by=User.objects.get(email="manager@example.org"),
    )
    first, second = agreement.reports.order_by("period")[:2]
    send_report(report=first, answers=ANSWERS[0], by=broker, today=today)
    accept_report(report=first, by=User.objects.get(email="officer@example.org"))
    send_report(report=second, answers=ANSWERS[1], by=broker, today=today)
    stdout.write(
        f"  Volunteer centre funding ({agreement.award.reference}, {provider.name}): report 1 "
        "accepted and paid, report 2 waiting for review (officer@example.org: Volunteer "
        f"centre reports to review), report 3 under way ({broker.email}: Monitoring reports)"
    )
    return agreement
