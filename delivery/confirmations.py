"""What the confirmation page after each finished step of the delivery journey says.

Each function takes the request its view fetched (with its package, organisation
and provider joined) and the managers' deadline for the step that comes next,
and returns the context of `includes/confirmation.html`: the title, what happens
next with its timescale and date, and where to go now. The dates are worked out
as the reminder jobs work them out (`delivery.reminders`), so the page, the
reminder and the missed-deadline email name the same day. No queries.
"""

from datetime import date

from django.urls import reverse

from diagnostics.rules import long_date
from notifications.rules import DeadlineRule
from packages.money import format_money

from .models import ProviderRequest
from .reminders import confirm_by, deliver_by, respond_by


def _package_links(agreed) -> list[tuple[str, str]]:
    return [
        ("See the package's provider and delivery", reverse("delivery:package", args=[agreed.pk])),
        ("See all your packages", reverse("allowances:organisation_packages")),
    ]


def _request_links(request: ProviderRequest, *first) -> list[tuple[str, str]]:
    return [
        *first,
        ("Back to the request", reverse("delivery:provider_request", args=[request.pk])),
        ("See all your requests", reverse("delivery:provider_requests")),
    ]


def request_sent(request: ProviderRequest, rule: DeadlineRule, today: date) -> dict:
    """The organisation asked a provider: it answers within the provider_respond deadline."""
    provider = request.provider.name
    answer_by = respond_by(request, rule)
    if rule.is_missed(answer_by, today):
        when = f"{provider} should have answered by {long_date(answer_by)}."
    else:
        when = f"{provider} has {rule.period} to answer, by {long_date(answer_by)}."
    return {
        "title": f"Request sent to {provider}",
        "next_steps": [
            f"{when} We will email you when they accept or decline.",
            "If they decline, or do not answer in time, you can choose another provider. Until "
            "they answer, you can withdraw the request from the package's page.",
        ],
        "links": _package_links(request.agreed_package),
    }


def request_accepted(request: ProviderRequest, rule: DeadlineRule, today: date) -> dict:
    """The provider accepted: it delivers by its planned end, within complete_delivery."""
    agreed = request.agreed_package
    due = deliver_by(request, rule)
    why = (
        "your planned end date"
        if due == request.planned_end
        else f"{rule.period} after the package was agreed"
    )
    steps = [
        f"We have told {agreed.organisation.name}. You plan to deliver the package from "
        f"{long_date(request.planned_start)} to {long_date(request.planned_end)}.",
    ]
    if rule.is_missed(due, today):
        steps.append(
            f"The work should have been marked as delivered by {long_date(due)}, {why}. Log "
            "the sessions you have delivered and mark it as delivered as soon as you can."
        )
    else:
        steps.append(
            "Log each session as you deliver it. When the work is done, mark it as delivered "
            f"by {long_date(due)}, {why}."
        )
        if rule.remind_before:
            steps.append(f"We will email you a reminder {rule.remind_before} before then.")
    log = ("Log a session", reverse("delivery:log_session", args=[request.pk]))
    return {
        "title": "Request accepted",
        "next_steps": steps,
        "links": _request_links(request, log),
    }


def marked_delivered(request: ProviderRequest, rule: DeadlineRule, today: date) -> dict:
    """The provider marked the work delivered: the organisation confirms within
    confirm_delivery, then the provider may claim."""
    agreed = request.agreed_package
    organisation = agreed.organisation.name
    due = confirm_by(request, rule)
    if rule.is_missed(due, today):
        when = f"They should have done this by {long_date(due)}, and have been reminded."
    else:
        when = f"They have {rule.period} to do this, by {long_date(due)}."
    return {
        "title": "Work marked as delivered",
        "next_steps": [
            f"We have asked {organisation} to confirm the work was delivered and to rate it. "
            + when,
            f"Once they confirm, you can claim payment of up to {format_money(agreed.value)}, "
            "the value agreed for this package. We will email you when they have confirmed.",
            f"If {organisation} tells the council the work was not delivered as agreed, a "
            "council officer will look at it and contact you.",
        ],
        "links": _request_links(request),
    }


def delivery_confirmed(request: ProviderRequest, review: DeadlineRule) -> dict:
    """The organisation confirmed and rated: the provider claims, an officer decides it
    within officer_review."""
    provider = request.provider.name
    return {
        "title": "Delivery confirmed",
        "next_steps": [
            f"We have told {provider}. Organisations choosing a provider will see your rating, "
            f"and {provider} may reply to it once.",
            f"{provider} can now claim payment from the council. A council officer aims to "
            f"decide each claim within {review.period} of receiving it. Your organisation pays "
            "nothing.",
        ],
        "links": _package_links(request.agreed_package),
    }
