"""The volunteer centre's funding agreement: managers make it, the centre's brokers send
its quarterly reports, council officers review them (accepting pays the instalment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allowances.award_services import award_figures
from allowances.instalment_rules import ACCEPTED, OPEN_STATUSES, SENT
from allowances.instalment_selectors import payments_of, with_states, writing_state
from allowances.instalment_views import review, write
from audit.services import history_for_many
from organisations.listing import page_of
from packages.forms import show_refusal, submitted
from packages.money import format_money

from .. import agreement_rules as rules
from ..agreement_forms import AgreementForm, CentreReportForm, EndAgreementForm
from ..agreement_permissions import (
    centre_grant,
    get_agreement_for_staff,
    get_report_for_centre,
    get_report_for_staff,
    require_manager,
    require_staff,
)
from ..agreement_selectors import (
    agreements,
    labelled,
    period_figures,
    reports_for_centre,
    reports_of,
    waiting_for_review,
)
from ..agreement_services import (
    AgreementRefused,
    accept_report,
    ask_for_more,
    end_agreement,
    make_agreement,
    save_report,
    send_report,
)

# --------------------------------------------------------------- council staff


@login_required
@require_GET
def agreement_list(request):
    """Every agreement, a page at a time, and how many reports wait for review."""
    require_staff(request.user)
    today = timezone.localdate()
    return render(
        request,
        "volunteering/agreements/list.html",
        {
            "page": page_of(request, agreements()),
            "waiting": waiting_for_review(today).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request):
    """A manager agrees the volunteer centre's funding: committed at once on the ledger."""
    require_manager(request.user)
    form = AgreementForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = make_agreement(
                provider=data["provider"],
                amount=data["amount"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                schedule=data["schedule"],
                by=request.user,
            )
        except AgreementRefused as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"The agreement with {agreement.provider.name} is in place: "
                f"{format_money(agreement.award.amount)} committed on the volunteering "
                "support budget.",
            )
            return redirect("volunteering:agreement", agreement.pk)
    return render(request, "volunteering/agreements/new.html", {"form": form})


@login_required
@require_GET
def agreement(request, pk):
    """One agreement: its award, reports by period, payments and history."""
    agreement = get_agreement_for_staff(request.user, pk)
    reports = with_states(reports_of(agreement), timezone.localdate())
    periods = {str(r.pk): f"report {r.period}" for r in reports}
    history = list(
        history_for_many(
            {
                "volunteering.centreagreement": [str(agreement.pk)],
                "volunteering.centrereport": list(periods),
            }
        )[:50]
    )
    for event in history:
        event.subject = periods.get(event.object_id, "the agreement")
    return render(
        request,
        "volunteering/agreements/detail.html",
        {
            "agreement": agreement,
            "award": agreement.award,
            "reports": reports,
            "payments": list(payments_of(agreement.award_id)),
            "figures": award_figures(agreement.award),
            "history": history,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_end(request, pk):
    """A manager ends the agreement early: what happens is said first, then the reason."""
    agreement = get_agreement_for_staff(request.user, pk)
    require_manager(request.user)
    form = EndAgreementForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            end_agreement(agreement=agreement, reason=form.cleaned_data["reason"], by=request.user)
        except AgreementRefused as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"The agreement with {agreement.provider.name} has ended. What it had not paid "
                "has gone back to the volunteering support budget.",
            )
            return redirect("volunteering:agreement", agreement.pk)
    return render(
        request,
        "volunteering/agreements/end.html",
        {
            "agreement": agreement,
            "figures": award_figures(agreement.award),
            "still_due": agreement.reports.filter(status__in=OPEN_STATUSES).count(),
            "form": form,
        },
    )


@login_required
@require_GET
def review_queue(request):
    """Reports sent and waiting for review, then overdue ones, a page at a time."""
    require_staff(request.user)
    today = timezone.localdate()
    page = page_of(request, waiting_for_review(today))
    page.object_list = with_states(page.object_list, today)
    return render(request, "volunteering/agreements/review_queue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request, pk):
    """A report beside the service's figures for its period: accept and pay, or ask for more."""
    report = get_report_for_staff(request.user, pk)
    agreement = report.agreement
    decided = review(
        request,
        report,
        holder="the volunteer centre",
        payee=agreement.provider.name,
        accept=accept_report,
        ask_for_more=ask_for_more,
    )
    if decided.done:
        return redirect("volunteering:agreement_reviews")
    return render(
        request,
        "volunteering/agreements/review.html",
        {
            "report": report,
            "agreement": agreement,
            "state": with_states([report], timezone.localdate())[0].state,
            "figures": labelled(report.figures),
            "form": decided.form,
            "can_review": decided.can_review,
            "payments": list(payments_of(agreement.award_id)),
            "award_figures": award_figures(agreement.award),
            # A report sent back for more is the centre's again: its unsent changes are not
            # shown until it is sent (each sent version is in the audit trail).
            "show_answers": report.status in (SENT, ACCEPTED),
        },
    )


# --------------------------------------------------------------- the volunteer centre


@login_required
@require_GET
def centre_reports(request):
    """The centre's reports under every agreement with its provider, soonest due first."""
    grant = centre_grant(request.user)
    today = timezone.localdate()
    page = page_of(request, reports_for_centre(grant.provider_id))
    page.object_list = with_states(page.object_list, today)
    return render(
        request, "volunteering/agreements/centre_reports.html", {"page": page, "grant": grant}
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_report(request, pk):
    """One period's report: written and saved as a draft, then sent from the period's last
    day, with the service's figures for the period."""
    report = get_report_for_centre(request.user, pk)
    today = timezone.localdate()
    context = writing_state(report, today)
    initial = {name: getattr(report, name) for name in rules.ANSWER_FIELDS}
    form = CentreReportForm(submitted(request), initial=initial)
    if request.method == "POST" and write(
        request,
        report,
        form,
        state=context,
        save=save_report,
        send=send_report,
        sending_problems=rules.sending_problems,
        today=today,
    ):
        return redirect("volunteering:centre_reports")
    sent = report.status in (SENT, ACCEPTED)
    figures = (
        report.figures
        if sent
        else period_figures(report.period_starts_on, min(report.period_ends_on, today))
        if not context["not_yet"]
        else {}
    )
    return render(
        request,
        "volunteering/agreements/centre_report.html",
        {
            "report": report,
            "form": form,
            "state": with_states([report], today)[0].state,
            "figures": labelled(figures),
            "figures_sent": sent,
            **context,
        },
    )
