"""Demo data: the community's own voice.

- A round that closed three days ago ("Representation grants 2026: spring"), whose
  Muslim community has two applicants (Highfields and Braunstone), and its backing
  window open now with voices counted: some online, one taken on the phone, one
  from a throwaway address (flagged to the moderator), comments approved and waiting.
- The demo's representative (Highfields, Indian community) with its year-1 verdict
  closed and its results: 7 people, an average of 3.43, above the round's threshold
  of 2.50, so no review is opened (the demo's concerns already show that process).

Made through the services while the windows are open; then the dates are moved into
the past, the one step not taken by a service (a demo cannot wait three weeks).
Idempotent: a round or verdict already made is left as it is.
"""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from organisations.models import User

from . import application_services, services
from .assisted_voice_services import record_assisted
from .consultation_services import close_ended, open_due
from .demo_rounds import fill, round_data
from .models import CommunityOfInterest, Consultation, GrantRound
from .rules import add_months, london_datetime
from .voice_moderation_services import approve_comment
from .voice_services import confirm_voice, send_voice

VOICE_ROUND = "Representation grants 2026: spring"
COMMUNITY = "Muslim community"
APPLICANTS = ["org@example.org", "org2@example.org"]  # Highfields, Braunstone
POSTCODE = "LE1 6ZG"

# (email, which applicant (index, None for "none of these"), comment, approved)
BACKERS = [
    ("amina.r@example.org", 0, "Highfields ran the food bank at our mosque in the winter.", True),
    ("yusuf.k@example.net", 0, "", False),
    ("farah.m@example.com", 1, "Braunstone's youth work reaches the young people.", False),
    ("imran.s@example.org", 1, "", False),
    ("zainab.h@example.net", None, "Neither has asked our women's group anything.", False),
]
FLAGGED = ("quick.vote@mailinator.com", 1)
ASSISTED = ("Bilal Hussain", 0, "Said at the community event: they come to our meetings.")

# The verdict: ratings 1 to 5 (average 3.43), and one comment approved.
RATINGS = [5, 4, 4, 3, 3, 3, 2]
VERDICT_COMMENT = "The newsletter is late, but they do come to the temple and listen."


def _round(manager, strand, today):
    """The round, made and published while open, applications sent; then closed 3 days ago."""
    data = round_data(
        VOICE_ROUND,
        strand,
        opens_on=today - timedelta(days=1),
        weeks_open=6,
        total="24000",
        each="12000",
    )
    grant_round = services.create_round(by=manager, data=data)
    services.set_round_communities(
        grant_round=grant_round,
        by=manager,
        communities=CommunityOfInterest.objects.filter(name=COMMUNITY),
    )
    grant_round = services.publish_round(grant_round=grant_round, by=manager)
    entry = grant_round.round_communities.get()
    sent = []
    for email in APPLICANTS:
        admin = User.objects.get(email=email)
        application = application_services.start_application(
            grant_round=grant_round,
            organisation=admin.membership.organisation,
            by=admin,
            round_community=entry,
        )
        fill(application, admin)
        sent.append(
            application_services.submit_application(
                application=application, by=admin, declaration_name=admin.full_name or "Demo"
            )
        )
    closes = timezone.now() - timedelta(days=3)
    starts = add_months(today.replace(day=1), 3)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=closes - timedelta(weeks=6),
        closes_at=closes,
        period_starts_on=starts,
        period_ends_on=add_months(starts, 12) - timedelta(days=1),
    )
    return entry, sent


def _said(n: int) -> dict:
    # A network each, so that the demo's own voices are not a burst from one source.
    return {
        "postcode": POSTCODE,
        "lives_in_area": True,
        "belongs": True,
        "ip_address": f"198.51.100.{n + 10}",
    }


def seed_backing(manager, officer, strand, today) -> str:
    if GrantRound.objects.filter(name=VOICE_ROUND).exists():
        return f"{VOICE_ROUND}: already seeded"
    entry, sent = _round(manager, strand, today)
    open_due(timezone.now())
    consultation = Consultation.objects.get(kind=Consultation.Kind.BACKING, round_community=entry)
    for n, (email, choice, comment, approved) in enumerate(BACKERS):
        _, token = send_voice(
            consultation=consultation,
            email=email,
            application=sent[choice] if choice is not None else None,
            none_of_these=choice is None,
            comment=comment,
            **_said(n),
        )
        voice = confirm_voice(token=token)
        if approved:
            approve_comment(voice=voice, by=officer)
    email, choice = FLAGGED
    _, token = send_voice(
        consultation=consultation, email=email, application=sent[choice], **_said(20)
    )
    confirm_voice(token=token)  # flagged: a throwaway address; the moderator decides
    name, choice, comment = ASSISTED
    record_assisted(
        consultation=consultation,
        by=officer,
        how="event",
        postcode=POSTCODE,
        name=name,
        application=sent[choice],
        comment=comment,
    )
    return (
        f"{VOICE_ROUND}: closed 3 days ago; the {COMMUNITY} is backing one of its two "
        f"applicants until {timezone.localtime(consultation.closes_at):%-d %B} (public: "
        "/representation-grants/have-your-say/; manager@example.org: the round's "
        "applications, the community's say, flagged voices; officer@example.org: comments "
        "to check, record a response taken at an event)"
    )


def seed_verdict(decision, officer) -> str:
    """The year-1 verdict on `decision`, made while open, then closed with its results."""
    if Consultation.objects.filter(representative=decision, year=1).exists():
        return "Yearly verdict: already seeded"
    now = timezone.now()
    # Set in the past explicitly: the real year-1 window (9 months into the grant) is
    # still to come, and the demo needs a closed one with results.
    consultation = Consultation.objects.create(
        kind=Consultation.Kind.VERDICT,
        round_community=decision.round_community,
        representative=decision,
        year=1,
        opens_at=london_datetime(timezone.localdate(now) - timedelta(days=24), time(0)),
        closes_at=now + timedelta(hours=1),
    )
    for n, rating in enumerate(RATINGS):
        _, token = send_voice(
            consultation=consultation,
            email=f"verdict{n + 1}@example.{('org', 'net', 'com')[n % 3]}",
            rating=rating,
            comment=VERDICT_COMMENT if n == 1 else "",
            **_said(30 + n),
        )
        voice = confirm_voice(token=token)
        if voice.comment:
            approve_comment(voice=voice, by=officer)
    ended = london_datetime(timezone.localdate(now) - timedelta(days=3), time(0))
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=ended)
    close_ended(timezone.now())
    consultation.refresh_from_db()
    average = Decimal(sum(RATINGS)) / len(RATINGS)
    return (
        f"Yearly verdict: {decision.application.organisation.name}'s year 1 closed, "
        f"{len(RATINGS)} people, average {average:.2f}, above the threshold "
        f"{consultation.threshold}: no review (public: /representation-grants/representatives/"
        f"{decision.pk}/; officer: Grant monitoring, the grant's page)"
    )


def seed(*, manager, officer, strand, today, decision) -> list[str]:
    """Both, as lines for seed_demo's log."""
    return [seed_backing(manager, officer, strand, today), seed_verdict(decision, officer)]
