"""Volunteers' writes: the profile, interest and its answer, placements and hours.

As in services.py: one transaction each, the changed row taken with its lock and its
move checked again under it (volunteer_rules' tables), `update_fields`, an audit event,
and emails through the outbox after commit. A refusal raises VolunteeringError and
changes nothing.

Audit events name volunteers by id only (`Volunteer.__str__` and the events' data hold
no name or address), so that deleting a volunteer leaves nothing in the trail that says
who they were.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from diagnostics.rules import long_date
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership
from organisations.validators import DISTRICT, compact_input

from . import rules
from . import volunteer_rules as vr
from .models import (
    EqualityMonitoring,
    HourEntry,
    Interest,
    Opportunity,
    Placement,
    Suggestion,
    Volunteer,
)
from .services import VolunteeringError, _require_member

KIND = "volunteering:volunteer"
# Emails to the volunteer themself: deleted with their data (volunteer_privacy).
TO_VOLUNTEER = "volunteering:to_volunteer"

PROFILE_FIELDS = (
    "postcode_district",
    "age_band",
    "skills",
    "weekday_daytimes",
    "weekday_evenings",
    "weekends",
    "hours_a_week",
    "contact_by",
    "phone",
)


def _refuse_unless(decision) -> None:
    if not decision:
        raise VolunteeringError(decision.reason)


def _touch(volunteer: Volunteer) -> None:
    """The volunteer did something: the inactivity clock starts again."""
    Volunteer.objects.filter(pk=volunteer.pk).update(
        last_active_at=timezone.now(), deletion_warned_at=None
    )


def _require_volunteer_of(user, volunteer_id: int | None) -> None:
    profile = getattr(user, "volunteer", None) if user.is_authenticated else None
    if profile is None or volunteer_id is None or profile.pk != volunteer_id:
        raise VolunteeringError(_("Only the volunteer can do this. Nothing was changed."))


# --------------------------------------------------------------- the profile


@transaction.atomic
def save_profile(*, user, name: str, fields: dict, themes) -> Volunteer:
    """Create the person's volunteer profile (the volunteer role), or change it, with the
    name on their account (the one thing organisations see besides how to contact them)."""
    if unknown := set(fields) - set(PROFILE_FIELDS):
        raise ValueError(f"not a volunteer's field: {sorted(unknown)}")
    if user.must_use_two_factor:
        raise VolunteeringError(
            _("Council staff cannot volunteer through their staff account. Nothing was saved.")
        )
    fields = dict(fields)
    fields["postcode_district"] = compact_input(fields.get("postcode_district", ""))
    problems = {}
    name = " ".join((name or "").split())
    if not name:
        problems["full_name"] = _("Enter your name")
    if not DISTRICT.match(fields["postcode_district"]):
        problems["postcode_district"] = _("Enter the first part of your postcode, like LE2 or LE11")
    if fields.get("age_band") not in vr.AGE_BANDS:
        problems["age_band"] = _("Select your age")
    if fields.get("contact_by") == "phone" and not (fields.get("phone") or "").strip():
        problems["phone"] = _("Enter a phone number, or choose to be contacted by email")
    if problems:
        raise VolunteeringError(next(iter(problems.values())), problems)
    volunteer = Volunteer.objects.select_for_update().filter(user=user).first()
    created = volunteer is None
    if created:
        volunteer = Volunteer(user=user)
    for field, value in fields.items():
        setattr(volunteer, field, value.strip() if isinstance(value, str) else value)
    volunteer.last_active_at, volunteer.deletion_warned_at = timezone.now(), None
    volunteer.save()
    volunteer.themes.set(themes)
    if user.full_name != name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    record(
        actor=user,
        action="volunteer.registered" if created else "volunteer.changed",
        obj=volunteer,
    )
    return volunteer


@transaction.atomic
def save_equality(*, volunteer: Volunteer, by, consent: bool, answers: dict):
    """Keep the optional equality answers, only with consent; without it, delete any kept."""
    _require_volunteer_of(by, volunteer.pk)
    if not consent:
        deleted, _rows = EqualityMonitoring.objects.filter(volunteer=volunteer).delete()
        if deleted:
            record(actor=by, action="volunteer.equality_removed", obj=volunteer)
        return None
    monitoring, _created = EqualityMonitoring.objects.update_or_create(
        volunteer=volunteer, defaults={**answers, "consented_at": timezone.now()}
    )
    record(actor=by, action="volunteer.equality_given", obj=volunteer)
    _touch(volunteer)
    return monitoring


# --------------------------------------------------------------- interest


def _tell_admins(opportunity: Opportunity, template: str, key: str, **context) -> None:
    queue_for_each(
        Membership.objects.admin_users(opportunity.organisation),
        template=template,
        context={
            "organisation": opportunity.organisation,
            "opportunity_title": opportunity.title,
            **context,
        },
        kind=KIND,
        key=key,
    )


def _tell_volunteer(interest: Interest, template: str, key: str, **context) -> None:
    if interest.volunteer is None:
        return
    queue_for_each(
        [interest.volunteer.user],
        template=template,
        context={
            "organisation_name": interest.opportunity.organisation.name,
            "opportunity_title": interest.opportunity.title,
            "link": absolute_url(reverse("volunteering:my_interest", args=[interest.pk])),
            **context,
        },
        kind=TO_VOLUNTEER,
        key=key,
    )


def interest_problem(volunteer: Volunteer, opportunity: Opportunity, today) -> str | None:
    """Why the volunteer may not say they are interested, or None (for the page's button)."""
    decision = rules.eligibility(
        age=vr.youngest_age(volunteer.age_band),
        opportunity_minimum_age=opportunity.minimum_age,
        suitable_for_under_18=opportunity.suitable_for_under_18,
        dbs_needed=opportunity.dbs_needed,
        status=opportunity.status,
        ends_on=opportunity.ends_on,
        today=today,
    )
    return None if decision else decision.reason


@transaction.atomic
def express_interest(*, volunteer: Volunteer, by, opportunity: Opportunity, message: str):
    """Tell the organisation the volunteer is interested: refused for a closed role, one they
    are too young for, or one they are already interested in (a double submission)."""
    _require_volunteer_of(by, volunteer.pk)
    opportunity = (
        Opportunity.objects.select_for_update()
        .select_related("organisation")
        .get(pk=opportunity.pk)
    )
    if problem := interest_problem(volunteer, opportunity, timezone.localdate()):
        raise VolunteeringError(problem)
    live = Interest.objects.filter(
        volunteer=volunteer, opportunity=opportunity, status__in=vr.LIVE_INTEREST
    ).first()
    if live is not None:
        raise VolunteeringError(
            _("You have already told the organisation you are interested in this role.")
        )
    # The volunteer's row is taken first, so two at once cannot both pass the day's limit.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).get()
    if (
        Interest.objects.filter(
            volunteer=volunteer, created_at__gte=timezone.now() - timedelta(days=1)
        ).count()
        >= vr.MAX_INTEREST_A_DAY
    ):
        raise VolunteeringError(
            _(
                "You have told %(n)s organisations you are interested today. Wait for their "
                "answers, or try again tomorrow. Nothing was sent."
            )
            % {"n": vr.MAX_INTEREST_A_DAY}
        )
    # A broker who suggested the role is named on the interest (suggestion_services).
    suggested = Suggestion.objects.filter(volunteer=volunteer, opportunity=opportunity).first()
    interest = Interest.objects.create(
        opportunity=opportunity,
        volunteer=volunteer,
        message=(message or "").strip(),
        suggested_by_id=suggested.suggested_by_id if suggested else None,
    )
    record(actor=by, action="interest.sent", obj=interest, to_state=vr.SENT)
    _tell_admins(
        opportunity,
        "interest_sent",
        key=f"interest_sent:{interest.pk}",
        link=absolute_url(reverse("volunteering:interest", args=[interest.pk])),
        answer_days=vr.ANSWER_WITHIN_WORKING_DAYS,
    )
    _touch(volunteer)
    return interest


def _locked_interest(interest: Interest) -> Interest:
    return (
        Interest.objects.select_for_update(of=("self",))
        .select_related("opportunity__organisation", "volunteer__user")
        .get(pk=interest.pk)
    )


@transaction.atomic
def answer_interest(*, interest: Interest, by, to: str, reason: str = "") -> Interest:
    """The organisation's answer: accept (a placement starts today), decline with a reason,
    or ask to talk first. The volunteer is emailed."""
    interest = _locked_interest(interest)
    _require_member(by, interest.opportunity.organisation_id)
    if to not in (vr.TALKING, vr.ACCEPTED, vr.DECLINED):
        raise ValueError(to)
    reason = (reason or "").strip()
    if to == vr.DECLINED and not reason:
        problems = {"reason": _("Enter why you are declining, so the volunteer knows")}
        raise VolunteeringError(problems["reason"], problems)
    if interest.volunteer is None:
        raise VolunteeringError(_("This volunteer has deleted their account. Nothing was changed."))
    _refuse_unless(vr.may_move(vr.INTEREST_TRANSITIONS, interest.status, to, _("interest")))
    was, now = interest.status, timezone.now()
    interest.status = to
    interest.answered_at = interest.answered_at or now
    interest.answered_by = interest.answered_by or by
    interest.decided_at = now if to != vr.TALKING else None
    interest.decline_reason = reason if to == vr.DECLINED else ""
    interest.save(
        update_fields=["status", "answered_at", "answered_by", "decided_at", "decline_reason"]
    )
    if to == vr.ACCEPTED:
        Placement.objects.create(interest=interest, started_on=timezone.localdate())
    record(
        actor=by,
        action=f"interest.{to}",
        obj=interest,
        from_state=was,
        to_state=to,
        reason=reason,
    )
    _tell_volunteer(
        interest,
        "interest_answered",
        key=f"interest_answered:{interest.pk}:{to}",
        status=to,
        reason=reason,
    )
    return interest


@transaction.atomic
def withdraw_interest(*, interest: Interest, by) -> Interest:
    """The volunteer takes back their interest while it is undecided; the organisation is told."""
    interest = _locked_interest(interest)
    _require_volunteer_of(by, interest.volunteer_id)
    _refuse_unless(
        vr.may_move(vr.INTEREST_TRANSITIONS, interest.status, vr.WITHDRAWN, _("interest"))
    )
    was = interest.status
    interest.status = vr.WITHDRAWN
    interest.decided_at = timezone.now()
    interest.save(update_fields=["status", "decided_at"])
    record(
        actor=by, action="interest.withdrawn", obj=interest, from_state=was, to_state=vr.WITHDRAWN
    )
    _tell_admins(
        interest.opportunity,
        "interest_withdrawn",
        key=f"interest_withdrawn:{interest.pk}",
        link=absolute_url(reverse("volunteering:interest", args=[interest.pk])),
    )
    return interest


# --------------------------------------------------------------- placements and hours


def _side(user, placement: Placement) -> str:
    """ "volunteer" or "organisation": who `user` is in the placement; refuse anyone else."""
    interest = placement.interest
    profile = getattr(user, "volunteer", None)
    if profile is not None and interest.volunteer_id == profile.pk:
        return "volunteer"
    _require_member(user, interest.opportunity.organisation_id)
    return "organisation"


def _locked_placement(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("interest__opportunity__organisation", "interest__volunteer")
        .get(pk=placement.pk)
    )


@transaction.atomic
def end_placement(*, placement: Placement, by) -> Placement:
    """Either side ends the placement; hours already logged stay."""
    placement = _locked_placement(placement)
    side = _side(by, placement)
    _refuse_unless(
        vr.may_move(vr.PLACEMENT_TRANSITIONS, placement.status, vr.ENDED, _("placement"))
    )
    placement.status, placement.ended_on, placement.ended_by = vr.ENDED, timezone.localdate(), by
    placement.save(update_fields=["status", "ended_on", "ended_by"])
    record(
        actor=by,
        action="placement.ended",
        obj=placement,
        from_state=vr.ACTIVE,
        to_state=vr.ENDED,
        data={"by": side},
    )
    return placement


def hours_that_day(volunteer_id: int, on) -> Decimal:
    """Hours already logged (and not queried) for the volunteer on a date, in every role."""
    total = (
        HourEntry.objects.filter(placement__interest__volunteer_id=volunteer_id, on=on)
        .exclude(status=vr.QUERIED)
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or Decimal(0)


@transaction.atomic
def log_hours(*, placement: Placement, by, on, hours, note: str = "") -> HourEntry:
    """Log hours on a date: the other side confirms them. Not in the future, not before the
    placement started or after it ended, and not over 24 in a day across every role."""
    placement = _locked_placement(placement)
    side = _side(by, placement)
    volunteer_id = placement.interest.volunteer_id
    if volunteer_id is None:
        raise VolunteeringError(_("This volunteer has deleted their account. Nothing was logged."))
    # The volunteer's row serialises every entry for them, so two at once cannot pass 24.
    Volunteer.objects.select_for_update().filter(pk=volunteer_id).get()
    hours = None if hours in (None, "") else Decimal(hours)
    problems = vr.hours_problems(
        on=on, hours=hours, already_that_day=Decimal(0), today=timezone.localdate()
    )
    if "on" not in problems and on < placement.started_on:
        problems["on"] = _("The date must be on or after the placement started, %(day)s") % {
            "day": long_date(placement.started_on)
        }
    elif "on" not in problems and placement.ended_on and on > placement.ended_on:
        problems["on"] = _("The date must be on or before the placement ended, %(day)s") % {
            "day": long_date(placement.ended_on)
        }
    if not problems:
        problems = vr.hours_problems(
            on=on,
            hours=hours,
            already_that_day=hours_that_day(volunteer_id, on),
            today=timezone.localdate(),
        )
    if problems:
        raise VolunteeringError(next(iter(problems.values())), problems)
    entry = HourEntry.objects.create(
        placement=placement,
        on=on,
        hours=hours,
        note=(note or "").strip(),
        by_volunteer=side == "volunteer",
        logged_by=by,
    )
    record(
        actor=by,
        action="hours.logged",
        obj=entry,
        to_state=vr.LOGGED,
        data={"hours": str(hours), "on": on.isoformat(), "by": side},
    )
    if side == "volunteer":
        _touch(placement.interest.volunteer)
    return entry


@transaction.atomic
def answer_hours(*, entry: HourEntry, by, confirm: bool, reason: str = "") -> HourEntry:
    """The other side confirms the hours, or queries them with a reason."""
    entry = (
        HourEntry.objects.select_for_update(of=("self",))
        .select_related("placement__interest__opportunity", "placement__interest__volunteer")
        .get(pk=entry.pk)
    )
    side = _side(by, entry.placement)
    if (side == "volunteer") == entry.by_volunteer:
        raise VolunteeringError(
            _("The other side confirms hours, not the one who logged them. Nothing was changed.")
        )
    to = vr.CONFIRMED if confirm else vr.QUERIED
    reason = (reason or "").strip()
    if to == vr.QUERIED and not reason:
        problems = {"reason": _("Enter what is wrong with these hours")}
        raise VolunteeringError(problems["reason"], problems)
    _refuse_unless(vr.may_move(vr.HOURS_TRANSITIONS, entry.status, to, _("entry")))
    entry.status, entry.query_reason = to, reason
    entry.answered_by, entry.answered_at = by, timezone.now()
    entry.save(update_fields=["status", "query_reason", "answered_by", "answered_at"])
    record(
        actor=by,
        action=f"hours.{to}",
        obj=entry,
        from_state=vr.LOGGED,
        to_state=to,
        reason=reason,
        data={"by": side},
    )
    if side == "volunteer":
        _touch(entry.placement.interest.volunteer)
    return entry
