"""Demo volunteers for `seed_demo` (issue 14), after the opportunities (volunteering.demo).

- volunteer@example.org (Sam): placed as Braunstone's youth football coach for two weeks,
  with hours confirmed, hours the organisation logged for Sam to confirm and hours Sam
  logged for Braunstone to confirm; and interest in the young people's panel that nobody
  has answered for 8 days (on the brokers' queue, overdue).
- volunteer2@example.org (Jo, 16): Braunstone asked to talk about the young people's panel.

Everything goes through the services; only the dates are moved back afterwards, so that a
placement that started two weeks ago can have hours, and unanswered interest has waited.
Idempotent: nothing is made again once Sam is a volunteer.
"""

from datetime import timedelta

from django.utils import timezone

from organisations.models import PriorityTheme, User

from .models import Interest, Opportunity, Placement, Volunteer
from .volunteer_services import (
    answer_hours,
    answer_interest,
    express_interest,
    log_hours,
    save_profile,
)

VOLUNTEERS = ("volunteer@example.org", "volunteer2@example.org")


def seed_volunteers(stdout, person) -> None:
    sam = person(VOLUNTEERS[0], "Sam Patel")
    if Volunteer.objects.filter(user=sam).exists():
        return
    jo = person(VOLUNTEERS[1], "Jo Young")
    braunstone = User.objects.get(email="org2@example.org")
    themes = list(PriorityTheme.objects.all()[:2])
    coach = Opportunity.objects.get(title="Youth football coach")
    panel = Opportunity.objects.get(title="Young people's panel member")
    today = timezone.localdate()

    sam_profile = save_profile(
        user=sam,
        name="Sam Patel",
        fields={
            "postcode_district": "LE3",
            "age_band": "25-34",
            "skills": "Football coaching, first aid, cooking",
            "weekends": True,
            "weekday_evenings": True,
            "hours_a_week": 4,
            "contact_by": "email",
        },
        themes=themes,
    )
    jo_profile = save_profile(
        user=jo,
        name="Jo Young",
        fields={
            "postcode_district": "LE4",
            "age_band": "16-17",
            "skills": "Social media, art",
            "weekday_evenings": True,
            "contact_by": "email",
        },
        themes=themes[1:],
    )
    placed = express_interest(
        volunteer=sam_profile,
        by=sam,
        opportunity=coach,
        message="I coached an under-11s team for three years and have a first aid certificate.",
    )
    answer_interest(interest=placed, by=braunstone, to="accepted")
    Placement.objects.filter(interest=placed).update(started_on=today - timedelta(days=14))
    placement = Placement.objects.get(interest=placed)
    for days_ago, hours, by in ((13, "2", sam), (6, "2.5", sam), (6, "1", braunstone)):
        entry = log_hours(
            placement=placement,
            by=by,
            on=today - timedelta(days=days_ago),
            hours=hours,
            note="Saturday training session" if by == sam else "Kit and pitch set-up",
        )
        if days_ago == 13:
            answer_hours(entry=entry, by=braunstone, confirm=True)
    waiting = express_interest(
        volunteer=sam_profile, by=sam, opportunity=panel, message="Could I help as a mentor?"
    )
    Interest.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=8))
    talking = express_interest(
        volunteer=jo_profile, by=jo, opportunity=panel, message="I am on my school council."
    )
    answer_interest(interest=talking, by=braunstone, to="talking")
    stdout.write(
        "  Volunteers: volunteer@example.org (Sam) is placed as Braunstone's youth football "
        "coach with hours to confirm, and waiting 8 days for an answer about the young "
        "people's panel (on the broker's queue); volunteer2@example.org (Jo, 16) is asked "
        "to talk"
    )
