"""The provider's pages: its requests, answering them, delivering, replying and claiming.

The cast comes from tests/delivery/conftest.py: organisation A's package
(`agreed`) and `journey`, which walks it forward through the real services.
Every page is fetched through `get_request_for_provider`, so another provider,
an organisation, council staff and the public get 404.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from allowances.models import AgreedStatus
from allowances.services import transition
from delivery.models import Claim, DeliverySession, ProviderRequest, Rating, RequestStatus
from delivery.selectors import delivery_deadline
from notifications.deadlines import PROVIDER_RESPOND, deadline

from ..conftest import assert_constant_queries, client_for
from ..factories import PDF_BYTES, AgreedPackageFactory, MembershipFactory

PROVIDER_PAGES = ["accept", "decline", "log_session", "mark_delivered", "reply", "claim"]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, pk=None):
    return reverse(f"delivery:{name}", args=[pk] if pk is not None else None)


def day_month_year(prefix, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def error_summary(response) -> str:
    """The text of the page's error summary (empty when it has none)."""
    html = response.content.decode()
    start = html.find('class="govuk-error-summary"')
    if start == -1:
        return ""
    return html[start : html.find("</ul>", start)]


def requested_from_new_organisation(provider, user, **agreed_kwargs) -> ProviderRequest:
    """A pending request to `provider` from an organisation of its own (a new one each time,
    so the caps never get in the way). Made directly: these tests are about the pages."""
    admin = MembershipFactory()
    agreed = AgreedPackageFactory(organisation=admin.organisation, **agreed_kwargs)
    agreed = transition(agreed, AgreedStatus.PROVIDER_REQUESTED, by=admin.user, action="test")
    return ProviderRequest.objects.create(
        agreed_package=agreed, provider=provider, message="Please help.", requested_by=admin.user
    )


def session_post(**overrides) -> dict:
    today = timezone.localdate()
    return {
        **day_month_year("held_on", today),
        "hours": "2.5",
        "mode": "online",
        "topics": "Budgets and cash flow.",
        "attendees": "The treasurer and two trustees.",
        "notes": "",
        **overrides,
    }


# ------------------------------------------------------------------ the list


def test_the_list_groups_requests_and_gives_the_date_to_answer_by(journey, provider_user):
    request = journey.requested()
    response = client_for(provider_user).get(url("provider_requests"))
    assert response.status_code == 200
    respond_by = deadline(PROVIDER_RESPOND).due_on(timezone.localdate(request.requested_at))
    html = response.content.decode()
    assert "New requests waiting for your answer" in html
    assert f"Answer by {respond_by:%-d %B %Y}" in html
    assert "Organisation A" in html
    assert url("provider_request", request.pk) in html


def test_the_provider_finds_its_requests_from_home_and_the_navigation(provider_user):
    home = client_for(provider_user).get(reverse("providers:home")).content.decode()
    assert home.count(f'href="{url("provider_requests")}"') == 2  # navigation and the page


def test_organisations_do_not_get_the_requests_link(world):
    html = client_for(world.org_a_admin).get(reverse("organisation_home")).content.decode()
    assert url("provider_requests") not in html


def test_requests_move_between_groups_as_the_work_goes_on(journey, provider_user):
    journey.in_delivery()
    html = client_for(provider_user).get(url("provider_requests")).content.decode()
    assert "Accepted or being delivered" in html
    assert "1 session logged" in html
    assert "New requests waiting" not in html
    journey.confirmed()
    html = client_for(provider_user).get(url("provider_requests")).content.decode()
    assert "Confirmed, claimed or paid" in html
    assert "Accepted or being delivered" not in html


def test_a_declined_request_is_listed_with_the_closed_ones(journey, provider_user):
    request = journey.requested()
    client_for(provider_user).post(url("decline", request.pk), {"reason": "We are full."})
    html = client_for(provider_user).get(url("provider_requests")).content.decode()
    assert "Declined, withdrawn or cancelled" in html


def test_the_list_never_shows_another_providers_requests(journey, other_provider_user):
    journey.requested()
    response = client_for(other_provider_user).get(url("provider_requests"))
    assert response.status_code == 200
    assert "Organisation A" not in response.content.decode()
    assert "No organisation has sent you a request yet" in response.content.decode()


def test_the_list_is_paginated(world, provider, provider_user):
    for _ in range(26):
        requested_from_new_organisation(provider, provider_user)
    html = client_for(provider_user).get(url("provider_requests")).content.decode()
    assert "Page 1 of 2" in html
    assert "26 new requests are waiting for your answer" in html


def test_the_list_runs_the_same_queries_at_1_and_20_requests(world, provider, provider_user):
    client = client_for(provider_user)

    def make_rows(n):
        for _ in range(n):
            request = requested_from_new_organisation(provider, provider_user)
            # A mix of groups, so each row's state is read from the one query.
            if request.pk % 2:
                ProviderRequest.objects.filter(pk=request.pk).update(
                    status=RequestStatus.WITHDRAWN, responded_at=timezone.now()
                )

    count = assert_constant_queries(
        make_rows, lambda: client.get(url("provider_requests")), small=1, large=20
    )
    # session, user, the person's provider, the page's count, the page's rows (with the
    # organisation, package and session count joined), the respond-by deadline, the
    # managers' one-off days off (it counts working days), the count of requests
    # waiting for an answer, the navigation's "acts for a provider?".
    assert count == 9


def test_the_detail_runs_a_fixed_number_of_queries(
    journey, provider_user, django_assert_num_queries
):
    request = journey.confirmed().request
    client = client_for(provider_user)
    client.get(url("provider_request", request.pk))
    # session, user, the request (with organisation, package, provider and rating
    # joined), the delivery deadline, sessions, disputes, claims, the navigation's
    # "acts for a provider?".
    with django_assert_num_queries(8):
        assert client.get(url("provider_request", request.pk)).status_code == 200


# ------------------------------------------------------------------ the detail in each state


def test_a_new_request_shows_who_sent_it_and_the_answer_buttons(journey, provider_user, agreed):
    request = journey.requested(message="We need help with our governance review.")
    html = client_for(provider_user).get(url("provider_request", request.pk)).content.decode()
    organisation = agreed.organisation
    for text in (
        organisation.name,
        organisation.contact_name,
        organisation.contact_email,
        agreed.package.name,
        "£2,000.00",
        "We need help with our governance review.",
        url("accept", request.pk),
        url("decline", request.pk),
    ):
        assert escape(str(text)) in html, text  # names may hold an apostrophe
    assert url("log_session", request.pk) not in html


def test_an_accepted_request_shows_its_dates_and_log_a_session(journey, provider_user):
    request = journey.accepted()
    html = client_for(provider_user).get(url("provider_request", request.pk)).content.decode()
    assert f"{request.planned_start:%-d %B %Y} to {request.planned_end:%-d %B %Y}" in html
    assert url("log_session", request.pk) in html
    assert url("mark_delivered", request.pk) not in html
    assert url("accept", request.pk) not in html


def test_in_delivery_shows_the_sessions_with_their_attachments(journey, provider_user, agreed):
    request = journey.accepted()
    client = client_for(provider_user)
    client.post(
        url("log_session", request.pk),
        session_post(attachment=SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")),
    )
    session = DeliverySession.objects.get()
    html = client.get(url("provider_request", request.pk)).content.decode()
    assert "Budgets and cash flow." in html
    assert url("session_attachment", session.pk) in html
    assert "Download plan.pdf" in html
    assert url("mark_delivered", request.pk) in html


def test_a_confirmed_request_shows_the_rating_the_reply_link_and_claim(journey, provider_user):
    rating = journey.confirmed(score=5, comment="Brilliant and patient.")
    html = (
        client_for(provider_user).get(url("provider_request", rating.request_id)).content.decode()
    )
    assert "5 out of 5" in html
    assert "Brilliant and patient." in html
    assert url("reply", rating.request_id) in html
    assert url("claim", rating.request_id) in html


def test_a_hidden_comment_is_not_shown_to_the_provider(journey, provider_user, officer):
    from delivery.services import hide_rating_comment

    rating = journey.confirmed(comment="Something abusive.")
    hide_rating_comment(rating, by=officer, reason="Abusive.")
    html = (
        client_for(provider_user).get(url("provider_request", rating.request_id)).content.decode()
    )
    assert "Something abusive." not in html
    assert "A council officer has hidden this comment" in html


def test_a_claimed_request_shows_the_claim_and_its_status(journey, provider_user):
    claim = journey.claimed()
    html = client_for(provider_user).get(url("provider_request", claim.request_id)).content.decode()
    assert claim.reference in html
    assert "Waiting for approval" in html
    assert url("claim", claim.request_id) not in html


def test_a_disputed_request_shows_what_the_organisation_said(journey, provider_user):
    dispute = journey.disputed(reason="Only one of three workshops happened.")
    html = (
        client_for(provider_user).get(url("provider_request", dispute.request_id)).content.decode()
    )
    assert "Only one of three workshops happened." in html
    assert "A council officer will look at it" in html


# ------------------------------------------------------------------ accept and decline


def test_accepting_records_the_planned_dates(journey, provider_user):
    request = journey.requested()
    start = timezone.localdate() + timedelta(days=7)
    end = start + timedelta(days=60)
    response = client_for(provider_user).post(
        url("accept", request.pk),
        {**day_month_year("planned_start", start), **day_month_year("planned_end", end)},
    )
    assert response.status_code == 302
    assert response.url == url("accepted", request.pk)
    request.refresh_from_db()
    assert (request.status, request.planned_start, request.planned_end) == ("accepted", start, end)
    assert journey.status == AgreedStatus.ACCEPTED


@pytest.mark.parametrize(
    "start_days, end_days, message",
    [
        (None, 30, "Enter the planned start date"),
        (-1, 30, "The planned start date must be today or in the future"),
        (10, 5, "The planned end date must be the same as or after {start}, the planned start"),
        (0, 400, "The planned end date must be the same as or before {latest}, the last day"),
    ],
)
def test_accepting_with_bad_dates_says_which_and_keeps_them(
    journey, provider_user, start_days, end_days, message
):
    request = journey.requested()
    today = timezone.localdate()
    data = day_month_year("planned_end", today + timedelta(days=end_days))
    if start_days is not None:
        data |= day_month_year("planned_start", today + timedelta(days=start_days))
    response = client_for(provider_user).post(url("accept", request.pk), data)
    assert response.status_code == 200
    start = today + timedelta(days=start_days or 0)
    latest = delivery_deadline(request.agreed_package)
    message = message.format(start=f"{start:%-d %B %Y}", latest=f"{latest:%-d %B %Y}")
    assert message in error_summary(response)
    end = today + timedelta(days=end_days)
    assert f'value="{end.year}"' in response.content.decode()
    assert ProviderRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


def test_a_date_that_is_not_real_gets_the_real_date_message(journey, provider_user):
    request = journey.requested()
    response = client_for(provider_user).post(
        url("accept", request.pk),
        {
            "planned_start_0": "31",
            "planned_start_1": "2",
            "planned_start_2": "2030",
            **day_month_year("planned_end", timezone.localdate()),
        },
    )
    assert "The planned start date must be a real date" in error_summary(response)


def test_accepting_twice_changes_nothing_and_says_why(journey, provider_user):
    request = journey.requested()
    client = client_for(provider_user)
    start = timezone.localdate()
    data = {**day_month_year("planned_start", start), **day_month_year("planned_end", start)}
    client.post(url("accept", request.pk), data)
    response = client.post(url("accept", request.pk), data, follow=True)
    assert "You have already accepted this request." in response.content.decode()
    assert ProviderRequest.objects.filter(agreed_package=request.agreed_package).count() == 1


def test_declining_needs_a_reason_and_then_records_it(journey, provider_user):
    request = journey.requested()
    client = client_for(provider_user)
    response = client.post(url("decline", request.pk), {"reason": "  "})
    assert "Enter why you are declining the request" in error_summary(response)
    response = client.post(url("decline", request.pk), {"reason": "We are fully booked."})
    assert response.url == url("provider_requests")
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "We are fully booked.")
    assert journey.status == AgreedStatus.AGREED


def test_a_long_reason_is_refused_and_kept(journey, provider_user):
    request = journey.requested()
    response = client_for(provider_user).post(url("decline", request.pk), {"reason": "x" * 5001})
    assert "Your reason must be 5,000 characters or fewer" in error_summary(response)
    assert "x" * 5001 in response.content.decode()


# ------------------------------------------------------------------ sessions


def test_logging_a_session_starts_delivery(journey, provider_user):
    request = journey.accepted()
    response = client_for(provider_user).post(url("log_session", request.pk), session_post())
    assert response.url == url("provider_request", request.pk)
    session = DeliverySession.objects.get(request=request)
    assert (session.hours, session.mode, session.topics) == (
        Decimal("2.5"),
        "online",
        "Budgets and cash flow.",
    )
    assert journey.status == AgreedStatus.IN_DELIVERY


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"hours": ""}, "Enter how many hours the session lasted"),
        ({"hours": "two"}, "Enter the hours as a number, like 2 or 1.5"),
        ({"hours": "25"}, "The session must be 24 hours or fewer"),
        ({"hours": "0"}, "The session must be at least 0.1 hours"),
        ({"hours": "1.25"}, "Enter the hours to one decimal place, like 1.5"),
        ({"mode": ""}, "Select how the session was delivered"),
        ({"topics": ""}, "Enter the topics the session covered"),
        ({"attendees": ""}, "Enter who attended the session"),
        ({"held_on_0": "", "held_on_1": "", "held_on_2": ""}, "Enter the date of the session"),
        (
            day_month_year("held_on", timezone.localdate() + timedelta(days=1)),
            "The date of the session must be today or in the past",
        ),
        (
            day_month_year("held_on", timezone.localdate() - timedelta(days=3)),
            "The date of the session must be on or after",
        ),
    ],
)
def test_a_bad_session_says_what_is_wrong_and_keeps_what_was_typed(
    journey, provider_user, overrides, message
):
    request = journey.accepted()
    data = session_post(**{"topics": "Reserves policy", "attendees": "The chair", **overrides})
    response = client_for(provider_user).post(url("log_session", request.pk), data)
    assert response.status_code == 200
    assert message in error_summary(response)
    html = response.content.decode()
    for field in ("topics", "attendees"):
        if data[field]:
            assert data[field] in html
    assert not DeliverySession.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("plan.exe", b"MZ...", "The selected file must be a PDF, PNG, JPEG or DOCX"),
        ("plan.pdf", b"<html></html>", "The selected file is not a real PDF file"),
    ],
)
def test_a_bad_attachment_is_refused_with_the_evidence_rules(
    journey, provider_user, name, content, message
):
    request = journey.accepted()
    response = client_for(provider_user).post(
        url("log_session", request.pk),
        session_post(attachment=SimpleUploadedFile(name, content, "application/octet-stream")),
    )
    assert message in error_summary(response)
    assert "Budgets and cash flow." in response.content.decode()
    assert "If you want to attach the file, choose it again." in response.content.decode()
    assert not DeliverySession.objects.exists()


def test_a_double_submitted_session_is_logged_once(journey, provider_user):
    request = journey.accepted()
    client = client_for(provider_user)
    client.post(url("log_session", request.pk), session_post())
    response = client.post(url("log_session", request.pk), session_post())
    assert "You have already logged this session" in error_summary(response)
    assert DeliverySession.objects.filter(request=request).count() == 1


def test_a_second_different_session_the_same_day_is_logged(journey, provider_user):
    request = journey.accepted()
    client = client_for(provider_user)
    client.post(url("log_session", request.pk), session_post())
    client.post(url("log_session", request.pk), session_post(notes="The afternoon workshop."))
    assert DeliverySession.objects.filter(request=request).count() == 2


def test_sessions_cannot_be_logged_on_a_request_not_accepted(journey, provider_user):
    request = journey.requested()
    response = client_for(provider_user).post(
        url("log_session", request.pk), session_post(), follow=True
    )
    assert "so delivery cannot be logged on it" in response.content.decode()
    assert not DeliverySession.objects.exists()


# ------------------------------------------------------------------ delivered, reply, claim


def test_marking_delivered_records_the_outcome(journey, provider_user):
    request = journey.in_delivery().request
    client = client_for(provider_user)
    response = client.post(url("mark_delivered", request.pk), {"outcome_summary": ""})
    assert "Enter a summary of what the support achieved" in error_summary(response)
    response = client.post(
        url("mark_delivered", request.pk), {"outcome_summary": "A finance policy adopted."}
    )
    assert response.url == url("marked_delivered", request.pk)
    assert journey.status == AgreedStatus.DELIVERED
    request.refresh_from_db()
    assert request.outcome_summary == "A finance policy adopted."
    again = client.post(
        url("mark_delivered", request.pk), {"outcome_summary": "Again."}, follow=True
    )
    assert "so it cannot be marked as delivered now" in again.content.decode()
    request.refresh_from_db()
    assert request.outcome_summary == "A finance policy adopted."


def test_mark_delivered_needs_a_session_first(journey, provider_user):
    request = journey.accepted()
    response = client_for(provider_user).get(url("mark_delivered", request.pk), follow=True)
    assert "You can mark the work delivered once you have logged a session" in (
        response.content.decode()
    )


def test_the_provider_replies_to_a_rating_once(journey, provider_user):
    rating = journey.confirmed()
    client = client_for(provider_user)
    response = client.post(url("reply", rating.request_id), {"reply": ""})
    assert "Enter your reply" in error_summary(response)
    client.post(url("reply", rating.request_id), {"reply": "Thank you, it was a pleasure."})
    response = client.post(url("reply", rating.request_id), {"reply": "Again!"}, follow=True)
    assert "You have already replied to this rating" in response.content.decode()
    assert Rating.objects.get(pk=rating.pk).reply == "Thank you, it was a pleasure."


def test_there_is_no_reply_before_a_rating(journey, provider_user):
    request = journey.delivered()
    response = client_for(provider_user).get(url("reply", request.pk), follow=True)
    assert "There is no rating to reply to yet." in response.content.decode()


def test_the_claim_form_starts_at_the_agreed_value(journey, provider_user):
    request = journey.confirmed().request
    response = client_for(provider_user).get(url("claim", request.pk))
    assert 'value="2000.00"' in response.content.decode()


def test_claiming_the_agreed_value_submits_a_claim(journey, provider_user):
    request = journey.confirmed().request
    response = client_for(provider_user).post(
        url("claim", request.pk), {"amount": "£2,000", "invoice_reference": " FC/2026/17 "}
    )
    claim = Claim.objects.get()
    assert response.url == url("claim_sent", claim.pk)
    assert (claim.amount, claim.status) == (Decimal("2000.00"), "submitted")
    assert claim.invoice_reference == "FC/2026/17"
    assert journey.status == AgreedStatus.CLAIMED


@pytest.mark.parametrize(
    "data, message",
    [
        ({"amount": ""}, "Enter the amount you are claiming"),
        ({"amount": "lots"}, "Enter the amount you are claiming in pounds and pence"),
        # Full-width digits: Decimal() reads "１０" as 10, which nobody typed as pounds.
        ({"amount": "１０"}, "Enter the amount you are claiming in pounds and pence"),
        ({"amount": "2000.001"}, "Enter the amount you are claiming to the nearest penny"),
        ({"amount": "0"}, "The amount you are claiming must be at least £0.01"),
        (
            {"amount": "2500"},
            "The amount you are claiming must be no more than £2,000.00, the value agreed",
        ),
        ({"amount": "1500"}, "Enter a note saying why you are claiming less than the £2,000.00"),
    ],
)
def test_a_bad_claim_says_why_and_keeps_what_was_typed(journey, provider_user, data, message):
    request = journey.confirmed().request
    response = client_for(provider_user).post(
        url("claim", request.pk), {**data, "invoice_reference": "INV-88"}
    )
    assert response.status_code == 200
    assert message in error_summary(response)
    if data["amount"]:
        assert f'value="{data["amount"]}"' in response.content.decode()
    assert 'value="INV-88"' in response.content.decode()
    assert not Claim.objects.exists()


def test_claiming_less_with_a_note_is_accepted(journey, provider_user):
    request = journey.confirmed().request
    client_for(provider_user).post(
        url("claim", request.pk),
        {"amount": "1500", "note": "One workshop was not needed.", "invoice_reference": "INV-9"},
    )
    assert Claim.objects.get().amount == Decimal("1500.00")


def test_a_double_submitted_claim_makes_one_claim(journey, provider_user):
    request = journey.confirmed().request
    client = client_for(provider_user)
    data = {"amount": "2000", "invoice_reference": "INV-9"}
    client.post(url("claim", request.pk), data)
    response = client.post(url("claim", request.pk), data, follow=True)
    assert "so payment cannot be claimed now" in response.content.decode()
    assert Claim.objects.count() == 1


# ------------------------------------------------------------------ who may see what


@pytest.mark.parametrize("name", ["provider_request", *PROVIDER_PAGES])
def test_another_provider_gets_404_for_every_page_of_a_request(journey, other_provider_user, name):
    request = journey.confirmed().request
    client = client_for(other_provider_user)
    assert client.get(url(name, request.pk)).status_code == 404
    if name != "provider_request":  # the detail is GET only
        assert client.post(url(name, request.pk), {}).status_code == 404


@pytest.mark.parametrize("role", ["org_a", "org_b", "officer", "manager"])
@pytest.mark.parametrize("name", ["provider_requests", "provider_request", *PROVIDER_PAGES])
def test_organisations_and_staff_get_404_on_provider_pages(world, journey, role, name):
    request = journey.confirmed().request
    target = url(name) if name == "provider_requests" else url(name, request.pk)
    assert client_for(world.user_for(role)).get(target).status_code == 404


@pytest.mark.parametrize("name", ["provider_requests", "provider_request", *PROVIDER_PAGES])
def test_the_public_is_sent_to_sign_in(journey, name):
    request = journey.requested()
    target = url(name) if name == "provider_requests" else url(name, request.pk)
    response = client_for(None).get(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_provider_cannot_act_on_another_providers_request(journey, other_provider_user):
    request = journey.requested()
    today = timezone.localdate()
    data = {**day_month_year("planned_start", today), **day_month_year("planned_end", today)}
    assert client_for(other_provider_user).post(url("accept", request.pk), data).status_code == 404
    assert ProviderRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


# ------------------------------------------------------------------ attachments


@pytest.fixture
def attachment(journey, provider_user):
    request = journey.accepted()
    client_for(provider_user).post(
        url("log_session", request.pk),
        session_post(
            attachment=SimpleUploadedFile("Workshop plan.pdf", PDF_BYTES, "application/pdf")
        ),
    )
    return DeliverySession.objects.get()


def test_the_attachment_downloads_for_the_provider_the_organisation_and_staff(
    world, attachment, provider_user
):
    target = url("session_attachment", attachment.pk)
    for user in (provider_user, world.org_a_admin, world.org_a_member, world.officer):
        response = client_for(user).get(target)
        assert response.status_code == 200, user
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Workshop plan.pdf" in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_attachment_is_404_for_everyone_else(world, attachment, other_provider_user):
    target = url("session_attachment", attachment.pk)
    for user in (other_provider_user, world.org_b_admin, world.outsider):
        assert client_for(user).get(target).status_code == 404, user
    assert client_for(None).get(target).status_code == 302


def test_a_session_without_an_attachment_has_nothing_to_download(journey, provider_user):
    session = journey.in_delivery()
    assert client_for(provider_user).get(url("session_attachment", session.pk)).status_code == 404
