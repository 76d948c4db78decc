"""A volunteer's data: deleting it keeps the statistics with nothing that says who it was,
takes the sign-in account unless it serves something else, and deletes the outbox's
emails to them; the inactivity job warns once, then deletes 30 days later, and signing
in starts the clock again."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from notifications.services import queue_email
from volunteering.models import EqualityMonitoring, HourEntry, Interest, Placement, Volunteer
from volunteering.volunteer_privacy import DELETED, KIND, delete_volunteer, run_inactivity
from volunteering.volunteer_services import answer_hours, answer_interest, log_hours, save_equality

from ..conftest import client_for
from ..factories import UserFactory
from .support import broker_for
from .volunteer_support import (
    interest_of,
    opportunity_of,
    placement_of,
    unchanged,
    volunteer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def volunteer():
    return volunteer_of(UserFactory(email="val@example.org", full_name="Val Unteer"))


@pytest.fixture
def history(world, broker, volunteer):
    """An accepted interest with confirmed and logged hours, and a declined one."""
    placement = placement_of(
        world, volunteer, opportunity_of(world, broker, title="Befriender"), started_days_ago=5
    )
    for days_ago, by in ((1, volunteer.user), (2, world.org_a_admin)):
        entry = log_hours(
            placement=placement,
            by=by,
            on=timezone.localdate() - timedelta(days=days_ago),
            hours="3",
            note="Visited Mrs Patel at 4 Oak Road",
        )
    answer_hours(entry=entry, by=volunteer.user, confirm=True)
    declined = interest_of(
        volunteer, opportunity_of(world, broker, title="Driver"), message="My number is 07700"
    )
    answer_interest(interest=declined, by=world.org_a_admin, to="declined", reason="Val has no car")
    save_equality(volunteer=volunteer, by=volunteer.user, consent=True, answers={"gender": "Woman"})
    return placement


def _email(to, kind="volunteering:to_volunteer"):
    return queue_email(to=to, subject="Hello", body_text="Hello", kind=kind)


def test_deleting_keeps_the_hours_in_the_statistics_with_no_volunteer(volunteer, history):
    hours = HourEntry.objects.aggregate(total=Sum("hours"))["total"]
    delete_volunteer(volunteer=volunteer, by=volunteer.user)
    assert not Volunteer.objects.exists() and not EqualityMonitoring.objects.exists()
    assert Interest.objects.count() == 2 and Placement.objects.count() == 1
    assert not Interest.objects.filter(volunteer__isnull=False).exists()
    assert HourEntry.objects.aggregate(total=Sum("hours"))["total"] == hours == Decimal(6)
    assert set(HourEntry.objects.values_list("status", flat=True)) == {"confirmed", "logged"}
    # The words they wrote, or that were written about them, are blanked.
    assert set(Interest.objects.values_list("message", flat=True)) == {""}
    assert set(HourEntry.objects.values_list("note", flat=True)) == {""}
    assert Interest.objects.get(status="declined").decline_reason == DELETED
    assert Interest.objects.get(status="accepted").decline_reason == ""


def test_the_trail_says_a_volunteer_was_deleted_and_not_who(volunteer, history):
    delete_volunteer(volunteer=volunteer, by=volunteer.user)
    event = AuditEvent.objects.get(action="volunteer.deleted")
    assert event.data == {"why": "asked"} and event.object_repr == f"Volunteer {volunteer.pk}"
    for kept in AuditEvent.objects.all():
        assert "Val" not in f"{kept.object_repr} {kept.data}"
        assert "val@example.org" not in f"{kept.object_repr} {kept.data}"


def test_a_person_who_only_volunteers_loses_their_account_and_emails(world, volunteer, history):
    user = volunteer.user
    _email("val@example.org", kind="accounts:something")
    _email("a@example.org")
    kept_for_others = Notification.objects.exclude(recipient="val@example.org").count()
    assert Notification.objects.filter(recipient="val@example.org").count() >= 3
    delete_volunteer(volunteer=volunteer, by=user)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.full_name == ""
    assert user.email == f"deleted-volunteer-{volunteer.pk}@deleted.invalid"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient__iexact="val@example.org").exists()
    assert Notification.objects.count() == kept_for_others


@pytest.mark.parametrize("belongs", ["organisation", "provider"])
def test_a_member_of_an_organisation_or_provider_keeps_their_account(world, belongs):
    user = world.org_b_admin if belongs == "organisation" else world.provider_user
    volunteer = volunteer_of(user)
    _email(user.email)  # as a volunteer
    _email(user.email, kind="volunteering:privacy")
    work = _email(user.email, kind="organisations:invitation")
    delete_volunteer(volunteer=volunteer, by=user)
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password() and user.full_name
    assert EmailAddress.objects.filter(user=user).exists()
    assert list(Notification.objects.filter(recipient=user.email)) == [work]
    assert not Volunteer.objects.exists()


def test_deleting_twice_is_refused(volunteer, history):
    delete_volunteer(volunteer=volunteer, by=volunteer.user)
    unchanged(
        lambda: delete_volunteer(volunteer=volunteer, by=volunteer.user),
        "This volunteer's data has already been deleted.",
    )


def test_only_the_volunteer_deletes_their_data(world, volunteer, history):
    other = volunteer_of()
    for someone in (other.user, world.org_a_admin, world.manager):
        unchanged(
            lambda by=someone: delete_volunteer(volunteer=volunteer, by=by),
            "Only the volunteer can delete their data.",
        )


def test_the_delete_page_deletes_and_signs_out_someone_who_only_volunteers(volunteer, history):
    client = client_for(volunteer.user)
    assert client.get(reverse("volunteering:volunteer_delete")).status_code == 200
    response = client.post(reverse("volunteering:volunteer_delete"))
    assert response["Location"] == reverse("start")
    assert not Volunteer.objects.exists()
    assert "_auth_user_id" not in client.session
    # Again (another tab): nothing to delete.
    response = client_for(UserFactory()).post(reverse("volunteering:volunteer_delete"))
    assert response["Location"] == reverse("start")


def test_the_delete_page_keeps_an_organisation_member_signed_in(world):
    volunteer_of(world.org_b_admin)
    client = client_for(world.org_b_admin)
    client.post(reverse("volunteering:volunteer_delete"))
    assert not Volunteer.objects.exists()
    assert client.session["_auth_user_id"] == str(world.org_b_admin.pk)


# --------------------------------------------------------------- inactive accounts

YEAR = timedelta(days=365)


def _inactive(volunteer, since):
    Volunteer.objects.filter(pk=volunteer.pk).update(last_active_at=since)


def test_the_job_warns_once_then_deletes_30_days_later(volunteer, history):
    start = timezone.now()
    _inactive(volunteer, start - timedelta(days=700))
    other = volunteer_of()  # active: left alone
    assert run_inactivity(start) == {"warned": 1, "deleted": 0}
    [warning] = Notification.objects.filter(kind=KIND)
    assert warning.recipient == "val@example.org"
    assert "/volunteer/" in warning.body_text
    assert AuditEvent.objects.filter(action="volunteer.deletion_warned").count() == 1
    # The next days: no second warning, no deletion yet.
    for days in (1, 29):
        assert run_inactivity(start + timedelta(days=days)) == {"warned": 0, "deleted": 0}
    assert Notification.objects.filter(kind=KIND).count() == 1
    assert run_inactivity(start + timedelta(days=30)) == {"warned": 0, "deleted": 1}
    assert list(Volunteer.objects.all()) == [other]
    assert AuditEvent.objects.get(action="volunteer.deleted").data == {"why": "inactive"}
    assert AuditEvent.objects.get(action="volunteer.deleted").actor is None
    assert HourEntry.objects.count() == 2  # the statistics stay
    assert run_inactivity(start + timedelta(days=31)) == {"warned": 0, "deleted": 0}


def test_signing_in_after_the_warning_starts_the_clock_again(volunteer):
    start = timezone.now() - timedelta(days=40)
    _inactive(volunteer, start - timedelta(days=700))
    assert run_inactivity(start) == {"warned": 1, "deleted": 0}
    with time_machine.travel(start + timedelta(days=10), tick=False):
        client_for(volunteer.user)  # signs in: Django's user_logged_in signal
    volunteer.refresh_from_db()
    assert volunteer.deletion_warned_at is None
    assert volunteer.last_active_at == start + timedelta(days=10)
    assert run_inactivity(start + timedelta(days=30)) == {"warned": 0, "deleted": 0}
    assert run_inactivity(start + timedelta(days=10) + 2 * YEAR) == {"warned": 1, "deleted": 0}
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_signing_in_as_someone_else_does_not_touch_the_volunteer(world, volunteer):
    long_ago = timezone.now() - timedelta(days=700)
    _inactive(volunteer, long_ago)
    client_for(world.org_a_admin)
    volunteer.refresh_from_db()
    assert volunteer.last_active_at == long_ago


def test_one_volunteer_failing_does_not_stop_the_rest(volunteer, monkeypatch):
    from volunteering import volunteer_privacy

    second = volunteer_of()
    long_ago = timezone.now() - timedelta(days=700)
    _inactive(volunteer, long_ago)
    _inactive(second, long_ago)
    real = volunteer_privacy._warn

    def warn(person, now):
        if person.pk == volunteer.pk:
            raise RuntimeError("the outbox is down")
        return real(person, now)

    monkeypatch.setattr(volunteer_privacy, "_warn", warn)
    assert run_inactivity() == {"warned": 1, "deleted": 0}
    volunteer.refresh_from_db()
    assert volunteer.deletion_warned_at is None
