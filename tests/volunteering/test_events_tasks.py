"""The hourly reminder job: registered with the worker, scheduled in beat's database by
the events' migration, and sending each reminder once even on two workers at once."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from volunteering.events_services import book_place
from volunteering.tasks import send_event_reminders

from .. import threads
from ..conftest import build_world
from .events_support import member, published_event
from .support import broker_for

TASK = "volunteering.tasks.send_event_reminders"


def test_the_worker_finds_the_job():
    from vcs_support.celery import app

    app.loader.import_default_modules()  # what a worker does at start-up
    assert TASK in app.tasks


@pytest.mark.django_db
def test_the_job_is_scheduled_hourly_in_the_database():
    job = PeriodicTask.objects.select_related("crontab").get(task=TASK)
    assert job.enabled
    assert (job.crontab.minute, job.crontab.hour) == ("10", "*")
    assert str(job.crontab.timezone) == "Europe/London"


def _morning_before(starts):
    return (starts - timedelta(days=1)).replace(hour=9, minute=10)


def _event_tomorrow(world, **changes):
    broker = broker_for(world.provider, world.manager)
    zone = timezone.get_current_timezone()
    starts = datetime.combine(
        timezone.localdate() + timedelta(days=2), datetime.min.time(), tzinfo=zone
    ).replace(hour=10)
    event = published_event(
        broker, starts_at=starts, ends_at=starts + timedelta(hours=2), **changes
    )
    return event, starts


@pytest.mark.django_db
def test_the_job_reminds_each_person_with_a_place_once(world):
    event, starts = _event_tomorrow(world, capacity=2)
    for person in (world.org_a_admin, world.org_b_admin, world.org_a_member):
        book_place(event=event, by=person)
    with time_machine.travel(_morning_before(starts)):
        assert send_event_reminders() == {"reminded": 2}
        assert send_event_reminders() == {"reminded": 0}
    sent = Notification.objects.filter(subject__contains="is tomorrow")
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(
        [world.org_a_admin.email, world.org_b_admin.email]
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_once():
    world = build_world()
    event, starts = _event_tomorrow(world, capacity=20)
    for _ in range(6):
        book_place(event=event, by=member(world.org_a))
    with time_machine.travel(_morning_before(starts)):
        results = threads.run_together([send_event_reminders, send_event_reminders])
    assert all(kind == "ok" for kind, _ in results), results
    assert sum(result["reminded"] for _, result in results) == 6
    assert Notification.objects.filter(subject__contains="is tomorrow").count() == 6
