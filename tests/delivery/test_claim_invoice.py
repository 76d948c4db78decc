"""A claim quotes the provider's invoice reference and may carry the invoice itself.

The reference is required on a new claim; the file is optional, checked and
stored under the evidence upload rules (diagnostics.uploads), and downloaded
only by the claiming provider's people and council staff. Claims sent before
the reference was asked for show "Not given".
"""

import csv
import hashlib
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from delivery import services
from delivery.models import Claim, ClaimInvoice
from delivery.rules import invoice_reference_decision
from diagnostics.uploads import evidence_dir, path_of

from ..conftest import client_for
from ..factories import PDF_BYTES
from .checks import event, snapshot
from .support import invoice_upload

TOO_LONG = "Your invoice reference must be 50 characters or fewer"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def claim_url(request):
    return reverse("delivery:claim", args=[request.pk])


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.find('class="govuk-error-summary"')
    return "" if start == -1 else html[start : html.find("</ul>", start)]


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    "reference, reason",
    [
        ("", "Enter your invoice reference"),
        ("   ", "Enter your invoice reference"),
        ("INV-2026-0001", ""),
        ("A" * 50, ""),
        (" " + "A" * 50 + " ", ""),  # the spaces around it are not counted
        ("A" * 51, TOO_LONG),
    ],
)
def test_the_invoice_reference_rule(reference, reason):
    decision = invoice_reference_decision(reference)
    assert (bool(decision), decision.reason) == (not reason, reason)


# ------------------------------------------------------------------ the form and the service


@pytest.mark.parametrize(
    "reference, message", [("", "Enter your invoice reference"), ("A" * 51, TOO_LONG)]
)
def test_a_claim_needs_an_invoice_reference_and_keeps_what_was_typed(
    journey, provider_user, reference, message
):
    request = journey.confirmed().request
    response = client_for(provider_user).post(
        claim_url(request),
        {"invoice_reference": reference, "amount": "1500", "note": "One workshop fewer."},
    )
    assert response.status_code == 200
    assert message in error_summary(response)
    html = response.content.decode()
    assert 'value="1500"' in html and "One workshop fewer." in html
    assert not Claim.objects.exists()


def test_the_service_refuses_a_claim_without_an_invoice_reference(journey, provider_user):
    journey.confirmed()
    before = snapshot()
    with pytest.raises(services.FieldRefused) as refused:
        services.submit_claim(
            journey.agreed, by=provider_user, amount=journey.agreed.value, invoice_reference=" "
        )
    assert (refused.value.field, refused.value.reason) == (
        "invoice_reference",
        "Enter your invoice reference",
    )
    assert snapshot() == before


def test_a_claim_with_its_invoice_stores_the_file_under_the_evidence_rules(journey, provider_user):
    request = journey.confirmed().request
    response = client_for(provider_user).post(
        claim_url(request),
        {"invoice_reference": "FC-17", "amount": "2000", "invoice": invoice_upload("inv 17.pdf")},
    )
    claim = Claim.objects.get()
    assert response.url == reverse("delivery:claim_sent", args=[claim.pk])
    invoice = claim.invoice
    assert (invoice.original_name, invoice.content_type, invoice.size, invoice.uploaded_by) == (
        "inv 17.pdf",
        "application/pdf",
        len(PDF_BYTES),
        provider_user,
    )
    assert path_of(invoice.stored_name).read_bytes() == PDF_BYTES
    assert invoice.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert event("claim.submitted", claim).data == {
        "amount": "2000",
        "invoice_reference": "FC-17",
        "invoice_sha256": invoice.sha256,
    }


def test_a_claim_without_an_invoice_file_is_sent(journey, provider_user):
    claim = journey.claimed()
    assert claim.invoice_reference == "INV-2026-001"
    assert not ClaimInvoice.objects.exists()


def test_a_refused_invoice_is_shown_beside_the_field_and_nothing_is_claimed(journey, provider_user):
    request = journey.confirmed().request
    response = client_for(provider_user).post(
        claim_url(request),
        {
            "invoice_reference": "FC-18",
            "amount": "2000",
            "invoice": invoice_upload("invoice.pdf", b"not a pdf at all"),
        },
    )
    html = response.content.decode()
    reason = "The selected file is not a real PDF file"
    assert reason in error_summary(response)
    assert 'href="#id_invoice"' in error_summary(response)  # the error belongs to the file
    assert 'value="FC-18"' in html  # what was typed is kept
    assert "If you want to attach your invoice, choose it again." in html
    assert not Claim.objects.exists()
    assert list(evidence_dir().iterdir()) == []  # nothing stored


# ------------------------------------------------------------------ downloading it


def test_the_provider_and_staff_download_the_invoice(world, journey, provider_user):
    claim = journey.claimed(invoice=invoice_upload("march.pdf"))
    url = reverse("delivery:claim_invoice", args=[claim.pk])
    for user in (provider_user, world.officer, world.manager):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="march.pdf"' in response["Content-Disposition"]


def test_nobody_else_sees_the_invoice(world, journey, other_provider_user):
    claim = journey.claimed(invoice=invoice_upload())
    url = reverse("delivery:claim_invoice", args=[claim.pk])
    for user in (other_provider_user, world.org_a_admin, world.org_b_admin, world.outsider):
        assert client_for(user).get(url).status_code == 404, user
    officer = client_for(world.officer, second_factor=False)
    assert officer.get(url).status_code == 302  # sent to give a code first


def test_a_claim_with_no_invoice_has_nothing_to_download(world, journey):
    claim = journey.claimed()
    url = reverse("delivery:claim_invoice", args=[claim.pk])
    assert client_for(world.officer).get(url).status_code == 404


# ------------------------------------------------------------------ what the officer sees


def _sent_before_references(claim):
    """A claim as one sent before providers were asked for an invoice reference."""
    Claim.objects.filter(pk=claim.pk).update(invoice_reference="")


def test_the_officer_sees_the_reference_and_the_invoice_on_the_claim(world, journey):
    claim = journey.claimed(invoice_reference="FC/2026/17", invoice=invoice_upload("a&b.pdf"))
    html = client_for(world.officer).get(reverse("delivery:claim_detail", args=[claim.pk]))
    html = html.content.decode()
    assert "FC/2026/17" in html
    assert reverse("delivery:claim_invoice", args=[claim.pk]) in html
    assert escape("Download the invoice (a&b.pdf)") in html
    queue = client_for(world.officer).get(reverse("delivery:claims")).content.decode()
    assert "Invoice: FC/2026/17" in queue


def test_a_claim_sent_before_references_shows_not_given(world, journey):
    claim = journey.claimed()
    _sent_before_references(claim)
    officer = client_for(world.officer)
    html = officer.get(reverse("delivery:claim_detail", args=[claim.pk])).content.decode()
    assert "Not given" in html and "No invoice attached" in html
    assert reverse("delivery:claim_invoice", args=[claim.pk]) not in html
    assert "Invoice: Not given" in officer.get(reverse("delivery:claims")).content.decode()
    request_page = client_for(journey.provider_user).get(
        reverse("delivery:provider_request", args=[claim.request_id])
    )
    assert "Not given" in request_page.content.decode()


def test_the_claim_page_reads_the_invoice_with_the_claim(world, journey, django_assert_num_queries):
    claim = journey.claimed(invoice=invoice_upload())
    client = client_for(world.officer)
    url = reverse("delivery:claim_detail", args=[claim.pk])
    client.get(url)
    # session, user, "has an authenticator?" (staff two-factor), the claim (with provider,
    # people, package, organisation and invoice joined: no query of its own for the
    # invoice), then the journey: the accepted request, sessions, rating, disputes, claims.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_officers_find_a_claim_by_its_invoice_reference(world, journey):
    claim = journey.claimed(invoice_reference="FC-2026-0099")
    queue = client_for(world.officer).get(
        reverse("delivery:claims"), {"q": "fc-2026-0099", "status": ""}
    )
    assert list(queue.context["page"].object_list) == [claim]
    miss = client_for(world.officer).get(reverse("delivery:claims"), {"q": "FC-2026-009"})
    assert list(miss.context["page"].object_list) == []


# ------------------------------------------------------------------ the finance export


def _finance_rows(officer):
    response = client_for(officer).get(reverse("reports:claims_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text))), text.splitlines()[0]


def test_the_finance_export_carries_the_invoice_reference_last(world, journey):
    claim = journey.paid(invoice_reference="FC/2026/17")
    rows, header = _finance_rows(world.officer)
    assert header.split(",")[-1] == "Invoice reference"  # added last: positions unchanged
    assert [(r["Reference"], r["Invoice reference"]) for r in rows] == [
        (claim.reference, "FC/2026/17")
    ]


def test_the_finance_export_leaves_an_old_claims_reference_blank(world, journey):
    claim = journey.paid()
    _sent_before_references(claim)
    rows, _ = _finance_rows(world.officer)
    assert [(r["Reference"], r["Invoice reference"]) for r in rows] == [(claim.reference, "")]
