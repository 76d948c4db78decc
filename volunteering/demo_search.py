"""Demo data for the public search (issue 14): published opportunities from other demo
organisations, across the council's themes, districts, schedules and ages, so that each
filter of /volunteering/ finds something in `make run`. Called by demo.seed_volunteering
once its broker exists; made through the services, so the audit trail is real."""

from datetime import timedelta

from organisations.models import PriorityTheme, User

from .services import approve_opportunity, save_draft, submit_opportunity

YOUNG = {"minimum_age": 16, "suitable_for_under_18": True, "safeguarding_policy": True}

# (admin's email, title, theme's slug, what they do, skills gained, where and when, more)
OPPORTUNITIES = [
    (
        "org3@example.org",
        "Meadow conservation volunteer",
        "built-and-natural-environment",
        "Help look after Aylestone Meadows: cut back brambles, plant hedges and survey birds.",
        "Practical conservation skills and knowing the plants of the meadows.",
        {"venue_postcode": "LE2 8NQ", "schedule": "regular", "hours_a_week": "3"},
        {**YOUNG, "expenses_paid": True},
    ),
    (
        "org4@example.org",
        "English conversation café host",
        "neighbours-and-communities",
        "Chat with people learning English over tea and biscuits, on Tuesday mornings.",
        "Confidence, listening and meeting people from across the city.",
        {"venue_postcode": "LE4 5AA", "schedule": "regular", "hours_a_week": "2"},
        {"accessibility": "Ground floor hall with step-free entrance and an accessible toilet."},
    ),
    (
        "org5@example.org",
        "Allotment open day helper",
        "healthy-and-active-city",
        "Welcome visitors to our open day, sell plants and show children how to sow seeds.",
        "Gardening tips and event experience.",
        {"venue_postcode": "LE2 9AB", "schedule": "one_off", "one_off_days": 21},
        YOUNG,
    ),
    (
        "org6@example.org",
        "Telephone befriender for carers",
        "care-and-support",
        "Phone an unpaid carer each week for a friendly chat, from your own home.",
        "Listening skills and training in supporting carers.",
        {"remote": True, "venue_postcode": "", "schedule": "regular", "hours_a_week": "1"},
        {"dbs_needed": True},
    ),
    (
        "org7@example.org",
        "Welcome buddy for refugee families",
        "neighbours-and-communities",
        "Meet a newly arrived family, show them around the area and help with appointments.",
        "Understanding of the asylum system, and lasting friendships.",
        {"venue_postcode": "LE3 0AA", "schedule": "flexible"},
        {"dbs_needed": True, "expenses_paid": True},
    ),
    (
        "org8@example.org",
        "Woodwork mentor at the Men's Shed",
        "healthy-and-active-city",
        "Share your woodworking skills with members making furniture for local families.",
        "The satisfaction of teaching a craft.",
        {"venue_postcode": "LE3 6AA", "schedule": "regular", "hours_a_week": "4"},
        {},
    ),
    (
        "org9@example.org",
        "Social media volunteer",
        "place-to-do-business",
        "Write posts about the club's events and photograph them, from home or at the club.",
        "A portfolio of work and experience of social media for a charity.",
        {"remote": True, "venue_postcode": "LE5 4AA", "schedule": "flexible"},
        YOUNG,
    ),
    (
        "org2@example.org",
        "Homework club mentor",
        "children-and-young-people",
        "Help young people aged 11 to 14 with their homework after school.",
        "Experience of working with young people, useful for teaching or youth work.",
        {"venue_postcode": "LE3 1AA", "schedule": "regular", "hours_a_week": "2.5"},
        {"dbs_needed": True},
    ),
]


def seed_search_demo(stdout, broker, today) -> None:
    themes = {theme.slug: theme for theme in PriorityTheme.objects.all()}
    for email, title, theme, description, gained, when, more in OPPORTUNITIES:
        admin = User.objects.get(email=email)
        when = dict(when)
        if days := when.pop("one_off_days", None):
            # A one-off closes on or before its day (rules: the closing date's check).
            when["one_off_date"] = today + timedelta(days=days)
            when["ends_on"] = when["one_off_date"] - timedelta(days=2)
        opportunity = save_draft(
            organisation=admin.membership.organisation,
            by=admin,
            fields={
                "title": title,
                "description": description,
                "skills_gained": gained,
                "theme": themes[theme],
                "starts_on": today,
                "places": 4,
                "minimum_age": 18,
                "ends_on": today + timedelta(days=45 + 7 * len(title) % 40),
                **when,
                **more,
            },
        )
        submit_opportunity(opportunity=opportunity, by=admin)
        approve_opportunity(opportunity=opportunity, by=broker)
    stdout.write(
        f"  Volunteering: {len(OPPORTUNITIES)} more published opportunities to find at "
        "/volunteering/ (no account needed)"
    )
