"""What the demo's rounds share (grants/demo.py and grants/demo_voices.py): a round's
settings for `services.create_round`, and an application filled in through the services."""

from datetime import time, timedelta
from decimal import Decimal

from . import application_services
from .rules import add_months, london_datetime
from .template import SUMMARY

ANSWER = (
    "We have worked with the community for twelve years: our trustees are elected at an "
    "open annual meeting and we report back through our newsletter and monthly gatherings."
)


def round_data(name, strand, *, opens_on, weeks_open, total, each) -> dict:
    closes_on = opens_on + timedelta(weeks=weeks_open)
    starts = add_months(closes_on.replace(day=1), 3)
    return {
        "name": name,
        "summary": SUMMARY,
        "strand": strand,
        "opens_at": london_datetime(opens_on, time(9)),
        "closes_at": london_datetime(closes_on, time(17)),
        "total": Decimal(total),
        "amount_per_community": Decimal(each),
        "period_starts_on": starts,
        "period_ends_on": add_months(starts, 12) - timedelta(days=1),
        "payment_schedule": "quarterly",
    }


def _demo_pdf(kind: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(f"{kind}.pdf", body, content_type="application/pdf")


def fill(application, admin, *, answers: int | None = None) -> None:
    """Answer the questions (the first `answers`, or all) and upload the required evidence."""
    from .application_rules import needs_answer

    criteria = [c for c in application.round.criteria.all() if needs_answer(c.automatic_check)]
    for criterion in criteria[:answers]:
        application_services.save_answer(
            application=application, criterion=criterion, text=ANSWER, by=admin
        )
    if answers is None:
        for kind in application_services.REQUIRED_EVIDENCE:
            application_services.attach_evidence(
                application=application, kind=kind, upload=_demo_pdf(kind.value), by=admin
            )
