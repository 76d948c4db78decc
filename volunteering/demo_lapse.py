"""Demo data for closing dates (issue 14), called by volunteering.demo: Braunstone
(org2@example.org) has a published opportunity that closes in 5 days, so its list shows
"Closes in 5 days", its page links to extending it, and the daily job reminds its
administrators when it next runs. Made through the services."""

from datetime import timedelta

from .services import approve_opportunity, save_draft, submit_opportunity

CLOSING_SOON = "Food bank packer"


def seed_closing_soon(stdout, *, admin, broker, theme, today) -> None:
    opportunity = save_draft(
        organisation=admin.membership.organisation,
        by=admin,
        fields={
            "title": CLOSING_SOON,
            "description": "Sort donations and pack food parcels for families in need.",
            "skills_gained": "Teamwork, and food hygiene training.",
            "theme": theme,
            "venue_postcode": "LE3 1QP",
            "schedule": "regular",
            "hours_a_week": "2",
            "starts_on": today,
            "ends_on": today + timedelta(days=5),
            "places": 4,
            "minimum_age": 18,
        },
    )
    submit_opportunity(opportunity=opportunity, by=admin)
    approve_opportunity(opportunity=opportunity, by=broker)
    stdout.write(
        f"  Volunteering: Braunstone's {CLOSING_SOON} closes in 5 days (org2@example.org: "
        "Volunteering opportunities, Extend the closing date)"
    )
