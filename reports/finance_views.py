"""Exports for the council's finance system."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from delivery.selectors import approved_claims_for_finance

from .exports import csv_response
from .permissions import require_staff

CLAIMS_HEADER = [
    "Reference",
    "Provider",
    "Registration number",
    "Package",
    "Organisation",
    "Amount",
    "Approved on",
    "Approved by",
    # Added last, so a finance import that reads columns by position keeps working.
    # Blank for claims sent before providers were asked for it.
    "Invoice reference",
]


@login_required
@require_GET
def claims_csv(request):
    """Approved claims, one row per claim, oldest approval first: for officers and managers."""
    require_staff(request.user)
    rows = (
        (
            c.reference,
            c.provider.name,
            c.provider.charity_number or c.provider.company_number or "",
            c.agreed_package.package.name,
            c.agreed_package.organisation.name,
            c.amount_paid,
            timezone.localdate(c.decided_at),  # the London day, as finance dates it
            c.decided_by.full_name or c.decided_by.email,
            c.invoice_reference,
        )
        for c in approved_claims_for_finance().iterator(chunk_size=500)
    )
    return csv_response("approved-claims", CLAIMS_HEADER, rows)
