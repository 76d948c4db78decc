"""The manager's working-days pages: the bank holidays deadlines skip, and one-off days off.

Wired here for the same reason as deadline_pages: the days off live in
`notifications`, which may not import the GOV.UK form base from
`organisations`. The rules are in notifications.working_days; these views
only ask and show.
"""

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, F, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from govuk.forms import GovukDateField, GovukForm
from notifications.models import NonWorkingDay
from notifications.working_days import (
    DayOffRefused,
    add_non_working_day,
    can_remove,
    coming_bank_holidays,
    remove_non_working_day,
)
from organisations.permissions import require_manager
from packages.forms import submitted

PAGE_SIZE = 20


class NonWorkingDayForm(GovukForm):
    required_messages = {"name": "Enter what the day is called"}

    date = GovukDateField(
        what="the date",
        label="Date",
        hint="A weekday that is not already a bank holiday. For example, {example}",
        # So that a box left empty is named: "The date must include a month".
        require_all_fields=False,
    )
    name = forms.CharField(
        label="What is the day called?",
        help_text="For example, The King's jubilee, or Council offices closed",
        max_length=100,
        error_messages={"max_length": "What the day is called must be 100 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for box, part in zip(self.fields["date"].fields, ("day", "month", "year"), strict=True):
            box.error_messages["incomplete"] = f"The date must include a {part}"
        self.helper.layout = Layout(Field("date"), Field.text("name"))


@login_required
@require_GET
def working_days(request):
    require_manager(request.user)
    today = timezone.localdate()
    # Days still to come first, soonest first; then those gone by, latest first.
    added = NonWorkingDay.objects.select_related("created_by").order_by(
        Case(When(date__gte=today, then=F("date"))).asc(nulls_last=True), "-date"
    )
    page = Paginator(added, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.can_remove = can_remove(row, today)
    return render(
        request,
        "pages/working_days.html",
        {"bank_holidays": coming_bank_holidays(today), "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def working_day_add(request):
    require_manager(request.user)
    form = NonWorkingDayForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            row = add_non_working_day(
                day=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
                by=request.user,
                today=timezone.localdate(),
            )
        except DayOffRefused as exc:
            form.add_error("date", exc.reason)
        else:
            messages.success(
                request,
                f"{row.date:%-d %B %Y} ({row.name}) is no longer a working day. "
                "Deadlines skip it from now on.",
            )
            return redirect("working_days")
    return render(request, "pages/working_day_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def working_day_remove(request, pk):
    require_manager(request.user)
    row = get_object_or_404(NonWorkingDay, pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            remove_non_working_day(row, by=request.user, today=today)
        except DayOffRefused as exc:
            messages.error(request, exc.reason)
        else:
            messages.success(request, f"{row.date:%-d %B %Y} ({row.name}) is a working day again.")
        return redirect("working_days")
    return render(
        request,
        "pages/working_day_remove.html",
        {"row": row, "can_remove": can_remove(row, today)},
    )
