"""Concerns through the pages: raising without an account, the emailed link, the
representative's response, the officers' queue and decision; who may see what."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from grants.models import Concern
from notifications.models import Notification

from ..conftest import assert_constant_queries, client_for, count_queries
from .concern_support import REASONS, RESPONSE, WHAT_HAPPENED, awarded, confirmed, raised, responded

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def decision(world):
    return awarded(world.manager, world.org_a_admin)


def raise_url(decision):
    return reverse("grants:concern_raise", args=[decision.pk])


FORM = {"what_happened": WHAT_HAPPENED, "name": "Priya Shah", "email": "priya@example.org"}


# --------------------------------------------------------------- raising, without an account


def test_the_form_says_the_organisation_will_not_see_who_raised_it(decision):
    page = text(client_for(None).get(raise_url(decision)))
    assert "Raise a concern about Organisation A" in page
    assert "The organisation sees what you write here and the reference, but not your name" in (
        page
    )
    assert "You can enter up to 500 words" in page


EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        (
            {"what_happened": "", "email": ""},
            ["Describe what happened", "Enter your email address"],
        ),
        ({"email": "priya.example.org"}, [EMAIL_FORMAT]),
        ({"what_happened": "word " * 501}, ["What happened must be 500 words or fewer"]),
    ],
)
def test_bad_input_gets_govuk_errors_keeps_what_was_typed_and_saves_nothing(
    decision, change, messages
):
    response = client_for(None).post(raise_url(decision), {**FORM, **change})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "<title>Error: " in html
    for message in messages:
        assert message in text(response)
    assert "Priya Shah" in html  # nothing typed is lost
    if change.get("email") != "":
        assert unescape(html).count(change.get("email", FORM["email"])) >= 1
    assert not Concern.objects.exists()


def test_sending_saves_it_unconfirmed_and_says_check_your_email(decision):
    client = client_for(None)
    response = client.post(raise_url(decision), FORM)
    assert response.status_code == 302
    assert response.url == reverse("grants:concern_sent", args=[decision.pk])
    page = text(client.get(response.url))
    assert "Check your email" in page and "priya@example.org" in page
    concern = Concern.objects.get()
    assert concern.status == "unconfirmed"
    assert Notification.objects.filter(
        recipient="priya@example.org", subject__startswith="Confirm your concern"
    ).exists()


def test_a_fourth_concern_in_a_day_from_one_address_reads_as_sent_but_is_not(decision):
    client = client_for(None)
    for _ in range(3):
        assert client.post(raise_url(decision), FORM).status_code == 302
    response = client.post(raise_url(decision), FORM)
    # The same "check your email" as ever: nothing says the address was used before.
    assert response.status_code == 302
    assert "Check your email" in text(client.get(response.url))
    assert Concern.objects.count() == 3


def test_an_eleventh_concern_from_one_network_is_refused_with_429_and_kept(decision):
    client = client_for(None)
    for n in range(10):
        data = {**FORM, "email": f"person{n}@example.org"}
        assert client.post(raise_url(decision), data).status_code == 302
    response = client.post(raise_url(decision), {**FORM, "email": "another@example.org"})
    assert response.status_code == 429
    page = text(response)
    assert "from your network in the last hour" in page
    assert WHAT_HAPPENED in page  # kept, to send later
    assert Concern.objects.count() == 10


# --------------------------------------------------------------- the link in the email


def confirm_url(token):
    return reverse("grants:concern_confirm", args=[token])


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(decision):
    concern, token = raised(decision)
    client = client_for(None)
    page = text(client.get(confirm_url(token)))
    assert "Confirm and send my concern" in page
    concern.refresh_from_db()
    assert concern.status == "unconfirmed"  # a mail scanner opening the link did nothing
    response = client.post(confirm_url(token))
    assert response.status_code == 302 and response.url == confirm_url(token)
    concern.refresh_from_db()
    assert concern.status == "awaiting_response"
    page = text(client.get(confirm_url(token)))
    assert "Concern confirmed" in page and concern.reference in page
    assert f"respond by {concern.respond_by:%-d %B %Y}" in page


def test_a_used_link_shows_the_confirmation_and_changes_nothing(decision):
    _, token = raised(decision)
    client = client_for(None)
    client.post(confirm_url(token))
    sent = Notification.objects.count()
    response = client.post(confirm_url(token))
    assert response.status_code == 302
    assert "Concern confirmed" in text(client.get(confirm_url(token)))
    assert Notification.objects.count() == sent


def test_an_expired_or_unknown_link_says_so_and_changes_nothing(decision):
    concern, token = raised(decision)
    client = client_for(None)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        for response in (client.get(confirm_url(token)), client.post(confirm_url(token))):
            assert response.status_code == 200
            assert "This link has expired" in text(response)
    for response in (client.get(confirm_url("nope")), client.post(confirm_url("nope"))):
        assert "This link is not valid" in text(response)
    concern.refresh_from_db()
    assert concern.status == "unconfirmed"


# --------------------------------------------------------------- the representative responds


def test_the_organisation_sees_what_happened_and_the_reference_but_not_who(world, decision):
    concern = confirmed(decision, name="Priya Shah", email="priya@example.org")
    client = client_for(world.org_a_admin)
    listing = text(client.get(reverse("grants:my_concerns")))
    assert concern.reference in listing and "Waiting for the response" in listing
    detail = text(client.get(reverse("grants:concern_respond", args=[concern.pk])))
    assert WHAT_HAPPENED in detail and concern.reference in detail
    for page in (listing, detail):
        assert "Priya Shah" not in page and "priya@example.org" not in page


def test_responding_needs_a_response_then_sends_it_to_the_council(world, decision):
    concern = confirmed(decision)
    client = client_for(world.org_a_admin)
    url = reverse("grants:concern_respond", args=[concern.pk])
    response = client.post(url, {"response": "  "})
    assert response.status_code == 200
    assert "Enter your response to the concern" in text(response)
    response = client.post(url, {"response": RESPONSE})
    assert response.status_code == 302 and response.url == reverse("grants:my_concerns")
    concern.refresh_from_db()
    assert concern.status == "awaiting_review" and concern.response == RESPONSE
    page = text(client.get(url))
    assert RESPONSE in page and "Send the response" not in page


def test_a_member_who_is_not_an_administrator_reads_the_list_but_cannot_respond(world, decision):
    concern = confirmed(decision)
    member = client_for(world.org_a_member)
    page = text(member.get(reverse("grants:my_concerns")))
    assert concern.reference in page and "Only an administrator" in page
    url = reverse("grants:concern_respond", args=[concern.pk])
    assert member.get(url).status_code == 403
    assert member.post(url, {"response": RESPONSE}).status_code == 403


def test_another_organisation_never_finds_the_concern(world, decision):
    concern = confirmed(decision)
    other = client_for(world.org_b_admin)
    assert other.get(reverse("grants:concern_respond", args=[concern.pk])).status_code == 404
    assert concern.reference not in text(other.get(reverse("grants:my_concerns")))


def test_an_unconfirmed_concern_is_not_shown_to_the_organisation(world, decision):
    concern, _ = raised(decision)
    client = client_for(world.org_a_admin)
    assert client.get(reverse("grants:concern_respond", args=[concern.pk])).status_code == 404
    assert concern.reference not in text(client.get(reverse("grants:my_concerns")))


# --------------------------------------------------------------- officers


def test_the_queue_lists_responded_first_then_past_their_date(world, decision):
    waiting = confirmed(decision, email="waiting@example.org")
    late = confirmed(decision, email="late@example.org")
    Concern.objects.filter(pk=late.pk).update(respond_by=timezone.localdate() - timedelta(days=1))
    answered = responded(decision, world.org_a_admin, email="answered@example.org")
    raised(decision, email="unconfirmed@example.org")
    response = client_for(world.officer).get(reverse("grants:concern_queue"))
    assert [c.pk for c in response.context["page"]] == [answered.pk, late.pk]
    page = text(response)
    assert "Response date passed" in page and "Waiting for the council" in page
    assert waiting.reference not in page


def test_the_queue_is_paginated_in_a_fixed_number_of_queries(world, decision):
    client = client_for(world.officer)
    emails = iter(f"person{n}@example.org" for n in range(200))

    def make_rows(n):
        for _ in range(n):
            responded(decision, world.org_a_admin, email=next(emails), ip=next(emails))

    count = assert_constant_queries(
        make_rows, lambda: client.get(reverse("grants:concern_queue")), large=51
    )
    # The session, the officer, their authenticators (the second-factor check), the count,
    # and the page with each concern's organisation, community and round.
    assert count == 5
    response = client.get(reverse("grants:concern_queue"), {"page": 2})
    assert len(response.context["page"]) == 1
    assert "Page 2 of 2" in text(response)


def test_before_the_date_without_a_response_an_officer_is_told_to_wait(world, decision):
    concern = confirmed(decision)
    client = client_for(world.officer)
    url = reverse("grants:concern_review", args=[concern.pk])
    page = text(client.get(url))
    assert f"The representative has until {concern.respond_by:%-d %B %Y} to respond." in page
    assert "Record the outcome" not in page
    response = client.post(url, {"outcome": "no_action", "reasons": REASONS})
    assert response.status_code == 200
    assert "The representative has until" in text(response)
    assert Concern.objects.get(pk=concern.pk).status == "awaiting_response"


def test_an_officer_records_the_outcome_with_reasons(world, decision):
    concern = responded(decision, world.org_a_admin, name="Priya Shah")
    client = client_for(world.officer)
    url = reverse("grants:concern_review", args=[concern.pk])
    page = text(client.get(url))
    assert WHAT_HAPPENED in page and RESPONSE in page and "Priya Shah" in page
    response = client.post(url, {"outcome": "", "reasons": ""})
    assert response.status_code == 200
    assert "Select the outcome" in text(response)
    assert "Enter the reasons for the outcome" in text(response)
    response = client.post(url, {"outcome": "grant_review", "reasons": REASONS})
    assert response.status_code == 302 and response.url == reverse("grants:concern_queue")
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.outcome == "grant_review"
    page = text(client.get(url))
    assert "Review of the grant" in page and REASONS in page


def test_the_officer_home_counts_the_concerns_to_review(world, decision):
    responded(decision, world.org_a_admin)
    page = text(client_for(world.officer).get(reverse("home")))
    assert "Concerns about representatives to review (1)" in page
    assert (
        reverse("grants:concern_queue")
        in client_for(world.officer).get(reverse("home")).content.decode()
    )


@pytest.mark.parametrize("role", ["org_a_admin", "provider_user", "outsider"])
def test_only_staff_see_the_queue_and_a_concern(world, decision, role):
    concern = responded(decision, world.org_a_admin)
    client = client_for(getattr(world, role))
    assert client.get(reverse("grants:concern_queue")).status_code == 404
    assert client.get(reverse("grants:concern_review", args=[concern.pk])).status_code == 404


def test_wrong_methods_are_refused(world, decision):
    anonymous = client_for(None)
    assert anonymous.post(reverse("grants:representatives")).status_code == 405
    assert anonymous.post(reverse("grants:representative", args=[decision.pk])).status_code == 405
    assert client_for(world.officer).post(reverse("grants:concern_queue")).status_code == 405


def test_review_queries_do_not_grow_with_the_text(world, decision):
    concern = responded(decision, world.org_a_admin)
    client = client_for(world.officer)
    url = reverse("grants:concern_review", args=[concern.pk])
    client.get(url)
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    # The session, the officer, their authenticators, the concern with its
    # representative's organisation, community and round, and the verdict behind it if any.
    assert len(queries) == 5
