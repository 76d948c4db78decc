"""The two pages that show an organisation across every app: composed here.

An organisation's home page and the officer's view of it show the profile
(organisations), eligibility and diagnostic progress (diagnostics) and the
allowance (allowances); the officer's view also links to every record of the
organisation, from eligibility to claims, and reads its history in words
(`organisation_records`). Only this wiring layer may import all the apps, so
these views live here and hand the templates everything they show: no template
queries, and no lower app reaching up.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from allowances.services import allowance_summary
from diagnostics.selectors import progress_of
from organisations.permissions import get_organisation_for_staff, get_own_organisation

from .organisation_records import history_of, records_of


@login_required
@require_GET
def organisation_home(request):
    # The membership query already brought the organisation: add its themes to it.
    organisation, membership = get_own_organisation(request.user)
    prefetch_related_objects([organisation], "priority_themes")
    today = timezone.localdate()
    return render(
        request,
        "organisations/organisation_home.html",
        {
            "organisation": organisation,
            "membership": membership,
            "can_edit": membership.is_admin,
            "progress": progress_of(organisation, today),
            "allowance": allowance_summary(organisation, today),
        },
    )


@login_required
@require_GET
def officer_organisation_detail(request, pk):
    organisation = get_organisation_for_staff(request.user, pk)
    return render(
        request,
        "organisations/officer_organisation_detail.html",
        {
            "organisation": organisation,
            "themes": list(organisation.priority_themes.all()),
            "members": list(organisation.memberships.select_related("user")),
            "records": records_of(organisation),
            "history": history_of(organisation),
            "allowance": allowance_summary(organisation, timezone.localdate()),
        },
    )
