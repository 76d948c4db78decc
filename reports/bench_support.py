"""The volunteer centre's support for volunteer managers at a city's scale (issue 14), for
the events and advice reports: at --scale 1, 600 events over two years (one in twenty
cancelled) with 20 bookings each (attended, not attended or cancelled once past; booked
while to come) and feedback from half of those who attended, and 10,000 advice requests
(answered, answered then closed, or waiting), inserted in bulk by `manage.py seed_bench`
after the volunteers. `bench_pages` times both reports and their XLSX downloads.
"""

import time
from datetime import timedelta

from django.utils import timezone

from organisations.models import User
from volunteering import advice_rules, events_rules
from volunteering.models import AdviceRequest, Booking, Event, Feedback

from .bench_waiting import BATCH

EVENTS = 600  # at --scale 1
PER_EVENT = 20
ADVICE = 10_000
DAYS = 730  # two years back, and a month ahead


def _booking_status(event: Event, k: int, now) -> str:
    """Booked while to come; once past, one in ten cancelled, then two attended in three."""
    if event.starts_at > now:
        return events_rules.BOOKED
    if k % 10 == 0:
        return events_rules.CANCELLED
    return events_rules.NO_SHOW if k % 3 == 0 else events_rules.ATTENDED


def _starts(n: int, count: int, now):
    """The n-th of `count` events, spread from two years back to a month ahead."""
    return now - timedelta(days=DAYS) + timedelta(days=(DAYS + 30) * n / count)


def seed_support(*, scale, orgs, broker, started, stdout) -> None:
    now = timezone.now()
    people = list(
        User.objects.filter(email__startswith="bench-volunteer-")
        .order_by("pk")
        .values_list("pk", flat=True)[: 4000 * scale]
    )
    count = EVENTS * scale
    events = Event.objects.bulk_create(
        (
            Event(
                kind=events_rules.NETWORKING if n % 3 == 0 else events_rules.TRAINING,
                title=f"Bench event {n}",
                description="Recruiting, supporting and keeping volunteers.",
                starts_at=_starts(n, count, now),
                ends_at=_starts(n, count, now) + timedelta(hours=2),
                online=n % 4 == 0,
                joining_link="https://meet.example.org/bench" if n % 4 == 0 else "",
                venue="" if n % 4 == 0 else "9 Newarke Street, Leicester LE1 5SN",
                capacity=30,
                status=events_rules.CANCELLED if n % 20 == 19 else events_rules.PUBLISHED,
                published_at=now - timedelta(days=DAYS + 30),
                cancelled_at=now if n % 20 == 19 else None,
                created_by=broker,
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    bookings = []
    for n, event in enumerate(events):
        if event.status == events_rules.CANCELLED:
            continue
        for k in range(PER_EVENT):
            status = _booking_status(event, k, now)
            bookings.append(
                Booking(
                    event=event,
                    user_id=people[(n * PER_EVENT + k) % len(people)],
                    organisation=orgs[(n + k) % len(orgs)],
                    status=status,
                    cancelled_at=now if status == events_rules.CANCELLED else None,
                    attendance_recorded_at=event.ends_at
                    if status in (events_rules.ATTENDED, events_rules.NO_SHOW)
                    else None,
                    attendance_recorded_by=broker
                    if status in (events_rules.ATTENDED, events_rules.NO_SHOW)
                    else None,
                )
            )
    bookings = Booking.objects.bulk_create(bookings, batch_size=BATCH)
    Feedback.objects.bulk_create(
        (
            Feedback(booking=b, rating=1 + b.pk % 5, comment="Useful." if b.pk % 3 else "")
            for b in bookings
            if b.status == events_rules.ATTENDED and b.pk % 2 == 0
        ),
        batch_size=BATCH,
    )
    topics = list(advice_rules.TOPICS)
    requests = []
    for i in range(ADVICE * scale):
        asked = now - timedelta(days=i % DAYS, hours=i % 24)
        state = i % 10  # 0-6 answered, 7 answered then closed, 8-9 waiting
        answered = state <= 7
        requests.append(
            AdviceRequest(
                asked_by_id=people[i % len(people)],
                organisation=orgs[i % len(orgs)] if i % 3 else None,
                question="How do we find volunteers for weekend roles?",
                topic=topics[i % len(topics)],
                status=advice_rules.OPEN
                if not answered
                else advice_rules.CLOSED
                if state == 7
                else advice_rules.ANSWERED,
                minutes=15 + (i % 6) * 15 if answered else 0,
                answer="Try the college's volunteering fair." if answered else "",
                answered_by=broker if answered else None,
                answered_at=asked + timedelta(days=1) if answered else None,
                closed_by=broker if state == 7 else None,
                closed_at=asked + timedelta(days=2) if state == 7 else None,
                asked_at=asked,
            )
        )
    AdviceRequest.objects.bulk_create(requests, batch_size=BATCH)
    stdout.write(
        f"  [{time.monotonic() - started:6.1f}s] {len(events):,} events, {len(bookings):,} "
        f"bookings, {len(requests):,} advice requests"
    )
