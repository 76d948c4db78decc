"""Reads for volunteers' pages: suggestions, the brokers' queue of unanswered interest,
and a volunteer's record of hours."""

from datetime import date

from django.db.models import Q

from . import volunteer_rules as vr
from .models import HourEntry, Interest, Suggestion, Volunteer
from .selectors import published

# The most opportunities "Suggested for you" weighs: the best matches are among them,
# as they share a theme or a district with the volunteer or are remote.
CANDIDATES = 300
SUGGESTIONS = 5


def offer_of(opportunity) -> vr.Offer:
    return vr.Offer(
        theme_id=opportunity.theme_id,
        theme_name=opportunity.theme.name if opportunity.theme else "",
        district=opportunity.postcode_district,
        remote=opportunity.remote,
        schedule=opportunity.schedule,
        hours_a_week=opportunity.hours_a_week,
        skills_wanted=opportunity.skills_wanted,
        minimum_age=opportunity.minimum_age,
        suitable_for_under_18=opportunity.suitable_for_under_18,
        dbs_needed=opportunity.dbs_needed,
        status=opportunity.status,
        ends_on=opportunity.ends_on,
    )


def profile_of(volunteer) -> vr.Profile:
    return vr.Profile(
        age_band=volunteer.age_band,
        district=volunteer.postcode_district,
        # all(): the prefetched themes when a list of volunteers is scored at once.
        interests=frozenset(theme.pk for theme in volunteer.themes.all()),
        skills=volunteer.skills,
        hours_a_week=volunteer.hours_a_week,
    )


def suggestions_for(volunteer, today: date, limit: int = SUGGESTIONS):
    """The best published opportunities for the volunteer, with the reasons: two queries
    (their interests, and the candidates), however many opportunities there are. Roles
    they have already shown interest in are left out."""
    profile = profile_of(volunteer)
    area = vr.area_of(profile.district)
    near = Q(remote=True) | Q(theme__in=profile.interests)
    if area:
        near |= Q(postcode_district__startswith=area)
    candidates = (
        published(today)
        .filter(near)
        .exclude(interests__volunteer=volunteer)
        .order_by("ends_on", "id")[:CANDIDATES]
    )
    return vr.ranked(profile, [(o, offer_of(o)) for o in candidates], today, limit)


def unanswered():
    """The brokers' queue: interest the organisation has not answered, the oldest first."""
    return (
        Interest.objects.filter(status=vr.SENT, volunteer__isnull=False)
        .select_related("opportunity__organisation")
        .order_by("created_at", "id")
    )


def record_of(volunteer):
    """A volunteer's confirmed hours, oldest first, with the role and organisation."""
    return (
        HourEntry.objects.filter(placement__interest__volunteer=volunteer, status=vr.CONFIRMED)
        .select_related("placement__interest__opportunity__organisation")
        .order_by("on", "id")
    )


def volunteers_for(opportunity, today: date, limit: int = 10):
    """The volunteers a published opportunity suits best, with the reasons (for a broker to
    suggest it to them): three queries (the theme, the candidates, their interests),
    however many volunteers there are. Those already interested or suggested it are left
    out; candidates share its postcode area or theme, or any volunteer for a remote role."""
    offer = offer_of(opportunity)
    candidates = Volunteer.objects.select_related("user").prefetch_related("themes")
    if not opportunity.remote:
        near = Q(themes=opportunity.theme_id) if opportunity.theme_id else Q(pk__in=[])
        area = vr.area_of(opportunity.postcode_district)
        if area:
            near |= Q(postcode_district__startswith=area)
        candidates = candidates.filter(near)
    candidates = (
        candidates.exclude(interests__opportunity=opportunity)
        .exclude(suggestions__opportunity=opportunity)
        .distinct()
        .order_by("-last_active_at", "id")[:CANDIDATES]
    )
    return vr.ranked_volunteers(offer, [(v, profile_of(v)) for v in candidates], today, limit)


def suggested_to(volunteer):
    """Roles the volunteer centre suggested to the volunteer, still open and not yet
    answered by them, newest first (at most 5)."""
    return (
        Suggestion.objects.filter(volunteer=volunteer, opportunity__status="published")
        .exclude(opportunity__interests__volunteer=volunteer)
        .select_related("opportunity__organisation")[:5]
    )
