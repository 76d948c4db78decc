"""Brokers suggest an opportunity to a volunteer (and so a volunteer for an organisation's
role): one service, audited, the volunteer emailed with a link to say they are interested.
Refused, changing nothing, for someone without a live broker grant, a role the volunteer
cannot take (closed, too young), one already suggested to them, or one they already said
they are interested in."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from notifications.services import absolute_url, queue_for_each

from . import volunteer_rules as vr
from .models import Interest, Opportunity, Suggestion, Volunteer
from .selectors import is_broker
from .services import VolunteeringError
from .volunteer_services import TO_VOLUNTEER, interest_problem


@transaction.atomic
def suggest(*, by, volunteer: Volunteer, opportunity: Opportunity, note: str = "") -> Suggestion:
    if not is_broker(by):
        raise VolunteeringError(_("Only the volunteer centre's brokers suggest roles."))
    volunteer = (
        Volunteer.objects.select_for_update().select_related("user").filter(pk=volunteer.pk).first()
    )
    if volunteer is None:
        raise VolunteeringError(_("This volunteer has deleted their account. Nothing was sent."))
    opportunity = Opportunity.objects.select_related("organisation").get(pk=opportunity.pk)
    if problem := interest_problem(volunteer, opportunity, timezone.localdate()):
        raise VolunteeringError(
            _("You cannot suggest this role to this volunteer: %(why)s")
            % {"why": problem[0].lower() + problem[1:]}
        )
    if Suggestion.objects.filter(volunteer=volunteer, opportunity=opportunity).exists():
        raise VolunteeringError(
            _("This role has already been suggested to this volunteer. Nothing was sent.")
        )
    if Interest.objects.filter(
        volunteer=volunteer, opportunity=opportunity, status__in=vr.LIVE_INTEREST
    ).exists():
        raise VolunteeringError(
            _("This volunteer has already said they are interested in this role. Nothing was sent.")
        )
    suggestion = Suggestion.objects.create(
        volunteer=volunteer,
        opportunity=opportunity,
        suggested_by=by,
        note=" ".join((note or "").split()),
    )
    record(
        actor=by,
        action="suggestion.made",
        obj=suggestion,
        data={"opportunity": opportunity.pk, "volunteer": volunteer.pk},
    )
    queue_for_each(
        [volunteer.user],
        template="opportunity_suggested",
        context={
            "opportunity_title": opportunity.title,
            "organisation_name": opportunity.organisation.name,
            "note": suggestion.note,
            "link": absolute_url(reverse("volunteering:interest_create", args=[opportunity.pk])),
        },
        kind=TO_VOLUNTEER,
        key=f"opportunity_suggested:{suggestion.pk}",
    )
    return suggestion
