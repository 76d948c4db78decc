"""The officer's eligibility queue, an application's detail, and the decision."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import history_for
from organisations.listing import page_of, path_maker

from ..eligibility_services import (
    EligibilityError,
    area_table,
    ask_for_more_information,
    automatic_checks,
    find_eligible,
    find_not_eligible,
)
from ..filters import ApplicationQueueFilter, district_choices
from ..forms import DecisionForm
from ..models import AnswerType, EligibilityApplication
from ..permissions import get_application_for_staff, require_officer
from ..rules import postcode_difference
from ..services import default_valid_until
from .posted import posted_data


@login_required
@require_http_methods(["GET"])
def officer_applications(request):
    """The queue, filtered, oldest first, a page at a time. Queries: the area's districts
    (for the filter), the count, the page with the organisations, the filter's themes."""
    require_officer(request.user)
    queryset = EligibilityApplication.objects.select_related("organisation").order_by(
        "submitted_at", "pk"
    )
    filterset = ApplicationQueueFilter(
        request.GET, queryset=queryset, districts=district_choices(settings.ELIGIBILITY_AREA)
    )
    applications = filterset.qs if filterset.is_valid() else queryset.none()
    page = page_of(request, applications)
    now = timezone.now()
    detail = path_maker("diagnostics:officer_application_detail")
    rows = [
        (a, detail(a.pk), (now - a.submitted_at).days if a.submitted_at else None) for a in page
    ]
    return render(
        request,
        "diagnostics/officer_applications.html",
        {"filter": filterset, "form": filterset.form, "page": page, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_application_detail(request, pk):
    application = get_application_for_staff(request.user, pk)
    today = timezone.localdate()
    can_decide = application.status == EligibilityApplication.Status.SUBMITTED
    form = DecisionForm(posted_data(request), today=today) if can_decide else None
    error = None
    if request.method == "POST":
        if form is None:
            error = "This application is not waiting for a decision. Nothing was changed."
        elif form.is_valid():
            error = _decide(request, application, form.cleaned_data)
            if error is None:
                return redirect("diagnostics:officer_applications")
    criteria = list(application.criteria_version.criteria.all())
    answers = {a.criterion_id: a for a in application.answers.all()}
    answered_postcodes = [
        answers[c.pk].value
        for c in criteria
        if c.answer_type == AnswerType.POSTCODE and c.pk in answers
    ]
    postcode_flags = [
        flag
        for flag in (
            postcode_difference(registered=application.organisation.postcode, answered=value)
            for value in answered_postcodes
        )
        if flag
    ]
    return render(
        request,
        "diagnostics/officer_application_detail.html",
        {
            "application": application,
            "organisation": application.organisation,
            "checks": [
                (c, a, result, c.label_for(a.value) if a else "")
                for c, a, result in automatic_checks(criteria, answers, area_table())
            ],
            "evidence": application.evidence.all(),
            "decisions": application.decisions.select_related("decided_by"),
            "history": history_for(application)[:30],
            "form": form,
            "error": error,
            "default_until": default_valid_until(today),
            "postcode_flags": postcode_flags,
        },
        status=409 if error else 200,
    )


def _decide(request, application, data) -> str | None:
    """Run the decision's service; the refusal's sentence, or None when done."""
    decision = data["decision"]
    name = application.organisation.name
    try:
        if decision == DecisionForm.ELIGIBLE:
            find_eligible(
                application=application, by=request.user, valid_until=data.get("valid_until")
            )
            messages.success(request, f"{name} is eligible")
        elif decision == DecisionForm.NOT_ELIGIBLE:
            find_not_eligible(application=application, by=request.user, reasons=data["message"])
            messages.success(request, f"{name} is not eligible; they have been told why")
        else:
            ask_for_more_information(
                application=application, by=request.user, message=data["message"]
            )
            messages.success(request, f"The application has gone back to {name}")
    except EligibilityError as exc:
        return exc.reason
    return None
