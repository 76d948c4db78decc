"""Objects the permission matrix's volunteering rows point at (tests/permission_matrix.py).

Each is made once per world and found again after, since one world builds every URL in
some tests. On the brokers' rows the world's provider user is the broker: `broker(w)`
gives them a live grant (Option 1: the volunteer centre is a provider, its staff brokers),
so "provider" in those rows means a provider's person with the role, and every other role
(a provider's person without it is tested in tests/volunteering/test_broker_views.py) 404.
"""

from volunteering.models import Broker, Opportunity

DRAFT = "Matrix draft opportunity"
SUBMITTED = "Matrix submitted opportunity"


def broker(w):
    """The world's provider user, with a live broker grant."""
    grant = Broker.objects.live().filter(user=w.provider_user).first()
    return grant or Broker.objects.create(
        user=w.provider_user, provider=w.provider, granted_by=w.manager
    )


def as_broker(w) -> dict:
    """No URL arguments: the page is the brokers' own, so the provider user becomes one."""
    broker(w)
    return {}


def draft(w):
    """Organisation A's draft, complete, so that it can be sent (and withdrawn)."""
    from .support import drafted

    found = Opportunity.objects.filter(organisation=w.org_a, title=DRAFT).first()
    return found or drafted(w, title=DRAFT)


def submitted(w):
    """Organisation A's opportunity waiting for a broker, and the provider user a broker."""
    from .support import submitted as make

    broker(w)
    found = Opportunity.objects.filter(organisation=w.org_a, title=SUBMITTED).first()
    return found or make(w, title=SUBMITTED)


PUBLISHED = "Matrix published opportunity"


def published(w):
    """Organisation A's opportunity, published by the world's provider user as broker."""
    from .support import published as make

    found = Opportunity.objects.filter(organisation=w.org_a, title=PUBLISHED).first()
    return found or make(w, broker(w).user, title=PUBLISHED)


# --------------------------------------------------------------- volunteers
# On the volunteers' rows, organisation B's administrator is also a volunteer (anyone may
# be): "org_b" is the volunteer, "org_a" the organisation whose opportunity they are
# interested in, and everyone else is not a volunteer (sent to sign up, or 404).

INTERESTED = "Matrix opportunity a volunteer is interested in"
PLACED = "Matrix opportunity a volunteer is placed in"
OPEN = "Matrix opportunity open to interest"


def volunteer(w):
    """Organisation B's administrator, signed up as a volunteer."""
    from volunteering.models import Volunteer
    from volunteering.volunteer_services import save_profile

    found = Volunteer.objects.filter(user=w.org_b_admin).first()
    return found or save_profile(
        user=w.org_b_admin,
        name="Matrix Volunteer",
        fields={"postcode_district": "LE2", "age_band": "25-34", "contact_by": "email"},
        themes=[],
    )


def as_volunteer(w) -> dict:
    volunteer(w)
    return {}


def _published(w, title):
    from .support import published as make

    found = Opportunity.objects.filter(organisation=w.org_a, title=title).first()
    return found or make(w, broker(w).user, title=title)


def open_to_interest(w):
    """A published opportunity of organisation A's that the volunteer has not answered."""
    volunteer(w)
    return _published(w, OPEN)


def interest(w):
    """The volunteer's interest in organisation A's opportunity, not yet answered."""
    from volunteering.models import Interest
    from volunteering.volunteer_services import express_interest

    person = volunteer(w)
    opportunity = _published(w, INTERESTED)
    found = Interest.objects.filter(volunteer=person, opportunity=opportunity).first()
    return found or express_interest(
        volunteer=person, by=w.org_b_admin, opportunity=opportunity, message="I can help."
    )


def placed(w):
    """An interest organisation A accepted: the placement is active."""
    from volunteering.models import Interest
    from volunteering.volunteer_services import answer_interest, express_interest

    person = volunteer(w)
    opportunity = _published(w, PLACED)
    found = Interest.objects.filter(volunteer=person, opportunity=opportunity).first()
    if found:
        return found
    made = express_interest(volunteer=person, by=w.org_b_admin, opportunity=opportunity, message="")
    return answer_interest(interest=made, by=w.org_a_admin, to="accepted")


def hour_entry(w):
    """Hours organisation A logged on the placement, for the volunteer to confirm."""
    from django.utils import timezone

    from volunteering.volunteer_services import log_hours

    placement = placed(w).placement
    found = placement.hours.first()
    return found or log_hours(
        placement=placement, by=w.org_a_admin, on=timezone.localdate(), hours="2.5"
    )


def with_figures(w) -> dict:
    """The report with something in it: a placement with confirmed hours and an hour's
    value set; the provider user is a broker (who may see the figures)."""
    from decimal import Decimal

    from volunteering.services import set_hour_value
    from volunteering.volunteer_services import answer_hours

    entry = hour_entry(w)
    if entry.status == "logged":
        answer_hours(entry=entry, by=w.org_b_admin, confirm=True)
    set_hour_value(by=w.manager, value=Decimal("12.50"), source="Matrix source")
    return {}


def with_equality_answers(w) -> dict:
    """The volunteer's equality answers, given with consent; the provider user a broker."""
    from volunteering.volunteer_services import save_equality

    broker(w)
    person = volunteer(w)
    answers = {"gender": "Woman", "ethnic_group": "White", "disabled": "Prefer not to say"}
    save_equality(volunteer=person, by=w.org_b_admin, consent=True, answers=answers)
    return {}


def suggestible(w):
    """The volunteer and a published opportunity that suits them, not yet suggested, with
    the provider user a broker: (volunteer, opportunity)."""
    broker(w)
    person = volunteer(w)
    return person, open_to_interest(w)


ADVICE = "Matrix question: how do we pay volunteers' bus fares?"


def advice(w):
    """Organisation A's advice request, waiting for an answer; the provider user a broker."""
    from volunteering.advice_services import ask_for_advice
    from volunteering.models import AdviceRequest

    broker(w)
    found = AdviceRequest.objects.filter(organisation=w.org_a, question=ADVICE).first()
    return found or ask_for_advice(
        by=w.org_a_admin,
        organisation=w.org_a,
        fields={"question": ADVICE, "topic": "expenses", "reply_by": "email", "phone": ""},
    )


def volunteer_advice(w):
    """The volunteer's own question to the volunteer centre (no organisation named)."""
    from volunteering.advice_services import ask_for_advice
    from volunteering.models import AdviceRequest

    volunteer(w)
    found = AdviceRequest.objects.of_volunteer(w.org_b_admin).first()
    return found or ask_for_advice(
        by=w.org_b_admin,
        fields={"question": "What does a DBS check involve?", "topic": "dbs_safeguarding",
                "reply_by": "email", "phone": ""},
    )  # fmt: skip


# --- Events (the world's provider user is the broker who runs them)

EVENT_DRAFT = "Matrix draft event"
EVENT_PUBLISHED = "Matrix published event"
EVENT_PAST = "Matrix past event"


def _event(w, title, *, publish=True):
    from volunteering.models import Event

    from .events_support import draft_event, published_event

    found = Event.objects.filter(title=title).first()
    if found:
        return found
    return (published_event if publish else draft_event)(broker(w).user, title=title)


def event_draft(w):
    return _event(w, EVENT_DRAFT, publish=False)


def event_published(w):
    return _event(w, EVENT_PUBLISHED)


def booking_a(w):
    """Organisation A's administrator's place on the published event."""
    from volunteering.events_services import book_place

    event = event_published(w)
    found = event.bookings.filter(user=w.org_a_admin).first()
    return found or book_place(event=event, by=w.org_a_admin)


def past_event(w):
    """An event that took place yesterday, with organisation A's administrator attending."""
    from volunteering.events_services import record_attendance
    from volunteering.models import Event

    from .events_support import past_event_with

    found = Event.objects.filter(title=EVENT_PAST).first()
    if found:
        return found
    event, (booking,) = past_event_with(broker(w).user, [w.org_a_admin], title=EVENT_PAST)
    record_attendance(event=event, by=broker(w).user, present={booking.pk})
    return event


def attended_booking_a(w):
    return past_event(w).bookings.get(user=w.org_a_admin)


# --------------------------------------------------------------- the volunteer centre's funding
# The world's provider is the volunteer centre (its user the broker), with the demo's
# agreement: report 1 accepted and paid, report 2 sent, report 3's period under way.


def agreement(w):
    from datetime import timedelta

    from django.utils import timezone

    from allowances.rules import financial_year_of
    from notifications.rules import add_months
    from volunteering.demo_agreement import seed_agreement
    from volunteering.models import CentreAgreement

    from ..factories import BudgetYearFactory

    found = CentreAgreement.objects.filter(provider=w.provider).first()
    if found:
        return found
    broker(w)
    today = timezone.localdate()
    starts = add_months(today.replace(day=1), -7)
    BudgetYearFactory(start_year=financial_year_of(starts))
    BudgetYearFactory(start_year=financial_year_of(starts + timedelta(days=1)))

    class Quiet:
        def write(self, line):
            pass

    return seed_agreement(Quiet(), w.provider_user, today)


def report_sent(w):
    return agreement(w).reports.get(period=2)


def report_in_progress(w):
    return agreement(w).reports.get(period=3)
