"""The bench's volunteers and what they did, at a city's scale (issue 14): at --scale 1,
20,000 volunteers, 50,000 interests (two or three each, in published opportunities), the
accepted ones placements (about 20,000), and 200,000 hour entries on them (ten each, most
confirmed), inserted in bulk by `manage.py seed_bench` after the opportunities; equality
answers from three in five of them (with consent; each answer in turn, "Prefer not to say"
among them, one question in seven left blank); and an hour's value set, so the volunteering
figures multiply. `bench_pages` times the managers' volunteering figures (the summary, the
table by theme and by district, the XLSX) and the equality monitoring figures on them.
"""

import time
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from organisations.models import PriorityTheme, User
from volunteering import volunteer_rules as vr
from volunteering.models import (
    EqualityMonitoring,
    HourEntry,
    Interest,
    Opportunity,
    Placement,
    Volunteer,
    VolunteerHourValue,
)

from .bench_waiting import BATCH

VOLUNTEERS = 20_000  # at --scale 1
INTERESTS = 50_000
HOURS = 200_000
BANDS = ["18-24", "25-34", "35-49", "50-64", "65+"]
DISTRICTS = [f"LE{n}" for n in range(1, 20)]


def _status(roll: float) -> str:
    if roll < 0.40:
        return vr.ACCEPTED
    if roll < 0.55:
        return vr.DECLINED
    if roll < 0.65:
        return vr.TALKING
    if roll < 0.75:
        return vr.WITHDRAWN
    return vr.SENT


def _equality(volunteer: Volunteer, n: int) -> EqualityMonitoring:
    """The n-th volunteer's answers: each question's answers in turn, one in seven blank."""

    def answer(answers: list[str], step: int) -> str:
        return "" if (n + step) % 7 == 0 else answers[(n // 5 + step) % len(answers)]

    return EqualityMonitoring(
        volunteer=volunteer,
        gender=answer(vr.GENDERS, 0),
        ethnic_group=answer(vr.ETHNIC_GROUPS, 1),
        disabled=answer(vr.DISABLED, 2),
    )


def seed_volunteers(*, rng, scale, manager, started, stdout) -> None:
    now, today = timezone.now(), timezone.localdate()
    count = VOLUNTEERS * scale
    users = User.objects.bulk_create(
        (
            User(
                email=f"bench-volunteer-{n}@example.org",
                full_name=f"Volunteer {n}",
                password="!",  # unusable: nobody signs in as them
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    volunteers = Volunteer.objects.bulk_create(
        (
            Volunteer(
                user=user,
                postcode_district=DISTRICTS[n % len(DISTRICTS)],
                age_band=BANDS[n % len(BANDS)],
                skills="Listening, driving" if n % 3 else "Cooking",
                weekends=n % 2 == 0,
                weekday_evenings=n % 3 == 0,
                contact_by="email",
                created_at=now - timedelta(days=n % 700),
                last_active_at=now - timedelta(days=n % 500),
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    EqualityMonitoring.objects.bulk_create(
        (_equality(v, n) for n, v in enumerate(volunteers) if n % 5 < 3), batch_size=BATCH
    )
    themes = list(PriorityTheme.objects.order_by("pk"))
    Volunteer.themes.through.objects.bulk_create(
        (
            Volunteer.themes.through(volunteer=v, prioritytheme=themes[n % len(themes)])
            for n, v in enumerate(volunteers)
        ),
        batch_size=BATCH,
    )
    opportunities = list(
        Opportunity.objects.filter(status="published").order_by("pk").values_list("pk", flat=True)
    )
    interests = []
    for i in range(INTERESTS * scale):
        volunteer = volunteers[i % count]
        k = i // count  # the volunteer's first, second or third interest: another role
        status = _status(rng.random())
        sent = now - timedelta(days=1 + (i * 7) % 360, hours=i % 24)
        answered = sent + timedelta(hours=6 + i % 200) if status != vr.SENT else None
        interests.append(
            Interest(
                opportunity_id=opportunities[(i * 13 + k * 101) % len(opportunities)],
                volunteer=volunteer,
                status=status,
                decline_reason="Every place is taken." if status == vr.DECLINED else "",
                created_at=sent,
                answered_at=answered if status != vr.WITHDRAWN else None,
                answered_by=manager if answered and status != vr.WITHDRAWN else None,
                decided_at=answered if status in (vr.ACCEPTED, vr.DECLINED) else None,
            )
        )
    interests = Interest.objects.bulk_create(interests, batch_size=BATCH)
    placements = Placement.objects.bulk_create(
        (
            Placement(
                interest=interest,
                started_on=timezone.localtime(interest.answered_at).date(),
                status=vr.ACTIVE,
            )
            for interest in interests
            if interest.status == vr.ACCEPTED
        ),
        batch_size=BATCH,
    )
    # HOURS × scale entries in all: each placement `per`, the first `extra` one more.
    per, extra = divmod(HOURS * scale, max(1, len(placements)))
    entries = []
    for p, placement in enumerate(placements):
        for e in range(per + (p < extra)):
            on = placement.started_on + timedelta(days=7 * e)
            if on > today:  # a recent placement: its sessions so far, one a day back
                on = today - timedelta(days=e)
            entries.append(
                HourEntry(
                    placement=placement,
                    on=on,
                    hours=Decimal(1 + (p + e) % 4),
                    by_volunteer=e % 2 == 0,
                    status=vr.CONFIRMED if e % 5 else vr.LOGGED,
                    answered_at=now if e % 5 else None,
                )
            )
        if len(entries) >= BATCH * 4:
            HourEntry.objects.bulk_create(entries, batch_size=BATCH)
            entries = []
    HourEntry.objects.bulk_create(entries, batch_size=BATCH)
    VolunteerHourValue.objects.create(
        value=Decimal("12.21"), source="The National Living Wage (bench)", set_by=manager
    )
    stdout.write(
        f"  [{time.monotonic() - started:6.1f}s] {count:,} volunteers, {len(interests):,} "
        f"interests, {len(placements):,} placements, "
        f"{HourEntry.objects.count():,} hour entries"
    )
