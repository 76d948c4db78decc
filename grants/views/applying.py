"""Organisations: applying to a round. Start, the task list, one page per question, evidence.

Sending (check answers, declaration, confirmation, withdrawing) is in
`sending.py`; the consortium in `consortium.py`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from diagnostics import uploads
from diagnostics.forms import EvidenceForm
from organisations.permissions import get_own_organisation
from packages.forms import submitted

from .. import application_rules as moves
from .. import rules
from ..appeal_selectors import appeal_position
from ..application_forms import AnswerForm, SizeForm, StartForm
from ..application_selectors import (
    applications_of,
    consortium_requests_of,
    read_application,
    task_sections,
)
from ..application_services import ApplicationError, save_answer, set_community_size
from ..application_services import attach_evidence as attach
from ..application_services import start_application as start
from ..assessment_selectors import applicant_outcome
from ..models import EvidenceKind, RoundCommunity
from ..permissions import (
    get_application_for_change,
    get_application_for_member,
    get_evidence_for_user,
    get_round_for_applying,
)

KINDS = list(EvidenceKind)


def _refuse(request, application, exc: ApplicationError):
    messages.error(request, exc.reason)
    return redirect("grants:application", application.pk)


def _accepting(application) -> moves.Decision:
    grant_round = application.round
    return moves.accepting(
        grant_round.phase(), opens_at=grant_round.opens_at, closes_at=grant_round.closes_at
    )


def _changeable(request, application):
    """None if the draft may be changed now; else where to send the person, told why."""
    if not application.is_draft:
        return redirect("grants:application", application.pk)
    open_now = _accepting(application)
    if not open_now:
        messages.error(request, open_now.reason)
        return redirect("grants:application", application.pk)
    return None


@login_required
@require_GET
def my_applications(request):
    """The organisation's applications and the requests to join others' consortia.

    Queries: the membership, the applications with their rounds and
    communities, and the requests with the lead, round and community.
    """
    organisation, membership = get_own_organisation(request.user)
    return render(
        request,
        "grants/application_list.html",
        {
            "organisation": organisation,
            "applications": applications_of(organisation),
            "requests": consortium_requests_of(organisation),
            "is_admin": membership.is_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request, pk):
    """Choose the community to represent (or propose one) in an open round."""
    grant_round, organisation = get_round_for_applying(request.user, pk)
    now = timezone.now()
    open_now = moves.accepting(
        grant_round.phase(now), opens_at=grant_round.opens_at, closes_at=grant_round.closes_at
    )
    round_communities = list(
        RoundCommunity.objects.filter(round=grant_round).select_related("community")
    )
    city = rules.city_population()
    form = StartForm(submitted(request), round_communities=round_communities, city=city)
    if request.method == "POST" and open_now and form.is_valid():
        round_community, proposal = form.choice()
        try:
            application = start(
                grant_round=grant_round,
                organisation=organisation,
                by=request.user,
                round_community=round_community,
                proposal=proposal,
            )
        except ApplicationError as exc:
            form.add_error("community" if exc.field == "community" else None, exc.reason)
        else:
            messages.success(
                request,
                f"Your application for the {application.community_name} has been started. "
                "Answer the questions in any order: your answers are saved as you go",
            )
            return redirect("grants:application", application.pk)
    return render(
        request,
        "grants/apply_start.html",
        {"round": grant_round, "form": form, "open_now": open_now},
    )


@login_required
@require_GET
def application_detail(request, pk):
    """The application's task list while a draft; what was sent afterwards.

    Queries: the membership, the application with its round and community,
    the criteria, the answers, the evidence, the consortium members with their
    organisations, and the council's postcode table.
    """
    application, membership = get_application_for_member(request.user, pk)
    state = read_application(application)
    can_change = membership.is_admin and application.is_draft and bool(_accepting(application))
    context = {
        "application": application,
        "state": state,
        "can_change": can_change,
        "is_admin": membership.is_admin,
        "open_now": _accepting(application),
        "can_withdraw": membership.is_admin
        and bool(moves.application_move("withdraw", application.status)),
    }
    if can_change:
        context["sections"] = task_sections(application, state)
    context["outcome"] = applicant_outcome(application)
    context["appeal"] = appeal_position(
        application, context["outcome"], is_admin=membership.is_admin
    )
    return render(request, "grants/application_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_size(request, pk):
    """The applicant's figure for the community's size, where the council has none."""
    application = get_application_for_change(request.user, pk)
    if application.known_population is not None:
        raise Http404("The council's own figure is used for this community.")
    away = _changeable(request, application)
    if away:
        return away
    city = rules.city_population()
    initial = {
        "population": application.population,
        "population_source": application.population_source,
    }
    form = SizeForm(submitted(request), initial=initial, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            set_community_size(
                application=application,
                population=form.cleaned_data["population"],
                source=form.cleaned_data["population_source"],
                by=request.user,
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            return redirect("grants:application", application.pk)
    return render(
        request,
        "grants/application_size.html",
        {"application": application, "form": form, "city": city},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_question(request, pk, criterion_pk):
    """One criterion: its question, guidance and word limit. Saved as a draft, or onwards."""
    application = get_application_for_change(request.user, pk)
    away = _changeable(request, application)
    if away:
        return away
    criteria = [
        c for c in application.round.criteria.all() if moves.needs_answer(c.automatic_check)
    ]
    index = next((i for i, c in enumerate(criteria) if c.pk == criterion_pk), None)
    if index is None:
        raise Http404
    criterion = criteria[index]
    answer = application.answers.filter(criterion=criterion).first()
    draft = AnswerForm.DRAFT in request.POST
    form = AnswerForm(
        submitted(request),
        initial={"answer": answer.text if answer else ""},
        criterion=criterion,
        save_as_draft=draft,
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_answer(
                application=application,
                criterion=criterion,
                text=form.cleaned_data["answer"],
                by=request.user,
            )
        except ApplicationError as exc:
            form.add_error("answer" if exc.field == "answer" else None, exc.reason)
        else:
            return redirect(_after_question(request, application, criteria, index, draft))
    return render(
        request,
        "grants/application_question.html",
        {
            "application": application,
            "form": form,
            "criterion": criterion,
            "number": index + 1,
            "total": len(criteria),
        },
    )


def _after_question(request, application, criteria, index, draft) -> str:
    if draft:
        messages.success(request, "Your answer has been saved as a draft")
        return reverse("grants:application", args=[application.pk])
    if request.GET.get("from") == "check":
        return reverse("grants:application_check", args=[application.pk])
    if index + 1 < len(criteria):
        return reverse("grants:application_question", args=[application.pk, criteria[index + 1].pk])
    return reverse("grants:application_evidence", args=[application.pk, KINDS[0].value])


@login_required
@require_http_methods(["GET", "POST"])
def application_evidence(request, pk, kind):
    """Upload one kind of evidence, checked as eligibility evidence is."""
    if kind not in EvidenceKind.values:
        raise Http404
    application = get_application_for_change(request.user, pk)
    away = _changeable(request, application)
    if away:
        return away
    kind = EvidenceKind(kind)
    current = application.evidence.filter(kind=kind).first()
    files = request.FILES if request.method == "POST" else None
    form = EvidenceForm(submitted(request), files, kind_label=kind.label)
    optional = kind == EvidenceKind.LETTERS_OF_SUPPORT
    if current is not None or optional:
        form.fields["file"].required = False
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload:
            try:
                attach(application=application, kind=kind, upload=upload, by=request.user)
            except ApplicationError as exc:
                form.add_error("file", exc.reason)
        if not form.errors:
            index = KINDS.index(kind)
            if index + 1 < len(KINDS) and request.GET.get("from") != "check":
                return redirect("grants:application_evidence", application.pk, KINDS[index + 1])
            return redirect("grants:application_check", application.pk)
    return render(
        request,
        "grants/application_evidence.html",
        {
            "application": application,
            "form": form,
            "kind": kind,
            "current": current,
            "optional": optional,
        },
    )


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request.user, pk)
    return uploads.download(
        evidence.stored_name, filename=evidence.original_name, content_type=evidence.content_type
    )
