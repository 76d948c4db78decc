"""The confirmation pages after sending a claim (provider) and approving it (officer).

Each POST redirects to its own GET page, so a refresh sends nothing again; the
page shows the claim's reference, what happens next (with the managers' review
deadline where there is one) and where to go now.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import Claim
from diagnostics.rules import long_date
from notifications.deadlines import OFFICER_REVIEW, change_deadline, deadline
from notifications.models import Deadline
from notifications.rules import WORKING_DAYS, Period

from ..conftest import client_for


def sent_url(claim):
    return reverse("delivery:claim_sent", args=[claim.pk])


def approved_url(claim):
    return reverse("delivery:claim_approved", args=[claim.pk])


def panel(html: str) -> str:
    start = html.index('class="govuk-panel govuk-panel--confirmation"')
    return html[start : html.index("</div>\n", html.index("govuk-panel__body", start))]


# ------------------------------------------------------------------ sending a claim


def test_sending_a_claim_lands_on_its_confirmation(journey, provider_user):
    request = journey.confirmed().request
    response = client_for(provider_user).post(
        reverse("delivery:claim", args=[request.pk]),
        {"invoice_reference": "FC-17", "amount": "2000"},
        follow=True,
    )
    claim = Claim.objects.get()
    assert response.redirect_chain == [(sent_url(claim), 302)]
    html = response.content.decode()
    assert "Payment claim sent" in panel(html) and claim.reference in panel(html)
    decide_by = deadline(OFFICER_REVIEW).due_on(timezone.localdate())
    assert "What happens next" in html
    assert (
        "A council officer will check your claim and decide it within 10 working days of "
        f"receiving it, by {long_date(decide_by)}." in html
    )
    assert "with your invoice FC-17" in html
    assert reverse("delivery:provider_request", args=[request.pk]) in html
    assert reverse("delivery:provider_requests") in html


def test_the_timescale_is_the_one_managers_set(journey, provider_user, manager):
    change_deadline(
        Deadline.objects.get(code=OFFICER_REVIEW), by=manager, period=Period(5, WORKING_DAYS)
    )
    claim = journey.claimed()
    html = client_for(provider_user).get(sent_url(claim)).content.decode()
    decide_by = deadline(OFFICER_REVIEW).due_on(timezone.localdate())
    assert f"within 5 working days of receiving it, by {long_date(decide_by)}." in html


def test_a_claim_waiting_past_the_deadline_says_so(journey, provider_user):
    claim = journey.claimed()
    Claim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - timedelta(days=60))
    html = client_for(provider_user).get(sent_url(claim)).content.decode()
    assert "A council officer should have decided your claim by" in html
    assert "will check your claim" not in html


def test_once_decided_the_sent_page_shows_the_request(journey, provider_user):
    claim = journey.paid()
    response = client_for(provider_user).get(sent_url(claim))
    assert response.url == reverse("delivery:provider_request", args=[claim.request_id])


@pytest.mark.parametrize("who", ["other_provider_user", "org_admin", "officer"])
def test_only_the_claiming_provider_sees_the_sent_page(journey, request, who):
    claim = journey.claimed()
    user = request.getfixturevalue(who)
    assert client_for(user).get(sent_url(claim)).status_code == 404


def test_the_sent_page_runs_a_fixed_number_of_queries(
    journey, provider_user, django_assert_num_queries
):
    claim = journey.claimed()
    client = client_for(provider_user)
    client.get(sent_url(claim))
    # session, user, the claim (with provider, package and organisation joined, through
    # the person's membership), the review deadline, the managers' one-off days off (it
    # counts working days), the navigation's "acts for a provider?".
    with django_assert_num_queries(6):
        assert client.get(sent_url(claim)).status_code == 200


# ------------------------------------------------------------------ approving a claim


def test_approving_a_claim_lands_on_its_confirmation(journey, officer, provider):
    claim = journey.claimed(invoice_reference="FC-17")
    response = client_for(officer).post(
        reverse("delivery:approve_claim", args=[claim.pk]),
        {"amount": str(claim.amount)},
        follow=True,
    )
    assert response.redirect_chain == [(approved_url(claim), 302)]
    html = response.content.decode()
    assert "Claim approved" in panel(html) and claim.reference in panel(html)
    assert "What happens next" in html
    assert f"The payment of £2,000.00 to {provider.name} is recorded as spend" in html
    assert "quoting the provider&#x27;s invoice FC-17" in html
    assert reverse("delivery:claims") in html and reverse("reports:claims_csv") in html


def test_an_old_claim_approved_says_it_has_no_invoice_reference(journey, officer):
    claim = journey.paid()
    Claim.objects.filter(pk=claim.pk).update(invoice_reference="")
    html = client_for(officer).get(approved_url(claim)).content.decode()
    assert "with no invoice reference" in html


def test_a_claim_not_approved_shows_its_own_page(journey, officer):
    claim = journey.claimed()
    response = client_for(officer).get(approved_url(claim))
    assert response.url == reverse("delivery:claim_detail", args=[claim.pk])


@pytest.mark.parametrize("who", ["provider_user", "org_admin"])
def test_only_staff_see_the_approved_page(journey, request, who):
    claim = journey.paid()
    user = request.getfixturevalue(who)
    assert client_for(user).get(approved_url(claim)).status_code == 404


def test_the_approved_page_runs_a_fixed_number_of_queries(
    journey, officer, django_assert_num_queries
):
    claim = journey.paid()
    client = client_for(officer)
    client.get(approved_url(claim))
    # session, user, "has an authenticator?" (staff two-factor), the claim (with provider,
    # people, package, organisation and invoice joined).
    with django_assert_num_queries(4):
        assert client.get(approved_url(claim)).status_code == 200
