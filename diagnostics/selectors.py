"""Reads about eligibility that other apps rely on."""

from dataclasses import dataclass
from datetime import date

from organisations.rules import Decision

from .models import EligibilityDecision
from .rules import diagnostic_progress, eligibility_decision


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
    expired = bool(
        decision is not None
        and decision.outcome == EligibilityDecision.Outcome.ELIGIBLE
        and not holds
    )
    Status = EligibilityApplication.Status
    if application is not None and application.is_open:
        label, colour, text = {
            Status.DRAFT: ("Application started", "grey", "Finish and send your application."),
            Status.SUBMITTED: ("Application sent", "blue", "A council officer will review it."),
            Status.MORE_INFO: (
                "More information needed",
                "orange",
                "The council has asked for more information. Add it and send your "
                "application again.",
            ),
        }[application.status]
    elif holds:
        label, colour, text = "Eligible", "green", holds.reason
    elif expired:
        label, colour, text = "Eligibility expired", "red", holds.reason
    elif decision is not None:
        label, colour, text = "Not eligible", "red", "You can change your answers and apply again."
    else:
        label, colour, text = "Registered", "grey", "The next step is to show you are eligible."
    diagnostic = (
        Diagnostic.objects.filter(organisation=organisation).order_by("-started_at", "-id").first()
    )
    d_label = diagnostic.get_status_display() if diagnostic else "Not started"
    d_text = diagnostic_progress(
        status=diagnostic.status if diagnostic else None,
        eligible=bool(holds),
        expired=expired,
        today=on,
        session_date=diagnostic.session_date if diagnostic else None,
        held_on=diagnostic.session_held_on if diagnostic else None,
    )
    return Progress(label, colour, text, bool(holds), d_label, d_text)
