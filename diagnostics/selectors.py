"""Reads about eligibility that other apps rely on."""

from dataclasses import dataclass
from datetime import date

from organisations.rules import Decision

from .models import EligibilityDecision
from .rules import eligibility_decision, long_date


def latest_eligibility_decision(organisation) -> EligibilityDecision | None:
    return (
        EligibilityDecision.objects.filter(organisation=organisation)
        .order_by("-decided_at", "-id")
        .first()
    )


def eligibility_on(organisation, on: date) -> Decision:
    """Eligible iff the latest decision is 'eligible' and `on` falls within its period."""
    latest = latest_eligibility_decision(organisation)
    if latest is None:
        return eligibility_decision(organisation_name=organisation.name, on=on, outcome=None)
    return eligibility_decision(
        organisation_name=organisation.name,
        on=on,
        outcome=latest.outcome,
        valid_from=latest.valid_from,
        valid_until=latest.valid_until,
        decided_on=latest.decided_at.date(),
    )


# --- What the organisation and officers see of an organisation's progress (issue 3)


@dataclass(frozen=True)
class Progress:
    """An organisation's eligibility and diagnostic, in words, for its home page."""

    eligibility_label: str
    eligibility_colour: str  # a govuk-tag modifier
    eligibility_text: str
    eligible: bool
    diagnostic_label: str
    diagnostic_text: str


def progress_of(organisation, on: date) -> Progress:
    """Three queries: the latest application, the latest decision, the latest diagnostic."""
    from .models import Diagnostic, EligibilityApplication

    application = (
        EligibilityApplication.objects.filter(organisation=organisation)
        .order_by("-created_at", "-id")
        .first()
    )
    decision = latest_eligibility_decision(organisation)
    holds = eligibility_on(organisation, on) if decision else None
    Status = EligibilityApplication.Status
    if application is not None and application.is_open:
        label, colour, text = {
            Status.DRAFT: ("Application started", "grey", "Finish and send your application."),
            Status.SUBMITTED: ("Application sent", "blue", "A council officer will review it."),
            Status.MORE_INFO: (
                "More information needed",
                "orange",
                "The council has asked for more information.",
            ),
        }[application.status]
    elif holds:
        label, colour, text = "Eligible", "green", holds.reason
    elif decision is not None and decision.outcome == EligibilityDecision.Outcome.ELIGIBLE:
        label, colour, text = "Eligibility expired", "red", holds.reason
    elif decision is not None:
        label, colour, text = "Not eligible", "red", "You can change your answers and apply again."
    else:
        label, colour, text = "Registered", "grey", "The next step is to show you are eligible."
    diagnostic = (
        Diagnostic.objects.filter(organisation=organisation).order_by("-started_at", "-id").first()
    )
    if diagnostic is None:
        d_label = "Not started"
        d_text = "Once eligible, you complete a self-assessment."
    else:
        d_label = diagnostic.get_status_display()
        d_text = ""
        if diagnostic.status == Diagnostic.Status.SESSION_BOOKED and diagnostic.session_date:
            d_text = f"Your session is on {long_date(diagnostic.session_date)}."
    return Progress(label, colour, text, bool(holds), d_label, d_text)
