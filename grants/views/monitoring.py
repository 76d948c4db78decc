"""Monitoring a representation grant: the representative's reports, the council's review.

The representative (the awarded organisation) sees its grant and each period's
report; its administrators write a report as a draft and send it from the last
day of its period. Officers and managers see the reports waiting for review and
those overdue, accept a report (paying its instalment) or ask for more, and see
one grant's reports and payments.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allowances.instalment_selectors import writing_state
from allowances.instalment_views import review, write
from audit.services import history_for_many
from organisations.listing import page_of
from packages.forms import submitted

from .. import monitoring_rules as monitoring
from ..monitoring_forms import ReportForm
from ..monitoring_selectors import (
    figures_of,
    grant_money,
    payments_of,
    reports_of,
    review_queue,
    with_states,
)
from ..monitoring_services import accept_report, ask_for_more, save_report
from ..monitoring_services import send_report as send
from ..permissions import (
    get_grant_for_member,
    get_grant_for_staff,
    get_report_for_member,
    get_report_for_staff,
    require_staff,
)
from ..voice_selectors import approved_verdict_comments, verdicts_of

# --------------------------------------------------------------- the representative


@login_required
@require_GET
def grant(request, pk):
    """The organisation's representation grant: the award and each period's report.

    Queries: the membership, the grant with its award, round, community and
    organisation, and the reports with their payments.
    """
    decision, membership = get_grant_for_member(request.user, pk)
    reports = reports_of(decision, timezone.localdate())
    return render(
        request,
        "grants/monitoring/grant.html",
        {
            "decision": decision,
            "round": decision.round_community.round,
            "reports": reports,
            "money": grant_money(decision, reports),
            "is_admin": membership.is_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_report(request, pk):
    """One period's report: written and saved as a draft, then sent (every answer needed).

    Members read it; administrators write and send it (other members 403).
    """
    report, membership = get_report_for_member(request.user, pk, admin=request.method == "POST")
    today = timezone.localdate()
    context = writing_state(report, today)
    initial = {name: getattr(report, name) for name in monitoring.ANSWER_FIELDS}
    form = ReportForm(submitted(request), initial=initial)
    if request.method == "POST" and write(
        request,
        report,
        form,
        state=context,
        save=save_report,
        send=send,
        sending_problems=monitoring.sending_problems,
        today=today,
    ):
        return redirect("grants:grant", report.decision_id)
    decision = report.decision
    return render(
        request,
        "grants/monitoring/report_form.html",
        {
            "report": report,
            "decision": decision,
            "round": decision.round_community.round,
            "form": form,
            "is_admin": membership.is_admin,
            "state": with_states([report], today)[0].state,
            **context,
        },
    )


# --------------------------------------------------------------- officers and managers


@login_required
@require_GET
def grant_reports(request):
    """Reports waiting for review, then overdue ones, a page at a time.

    Queries: the count and the page of reports with their grants.
    """
    require_staff(request.user)
    today = timezone.localdate()
    page = page_of(request, review_queue(today))
    page.object_list = with_states(page.object_list, today)
    return render(request, "grants/monitoring/report_queue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def grant_report_review(request, pk):
    """A report, the grant's payments so far, and the decision: accept and pay, or ask for more.

    Queries: the report with its grant, the payments, and the award's figures.
    """
    report = get_report_for_staff(request.user, pk)
    decision = report.decision
    decided = review(
        request,
        report,
        holder="the representative",
        payee=decision.application.organisation.name,
        accept=accept_report,
        ask_for_more=ask_for_more,
    )
    if decided.done:
        return redirect("grants:grant_reports")
    return render(
        request,
        "grants/monitoring/report_review.html",
        {
            "report": report,
            "decision": decision,
            "state": with_states([report], timezone.localdate())[0].state,
            "payments": list(payments_of(decision)),
            "figures": figures_of(decision),
            "form": decided.form,
            "can_review": decided.can_review,
            # A report sent back for more is the representative's again: its unsent changes
            # are not shown until it is sent (each sent version is in the audit trail).
            "show_answers": report.status in (monitoring.SENT, monitoring.ACCEPTED),
            "upheld_appeal": decision.appeals.filter(outcome="upheld").first(),
        },
    )


@login_required
@require_GET
def grant_monitoring(request, pk):
    """One representative's grant: the award's figures, each report, the payments, history.

    Queries: the grant, its reports, the payments, the award's figures, the
    reports' history, the community's verdicts and their ratings, and the latest
    approved comments.
    """
    decision = get_grant_for_staff(request.user, pk)
    reports = reports_of(decision, timezone.localdate())
    history = list(history_for_many({"grants.monitoringreport": [str(r.pk) for r in reports]})[:50])
    periods = {str(r.pk): r.period for r in reports}
    for event in history:
        event.subject = f"report {periods.get(event.object_id, '')}"
    return render(
        request,
        "grants/monitoring/staff_grant.html",
        {
            "decision": decision,
            "round": decision.round_community.round,
            "reports": reports,
            "money": grant_money(decision, reports),
            "payments": list(payments_of(decision)),
            "figures": figures_of(decision),
            "history": history,
            # The community's verdicts: counts so far while open, then the result.
            "verdicts": verdicts_of(decision, public=False),
            "verdict_comments": list(approved_verdict_comments(decision)),
        },
    )
