"""A volunteer's own data: the record of their volunteering for job applications, what we
hold (to see and download), deleting it, and the privacy notice (public)."""

import csv
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of

from ..models import HourEntry, Interest
from ..permissions import volunteer_for
from ..services import VolunteeringError
from ..volunteer_privacy import data_of, delete_volunteer
from ..volunteer_selectors import record_of
from .volunteer import _profile_first


@login_required
@require_GET
def record(request):
    """The confirmed hours, a page at a time, with the total and a spreadsheet download."""
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    entries = record_of(volunteer)
    return render(
        request,
        "volunteering/volunteer_record.html",
        {
            "page": page_of(request, entries),
            "total": entries.aggregate(total=Sum("hours"))["total"] or 0,
        },
    )


@login_required
@require_GET
def record_csv(request):
    """The record as CSV: date, hours, role, organisation, one row per confirmed entry."""
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-volunteering.csv"'
    writer = csv.writer(response)
    writer.writerow(["Date", "Hours", "Role", "Organisation", "What was done"])
    for entry in record_of(volunteer).iterator(chunk_size=500):
        opportunity = entry.placement.interest.opportunity
        writer.writerow(
            [
                entry.on.isoformat(),
                entry.hours,
                _cell(opportunity.title),
                _cell(opportunity.organisation.name),
                _cell(entry.note),
            ]
        )
    return response


def _cell(text: str) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def my_data(request):
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    return render(
        request,
        "volunteering/volunteer_data.html",
        {
            "data": data_of(volunteer, history=False),
            "volunteer": volunteer,
            "interests": Interest.objects.filter(volunteer=volunteer).count(),
            "entries": HourEntry.objects.filter(placement__interest__volunteer=volunteer).count(),
        },
    )


@login_required
@require_GET
def my_data_json(request):
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    response = HttpResponse(
        json.dumps(data_of(volunteer), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-volunteer-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    """Ask once, then delete: the volunteer's data goes, the statistics stay."""
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        messages.info(request, _("You have no volunteer data to delete."))
        return redirect("start")
    if request.method == "POST":
        try:
            delete_volunteer(volunteer=volunteer, by=request.user)
        except VolunteeringError as exc:
            messages.error(request, exc.reason)
            return redirect("volunteering:volunteer_data")
        request.user.refresh_from_db()
        if not request.user.is_active:  # the account served only volunteering: it went too
            logout(request)
        messages.success(request, _("Your volunteer data has been deleted."))
        return redirect("start")
    return render(request, "volunteering/volunteer_delete.html", {"volunteer": volunteer})


@require_GET
def privacy(request):
    return render(request, "volunteering/volunteer_privacy.html")
