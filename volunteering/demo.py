"""Demo data for section C, called by `seed_demo`: the volunteer centre's broker, and
opportunities in every state the pages know so far (issue 14).

Voluntary Action Leicestershire (provider2@example.org) is the volunteer centre: the
manager grants its person the broker role. Highfields (org@example.org) has a draft, one
waiting for the broker's check and one sent back; Braunstone (org2@example.org) has one
published, one for 16 and 17-year-olds published, and one closed because it was filled.
Everything goes through the services, so the audit trail is real. Idempotent: nothing is
made again once the broker exists.
"""

from datetime import timedelta

from django.utils import timezone

from organisations.models import PriorityTheme, User
from providers.models import Provider

from .demo_advice import seed_advice
from .demo_agreement import seed_agreement
from .demo_events import seed_events
from .demo_lapse import seed_closing_soon
from .demo_search import seed_search_demo
from .models import Broker
from .services import (
    approve_opportunity,
    close_opportunity,
    grant_broker,
    save_draft,
    send_back_opportunity,
    submit_opportunity,
)

BROKER = "provider2@example.org"


def _fields(title: str, theme, today, **more) -> dict:
    return {
        "title": title,
        "description": more.pop(
            "description",
            "Join a friendly team, with training and a named person to support you.",
        ),
        "skills_gained": "Teamwork, confidence and a reference for job applications.",
        "theme": theme,
        "remote": False,
        "venue_postcode": "LE1 6ZG",
        "schedule": "regular",
        "hours_a_week": "3",
        "starts_on": today,
        "ends_on": today + timedelta(days=60),
        "places": 2,
        "minimum_age": 18,
        **more,
    }


def seed_volunteering(stdout, person) -> None:
    broker = User.objects.get(email=BROKER)
    if Broker.objects.filter(user=broker).exists():
        return
    manager = User.objects.get(email="manager@example.org")
    grant_broker(by=manager, user=broker, provider=Provider.objects.get(memberships__user=broker))
    today = timezone.localdate()
    themes = list(PriorityTheme.objects.all()[:3])
    highfields = User.objects.get(email="org@example.org")
    braunstone = User.objects.get(email="org2@example.org")

    def made(admin, title, theme, **more):
        return save_draft(
            organisation=admin.membership.organisation,
            by=admin,
            fields=_fields(title, theme, today, **more),
        )

    made(highfields, "Homework club helper", themes[0], description="Help children read.")
    submit_opportunity(
        opportunity=made(highfields, "Community garden volunteer", themes[1]), by=highfields
    )
    sent_back = made(highfields, "Lunch club driver", themes[2], dbs_needed=True)
    submit_opportunity(opportunity=sent_back, by=highfields)
    send_back_opportunity(
        opportunity=sent_back,
        by=broker,
        reason="Say whether drivers are paid mileage, and what insurance they need.",
    )
    for title, theme, more in (
        ("Youth football coach", themes[0], {"dbs_needed": True}),
        (
            "Young people's panel member",
            themes[1],
            {"minimum_age": 16, "suitable_for_under_18": True, "safeguarding_policy": True},
        ),
        ("Fun day steward", themes[2], {"schedule": "one_off", "hours_a_week": None,
                                         "one_off_date": today + timedelta(days=30),
                                         "ends_on": today + timedelta(days=23)}),
    ):  # fmt: skip
        published = made(braunstone, title, theme, **more)
        submit_opportunity(opportunity=published, by=braunstone)
        approve_opportunity(opportunity=published, by=broker)
    close_opportunity(opportunity=published, reason="filled", by=braunstone)
    seed_search_demo(stdout, broker, today)
    stdout.write(
        f"  Volunteering: {BROKER} is the volunteer centre's broker (Broker queue: one "
        "waiting); Highfields has a draft, one waiting and one sent back "
        "(org@example.org: Volunteering opportunities); Braunstone has two published and "
        "one filled (org2@example.org)"
    )
    seed_closing_soon(stdout, admin=braunstone, broker=broker, theme=themes[0], today=today)
    seed_advice(stdout)
    seed_events(stdout, broker)
    seed_agreement(stdout, broker)
