"""Section C's writes: one service per move of an opportunity, and granting the broker role.

Each runs in one transaction, takes the row it changes with a lock (the
opportunity's, or the person's for a broker grant), checks the move again under
that lock, saves with `update_fields` and records an audit event. A refusal
raises VolunteeringError and changes nothing: two brokers deciding the same
opportunity at once, or a broker approving as the organisation withdraws, see
one move go through and the other refused by the state it left.

A broker's decision is emailed to the organisation's administrators through the
outbox, written in the same transaction and sent only once it commits (so a refused
or rolled-back decision never tells anyone anything).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from diagnostics.rules import long_date
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership, PostcodePrefix, User
from organisations.permissions import membership_for
from organisations.validators import normalise_postcode

from . import rules
from .check_notices import tell_brokers_to_check
from .models import Broker, Opportunity, VolunteerHourValue
from .selectors import is_broker

KIND = "volunteering:opportunity"


class VolunteeringError(Exception):
    """A refused change: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


def _refuse_unless(decision) -> None:
    if not decision:
        raise VolunteeringError(decision.reason)


def _problems(fields: dict, *, complete: bool) -> dict:
    return rules.opportunity_problems(
        fields,
        timezone.localdate(),
        area=PostcodePrefix.objects.table(),
        area_name=settings.COUNCIL_AREA_NAME,
        complete=complete,
    )


def _locked(opportunity: Opportunity) -> Opportunity:
    """The opportunity read again under its row lock: every move checks the state it finds."""
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def _require_member(user, organisation_id: int) -> None:
    membership = membership_for(user)
    if membership is None or membership.organisation_id != organisation_id:
        raise VolunteeringError(
            _("Only members of the organisation can change its opportunities. Nothing was changed.")
        )


def _require_broker(user, opportunity: Opportunity) -> None:
    """A broker, and not one checking their own organisation's opportunity."""
    if not is_broker(user):
        raise VolunteeringError(
            _("Only a broker at the volunteer centre can check opportunities. Nothing was changed.")
        )
    membership = membership_for(user)
    if membership is not None and membership.organisation_id == opportunity.organisation_id:
        raise VolunteeringError(
            _(
                "You are a member of this organisation, so another broker must check its "
                "opportunity. Nothing was changed."
            )
        )


def _cleaned(fields: dict, merged: dict) -> dict:
    """What save_draft writes: `fields` tidied, and the answers the schedule no longer asks
    for cleared (hours a week belong to a regular role, a date to a one-off)."""
    cleaned = dict(fields)
    for name in ("title", "description", "skills_wanted", "skills_gained", "accessibility"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if cleaned.get("venue_postcode"):
        cleaned["venue_postcode"] = normalise_postcode(cleaned["venue_postcode"])
    for name in ("places", "minimum_age"):
        if name in cleaned and cleaned[name] in (None, ""):
            del cleaned[name]  # not answered yet: the model's default, or what was there
    schedule = merged.get("schedule") or ""
    if schedule != rules.REGULAR and merged.get("hours_a_week") is not None:
        cleaned["hours_a_week"] = None
    if schedule != rules.ONE_OFF and merged.get("one_off_date") is not None:
        cleaned["one_off_date"] = None
    return cleaned


# --------------------------------------------------------------- the organisation


@transaction.atomic
def save_draft(*, organisation, by, fields: dict, opportunity: Opportunity | None = None):
    """Create or change an opportunity while it is with the organisation (draft, or sent back).

    Only what was given is checked (a title is all a draft needs), so that nothing typed
    is lost; the rest is checked when it is submitted.
    """
    if unknown := set(fields) - set(rules.FIELDS):
        raise ValueError(f"not an opportunity's field: {sorted(unknown)}")
    _require_member(by, organisation.pk)
    if opportunity is not None:
        opportunity = _locked(opportunity)
        if opportunity.organisation_id != organisation.pk:
            raise VolunteeringError(_("This opportunity is not your organisation's."))
        if opportunity.status not in rules.EDITABLE:
            raise VolunteeringError(
                _("This opportunity can no longer be changed. Nothing was changed.")
            )
        merged = opportunity.fields | fields
    else:
        merged = fields
    if problems := _problems(merged, complete=False):
        raise VolunteeringError(next(iter(problems.values())), problems)
    cleaned = _cleaned(fields, merged)
    if opportunity is None:
        opportunity = Opportunity.objects.create(
            organisation=organisation, created_by=by, **cleaned
        )
        record(actor=by, action="opportunity.drafted", obj=opportunity, to_state=rules.DRAFT)
        return opportunity
    for name, value in cleaned.items():
        setattr(opportunity, name, value)
    opportunity.save(update_fields=[*cleaned, "updated_at"])
    record(
        actor=by,
        action="opportunity.changed",
        obj=opportunity,
        data={"fields": sorted(cleaned)},
    )
    return opportunity


@transaction.atomic
def copy_opportunity(*, opportunity: Opportunity, by) -> Opportunity:
    """A new draft with the answers of `opportunity` (any of the organisation's, closed ones
    included, to recruit for the role again), but not its dates: the organisation gives
    those again before sending it to be checked."""
    fields = {k: v for k, v in opportunity.fields.items() if k not in rules.NOT_COPIED}
    copy = save_draft(organisation=opportunity.organisation, by=by, fields=fields)
    record(
        actor=by,
        action="opportunity.copied",
        obj=copy,
        data={"from": opportunity.pk, "title": opportunity.title},
    )
    return copy


@transaction.atomic
def submit_opportunity(*, opportunity: Opportunity, by) -> Opportunity:
    """Send a complete opportunity to the volunteer centre to check (its brokers are emailed);
    or refuse, changing nothing."""
    opportunity = _locked(opportunity)
    _require_member(by, opportunity.organisation_id)
    _refuse_unless(rules.may_move(opportunity.status, rules.SUBMITTED))
    if problems := _problems(opportunity.fields, complete=True):
        raise VolunteeringError(next(iter(problems.values())), problems)
    was = opportunity.status
    opportunity.status = rules.SUBMITTED
    opportunity.submitted_at = timezone.now()
    opportunity.save(update_fields=["status", "submitted_at", "updated_at"])
    record(
        actor=by,
        action="opportunity.submitted",
        obj=opportunity,
        from_state=was,
        to_state=rules.SUBMITTED,
    )
    tell_brokers_to_check(opportunity)
    return opportunity


# --------------------------------------------------------------- the broker's check


def _tell_organisation(opportunity: Opportunity, template: str, **context) -> None:
    """Email the organisation's administrators about a broker's decision (the outbox sends
    it after commit; the key makes a decision tell each person once)."""
    queue_for_each(
        Membership.objects.admin_users(opportunity.organisation),
        template=template,
        context={
            "organisation": opportunity.organisation,
            "opportunity_title": opportunity.title,
            "link": absolute_url(reverse("volunteering:opportunity", args=[opportunity.pk])),
            **context,
        },
        kind=KIND,
        key=f"{template}:{opportunity.pk}:{opportunity.checked_at.isoformat()}",
    )


@transaction.atomic
def approve_opportunity(*, opportunity: Opportunity, by) -> Opportunity:
    """Publish a submitted opportunity: a broker only, and only while it is still complete and
    open (a closing date that passed in the queue must be sent back instead)."""
    opportunity = _locked(opportunity)
    _require_broker(by, opportunity)
    _refuse_unless(rules.may_move(opportunity.status, rules.PUBLISHED))
    if problems := _problems(opportunity.fields, complete=True):
        raise VolunteeringError(
            _("Send it back to the organisation to change: %(problem)s.")
            % {"problem": next(iter(problems.values()))},
            problems,
        )
    now = timezone.now()
    opportunity.status = rules.PUBLISHED
    opportunity.checked_by, opportunity.checked_at, opportunity.published_at = by, now, now
    opportunity.sent_back_reason = ""
    opportunity.save(
        update_fields=[
            "status",
            "checked_by",
            "checked_at",
            "published_at",
            "sent_back_reason",
            "updated_at",
        ]
    )
    record(
        actor=by,
        action="opportunity.published",
        obj=opportunity,
        from_state=rules.SUBMITTED,
        to_state=rules.PUBLISHED,
    )
    _tell_organisation(
        opportunity,
        "opportunity_published",
        last_day=long_date(opportunity.ends_on),
    )
    return opportunity


@transaction.atomic
def send_back_opportunity(*, opportunity: Opportunity, by, reason: str) -> Opportunity:
    """Send a submitted opportunity back to its organisation with what to change."""
    reason = (reason or "").strip()
    if not reason:
        problems = {"reason": _("Enter what the organisation needs to change")}
        raise VolunteeringError(problems["reason"], problems)
    opportunity = _locked(opportunity)
    _require_broker(by, opportunity)
    _refuse_unless(rules.may_move(opportunity.status, rules.CHANGES_REQUESTED))
    opportunity.status = rules.CHANGES_REQUESTED
    opportunity.sent_back_reason = reason
    opportunity.checked_by, opportunity.checked_at = by, timezone.now()
    opportunity.save(
        update_fields=["status", "sent_back_reason", "checked_by", "checked_at", "updated_at"]
    )
    record(
        actor=by,
        action="opportunity.sent_back",
        obj=opportunity,
        from_state=rules.SUBMITTED,
        to_state=rules.CHANGES_REQUESTED,
        reason=reason,
    )
    _tell_organisation(opportunity, "opportunity_sent_back", reason=reason)
    return opportunity


# --------------------------------------------------------------- closing


@transaction.atomic
def close_opportunity(*, opportunity: Opportunity, reason: str, by=None) -> Opportunity:
    """Close an opportunity: filled or withdrawn by its organisation or a broker, or lapsed
    past its closing date by the job (`by` None). Closing twice is refused, not repeated."""
    opportunity = _locked(opportunity)
    # Lapsing is the closing-date job's alone; a person closes it as filled or withdrawn.
    if (by is None) != (reason == rules.LAPSED):
        raise VolunteeringError(
            _("An opportunity lapses by itself after its closing date. Nothing was changed.")
            if by is not None
            else _("Only the closing-date job closes without a person.")
        )
    if by is not None and not is_broker(by):
        _require_member(by, opportunity.organisation_id)
    _refuse_unless(
        rules.may_close(
            status=opportunity.status,
            reason=reason,
            ends_on=opportunity.ends_on,
            today=timezone.localdate(),
        )
    )
    was = opportunity.status
    opportunity.status, opportunity.close_reason = rules.CLOSED, reason
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
    record(
        actor=by,
        action="opportunity.closed",
        obj=opportunity,
        from_state=was,
        to_state=rules.CLOSED,
        data={"reason": reason},
    )
    return opportunity


# --------------------------------------------------------------- the broker role


def _require_manager(user) -> None:
    if not (user.is_authenticated and user.is_manager):
        raise VolunteeringError(_("Only a manager can grant or revoke the broker role."))


@transaction.atomic
def grant_broker(*, by, user, provider) -> Broker:
    """Make a person who acts for `provider` a broker: a manager only, one live grant each.

    The person's row is locked, so two managers granting at once make one grant
    (the partial unique constraint backs it).
    """
    _require_manager(by)
    person = User.objects.select_for_update().get(pk=user.pk)
    acts_for = getattr(person, "provider_membership", None)
    if acts_for is None or acts_for.provider_id != provider.pk:
        raise VolunteeringError(
            _("%(person)s does not act for %(provider)s. Nothing was changed.")
            % {"person": person, "provider": provider}
        )
    if Broker.objects.live().filter(user=person).exists():
        raise VolunteeringError(
            _("%(person)s is already a broker. Nothing was changed.") % {"person": person}
        )
    grant = Broker.objects.create(user=person, provider=provider, granted_by=by)
    record(actor=by, action="broker.granted", obj=grant, data={"provider": provider.pk})
    return grant


@transaction.atomic
def revoke_broker(*, by, user) -> Broker:
    """End a person's live broker grant (the row is kept, with who ended it and when)."""
    _require_manager(by)
    grant = Broker.objects.live().select_for_update().filter(user=user).first()
    if grant is None:
        raise VolunteeringError(
            _("%(person)s is not a broker. Nothing was changed.") % {"person": user}
        )
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    record(actor=by, action="broker.revoked", obj=grant, data={"provider": grant.provider_id})
    return grant


# --------------------------------------------------------------- the value of an hour


@transaction.atomic
def set_hour_value(*, by, value, source: str) -> VolunteerHourValue:
    """A manager sets the value of an hour of volunteering and where it comes from (a new
    row each time: the report names the one it used, and earlier values stay)."""
    if not (by.is_authenticated and by.is_manager):
        raise VolunteeringError(_("Only a manager can set the value of an hour. Nothing changed."))
    source = " ".join((source or "").split())
    problems = {}
    if value is None or value <= 0:
        problems["value"] = _("Enter the value of an hour, more than £0, like 12.50")
    elif value > 1000:
        problems["value"] = _("The value of an hour must be £1,000 or less")
    if not source:
        problems["source"] = _("Enter where the value comes from, so readers can check it")
    if problems:
        raise VolunteeringError(next(iter(problems.values())), problems)
    made = VolunteerHourValue.objects.create(value=value, source=source, set_by=by)
    record(
        actor=by,
        action="volunteer_hour_value.set",
        obj=made,
        data={"value": str(value), "source": source},
    )
    return made
