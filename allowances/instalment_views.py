"""Any award's report as its pages post it: the award holder writing it, the council's
decision on it."""

from dataclasses import dataclass

from django.contrib import messages

from packages.forms import show_refusal, submitted
from packages.money import format_money

from .instalment_forms import ACCEPT, ReviewForm
from .instalment_rules import ACCEPTED, SENT, report_move
from .instalment_services import ReportRefused


@dataclass
class Review:
    form: ReviewForm
    can_review: bool  # the report is sent and waiting for a decision
    done: bool = False  # a decision was saved: the caller redirects


def review(request, report, *, holder: str, payee: str, accept, ask_for_more) -> Review:
    """Show, or take, the decision on `report`: accept it (`accept(report=, by=)`, which pays
    the instalment) or ask `holder` for more (`ask_for_more(report=, by=, what=)`).

    A report someone else reviewed meanwhile, or a refusal, is said on the form, keeping
    what was typed; a saved decision is said in a message to `payee`'s name.
    """
    form = ReviewForm(submitted(request), amount_words=format_money(report.amount), holder=holder)
    result = Review(form, can_review=report.status == SENT)
    if request.method != "POST":
        return result
    if not result.can_review:
        form.is_valid()
        form.add_error(None, report_move(report.status, ACCEPTED).reason)
        return result
    if not form.is_valid():
        return result
    accepting = form.cleaned_data["outcome"] == ACCEPT
    try:
        if accepting:
            accept(report=report, by=request.user)
        else:
            ask_for_more(report=report, by=request.user, what=form.cleaned_data["more_needed"])
    except ReportRefused as exc:
        form.add_error(None if accepting else "more_needed", exc.reason)
        return result
    messages.success(
        request,
        f"Report {report.period} accepted: {format_money(report.amount)} paid to {payee}."
        if accepting
        else f"{payee} has been asked for more information.",
    )
    result.done = True
    return result


def write(request, report, form, *, state: dict, save, send, sending_problems, today) -> bool:
    """Save the holder's answers as a draft, or send them (`"send"` in the POST), through
    `save` or `send` (each `(report=, answers=, by=, today=)`). `state` is writing_state's.

    True once saved (the caller redirects); otherwise every reason is on the form, which
    keeps what was typed.
    """
    sending = "send" in request.POST
    if not state["writable"]:
        # Sent or reviewed meanwhile, or not started: say why, keeping what was typed.
        form.is_valid()
        form.add_error(None, state["not_yet"] or "This report can no longer be changed.")
        return False
    if not form.is_valid():
        if sending:
            # Say at once what else sending needs, not only what could not be read.
            for field, message in sending_problems(form.answers()).items():
                if field not in form.errors:
                    form.add_error(field, message)
        return False
    service = send if sending else save
    try:
        service(report=report, answers=form.answers(), by=request.user, today=today)
    except ReportRefused as exc:
        show_refusal(form, exc)
        return False
    messages.success(
        request,
        f"Your report for period {report.period} has been sent to the council."
        if sending
        else f"Your report for period {report.period} has been saved as a draft.",
    )
    return True
