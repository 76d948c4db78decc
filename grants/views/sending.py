"""Organisations: check answers, the declaration and sending; the confirmation; withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from diagnostics.forms import DeclarationForm
from packages.forms import submitted

from .. import application_rules as moves
from ..application_forms import ReasonForm
from ..application_selectors import read_application
from ..application_services import ApplicationError, submit_application, withdraw_application
from ..assessment_models import DecisionOutcome
from ..permissions import get_application_for_change, get_application_for_member


@login_required
@require_http_methods(["GET", "POST"])
def application_check(request, pk):
    """Every answer, file and member, the service's must-have checks, then the declaration.

    An application failing a must-have, or with a member yet to confirm, is
    shown why and cannot be sent. The send itself checks everything again,
    with the closing time, holding the locks (application_services).
    """
    application = get_application_for_change(request.user, pk)
    if not application.is_draft:
        return redirect("grants:application", application.pk)
    open_now = moves.accepting(
        application.round.phase(),
        opens_at=application.round.opens_at,
        closes_at=application.round.closes_at,
    )
    form = DeclarationForm(submitted(request), initial={"full_name": request.user.full_name})
    refused = []
    if request.method == "POST" and form.is_valid():
        try:
            submit_application(
                application=application,
                by=request.user,
                declaration_name=form.cleaned_data["full_name"],
            )
        except ApplicationError as exc:
            refused = exc.problems
            form.add_error(None, exc.reason)
            for problem in refused:
                form.add_error(None, problem)
        else:
            return redirect("grants:application_sent", application.pk)
    state = read_application(application)
    problems = refused or state.problems
    return render(
        request,
        "grants/application_check.html",
        {
            "application": application,
            "state": state,
            "form": form,
            "problems": problems,
            "open_now": open_now,
            "can_send": open_now and not problems,
            "can_change": bool(open_now),
        },
    )


@login_required
@require_GET
def application_sent(request, pk):
    """The confirmation, with the reference, once the application is sent."""
    application, _ = get_application_for_member(request.user, pk)
    if application.status != moves.SUBMITTED:
        return redirect("grants:application", application.pk)
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": "Application sent",
            "reference": application.reference,
            "next_steps": [
                f"We have emailed your organisation's administrators to say the council has "
                f"your application to represent the {application.community_name}.",
                f"The round closes at {application.round.closes_words}. After that, a panel of "
                "council officers scores the applications against the criteria, and the "
                "council decides which organisation will represent each community.",
                "You will be told the outcome, with your scores and the assessors' comments.",
            ],
            "links": [
                ("See your application", reverse("grants:application", args=[application.pk])),
                ("See all your grant applications", reverse("grants:my_applications")),
                ("Go to your organisation's home page", reverse("organisation_home")),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    """Withdraw a draft or a sent application, with the reason."""
    application = get_application_for_change(request.user, pk)
    move = moves.application_move("withdraw", application.status)
    form = ReasonForm(
        submitted(request),
        label="Why are you withdrawing the application?",
        required_message="Enter why you are withdrawing the application",
    )
    if request.method == "POST" and move and form.is_valid():
        try:
            withdraw_application(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request,
                f"Your application for the {application.community_name} has been withdrawn",
            )
            return redirect("grants:my_applications")
    return render(
        request,
        "grants/application_withdraw.html",
        {
            "application": application,
            "form": form,
            "move": move,
            "decision": application.decisions.filter(
                outcome__in=[DecisionOutcome.OFFERED, DecisionOutcome.ACCEPTED]
            ).first(),
        },
    )
