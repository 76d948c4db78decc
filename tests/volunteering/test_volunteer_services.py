"""Volunteers through the services: the profile and equality answers, interest and the
organisation's answer, placements and hours from either side. Each refusal changes
nothing, records no audit event and sends no email; each change is audited, and the
right people are emailed with the right kind."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from volunteering import volunteer_rules as vr
from volunteering.models import EqualityMonitoring, HourEntry, Interest, Placement
from volunteering.services import VolunteeringError, close_opportunity
from volunteering.volunteer_privacy import delete_volunteer
from volunteering.volunteer_services import (
    KIND,
    TO_VOLUNTEER,
    answer_hours,
    answer_interest,
    end_placement,
    log_hours,
    save_equality,
    save_profile,
    withdraw_interest,
)

from .. import threads
from ..conftest import build_world
from ..factories import MembershipFactory, StaffFactory, UserFactory
from .support import broker_for
from .volunteer_support import (
    PROFILE,
    interest_of,
    opportunity_of,
    placement_of,
    unchanged,
    volunteer_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def opportunity(world, broker):
    return opportunity_of(world, broker, title="Befriender")


@pytest.fixture
def volunteer():
    return volunteer_of(UserFactory(email="val@example.org"))


@pytest.fixture
def placement(world, volunteer, opportunity):
    return placement_of(world, volunteer, opportunity, started_days_ago=10)


def events(action):
    return AuditEvent.objects.filter(action=action)


# --------------------------------------------------------------- the profile


def test_signing_up_makes_a_volunteer_with_the_name_on_the_account():
    user = UserFactory(full_name="Old Name")
    volunteer = volunteer_of(user, name="  Val   Unteer ", postcode_district=" le2 ")
    user.refresh_from_db()
    assert user.full_name == "Val Unteer" and volunteer.postcode_district == "LE2"
    event = events("volunteer.registered").get()
    assert event.actor == user and event.object_id == str(volunteer.pk)
    # The trail names the volunteer by number only.
    assert event.object_repr == f"Volunteer {volunteer.pk}" and "Val" not in str(event.data)


def test_changing_the_profile_is_recorded_as_a_change_and_starts_the_clock_again(volunteer):
    type(volunteer).objects.filter(pk=volunteer.pk).update(
        last_active_at=timezone.now() - timedelta(days=700), deletion_warned_at=timezone.now()
    )
    save_profile(user=volunteer.user, name="Val", fields=PROFILE | {"skills": "Baking"}, themes=[])
    volunteer.refresh_from_db()
    assert volunteer.skills == "Baking" and volunteer.deletion_warned_at is None
    assert timezone.now() - volunteer.last_active_at < timedelta(minutes=1)
    assert events("volunteer.changed").count() == 1
    assert events("volunteer.registered").count() == 1


@pytest.mark.parametrize(
    ("name", "fields", "field", "says"),
    [
        ("", PROFILE, "full_name", "Enter your name"),
        ("Val", PROFILE | {"postcode_district": "LE 2 1AB"}, "postcode_district", "like LE2"),
        ("Val", PROFILE | {"age_band": "12-15"}, "age_band", "Select your age"),
        ("Val", PROFILE | {"contact_by": "phone", "phone": " "}, "phone", "Enter a phone number"),
    ],
)
def test_a_profile_with_a_wrong_answer_is_refused_on_its_field(name, fields, field, says):
    user = UserFactory()
    refusal = unchanged(lambda: save_profile(user=user, name=name, fields=fields, themes=[]), says)
    assert says in refusal.problems[field]


def test_staff_cannot_volunteer_with_their_staff_account():
    staff = StaffFactory()
    unchanged(
        lambda: save_profile(user=staff, name="Officer", fields=PROFILE, themes=[]),
        "Council staff cannot volunteer",
    )


def test_equality_answers_are_kept_only_with_consent_and_removed_without(volunteer):
    answers = {"gender": "Woman", "ethnic_group": "White", "disabled": "No"}
    save_equality(volunteer=volunteer, by=volunteer.user, consent=True, answers=answers)
    assert EqualityMonitoring.objects.get(volunteer=volunteer).gender == "Woman"
    assert events("volunteer.equality_given").count() == 1
    save_equality(volunteer=volunteer, by=volunteer.user, consent=False, answers=answers)
    assert not EqualityMonitoring.objects.exists()
    assert events("volunteer.equality_removed").count() == 1
    # Nothing kept, nothing to remove: nothing recorded.
    save_equality(volunteer=volunteer, by=volunteer.user, consent=False, answers={})
    assert events("volunteer.equality_removed").count() == 1


@pytest.mark.parametrize(("field", "_label", "answers"), vr.EQUALITY_QUESTIONS)
def test_every_equality_answer_can_be_kept(volunteer, field, _label, answers):
    """Each answer fits its column ("Black, Black British, Caribbean or African" is 42)."""
    for answer in answers:
        save_equality(volunteer=volunteer, by=volunteer.user, consent=True, answers={field: answer})
        assert getattr(EqualityMonitoring.objects.get(volunteer=volunteer), field) == answer


def test_only_the_volunteer_gives_their_equality_answers(world, volunteer):
    unchanged(
        lambda: save_equality(
            volunteer=volunteer, by=world.org_a_admin, consent=True, answers={"gender": "Man"}
        ),
        "Only the volunteer can do this",
    )


# --------------------------------------------------------------- interest


def test_interest_is_sent_audited_and_the_organisations_administrators_emailed(
    world, volunteer, opportunity
):
    MembershipFactory(organisation=world.org_a, user__email="a-second-admin@example.org")
    interest = interest_of(volunteer, opportunity, message="  I can help.  ")
    assert interest.status == "sent" and interest.message == "I can help."
    event = events("interest.sent").get()
    assert event.actor == volunteer.user and event.to_state == "sent"
    emails = Notification.objects.filter(kind=KIND)
    # Administrators only: not organisation A's ordinary member, nor organisation B.
    assert sorted(emails.values_list("recipient", flat=True)) == [
        "a-second-admin@example.org",
        "a@example.org",
    ]
    assert "Befriender" in emails.first().subject + emails.first().body_text
    assert f"/organisation/volunteering/interest/{interest.pk}/" in emails.first().body_text


def test_interest_twice_is_refused_as_a_double_submission(volunteer, opportunity):
    interest_of(volunteer, opportunity)
    unchanged(
        lambda: interest_of(volunteer, opportunity),
        "You have already told the organisation you are interested in this role.",
    )


def test_more_than_ten_interests_in_a_day_are_refused_and_tomorrow_allowed(
    world, broker, volunteer
):
    roles = [opportunity_of(world, broker, title=f"Role {n}") for n in range(11)]
    for role in roles[:10]:
        interest_of(volunteer, role)
    unchanged(
        lambda: interest_of(volunteer, roles[10]),
        "You have told 10 organisations you are interested today.",
    )
    Interest.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert interest_of(volunteer, roles[10]).status == "sent"


def test_interest_again_after_a_withdrawal_is_allowed(volunteer, opportunity):
    withdraw_interest(interest=interest_of(volunteer, opportunity), by=volunteer.user)
    again = interest_of(volunteer, opportunity)
    assert Interest.objects.filter(volunteer=volunteer).count() == 2 and again.status == "sent"


def test_interest_in_a_closed_role_is_refused(world, volunteer, opportunity):
    close_opportunity(opportunity=opportunity, by=world.org_a_member, reason="filled")
    unchanged(lambda: interest_of(volunteer, opportunity), "This opportunity has closed.")


def test_an_under_18_is_refused_an_adults_only_role(world, broker):
    young = volunteer_of(age_band="16-17")
    adults_only = opportunity_of(world, broker, minimum_age=18)
    unchanged(lambda: interest_of(young, adults_only), "This role is for people aged 18 and over")


def test_an_under_18_may_show_interest_in_a_role_for_them(world, broker):
    young = volunteer_of(age_band="16-17")
    for_them = opportunity_of(
        world,
        broker,
        minimum_age=16,
        suitable_for_under_18=True,
        safeguarding_policy=True,
        dbs_needed=False,
    )
    assert interest_of(young, for_them).status == "sent"


def test_only_the_volunteer_shows_their_own_interest(world, volunteer, opportunity):
    from volunteering.volunteer_services import express_interest

    other = volunteer_of()
    unchanged(
        lambda: express_interest(
            volunteer=volunteer, by=other.user, opportunity=opportunity, message=""
        ),
        "Only the volunteer can do this",
    )


# --------------------------------------------------------------- the organisation's answer


def test_accepting_starts_a_placement_today_and_tells_the_volunteer(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    answer_interest(interest=interest, by=world.org_a_member, to="accepted")
    interest.refresh_from_db()
    assert interest.status == "accepted" and interest.answered_by == world.org_a_member
    assert interest.placement.started_on == TODAY() and interest.placement.status == "active"
    event = events("interest.accepted").get()
    assert (event.from_state, event.to_state, event.actor) == (
        "sent",
        "accepted",
        world.org_a_member,
    )
    [email] = Notification.objects.filter(kind=TO_VOLUNTEER)
    assert email.recipient == "val@example.org"
    assert f"/volunteer/interests/{interest.pk}/" in email.body_text


def test_declining_needs_a_reason(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    refusal = unchanged(
        lambda: answer_interest(interest=interest, by=world.org_a_admin, to="declined", reason=" "),
        "Enter why you are declining",
    )
    assert "reason" in refusal.problems


def test_a_decline_with_its_reason_is_emailed_to_the_volunteer(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    answer_interest(
        interest=interest, by=world.org_a_admin, to="declined", reason="All places are taken."
    )
    interest.refresh_from_db()
    assert interest.status == "declined" and interest.decline_reason == "All places are taken."
    assert not Placement.objects.exists()
    assert events("interest.declined").get().reason == "All places are taken."
    [email] = Notification.objects.filter(kind=TO_VOLUNTEER)
    assert "All places are taken." in email.body_text


def test_talking_first_then_accepting(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    answer_interest(interest=interest, by=world.org_a_admin, to="talking")
    interest.refresh_from_db()
    assert interest.status == "talking" and interest.decided_at is None
    answer_interest(interest=interest, by=world.org_a_member, to="accepted")
    interest.refresh_from_db()
    # The first answer is the one that counts as answering.
    assert interest.answered_by == world.org_a_admin and interest.decided_at is not None
    assert Notification.objects.filter(kind=TO_VOLUNTEER).count() == 2


def test_a_decided_interest_cannot_be_answered_again(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    answer_interest(interest=interest, by=world.org_a_admin, to="accepted")
    unchanged(
        lambda: answer_interest(
            interest=interest, by=world.org_a_admin, to="declined", reason="No"
        ),
        "This interest has been accepted, so it cannot be changed now.",
    )


def test_another_organisation_cannot_answer(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    for someone in (world.org_b_admin, world.provider_user, world.outsider, volunteer.user):
        unchanged(
            lambda by=someone: answer_interest(interest=interest, by=by, to="accepted"),
            "Only members of the organisation",
        )


def test_a_deleted_volunteers_interest_cannot_be_answered(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    delete_volunteer(volunteer=volunteer, by=volunteer.user)
    unchanged(
        lambda: answer_interest(interest=interest, by=world.org_a_admin, to="accepted"),
        "This volunteer has deleted their account.",
    )


def test_the_volunteer_withdraws_and_the_administrators_are_told(world, volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    Notification.objects.all().delete()
    withdraw_interest(interest=interest, by=volunteer.user)
    interest.refresh_from_db()
    assert interest.status == "withdrawn"
    assert events("interest.withdrawn").get().from_state == "sent"
    [email] = Notification.objects.all()
    assert (email.recipient, email.kind) == ("a@example.org", KIND)


def test_an_accepted_interest_cannot_be_withdrawn_and_no_one_else_withdraws(
    world, volunteer, opportunity
):
    interest = interest_of(volunteer, opportunity)
    other = volunteer_of()
    unchanged(
        lambda: withdraw_interest(interest=interest, by=world.org_a_admin),
        "Only the volunteer can do this",
    )
    unchanged(
        lambda: withdraw_interest(interest=interest, by=other.user),
        "Only the volunteer can do this",
    )
    answer_interest(interest=interest, by=world.org_a_admin, to="accepted")
    unchanged(
        lambda: withdraw_interest(interest=interest, by=volunteer.user),
        "This interest has been accepted",
    )


# --------------------------------------------------------------- placements


@pytest.mark.parametrize("side", ["volunteer", "organisation"])
def test_either_side_ends_a_placement_once(world, volunteer, placement, side):
    by = volunteer.user if side == "volunteer" else world.org_a_member
    end_placement(placement=placement, by=by)
    placement.refresh_from_db()
    assert (placement.status, placement.ended_on, placement.ended_by) == ("ended", TODAY(), by)
    assert events("placement.ended").get().data == {"by": side}
    unchanged(lambda: end_placement(placement=placement, by=by), "This placement has ended")


def test_no_one_else_ends_a_placement(world, placement):
    for someone in (world.org_b_admin, world.outsider, volunteer_of().user):
        unchanged(
            lambda by=someone: end_placement(placement=placement, by=by),
            "Only members of the organisation",
        )


# --------------------------------------------------------------- hours


def log(placement, by, days_ago=1, hours="3", note=""):
    return log_hours(
        placement=placement, by=by, on=TODAY() - timedelta(days=days_ago), hours=hours, note=note
    )


def test_the_volunteer_logs_hours_and_the_organisation_confirms_them(world, volunteer, placement):
    entry = log(placement, volunteer.user, hours="2.5", note=" Lunch club ")
    assert (entry.by_volunteer, entry.status, entry.note) == (True, "logged", "Lunch club")
    event = events("hours.logged").get()
    assert event.data["by"] == "volunteer" and event.data["hours"] == "2.5"
    answer_hours(entry=entry, by=world.org_a_member, confirm=True)
    entry.refresh_from_db()
    assert entry.status == "confirmed" and entry.answered_by == world.org_a_member
    assert events("hours.confirmed").get().data == {"by": "organisation"}


def test_the_organisation_logs_hours_and_the_volunteer_queries_them(world, volunteer, placement):
    entry = log(placement, world.org_a_admin)
    assert entry.by_volunteer is False
    refusal = unchanged(
        lambda: answer_hours(entry=entry, by=volunteer.user, confirm=False, reason=""),
        "Enter what is wrong with these hours",
    )
    assert "reason" in refusal.problems
    answer_hours(entry=entry, by=volunteer.user, confirm=False, reason="I was there 2 hours.")
    entry.refresh_from_db()
    assert (entry.status, entry.query_reason) == ("queried", "I was there 2 hours.")
    assert events("hours.queried").get().reason == "I was there 2 hours."


def test_only_the_other_side_confirms_hours(world, volunteer, placement):
    mine = log(placement, volunteer.user)
    unchanged(
        lambda: answer_hours(entry=mine, by=volunteer.user, confirm=True),
        "The other side confirms hours",
    )
    theirs = log(placement, world.org_a_admin, days_ago=2)
    unchanged(
        lambda: answer_hours(entry=theirs, by=world.org_a_member, confirm=True),
        "The other side confirms hours",
    )


def test_hours_are_answered_once(world, volunteer, placement):
    entry = log(placement, volunteer.user)
    answer_hours(entry=entry, by=world.org_a_admin, confirm=True)
    unchanged(
        lambda: answer_hours(entry=entry, by=world.org_a_admin, confirm=False, reason="No"),
        "This entry has been confirmed",
    )


def test_no_one_else_logs_or_answers_hours(world, volunteer, placement):
    entry = log(placement, volunteer.user)
    for someone in (world.org_b_admin, world.outsider, volunteer_of().user):
        unchanged(lambda by=someone: log(placement, by), "Only members of the organisation")
        unchanged(
            lambda by=someone: answer_hours(entry=entry, by=by, confirm=True),
            "Only members of the organisation",
        )


def test_hours_before_the_placement_started_are_refused(volunteer, placement):
    refusal = unchanged(
        lambda: log(placement, volunteer.user, days_ago=11),
        "The date must be on or after the placement started",
    )
    assert set(refusal.problems) == {"on"}
    assert log(placement, volunteer.user, days_ago=10).status == "logged"


def test_hours_after_the_placement_ended_are_refused(volunteer, placement):
    end_placement(placement=placement, by=volunteer.user)
    Placement.objects.filter(pk=placement.pk).update(ended_on=TODAY() - timedelta(days=3))
    placement.refresh_from_db()
    unchanged(
        lambda: log(placement, volunteer.user, days_ago=2),
        "The date must be on or before the placement ended",
    )
    assert log(placement, volunteer.user, days_ago=3).status == "logged"


def test_hours_in_the_future_or_zero_are_refused(volunteer, placement):
    unchanged(lambda: log(placement, volunteer.user, days_ago=-1), "must be today or in the past")
    unchanged(lambda: log(placement, volunteer.user, hours="0"), "Hours must be more than 0")
    unchanged(lambda: log(placement, volunteer.user, hours=""), "Enter how many hours")


def test_a_day_has_24_hours_across_every_role(world, broker, volunteer, placement):
    other = placement_of(
        world, volunteer, opportunity_of(world, broker, title="Driver"), started_days_ago=10
    )
    log(placement, volunteer.user, hours="14")
    refusal = unchanged(
        lambda: log(other, world.org_a_admin, hours="10.5"),
        "14 hours are already logged for that day, so enter 10 or fewer",
    )
    assert set(refusal.problems) == {"hours"}
    assert log(other, world.org_a_admin, hours="10").hours == Decimal(10)
    # Another day is another 24 hours.
    assert log(other, volunteer.user, days_ago=2, hours="24").status == "logged"


def test_queried_hours_do_not_count_towards_the_day(world, volunteer, placement):
    entry = log(placement, world.org_a_admin, hours="20")
    answer_hours(entry=entry, by=volunteer.user, confirm=False, reason="It was 2.")
    assert log(placement, volunteer.user, hours="2").status == "logged"
    assert HourEntry.objects.count() == 2


def test_logging_hours_starts_the_volunteers_clock_again_but_the_organisation_does_not(
    world, volunteer, placement
):
    long_ago = timezone.now() - timedelta(days=700)
    type(volunteer).objects.filter(pk=volunteer.pk).update(last_active_at=long_ago)
    log(placement, world.org_a_admin)
    volunteer.refresh_from_db()
    assert volunteer.last_active_at == long_ago
    log(placement, volunteer.user, days_ago=2)
    volunteer.refresh_from_db()
    assert volunteer.last_active_at > long_ago


def test_a_deleted_volunteers_placement_takes_no_more_hours(world, volunteer, placement):
    delete_volunteer(volunteer=volunteer, by=volunteer.user)
    placement.refresh_from_db()
    unchanged(lambda: log(placement, world.org_a_admin), "This volunteer has deleted their account")


# --------------------------------------------------------------- at the same moment


def _together(jobs):
    return threads.run_together(jobs, refusals=VolunteeringError, said=lambda exc: exc.reason)


@pytest.mark.django_db(transaction=True)
def test_two_entries_for_one_day_at_once_cannot_pass_24_hours():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    volunteer = volunteer_of()
    first = placement_of(
        world, volunteer, opportunity_of(world, broker, title="Gardener"), started_days_ago=5
    )
    second = placement_of(
        world, volunteer, opportunity_of(world, broker, title="Driver"), started_days_ago=5
    )
    for day in range(3):  # three days: the threads meet inside the service at least once
        on = TODAY() - timedelta(days=day)
        results = _together(
            [
                lambda on=on: log_hours(placement=first, by=volunteer.user, on=on, hours="14"),
                lambda on=on: log_hours(placement=second, by=world.org_a_admin, on=on, hours="14"),
            ]
        )
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], (day, results)
        refused = next(said for kind, said in results if kind == "refused")
        assert "14 hours are already logged for that day" in refused
        assert HourEntry.objects.filter(on=on).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_interests_at_once_make_one():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    volunteer = volunteer_of()
    for attempt in range(3):
        opportunity = opportunity_of(world, broker, title=f"Role {attempt}")
        results = _together([lambda o=opportunity: interest_of(volunteer, o) for _ in range(2)])
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        assert Interest.objects.filter(opportunity=opportunity).count() == 1
        assert (
            AuditEvent.objects.filter(
                action="interest.sent",
                object_id__in=[
                    str(pk)
                    for pk in Interest.objects.filter(opportunity=opportunity).values_list(
                        "pk", flat=True
                    )
                ],
            ).count()
            == 1
        )
        # One email to the administrator, not two.
        assert (
            Notification.objects.filter(kind=KIND, body_text__contains=f"Role {attempt}").count()
            == 1
        )
