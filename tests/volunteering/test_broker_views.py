"""The brokers' pages in each state: the queue, oldest first, a page at a time; one
opportunity's check, published or sent back with what to change, the organisation's
administrators emailed only once the decision commits; each refusal keeps what was typed
and changes nothing. Only live brokers see these pages."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from volunteering.models import Opportunity
from volunteering.services import revoke_broker

from ..conftest import assert_constant_queries, client_for
from ..factories import MembershipFactory, ProviderMembershipFactory
from .support import broker_for, drafted, published, submitted

pytestmark = pytest.mark.django_db

CHANGE = "Say which days of the week you need the volunteer."


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def as_broker(broker):
    return client_for(broker)


def _stored(opportunity):
    return Opportunity.objects.filter(pk=opportunity.pk).values().get()


# --------------------------------------------------------------- the queue


def test_the_queue_lists_submitted_opportunities_longest_waiting_first(world, as_broker):
    first = submitted(world, title="Gardener")
    second = submitted(world, title="Driver")
    Opportunity.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    drafted(world, title="A draft nobody sent")
    page = _page(as_broker.get(_url("broker_queue")))
    assert "2 opportunities to check" in page and "A draft nobody sent" not in page
    assert page.index(first.title) < page.index(second.title)
    assert "Organisation A" in page


def test_the_queue_reads_the_same_queries_however_many_wait(world, as_broker):
    def make_rows(n):
        for i in range(n):
            submitted(world, title=f"Role {i}")

    # Session, user, the broker check, the count and the page (organisation and theme joined).
    assert assert_constant_queries(make_rows, lambda: as_broker.get(_url("broker_queue"))) == 5


def test_only_live_brokers_see_the_brokers_pages(world, broker):
    opportunity = submitted(world)
    not_a_broker = ProviderMembershipFactory(provider=world.provider).user
    revoke_broker(by=world.manager, user=broker)
    for person in (not_a_broker, broker, world.org_a_admin, world.officer, world.manager):
        client = client_for(person)
        assert client.get(_url("broker_queue")).status_code == 404
        assert client.get(_url("broker_check", opportunity.pk)).status_code == 404
        assert (
            client.post(_url("broker_check", opportunity.pk), {"decision": "approve"}).status_code
            == 404
        )
    opportunity.refresh_from_db()
    assert opportunity.status == "submitted"


def test_a_draft_never_sent_is_not_the_brokers_to_see(world, as_broker):
    assert as_broker.get(_url("broker_check", drafted(world).pk)).status_code == 404


# --------------------------------------------------------------- the check


def test_a_broker_publishes_it_and_the_organisations_admins_are_emailed(
    world, as_broker, django_capture_on_commit_callbacks
):
    opportunity = submitted(world)
    page = _page(as_broker.get(_url("broker_check", opportunity.pk)))
    assert opportunity.title in page and "Waiting to be checked" in page
    assert "What is your decision?" in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_broker.post(_url("broker_check", opportunity.pk), {"decision": "approve"})
    assert response.status_code == 302 and response.url == _url("broker_queue")
    opportunity.refresh_from_db()
    assert opportunity.status == "published" and opportunity.published_at is not None
    assert callbacks, "the email is sent only once the decision commits"
    [email] = Notification.objects.filter(kind="volunteering:opportunity")
    assert email.recipient == world.org_a_admin.email  # administrators only, not every member
    assert opportunity.title in email.subject and "published" in email.body_text
    assert _url("opportunity", opportunity.pk) in email.body_text


def test_sending_back_needs_what_to_change_and_keeps_the_choice(world, as_broker):
    opportunity = submitted(world)
    before = _stored(opportunity)
    response = as_broker.post(
        _url("broker_check", opportunity.pk), {"decision": "send_back", "reason": "  "}
    )
    page = _page(response)
    assert "There is a problem" in page and "Enter what the organisation needs to change" in page
    assert re.search(r'<input[^>]*value="send_back"[^>]*checked', response.content.decode())
    assert _stored(opportunity) == before
    assert not Notification.objects.filter(kind="volunteering:opportunity").exists()


def test_a_broker_sends_it_back_with_what_to_change(world, as_broker):
    opportunity = submitted(world)
    response = as_broker.post(
        _url("broker_check", opportunity.pk), {"decision": "send_back", "reason": CHANGE}
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.sent_back_reason) == ("changes_requested", CHANGE)
    [email] = Notification.objects.filter(kind="volunteering:opportunity")
    assert CHANGE in email.body_text and "needs changes" in email.subject
    page = _page(as_broker.get(_url("broker_check", opportunity.pk)))
    assert "What is your decision?" not in page and CHANGE in page


def test_a_decision_already_made_is_not_made_again(world, broker, as_broker):
    opportunity = published(world, broker)
    before = _stored(opportunity)
    page = _page(as_broker.post(_url("broker_check", opportunity.pk), {"decision": "approve"}))
    assert "It has already been checked." in page
    assert _stored(opportunity) == before


def test_a_closing_date_passed_in_the_queue_is_refused_on_the_form(world, as_broker):
    opportunity = submitted(world)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    before = _stored(opportunity)
    page = _page(as_broker.post(_url("broker_check", opportunity.pk), {"decision": "approve"}))
    assert "There is a problem" in page and "Send it back to the organisation to change" in page
    assert _stored(opportunity) == before


def test_a_broker_never_checks_their_own_organisations_opportunity(world, broker):
    MembershipFactory(organisation=world.org_a, user=broker, role="member")
    opportunity = submitted(world)
    client = client_for(broker)
    page = _page(client.get(_url("broker_check", opportunity.pk)))
    assert "another broker must check" in page and "What is your decision?" not in page
    client.post(_url("broker_check", opportunity.pk), {"decision": "approve"})
    opportunity.refresh_from_db()
    assert opportunity.status == "submitted"


def test_a_brokers_home_page_links_to_the_queue(world, broker):
    assert _url("broker_queue") in client_for(broker).get(reverse("home")).content.decode()
    assert (
        _url("broker_queue")
        not in client_for(world.provider_user).get(reverse("home")).content.decode()
    )
