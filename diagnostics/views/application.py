"""The organisation's eligibility application: question pages, evidence, check and send."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from notifications.deadlines import OFFICER_REVIEW, deadline
from organisations.permissions import get_own_organisation

from .. import uploads
from ..eligibility_services import (
    EligibilityError,
    area_table,
    attach_evidence,
    automatic_checks,
    save_answer,
    start_application,
    submit_application,
)
from ..forms import AnswerForm, DeclarationForm, EvidenceForm
from ..models import AnswerType, EligibilityApplication, EvidenceKind
from ..permissions import get_evidence_for_user
from ..rules import long_date
from ..selectors import eligibility_on, latest_eligibility_decision
from .posted import posted_data

KINDS = list(EvidenceKind)


def _latest_application(organisation):
    application = (
        EligibilityApplication.objects.filter(organisation=organisation)
        .select_related("criteria_version", "decided_by")
        .order_by("-created_at", "-id")
        .first()
    )
    if application is not None:
        application.organisation = organisation  # loaded with the membership already
    return application


def _editable_application(request):
    """The organisation's application being filled in, for an administrator; else None."""
    organisation, membership = get_own_organisation(request.user, admin=True)
    application = _latest_application(organisation)
    if application is None or not application.is_editable:
        return None
    return application


@login_required
@require_http_methods(["GET"])
def eligibility(request):
    organisation, membership = get_own_organisation(request.user)
    application = _latest_application(organisation)
    today = timezone.localdate()
    decision = latest_eligibility_decision(organisation)
    holds = eligibility_on(organisation, today)
    criteria, answers = [], {}
    if application is not None:
        criteria = list(application.criteria_version.criteria.all())
        answers = {a.criterion_id: a for a in application.answers.all()}
    evidence_kinds = (
        set(application.evidence.values_list("kind", flat=True)) if application else set()
    )
    expired = bool(decision and decision.outcome == "eligible" and not holds)
    return render(
        request,
        "diagnostics/eligibility_overview.html",
        {
            "organisation": organisation,
            "application": application,
            "decision": decision,
            "holds": holds,
            "expired": expired,
            "tasks": [(c, answers.get(c.pk)) for c in criteria],
            "evidence_tasks": [(k, k in evidence_kinds) for k in KINDS],
            "can_change": membership.is_admin,
            "can_start": membership.is_admin and (application is None or not application.is_open),
        },
    )


@login_required
@require_POST
def eligibility_start(request):
    organisation, _ = get_own_organisation(request.user, admin=True)
    application = start_application(organisation=organisation, by=request.user)
    first = application.criteria_version.criteria.first()
    return redirect("diagnostics:eligibility_question", slug=first.slug)


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_question(request, slug):
    application = _editable_application(request)
    if application is None:
        return redirect("diagnostics:eligibility")
    criteria = list(application.criteria_version.criteria.all())
    index = next((i for i, c in enumerate(criteria) if c.slug == slug), None)
    if index is None:
        raise Http404
    criterion = criteria[index]
    answer = application.answers.filter(criterion=criterion).first()
    initial = {"value": answer.value, "detail": answer.detail} if answer else None
    if answer is None and criterion.answer_type == AnswerType.POSTCODE:
        # What the service knows already: where the organisation is registered.
        initial = {"value": application.organisation.postcode}
    form = AnswerForm(
        posted_data(request), initial=initial, criterion=criterion, area_table=area_table()
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_answer(
                application=application,
                criterion=criterion,
                value=form.cleaned_data["value"],
                detail=form.cleaned_data.get("detail", ""),
                by=request.user,
            )
        except EligibilityError as exc:
            form.add_error(None, exc.reason)
        else:
            if request.GET.get("from") == "check":
                return redirect("diagnostics:eligibility_check")
            if index + 1 < len(criteria):
                return redirect("diagnostics:eligibility_question", slug=criteria[index + 1].slug)
            return redirect("diagnostics:eligibility_evidence", kind=KINDS[0].value)
    back = criteria[index - 1].slug if index else None
    return render(
        request,
        "diagnostics/eligibility_question.html",
        {
            "form": form,
            "criterion": criterion,
            "number": index + 1,
            "total": len(criteria),
            "back_slug": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_evidence(request, kind):
    if kind not in EvidenceKind.values:
        raise Http404
    application = _editable_application(request)
    if application is None:
        return redirect("diagnostics:eligibility")
    kind = EvidenceKind(kind)
    current = application.evidence.filter(kind=kind).first()
    files = request.FILES if request.method == "POST" else None
    form = EvidenceForm(posted_data(request), files, kind_label=kind.label)
    if current is not None:
        form.fields["file"].required = False  # keep the file already uploaded
    index = KINDS.index(kind)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload:
            try:
                attach_evidence(application=application, kind=kind, upload=upload, by=request.user)
            except EligibilityError as exc:
                form.add_error("file", exc.reason)
        if not form.errors:
            if index + 1 < len(KINDS) and request.GET.get("from") != "check":
                return redirect("diagnostics:eligibility_evidence", kind=KINDS[index + 1].value)
            return redirect("diagnostics:eligibility_check")
    return render(
        request,
        "diagnostics/eligibility_evidence.html",
        {"form": form, "kind": kind, "current": current, "first_kind": index == 0},
    )


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_check(request):
    organisation, membership = get_own_organisation(request.user, admin=True)
    application = _latest_application(organisation)
    if application is None or not application.is_editable:
        return redirect("diagnostics:eligibility")
    form = DeclarationForm(posted_data(request), initial={"full_name": request.user.full_name})
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            submit_application(
                application=application,
                by=request.user,
                declaration_name=form.cleaned_data["full_name"],
            )
        except EligibilityError as exc:
            problems = exc.problems
            form.add_error(None, exc.reason + " " + " ".join(f"{p}." for p in problems))
        else:
            return redirect("diagnostics:eligibility_sent")
    criteria = list(application.criteria_version.criteria.all())
    answers = {a.criterion_id: a for a in application.answers.all()}
    evidence = {e.kind: e for e in application.evidence.all()}
    return render(
        request,
        "diagnostics/eligibility_check.html",
        {
            "application": application,
            "form": form,
            "rows": [
                (c, answers.get(c.pk), c.label_for(answers[c.pk].value) if c.pk in answers else "")
                for c in criteria
            ],
            "evidence_rows": [(k, evidence.get(k.value)) for k in KINDS],
            "checks": automatic_checks(criteria, answers, area_table()),
        },
    )


@login_required
@require_http_methods(["GET"])
def eligibility_sent(request):
    """The confirmation once the application is sent, while it waits for a decision.

    Queries: the membership, the application, the deadline and the days off.
    """
    organisation, _ = get_own_organisation(request.user)
    application = _latest_application(organisation)
    if application is None or application.status != EligibilityApplication.Status.SUBMITTED:
        return redirect("diagnostics:eligibility")
    review = deadline(OFFICER_REVIEW)
    decide_by = review.due_on(timezone.localtime(application.submitted_at).date())
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": "Eligibility application sent",
            "reference": application.reference,
            "next_steps": [
                "A council officer will check your answers and evidence, and decide within "
                f"{review.period}: by {long_date(decide_by)}.",
                "If they need more information, they will send the application back to you "
                "with what to add. We will email your organisation's administrators when "
                "the officer decides.",
                "Once your organisation is found eligible, the next step is a "
                "self-assessment of where it is strong and where it needs support.",
            ],
            "links": [
                ("See your eligibility application", reverse("diagnostics:eligibility")),
                ("Go to your organisation's home page", reverse("organisation_home")),
            ],
        },
    )


@login_required
@require_http_methods(["GET"])
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request.user, pk)
    try:
        handle = open(uploads.path_of(evidence.stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
