"""A volunteer's data (UK GDPR): what we hold, as a download; deleting it; and deleting
accounts two years without activity, after a warning email.

Deleting a volunteer keeps the statistics: their interests, placements and hours stay
with no volunteer (the `volunteer` link set to null by the database, and the words they
wrote blanked). Their equality answers go with the profile. The sign-in account goes
too, unless the person also belongs to an organisation or a provider, or is staff: then
only the volunteer role and its data go. The outbox's emails to them are deleted.
"""

import logging

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from diagnostics.rules import long_date
from notifications.models import Notification
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership
from providers.models import ProviderMembership

from . import volunteer_rules as vr
from .advice_services import forget_asker
from .models import EqualityMonitoring, HourEntry, Interest, Volunteer
from .services import VolunteeringError
from .volunteer_services import TO_VOLUNTEER

log = logging.getLogger(__name__)

KIND = "volunteering:privacy"
# What a declined interest's reason becomes when its volunteer deletes their data.
DELETED = "(deleted with the volunteer's data)"


def data_of(volunteer: Volunteer, history: bool = True) -> dict:
    """Everything held about the volunteer, as they may download it; without `history`
    (for the page, which links to their interests and record a page at a time instead),
    only the account, the profile and the equality answers."""
    user = volunteer.user
    equality = EqualityMonitoring.objects.filter(volunteer=volunteer).first()
    interests = Interest.objects.filter(volunteer=volunteer).select_related(
        "opportunity__organisation"
    )
    hours = HourEntry.objects.filter(placement__interest__volunteer=volunteer).select_related(
        "placement__interest__opportunity__organisation"
    )
    data = {
        "account": {
            "name": user.full_name,
            "email": user.email,
            "joined": user.date_joined.isoformat(),
        },
        "volunteer": {
            "postcode_district": volunteer.postcode_district,
            "age_band": volunteer.age_band,
            "interests": [theme.name for theme in volunteer.themes.all()],
            "skills": volunteer.skills,
            "availability": volunteer.availability,
            "hours_a_week": str(volunteer.hours_a_week or ""),
            "contact_by": volunteer.contact_by,
            "phone": volunteer.phone,
            "registered": volunteer.created_at.isoformat(),
            "last_active": volunteer.last_active_at.isoformat(),
        },
        "equality_monitoring": (
            {
                "consented": equality.consented_at.isoformat(),
                "gender": equality.gender,
                "ethnic_group": equality.ethnic_group,
                "disabled": equality.disabled,
            }
            if equality
            else None
        ),
    }
    if not history:
        return data
    return {
        **data,
        "interests": [
            {
                "opportunity": i.opportunity.title,
                "organisation": i.opportunity.organisation.name,
                "sent": i.created_at.isoformat(),
                "message": i.message,
                "status": i.status,
                "decline_reason": i.decline_reason,
            }
            for i in interests
        ],
        "hours": [
            {
                "date": h.on.isoformat(),
                "hours": str(h.hours),
                "role": h.placement.interest.opportunity.title,
                "organisation": h.placement.interest.opportunity.organisation.name,
                "status": h.status,
                "note": h.note,
            }
            for h in hours
        ],
    }


def _keeps_account(user) -> bool:
    """Whether the sign-in account serves something besides volunteering."""
    return (
        user.must_use_two_factor
        or Membership.objects.filter(user=user).exists()
        or ProviderMembership.objects.filter(user=user).exists()
    )


@transaction.atomic
def delete_volunteer(*, volunteer: Volunteer, by, why: str = "asked") -> None:
    """Delete the volunteer's data, keeping anonymous statistics. `by` is the person
    (themself) or None for the inactivity job. Deleting twice is refused."""
    volunteer = Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    if volunteer is None:
        raise VolunteeringError(_("This volunteer's data has already been deleted."))
    if by is not None and by.pk != volunteer.user_id:
        raise VolunteeringError(_("Only the volunteer can delete their data. Nothing was deleted."))
    user = volunteer.user
    address = user.email
    # A declined interest keeps a reason (interest_declined_with_a_reason), but not its words.
    Interest.objects.filter(volunteer=volunteer).update(
        message="",
        decline_reason=Case(When(status=vr.DECLINED, then=Value(DELETED)), default=Value("")),
    )
    HourEntry.objects.filter(placement__interest__volunteer=volunteer).update(note="")
    volunteer_id = volunteer.pk
    record(actor=by, action="volunteer.deleted", obj=volunteer, data={"why": why})
    volunteer.delete()  # equality answers cascade; interests keep their rows, with no volunteer
    emails = Notification.objects.filter(recipient__iexact=address)
    if _keeps_account(user):  # their emails as a volunteer go; the rest are their work's
        emails.filter(kind__in=[KIND, TO_VOLUNTEER]).delete()
    else:
        forget_asker(user=user)  # their questions to the volunteer centre, kept in the figures
        emails.delete()
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-volunteer-{volunteer_id}@deleted.invalid"
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "full_name", "is_active", "password"])


def run_inactivity(now=None) -> dict:
    """The daily job: warn volunteers 30 days before two years without activity, and delete
    those warned at least 30 days ago who still did nothing. Each in its own transaction."""
    now = now or timezone.now()
    counts = {"warned": 0, "deleted": 0}
    cutoff = now - (vr.INACTIVE_AFTER - vr.WARN_BEFORE)
    for volunteer in Volunteer.objects.filter(last_active_at__lte=cutoff).select_related("user"):
        step = vr.inactivity_step(
            last_active=volunteer.last_active_at, warned_at=volunteer.deletion_warned_at, now=now
        )
        try:
            if step == "warn":
                _warn(volunteer, now)
                counts["warned"] += 1
            elif step == "delete":
                delete_volunteer(volunteer=volunteer, by=None, why="inactive")
                counts["deleted"] += 1
        except Exception:  # one volunteer's failure must not stop the rest
            log.exception("Inactivity step %s failed for volunteer %s", step, volunteer.pk)
    return counts


@transaction.atomic
def _warn(volunteer: Volunteer, now) -> None:
    Volunteer.objects.filter(pk=volunteer.pk).update(deletion_warned_at=now)
    record(actor=None, action="volunteer.deletion_warned", obj=volunteer)
    queue_for_each(
        [volunteer.user],
        template="volunteer_deletion_warning",
        context={
            "delete_on": long_date((now + vr.WARN_BEFORE).date()),
            "link": absolute_url(reverse("volunteering:volunteer_home")),
        },
        kind=KIND,
        key=f"volunteer_deletion_warning:{volunteer.pk}:{now.date().isoformat()}",
    )
