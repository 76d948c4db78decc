"""The confirmation page after each finished step of the delivery journey.

Sending a request (the organisation), accepting it (the provider), marking the
work delivered (the provider) and confirming delivery (the organisation) each
POST, then redirect to a GET page of their own that says what happens next and
by when, from the managers' deadlines, and where to go now. The cast comes from
tests/delivery/conftest.py.
"""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from delivery.services import log_session
from diagnostics.rules import long_date
from notifications.deadlines import (
    COMPLETE_DELIVERY,
    PROVIDER_RESPOND,
    change_deadline,
    deadline,
)
from notifications.models import Deadline
from notifications.rules import Period

from ..conftest import assert_constant_queries, client_for
from ..factories import ProviderMembershipFactory
from .support import session_data
from .test_provider_pages import day_month_year, requested_from_new_organisation

CONFIRMATIONS = ["request_sent", "confirmed", "accepted", "marked_delivered"]


def url(name, pk):
    return reverse(f"delivery:{name}", args=[pk])


def panel_title(response) -> str:
    html = response.content.decode()
    start = html.index('class="govuk-panel__title">') + len('class="govuk-panel__title">')
    return html[start : html.index("</h1>", start)].strip()


def more_requests_to(provider, n):
    """`n` more organisations' packages, each with a request to `provider` waiting."""
    for _ in range(n):
        requested_from_new_organisation(provider, provider.memberships.first().user)


# ---------------------------------------------------------------- sending a request


def test_sending_a_request_ends_on_its_confirmation_with_the_date_to_answer_by(
    agreed, org_admin, provider
):
    client = client_for(org_admin)
    response = client.post(
        reverse("delivery:provider_profile", args=[agreed.pk, provider.pk]),
        {"message": "Could you start in January?"},
    )
    assert response.status_code == 302
    assert response.url == url("request_sent", agreed.pk)

    page = client.get(response.url)
    html = page.content.decode()
    answer_by = deadline(PROVIDER_RESPOND).due_on(timezone.localdate())
    assert panel_title(page) == escape(f"Request sent to {provider.name}")
    assert (
        escape(f"{provider.name} has 10 working days to answer, by {long_date(answer_by)}.") in html
    )
    assert reverse("delivery:package", args=[agreed.pk]) in html
    assert reverse("allowances:organisation_packages") in html
    assert "govuk-notification-banner" not in html  # no flash banner as well


def test_the_request_sent_page_follows_the_managers_deadline(journey, agreed, org_admin, manager):
    journey.requested()
    change_deadline(
        Deadline.objects.get(code=PROVIDER_RESPOND),
        by=manager,
        period=Period(3, "weeks"),
        remind_before=Period(1, "weeks"),
    )
    html = client_for(org_admin).get(url("request_sent", agreed.pk)).content.decode()
    answer_by = timezone.localdate() + timedelta(weeks=3)
    assert f"has 3 weeks to answer, by {long_date(answer_by)}." in html


def test_a_request_not_answered_in_time_says_when_it_should_have_been(journey, agreed, org_admin):
    request = journey.requested()
    sent = timezone.now() - timedelta(days=40)
    type(request).objects.filter(pk=request.pk).update(requested_at=sent)
    html = client_for(org_admin).get(url("request_sent", agreed.pk)).content.decode()
    answer_by = deadline(PROVIDER_RESPOND).due_on(timezone.localdate(sent))
    assert f"should have answered by {long_date(answer_by)}." in html
    assert "to answer, by" not in html


def test_once_the_provider_has_answered_the_request_sent_page_is_the_package(
    journey, agreed, org_admin
):
    journey.accepted()
    response = client_for(org_admin).get(url("request_sent", agreed.pk))
    assert response.status_code == 302
    assert response.url == reverse("delivery:package", args=[agreed.pk])


# ---------------------------------------------------------------- accepting


def test_accepting_ends_on_its_confirmation_with_the_date_to_deliver_by(journey, provider_user):
    request = journey.requested()
    client = client_for(provider_user)
    start = timezone.localdate() + timedelta(days=7)
    end = start + timedelta(days=60)
    response = client.post(
        reverse("delivery:accept", args=[request.pk]),
        {**day_month_year("planned_start", start), **day_month_year("planned_end", end)},
    )
    assert response.url == url("accepted", request.pk)

    page = client.get(response.url)
    html = page.content.decode()
    assert panel_title(page) == "Request accepted"
    assert escape(f"We have told {request.agreed_package.organisation.name}.") in html
    assert f"mark it as delivered by {long_date(end)}, your planned end date." in html
    assert "We will email you a reminder 2 weeks before then." in html
    assert reverse("delivery:log_session", args=[request.pk]) in html
    assert reverse("delivery:provider_request", args=[request.pk]) in html


def test_a_shorter_delivery_deadline_wins_over_the_planned_end(
    journey, agreed, provider_user, manager
):
    request = journey.accepted(planned_end=timezone.localdate() + timedelta(days=120))
    change_deadline(
        Deadline.objects.get(code=COMPLETE_DELIVERY), by=manager, period=Period(1, "months")
    )
    html = client_for(provider_user).get(url("accepted", request.pk)).content.decode()
    due = deadline(COMPLETE_DELIVERY).due_on(agreed.agreed_on)
    assert f"mark it as delivered by {long_date(due)}, 1 month after the package was agreed." in (
        html
    )


def test_once_delivered_the_accepted_page_is_the_request(journey, provider_user):
    request = journey.delivered()
    response = client_for(provider_user).get(url("accepted", request.pk))
    assert response.url == reverse("delivery:provider_request", args=[request.pk])


# ---------------------------------------------------------------- marking delivered


def test_marking_delivered_ends_on_its_confirmation_with_the_date_to_confirm_by(
    journey, provider_user, agreed
):
    request = journey.in_delivery().request
    client = client_for(provider_user)
    response = client.post(
        reverse("delivery:mark_delivered", args=[request.pk]),
        {"outcome_summary": "A finance policy adopted."},
    )
    assert response.url == url("marked_delivered", request.pk)

    page = client.get(response.url)
    html = page.content.decode()
    confirm_by = timezone.localdate() + timedelta(weeks=4)
    assert panel_title(page) == "Work marked as delivered"
    assert f"They have 4 weeks to do this, by {long_date(confirm_by)}." in html
    assert "claim payment of up to £2,000.00" in html


def test_once_confirmed_the_marked_delivered_page_is_the_request(journey, provider_user):
    request = journey.confirmed().request
    response = client_for(provider_user).get(url("marked_delivered", request.pk))
    assert response.url == reverse("delivery:provider_request", args=[request.pk])


# ---------------------------------------------------------------- confirming delivery


def test_confirming_ends_on_its_confirmation_with_the_time_to_decide_a_claim(
    journey, agreed, org_admin, provider
):
    journey.delivered()
    client = client_for(org_admin)
    response = client.post(
        reverse("delivery:confirm", args=[agreed.pk]), {"score": "5", "comment": "Excellent"}
    )
    assert response.url == url("confirmed", agreed.pk)

    page = client.get(response.url)
    html = page.content.decode()
    assert panel_title(page) == "Delivery confirmed"
    assert escape(f"{provider.name} can now claim payment from the council.") in html
    assert "decide each claim within 10 working days of receiving it." in html


def test_disputing_still_goes_back_to_the_package_with_a_banner(journey, agreed, org_admin):
    journey.delivered()
    response = client_for(org_admin).post(
        reverse("delivery:dispute", args=[agreed.pk]),
        {"reason": "Only one of three workshops happened."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("delivery:package", args=[agreed.pk])
    assert "An officer will look at it and contact you." in response.content.decode()


def test_once_claimed_the_confirmed_page_is_the_package(journey, agreed, org_admin):
    journey.confirmed()
    # Only the package's state matters to this page, not the claim itself.
    type(agreed).objects.filter(pk=agreed.pk).update(status="claimed")
    response = client_for(org_admin).get(url("confirmed", agreed.pk))
    assert response.url == reverse("delivery:package", args=[agreed.pk])


# ---------------------------------------------------------------- who may see them


def _at_its_step(journey, name):
    """The confirmation page `name` as its own step leaves it: the pk it takes."""
    if name == "request_sent":
        return journey.requested().agreed_package_id
    if name == "accepted":
        return journey.accepted().pk
    if name == "marked_delivered":
        return journey.delivered().pk
    journey.confirmed()
    return journey.agreed.pk


@pytest.mark.parametrize("name", CONFIRMATIONS)
def test_a_confirmation_answers_only_its_own_people(world, journey, other_provider_user, name):
    pk = _at_its_step(journey, name)
    own = world.org_a_admin if name in ("request_sent", "confirmed") else world.provider_user
    assert client_for(own).get(url(name, pk)).status_code == 200
    assert client_for(own).post(url(name, pk)).status_code == 405
    outsiders = [world.org_b_admin, other_provider_user, world.officer]
    outsiders.append(world.provider_user if own == world.org_a_admin else world.org_a_admin)
    for user in outsiders:
        assert client_for(user).get(url(name, pk)).status_code == 404, user
    member = client_for(world.org_a_member).get(url(name, pk)).status_code
    assert member == (403 if own == world.org_a_admin else 404)
    anonymous = client_for(None).get(url(name, pk))
    assert anonymous.url.startswith(reverse("account_login"))


# ---------------------------------------------------------------- queries


def test_the_organisations_confirmations_run_a_fixed_number_of_queries(journey, agreed, org_admin):
    """Pinned: 1. the session, 2. the user, 3. the membership and organisation, 4. the
    package, 5. the request waiting (with its provider), 6. the deadline, 7. the managers'
    days off (the deadline counts working days)."""
    journey.requested()
    client = client_for(org_admin)

    def declined_before(n):
        from delivery.models import ProviderRequest

        for _ in range(n):
            ProviderRequest.objects.create(
                agreed_package=agreed,
                provider=ProviderMembershipFactory().provider,
                message="Earlier.",
                requested_by=org_admin,
                status="declined",
                decline_reason="Fully booked.",
                responded_at=timezone.now(),
            )

    count = assert_constant_queries(
        declined_before, lambda: client.get(url("request_sent", agreed.pk)), small=1, large=10
    )
    assert count == 7


def test_the_confirmed_page_runs_a_fixed_number_of_queries(journey, agreed, org_admin):
    """Pinned: session, user, membership, package, the accepted request with its provider and
    rating, the review deadline, its days off (10 working days)."""
    journey.confirmed()
    client = client_for(org_admin)
    count = assert_constant_queries(
        lambda n: None, lambda: client.get(url("confirmed", agreed.pk)), small=1, large=10
    )
    assert count == 7


@pytest.mark.parametrize(
    ("name", "step", "pinned"),
    [
        # 1. the session, 2. the user, 3. the request with its package, organisation,
        # provider and rating, 4. the deadline (6 months: no days off needed), 5. the
        # person's provider membership, for the navigation
        ("accepted", "accepted", 5),
        # the same, with the deadline to confirm (4 weeks)
        ("marked_delivered", "delivered", 5),
    ],
)
def test_the_providers_confirmations_run_a_fixed_number_of_queries(
    journey, provider, provider_user, name, step, pinned
):
    request = getattr(journey, step)()
    client = client_for(provider_user)
    count = assert_constant_queries(
        lambda n: more_requests_to(provider, n),
        lambda: client.get(url(name, request.pk)),
        small=1,
        large=10,
    )
    assert count == pinned


def test_sessions_do_not_change_the_accepted_pages_queries(journey, provider_user):
    request = journey.accepted()
    client = client_for(provider_user)

    topics = count()

    def sessions(n):
        for _ in range(n):
            topic = f"Topic {next(topics)}"
            log_session(request, by=provider_user, data=session_data(topics=topic))

    assert_constant_queries(sessions, lambda: client.get(url("accepted", request.pk)), large=5)
