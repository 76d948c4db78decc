"""A community proposed by applicants, recognised by a manager so its applications are ranked.

An applicant may propose a community the round is not open to, with evidence
of its size (`Application.proposed_*`). Such applications are assessed like
any other but cannot be ranked or awarded until a manager adds the community
to the round: then every application in the round proposing the same community
(same characteristic, name in any case) joins it, and the ranking and the one
award per community apply as for the rest.

The round's total must cover one more community at its amount each (as
publishing checks for the communities chosen at set-up); otherwise the
manager is told, and nothing changes.
"""

from django.db import IntegrityError, transaction

from audit.services import record
from packages.money import format_money

from .application_models import Application, ApplicationStatus
from .assessment_checks import AssessmentError
from .models import CommunityOfInterest, GrantRound, RoundCommunity

NOTHING_CHANGED = "Nothing was changed."


def _refuse(reason: str):
    raise AssessmentError(f"{reason} {NOTHING_CHANGED}")


def _community_for(application) -> tuple[CommunityOfInterest, bool]:
    """The community of interest the application proposes: the council's own where one has
    that name in the characteristic, otherwise a new one with the applicant's figure."""
    existing = CommunityOfInterest.objects.filter(
        characteristic=application.proposed_characteristic,
        name__iexact=application.proposed_name,
    ).first()
    if existing is not None:
        return existing, False
    community = CommunityOfInterest.objects.create(
        characteristic=application.proposed_characteristic,
        name=application.proposed_name,
        population=application.population,
        population_source=(
            f"Proposed by an applicant: {application.population_source}"[:200]
            if application.population is not None
            else ""
        ),
    )
    return community, True


@transaction.atomic
def recognise_proposed_community(*, application, by) -> RoundCommunity:
    """Add the community `application` proposes to its round, and move every application in the
    round that proposes it there."""
    if not by.is_manager:
        _refuse("Only a manager can add a community to a round.")
    grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.round_community_id is not None:
        _refuse(f"The {application.community_name} is already one of the round's communities.")
    if application.status != ApplicationStatus.SUBMITTED:
        _refuse("Only a sent application's proposed community can be added to the round.")
    if grant_round.status != GrantRound.Status.PUBLISHED:
        _refuse("Communities can be added only to a published round.")
    community, new_community = _community_for(application)
    round_community, created = RoundCommunity.objects.get_or_create(
        round=grant_round, community=community
    )
    if created:
        communities = grant_round.round_communities.count()
        needed = grant_round.amount_per_community * communities
        if needed > grant_round.total:
            _refuse(
                f"The round's total, {format_money(grant_round.total)}, cannot cover "
                f"{communities} communities at {format_money(grant_round.amount_per_community)} "
                f"each."
            )
    proposing = Application.objects.select_for_update().filter(
        round=grant_round,
        round_community__isnull=True,
        proposed_characteristic=application.proposed_characteristic,
        proposed_name__iexact=application.proposed_name,
        status__in=[ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED],
    )
    moved = []
    try:
        with transaction.atomic():
            for each in proposing:
                each.round_community = round_community
                each.proposed_characteristic, each.proposed_name = "", ""
                each.save(
                    update_fields=["round_community", "proposed_characteristic", "proposed_name"]
                )
                moved.append(each.reference)
    except IntegrityError:
        _refuse(
            f"An organisation proposing the {community.name} has another application for it "
            f"in this round."
        )
    record(
        actor=by,
        action="grant_round.proposed_community_added",
        obj=grant_round,
        data={
            "community": community.name,
            "characteristic": community.characteristic,
            "new_community": new_community,
            "applications": moved,
        },
    )
    return round_community
