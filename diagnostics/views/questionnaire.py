"""Managers: the diagnostic questionnaire, drafted, changed and published as versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from organisations.permissions import require_manager

from ..diagnostic_services import themes_of
from ..models import Diagnostic, Questionnaire, Statement, Theme
from ..questionnaire_forms import StatementForm, ThemeForm
from ..questionnaire_services import (
    QuestionnaireError,
    add_statement,
    change_allowed,
    draft_questionnaire,
    publish_questionnaire,
    remove_statement,
    update_statement,
    update_theme,
)
from .posted import posted_data


def _detail(questionnaire):
    return redirect("diagnostics:questionnaire_detail", questionnaire.pk)


def _refuse_if_fixed(request, questionnaire):
    """A redirect to the version, with the reason, when it may no longer be changed."""
    allowed = change_allowed(questionnaire)
    if allowed:
        return None
    messages.error(request, allowed.reason)
    return _detail(questionnaire)


@login_required
@require_http_methods(["GET"])
def questionnaire_versions(request):
    require_manager(request.user)
    versions = list(Questionnaire.objects.order_by("-number"))
    used = dict(Diagnostic.objects.values_list("questionnaire").annotate(n=Count("id")).order_by())
    rows = [(version, used.get(version.pk, 0)) for version in versions]
    has_draft = any(not version.is_published for version in versions)
    return render(
        request,
        "diagnostics/questionnaire_versions.html",
        {"rows": rows, "has_draft": has_draft},
    )


@login_required
@require_POST
def questionnaire_draft(request):
    require_manager(request.user)
    draft = draft_questionnaire(by=request.user)
    messages.success(request, f"Version {draft.number} is a draft: change it, then publish it")
    return _detail(draft)


@login_required
@require_http_methods(["GET"])
def questionnaire_detail(request, pk):
    require_manager(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    allowed = change_allowed(questionnaire)
    return render(
        request,
        "diagnostics/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "themes": themes_of(questionnaire),
            "can_change": bool(allowed),
            "why_fixed": allowed.reason,
        },
    )


@login_required
@require_POST
def questionnaire_publish(request, pk):
    require_manager(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    try:
        publish_questionnaire(questionnaire=questionnaire, by=request.user)
    except QuestionnaireError as exc:
        messages.error(request, exc.reason)
        return _detail(questionnaire)
    messages.success(
        request, f"Version {questionnaire.number} is published: new diagnostics start on it"
    )
    return redirect("diagnostics:questionnaire_versions")


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_theme_edit(request, pk):
    require_manager(request.user)
    theme = get_object_or_404(Theme.objects.select_related("questionnaire"), pk=pk)
    if request.method == "GET" and (refused := _refuse_if_fixed(request, theme.questionnaire)):
        return refused
    title = f"Change {theme.name}"  # before the form copies what was typed onto the theme
    form = ThemeForm(posted_data(request), instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            update_theme(
                theme=theme,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                packages=form.cleaned_data["packages"],
            )
        except QuestionnaireError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{form.cleaned_data['name']} has been changed")
            return _detail(theme.questionnaire)
    return render(
        request,
        "diagnostics/questionnaire_form.html",
        {"form": form, "questionnaire": theme.questionnaire, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_statement_add(request, pk):
    require_manager(request.user)
    theme = get_object_or_404(Theme.objects.select_related("questionnaire"), pk=pk)
    if request.method == "GET" and (refused := _refuse_if_fixed(request, theme.questionnaire)):
        return refused
    form = StatementForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            add_statement(theme=theme, by=request.user, **form.cleaned_data)
        except QuestionnaireError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"The statement has been added to {theme.name}")
            return _detail(theme.questionnaire)
    return render(
        request,
        "diagnostics/questionnaire_form.html",
        {
            "form": form,
            "questionnaire": theme.questionnaire,
            "title": f"Add a statement to {theme.name}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_statement_edit(request, pk):
    require_manager(request.user)
    statement = get_object_or_404(Statement.objects.select_related("theme__questionnaire"), pk=pk)
    questionnaire = statement.theme.questionnaire
    if request.method == "GET" and (refused := _refuse_if_fixed(request, questionnaire)):
        return refused
    form = StatementForm(posted_data(request), instance=statement)
    if request.method == "POST" and form.is_valid():
        try:
            update_statement(statement=statement, by=request.user, **form.cleaned_data)
        except QuestionnaireError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "The statement has been changed")
            return _detail(questionnaire)
    return render(
        request,
        "diagnostics/questionnaire_form.html",
        {
            "form": form,
            "questionnaire": questionnaire,
            "title": f"Change a statement in {statement.theme.name}",
        },
    )


@login_required
@require_POST
def questionnaire_statement_remove(request, pk):
    require_manager(request.user)
    statement = get_object_or_404(Statement.objects.select_related("theme__questionnaire"), pk=pk)
    try:
        remove_statement(statement=statement, by=request.user)
    except QuestionnaireError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"“{statement.text}” has been removed")
    return _detail(statement.theme.questionnaire)
