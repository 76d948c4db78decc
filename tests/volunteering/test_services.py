"""Opportunities through the services: drafted and changed by the organisation's members,
submitted when complete, published or sent back by a broker, closed filled, withdrawn or
lapsed; the broker role granted and revoked by a manager. Each refusal changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from volunteering import selectors
from volunteering.models import Broker, Opportunity
from volunteering.services import (
    VolunteeringError,
    approve_opportunity,
    close_opportunity,
    grant_broker,
    revoke_broker,
    save_draft,
    send_back_opportunity,
    submit_opportunity,
)

from ..factories import MembershipFactory, ProviderMembershipFactory
from .support import broker_for, drafted, published, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


def as_stored(opportunity) -> dict:
    return Opportunity.objects.filter(pk=opportunity.pk).values().get()


def refused(call, says: str) -> VolunteeringError:
    with pytest.raises(VolunteeringError) as refusal:
        call()
    assert says in refusal.value.reason
    return refusal.value


def unchanged(opportunity, call, says: str) -> VolunteeringError:
    """Run a call that must be refused, and check it changed nothing and recorded nothing."""
    before, events = as_stored(opportunity), AuditEvent.objects.count()
    refusal = refused(call, says)
    assert as_stored(opportunity) == before
    assert AuditEvent.objects.count() == events
    return refusal


# --------------------------------------------------------------- drafts


def test_a_member_saves_a_draft_with_only_a_title(world):
    opportunity = save_draft(
        organisation=world.org_a, by=world.org_a_member, fields={"title": " Gardener "}
    )
    opportunity.refresh_from_db()
    assert opportunity.status == "draft" and opportunity.title == "Gardener"
    assert opportunity.minimum_age == 16 and opportunity.places == 1
    assert opportunity.created_by == world.org_a_member
    event = AuditEvent.objects.get(action="opportunity.drafted")
    assert event.actor == world.org_a_member and event.to_state == "draft"


def test_a_draft_keeps_the_postcode_tidy_with_its_district(world):
    opportunity = drafted(world, venue_postcode="le2 1ab")
    assert opportunity.venue_postcode == "LE2 1AB" and opportunity.postcode_district == "LE2"


def test_changing_a_draft_records_which_fields_changed(world):
    opportunity = drafted(world)
    save_draft(
        organisation=world.org_a,
        by=world.org_a_admin,
        fields={"title": "Lunch club helper", "venue_postcode": "LE3 5AA"},
        opportunity=opportunity,
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "Lunch club helper" and opportunity.postcode_district == "LE3"
    event = AuditEvent.objects.get(action="opportunity.changed")
    assert event.data == {"fields": ["title", "venue_postcode"]}


def test_a_change_of_schedule_clears_the_answers_it_no_longer_asks(world):
    opportunity = drafted(world)
    assert opportunity.hours_a_week == Decimal("2.5")
    save_draft(
        organisation=world.org_a,
        by=world.org_a_member,
        fields={"schedule": "flexible"},
        opportunity=opportunity,
    )
    opportunity.refresh_from_db()
    assert opportunity.schedule == "flexible" and opportunity.hours_a_week is None


def test_only_members_of_the_organisation_may_draft(world, broker):
    for outsider in (world.org_b_admin, world.outsider, broker, world.manager):
        refused(
            lambda outsider=outsider: save_draft(
                organisation=world.org_a, by=outsider, fields={"title": "Gardener"}
            ),
            "Only members of the organisation",
        )
    assert not Opportunity.objects.exists() and not AuditEvent.objects.exists()


def test_another_organisations_member_cannot_change_a_draft(world):
    opportunity = drafted(world)
    unchanged(
        opportunity,
        lambda: save_draft(
            organisation=world.org_b,
            by=world.org_b_admin,
            fields={"title": "Mine now"},
            opportunity=opportunity,
        ),
        "not your organisation's",
    )


def test_a_draft_with_a_wrong_answer_is_refused_field_by_field(world):
    refusal = refused(
        lambda: save_draft(
            organisation=world.org_a,
            by=world.org_a_member,
            fields={"title": "Gardener", "schedule": "regular", "hours_a_week": Decimal("45")},
        ),
        "Hours a week must be between 0.5 and 40",
    )
    assert refusal.problems == {"hours_a_week": "Hours a week must be between 0.5 and 40"}
    assert not Opportunity.objects.exists()


def test_a_submitted_opportunity_cannot_be_changed(world):
    opportunity = submitted(world)
    unchanged(
        opportunity,
        lambda: save_draft(
            organisation=world.org_a,
            by=world.org_a_member,
            fields={"title": "Changed"},
            opportunity=opportunity,
        ),
        "can no longer be changed",
    )


# --------------------------------------------------------------- submitting


def test_a_complete_draft_is_submitted(world):
    opportunity = submitted(world)
    opportunity.refresh_from_db()
    assert opportunity.status == "submitted" and opportunity.submitted_at is not None
    event = AuditEvent.objects.get(action="opportunity.submitted")
    assert (event.from_state, event.to_state) == ("draft", "submitted")
    assert list(selectors.to_check()) == [opportunity]


def test_an_incomplete_draft_is_not_submitted_and_says_what_is_missing(world):
    opportunity = save_draft(
        organisation=world.org_a, by=world.org_a_member, fields={"title": "Gardener"}
    )
    refusal = unchanged(
        opportunity,
        lambda: submit_opportunity(opportunity=opportunity, by=world.org_a_member),
        "Enter what the volunteer will do",
    )
    assert {"description", "theme", "venue_postcode", "schedule", "ends_on"} <= set(
        refusal.problems
    )


def test_an_under_18_role_needs_the_safeguarding_policy_to_be_submitted(world):
    opportunity = drafted(world, minimum_age=16, suitable_for_under_18=True)
    unchanged(
        opportunity,
        lambda: submit_opportunity(opportunity=opportunity, by=world.org_a_member),
        "Confirm your organisation has a safeguarding policy",
    )


def test_submitting_twice_is_refused(world):
    opportunity = submitted(world)
    unchanged(
        opportunity,
        lambda: submit_opportunity(opportunity=opportunity, by=world.org_a_member),
        "is waiting for the volunteer centre to check it",
    )


def test_only_the_organisation_submits(world, broker):
    opportunity = drafted(world)
    unchanged(
        opportunity,
        lambda: submit_opportunity(opportunity=opportunity, by=world.org_b_admin),
        "Only members of the organisation",
    )


# --------------------------------------------------------------- the broker's check


def test_a_broker_publishes_a_submitted_opportunity(world, broker):
    opportunity = approve_opportunity(opportunity=submitted(world), by=broker)
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    assert opportunity.checked_by == broker and opportunity.published_at is not None
    event = AuditEvent.objects.get(action="opportunity.published")
    assert event.actor == broker and (event.from_state, event.to_state) == (
        "submitted",
        "published",
    )
    assert list(selectors.published(timezone.localdate())) == [opportunity]
    assert not selectors.to_check().exists()


def test_only_a_broker_checks(world, broker):
    opportunity = submitted(world)
    # Acting for the provider is not enough: the role is granted.
    unbrokered = ProviderMembershipFactory(provider=world.provider).user
    for someone in (world.officer, world.manager, world.org_a_admin, unbrokered):
        unchanged(
            opportunity,
            lambda someone=someone: approve_opportunity(opportunity=opportunity, by=someone),
            "Only a broker at the volunteer centre",
        )
        unchanged(
            opportunity,
            lambda someone=someone: send_back_opportunity(
                opportunity=opportunity, by=someone, reason="Say where"
            ),
            "Only a broker at the volunteer centre",
        )


def test_a_broker_does_not_check_their_own_organisations_opportunity(world):
    # One person may act for the volunteer centre and belong to an organisation.
    both = broker_for(world.provider, world.manager)
    MembershipFactory(user=both, organisation=world.org_a, role="member")
    opportunity = submitted(world)
    unchanged(
        opportunity,
        lambda: approve_opportunity(opportunity=opportunity, by=both),
        "another broker must check",
    )
    unchanged(
        opportunity,
        lambda: send_back_opportunity(opportunity=opportunity, by=both, reason="Fine"),
        "another broker must check",
    )


def test_a_revoked_broker_no_longer_checks(world, broker):
    opportunity = submitted(world)
    revoke_broker(by=world.manager, user=broker)
    unchanged(
        opportunity,
        lambda: approve_opportunity(opportunity=opportunity, by=broker),
        "Only a broker",
    )


def test_a_draft_cannot_be_published(world, broker):
    opportunity = drafted(world)
    unchanged(
        opportunity,
        lambda: approve_opportunity(opportunity=opportunity, by=broker),
        "This opportunity is still a draft. Nothing was changed.",
    )


def test_an_opportunity_whose_closing_date_passed_in_the_queue_must_be_sent_back(world, broker):
    opportunity = submitted(world)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        refusal = unchanged(
            opportunity,
            lambda: approve_opportunity(opportunity=opportunity, by=broker),
            "Send it back to the organisation to change: The closing date must be today",
        )
    assert set(refusal.problems) == {"ends_on"}


def test_a_broker_sends_an_opportunity_back_with_what_to_change(world, broker):
    opportunity = send_back_opportunity(
        opportunity=submitted(world), by=broker, reason="  Say which days.  "
    )
    opportunity.refresh_from_db()
    assert opportunity.status == "changes_requested"
    assert opportunity.sent_back_reason == "Say which days."
    assert opportunity.checked_by == broker and opportunity.published_at is None
    event = AuditEvent.objects.get(action="opportunity.sent_back")
    assert event.reason == "Say which days." and event.to_state == "changes_requested"


def test_sending_back_needs_a_reason(world, broker):
    opportunity = submitted(world)
    refusal = unchanged(
        opportunity,
        lambda: send_back_opportunity(opportunity=opportunity, by=broker, reason="  "),
        "Enter what the organisation needs to change",
    )
    assert set(refusal.problems) == {"reason"}


def test_a_sent_back_opportunity_is_changed_and_submitted_again_then_published(world, broker):
    opportunity = send_back_opportunity(
        opportunity=submitted(world), by=broker, reason="Say which days."
    )
    save_draft(
        organisation=world.org_a,
        by=world.org_a_member,
        fields={"description": "Tuesday afternoons: visit an older person for a chat."},
        opportunity=opportunity,
    )
    submit_opportunity(opportunity=opportunity, by=world.org_a_member)
    approve_opportunity(opportunity=opportunity, by=broker)
    opportunity.refresh_from_db()
    assert opportunity.status == "published" and opportunity.sent_back_reason == ""
    assert list(
        AuditEvent.objects.filter(object_id=str(opportunity.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "opportunity.drafted",
        "opportunity.submitted",
        "opportunity.sent_back",
        "opportunity.changed",
        "opportunity.submitted",
        "opportunity.published",
    ]


def test_a_published_opportunity_cannot_be_sent_back(world, broker):
    opportunity = published(world, broker)
    unchanged(
        opportunity,
        lambda: send_back_opportunity(opportunity=opportunity, by=broker, reason="Late"),
        "is already published",
    )


# --------------------------------------------------------------- closing


@pytest.mark.parametrize("reason", ["filled", "withdrawn"])
def test_the_organisation_closes_a_published_opportunity(world, broker, reason):
    opportunity = published(world, broker)
    close_opportunity(opportunity=opportunity, reason=reason, by=world.org_a_admin)
    opportunity.refresh_from_db()
    assert opportunity.status == "closed" and opportunity.close_reason == reason
    assert opportunity.closed_at is not None
    event = AuditEvent.objects.get(action="opportunity.closed")
    assert event.data == {"reason": reason} and event.from_state == "published"
    assert not selectors.published(timezone.localdate()).exists()


def test_a_broker_may_mark_an_opportunity_filled(world, broker):
    opportunity = close_opportunity(
        opportunity=published(world, broker), reason="filled", by=broker
    )
    assert opportunity.status == "closed"


def test_a_draft_is_withdrawn_but_never_filled(world):
    opportunity = drafted(world)
    unchanged(
        opportunity,
        lambda: close_opportunity(opportunity=opportunity, reason="filled", by=world.org_a_admin),
        "Only a published opportunity can be filled or lapse",
    )
    close_opportunity(opportunity=opportunity, reason="withdrawn", by=world.org_a_admin)
    assert as_stored(opportunity)["close_reason"] == "withdrawn"


def test_another_organisation_cannot_close_it(world, broker):
    opportunity = published(world, broker)
    unchanged(
        opportunity,
        lambda: close_opportunity(opportunity=opportunity, reason="filled", by=world.org_b_admin),
        "Only members of the organisation",
    )


def test_closing_twice_is_refused(world, broker):
    opportunity = published(world, broker)
    close_opportunity(opportunity=opportunity, reason="filled", by=world.org_a_admin)
    unchanged(
        opportunity,
        lambda: close_opportunity(opportunity=opportunity, reason="withdrawn", by=broker),
        "has closed",
    )


def test_the_job_lapses_an_opportunity_only_after_its_closing_date(world, broker):
    opportunity = published(world, broker)
    ends_on = opportunity.ends_on
    assert list(selectors.lapsing(ends_on - timedelta(days=7), 7)) == [opportunity]
    assert not selectors.lapsing(ends_on - timedelta(days=8), 7).exists()
    unchanged(
        opportunity,
        lambda: close_opportunity(opportunity=opportunity, reason="lapsed"),
        "has not reached its closing date",
    )
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        today = timezone.localdate()
        assert not selectors.published(today).exists()
        assert list(selectors.lapsed(today)) == [opportunity]
        close_opportunity(opportunity=opportunity, reason="lapsed")
    event = AuditEvent.objects.get(action="opportunity.closed")
    assert event.actor is None and event.data == {"reason": "lapsed"}


def test_a_person_cannot_lapse_an_opportunity(world, broker):
    opportunity = published(world, broker)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        unchanged(
            opportunity,
            lambda: close_opportunity(opportunity=opportunity, reason="lapsed", by=broker),
            "An opportunity lapses by itself after its closing date",
        )


def test_only_lapsing_happens_without_a_person(world, broker):
    opportunity = published(world, broker)
    unchanged(
        opportunity,
        lambda: close_opportunity(opportunity=opportunity, reason="filled"),
        "Only the closing-date job",
    )


# --------------------------------------------------------------- the broker role


def test_a_manager_grants_and_revokes_the_broker_role(world):
    person = world.provider_user
    assert not selectors.is_broker(person)
    grant = grant_broker(by=world.manager, user=person, provider=world.provider)
    assert selectors.is_broker(person) and selectors.live_grant(person) == grant
    assert AuditEvent.objects.get(action="broker.granted").actor == world.manager
    revoke_broker(by=world.manager, user=person)
    grant.refresh_from_db()
    assert grant.revoked_by == world.manager and grant.revoked_at is not None
    assert not selectors.is_broker(person)
    assert AuditEvent.objects.filter(action="broker.revoked").count() == 1
    # Granted again later: a new grant, the old one kept.
    grant_broker(by=world.manager, user=person, provider=world.provider)
    assert Broker.objects.filter(user=person).count() == 2 and selectors.is_broker(person)


def test_only_a_manager_grants_the_broker_role(world):
    for someone in (world.officer, world.org_a_admin, world.provider_user):
        refused(
            lambda someone=someone: grant_broker(
                by=someone, user=world.provider_user, provider=world.provider
            ),
            "Only a manager",
        )
    assert not Broker.objects.exists() and not AuditEvent.objects.exists()


def test_the_role_is_for_people_acting_for_that_provider(world):
    other = ProviderMembershipFactory().provider
    for person, provider in ((world.org_a_admin, world.provider), (world.provider_user, other)):
        refused(
            lambda person=person, provider=provider: grant_broker(
                by=world.manager, user=person, provider=provider
            ),
            "does not act for",
        )
    assert not Broker.objects.exists()


def test_a_second_live_grant_is_refused_and_the_database_backs_it(world):
    grant_broker(by=world.manager, user=world.provider_user, provider=world.provider)
    refused(
        lambda: grant_broker(by=world.manager, user=world.provider_user, provider=world.provider),
        "is already a broker",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Broker.objects.create(
            user=world.provider_user, provider=world.provider, granted_by=world.manager
        )
    assert Broker.objects.count() == 1


def test_revoking_someone_who_is_not_a_broker_is_refused(world):
    refused(lambda: revoke_broker(by=world.manager, user=world.provider_user), "is not a broker")
    assert not AuditEvent.objects.exists()


def test_only_a_manager_revokes(world, broker):
    refused(lambda: revoke_broker(by=world.officer, user=broker), "Only a manager")
    assert selectors.is_broker(broker)


def test_signed_out_is_never_a_broker():
    assert selectors.is_broker(AnonymousUser()) is False
    assert selectors.live_grant(AnonymousUser()) is None


# --------------------------------------------------------------- the database's own guards


def test_the_database_refuses_a_published_opportunity_that_is_incomplete(world, broker):
    opportunity = published(world, broker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(ends_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(minimum_age=16)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "closed"},  # closed needs its reason
        {"close_reason": "filled"},  # a reason only when closed
        {"places": 0},
        {"minimum_age": 15},
        {"minimum_age": 19},
        {"hours_a_week": Decimal("40.5")},
        {"schedule": "flexible"},  # hours a week left on a role that is not regular
        {"one_off_date": timezone.localdate()},  # a date on a regular role
        {"status": "changes_requested"},  # sent back without saying why
        {"status": "bogus"},
    ],
)
def test_the_database_refuses_what_the_rules_refuse(world, change):
    opportunity = drafted(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(**change)


def test_the_database_refuses_a_closing_date_before_the_start(world):
    opportunity = drafted(world, starts_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(ends_on=opportunity.starts_on)
