"""The bench's volunteering opportunities, and the public search pages `bench_pages` times.

At --scale 1 a city's 3,000 opportunities (× the scale), inserted in bulk by `manage.py
seed_bench` after the agreed packages: most published and open, spread over the council's
themes, 19 districts, the three schedules and the ages, with titles and descriptions made
from a few dozen roles so that a keyword matches about as many as it would in a city
("garden" about one in twelve); the rest drafts, waiting, closed or past their closing
date, which the search must leave out. Each is complete, as the database requires of a
published one, and published by one of the bench's officers (the checks need a person);
each has its search document, as the trigger that seed_bench turns off would give it.
"""

import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from organisations.models import PriorityTheme
from volunteering.models import Opportunity

from .bench_waiting import BATCH

OPPORTUNITIES = 3000  # at --scale 1
DISTRICTS = [f"LE{n}" for n in range(1, 20)]
ROLES = [
    ("Community garden volunteer", "grow vegetables and look after the garden"),
    ("Befriender for older people", "visit an older person for a chat and a cup of tea"),
    ("Minibus driver", "drive members to the lunch club and back"),
    ("Homework club helper", "help children with reading and homework after school"),
    ("Food bank packer", "sort donations and pack food parcels for families"),
    ("Charity shop assistant", "serve customers and sort donated clothes and books"),
    ("Youth football coach", "coach a youth football team on Saturday mornings"),
    ("Lunch club host", "welcome guests, serve lunch and wash up"),
    ("Digital skills buddy", "help people use phones, email and online forms"),
    ("Conservation volunteer", "clear paths, plant hedges and survey wildlife"),
    ("Event steward", "welcome visitors and keep everyone safe at our fun day"),
    ("Treasurer", "keep the accounts and report to the committee each month"),
    ("Social media helper", "write posts and take photographs of our events"),
    ("Walk leader", "lead a gentle health walk in the park each week"),
    ("Advice line volunteer", "answer calls and point people to the right help"),
    ("English conversation host", "chat with people learning English over tea"),
    ("Dementia café helper", "serve drinks and join in the activities with guests"),
    ("Litter pick organiser", "organise neighbours to keep the streets clean"),
    ("Woodwork mentor", "share woodworking skills with members of the shed"),
    ("Refugee welcome buddy", "help a new family find their way around the city"),
    ("Allotment helper", "dig, weed and harvest on the allotment garden"),
    ("Reading volunteer", "listen to children read at a primary school"),
    ("Sports session assistant", "set out equipment and encourage players"),
    ("Fundraising volunteer", "run stalls and collections for our appeal"),
]
SKILLS = ["Listening", "Teamwork", "First aid", "Driving", "Cooking", "Computers", "Patience"]


def _status(roll: float) -> tuple[str, str]:
    """(status, close reason): most published; some with the organisation, waiting or closed."""
    if roll < 0.80:
        return "published", ""
    if roll < 0.85:
        return "draft", ""
    if roll < 0.90:
        return "submitted", ""
    return "closed", "filled"


def seed_opportunities(*, rng, scale, orgs, people, started, stdout) -> int:
    """OPPORTUNITIES × scale opportunities of `orgs`, published by the bench's first officer."""
    today, now = timezone.localdate(), timezone.now()
    themes = list(PriorityTheme.objects.order_by("pk"))
    officer = people["officer"][0]
    made_by = people["organisation"][0]
    rows = []
    for i in range(OPPORTUNITIES * scale):
        title, doing = ROLES[i % len(ROLES)]
        status, reason = _status(rng.random())
        schedule = ("regular", "one_off", "flexible")[i % 3] if i % 5 else "regular"
        young = i % 4 == 0
        remote = i % 9 == 0
        district = DISTRICTS[i % len(DISTRICTS)]
        # One in twenty published rows is past its closing date, not yet closed by the job.
        ends_on = today + timedelta(days=rng.randint(-20, 120) if i % 20 == 0 else 7 + i % 90)
        checked = status in ("published", "closed")
        rows.append(
            Opportunity(
                organisation=orgs[i % len(orgs)],
                title=f"{title} ({district})",
                description=f"Come and {doing}. Training is given and expenses are paid.",
                skills_wanted=rng.choice(SKILLS),
                skills_gained=f"{rng.choice(SKILLS)} and a reference for job applications.",
                theme=themes[i % len(themes)],
                remote=remote,
                venue_postcode="" if remote and i % 2 else f"{district} 1AA",
                postcode_district="" if remote and i % 2 else district,
                schedule=schedule,
                one_off_date=ends_on if schedule == "one_off" else None,
                hours_a_week=Decimal(1 + i % 8) / 2 if schedule == "regular" else None,
                starts_on=None,
                ends_on=ends_on,
                places=1 + i % 5,
                minimum_age=16 if young else 18,
                suitable_for_under_18=young,
                safeguarding_policy=young,
                dbs_needed=i % 3 == 0,
                expenses_paid=True,
                status=status,
                close_reason=reason,
                checked_by=officer if checked else None,
                checked_at=now if checked else None,
                submitted_at=now - timedelta(days=30) if status != "draft" else None,
                published_at=now - timedelta(days=20) if checked else None,
                closed_at=now if status == "closed" else None,
                created_by=made_by,
                created_at=now - timedelta(days=40),
            )
        )
    Opportunity.objects.bulk_create(rows, batch_size=BATCH)
    # The trigger that keeps each search document is off while the bench seeds (replica
    # mode): the migration's function computes them, as the trigger would have.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE volunteering_opportunity SET search_document = "
            "volunteering_opportunity_document(title, description, skills_wanted, skills_gained) "
            "WHERE search_document IS NULL"
        )
    stdout.write(f"  [{time.monotonic() - started:6.1f}s] {len(rows):,} volunteering opportunities")
    return len(rows)


def search_pages(url) -> list[tuple[str, str]]:
    """(name, path) of the public search pages to time: `url(name, *args, **query)`."""
    today = timezone.localdate()
    published = Opportunity.objects.filter(status="published", ends_on__gte=today).order_by("pk")
    theme = PriorityTheme.objects.order_by("pk").first()
    return [
        ("volunteering search", url("volunteering:search")),
        ("volunteering search, keyword", url("volunteering:search", q="garden")),
        (
            "volunteering search, keyword, filters",
            url("volunteering:search", q="garden", district="LE2", no_dbs="on"),
        ),
        (
            "volunteering search, filters",
            url("volunteering:search", theme=theme.slug, schedule="regular", hours="3"),
        ),
        ("volunteering search, page 10", url("volunteering:search", page=10)),
        ("volunteering opportunity", url("volunteering:public_opportunity", published.first().pk)),
    ]
