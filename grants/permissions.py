"""Who may see and change grant rounds, communities and applications. Every view goes through these.

Managers set rounds up (other staff 403, everyone else 404, as on every
manager page); anyone, signed in or not, may read a round once published.
An application is its organisation's: its members may read it, its
administrators change it (other members 403), and everyone else, other
organisations included, gets 404. Council staff read an application once it
has been sent, never a draft. A consortium request is the named organisation's.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.permissions import get_own_organisation, require_manager, require_staff

from .accountability_models import MonitoringReport
from .assessment_models import CommunityDecision, DecisionOutcome
from .models import (
    Application,
    ApplicationEvidence,
    CommunityOfInterest,
    ConsortiumMember,
    GrantRound,
    PanelMember,
    RoundCommunity,
    RoundCriterion,
)

__all__ = [
    "get_application_for_assessor",
    "get_application_for_moderator",
    "get_panel_member_for_manager",
    "get_round_community_for_manager",
    "get_application_for_change",
    "get_application_for_member",
    "get_application_for_staff",
    "get_community_for_manager",
    "get_consortium_request",
    "get_criterion_for_manager",
    "get_evidence_for_user",
    "get_public_round",
    "get_round_for_applying",
    "get_round_for_staff",
    "require_manager",
    "require_staff",
]

ADMINS_ONLY = "Only an administrator of the organisation can do this."


def get_round_for_manager(user, pk) -> GrantRound:
    require_manager(user)
    return get_object_or_404(GrantRound.objects.select_related("strand__budget_year"), pk=pk)


def get_criterion_for_manager(user, pk) -> RoundCriterion:
    require_manager(user)
    return get_object_or_404(RoundCriterion.objects.select_related("round"), pk=pk)


def get_community_for_manager(user, pk) -> CommunityOfInterest:
    require_manager(user)
    return get_object_or_404(CommunityOfInterest, pk=pk)


def get_public_round(queryset, pk) -> GrantRound:
    """A round as the public see it: published (or withdrawn after publishing); else 404."""
    return get_object_or_404(queryset.public(), pk=pk)


def get_round_for_staff(user, pk) -> GrantRound:
    """A round, for officers and managers reading its applications; everyone else 404."""
    require_staff(user)
    return get_object_or_404(GrantRound, pk=pk)


def get_round_for_applying(user, pk):
    """A published round and the person's organisation, for its administrators.

    404 for anyone without an organisation and for a round the public cannot
    see; 403 for a member who is not an administrator.
    """
    organisation, membership = get_own_organisation(user, admin=True)
    grant_round = get_object_or_404(GrantRound.objects.public(), pk=pk)
    return grant_round, organisation


def _applications():
    return Application.objects.select_related(
        "round", "organisation", "round_community__community", "submitted_by"
    )


def get_application_for_member(user, pk):
    """An application of the person's own organisation, and their membership; others 404."""
    organisation, membership = get_own_organisation(user)
    application = get_object_or_404(_applications(), pk=pk, organisation=organisation)
    return application, membership


def get_application_for_change(user, pk) -> Application:
    """An application of the person's organisation, for its administrators (other members 403)."""
    application, membership = get_application_for_member(user, pk)
    if not membership.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return application


def get_application_for_staff(user, pk) -> Application:
    """A sent application (or one withdrawn after sending) for officers and managers."""
    require_staff(user)
    return get_object_or_404(_applications().sent(), pk=pk)


def get_consortium_request(user, pk, *, admin=False):
    """A request to join a consortium, and the person's membership, for the named organisation.

    Its members may read it; only its administrators answer it (`admin`: others 403).
    """
    organisation, membership = get_own_organisation(user)
    member = get_object_or_404(
        ConsortiumMember.objects.select_related(
            "organisation",
            "application__organisation",
            "application__round",
            "application__round_community__community",
        ),
        pk=pk,
        organisation=organisation,
    )
    if admin and not membership.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return member, membership


def get_evidence_for_user(user, pk) -> ApplicationEvidence:
    """A file for the applicant's members, and for staff once the application is sent; else 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = ApplicationEvidence.objects.select_related("application")
    if user.is_officer:
        queryset = queryset.filter(application__submitted_at__isnull=False)
    else:
        queryset = queryset.filter(application__organisation__memberships__user=user)
    return get_object_or_404(queryset, pk=pk)


# --------------------------------------------------------------- assessing


NOT_ON_PANEL = "Only the round's assessment panel can assess its applications."


def get_application_for_assessor(user, pk) -> Application:
    """A sent application, for a member of its round's panel (other staff 403, others 404).

    Whether the assessor may see or give its scores (their declaration) is
    the next question, answered by assessment_rules.assessor_may_score.
    """
    application = get_application_for_staff(user, pk)
    if not PanelMember.objects.filter(round_id=application.round_id, assessor=user).exists():
        raise PermissionDenied(NOT_ON_PANEL)
    return application


def get_application_for_moderator(user, pk) -> Application:
    """A sent application, for managers (other staff 403, others 404)."""
    require_manager(user)
    return get_object_or_404(_applications().sent(), pk=pk)


def get_panel_member_for_manager(user, pk) -> PanelMember:
    require_manager(user)
    return get_object_or_404(PanelMember.objects.select_related("round", "assessor"), pk=pk)


def get_round_community_for_manager(user, pk) -> RoundCommunity:
    require_manager(user)
    return get_object_or_404(RoundCommunity.objects.select_related("round", "community"), pk=pk)


# --------------------------------------------------------------- monitoring (the award's reports)
# The representative is the accepted decision's organisation (a consortium's lead): its
# members read the grant and its reports, its administrators write and send them;
# everyone else 404. Officers and managers review them.

_GRANT_RELATED = (
    "award",
    "application__organisation",
    "round_community__round",
    "round_community__community",
)


def _awards():
    return CommunityDecision.objects.filter(outcome=DecisionOutcome.ACCEPTED).select_related(
        *_GRANT_RELATED
    )


def _reports():
    return MonitoringReport.objects.select_related(
        *(f"decision__{name}" for name in _GRANT_RELATED), "sent_by", "reviewed_by"
    )


def get_grant_for_member(user, pk):
    """The organisation's own awarded grant (an accepted decision), and the membership."""
    organisation, membership = get_own_organisation(user)
    decision = get_object_or_404(_awards(), pk=pk, application__organisation=organisation)
    return decision, membership


def get_report_for_member(user, pk, *, admin=False):
    """A report of the organisation's own grant, and the membership (`admin`: others 403)."""
    organisation, membership = get_own_organisation(user)
    report = get_object_or_404(_reports(), pk=pk, decision__application__organisation=organisation)
    if admin and not membership.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return report, membership


def get_grant_for_staff(user, pk) -> CommunityDecision:
    require_staff(user)
    return get_object_or_404(_awards(), pk=pk)


def get_report_for_staff(user, pk) -> MonitoringReport:
    require_staff(user)
    return get_object_or_404(_reports(), pk=pk)


# --------------------------------------------------------------- representatives and concerns


def get_public_representative(pk):
    """An awarded representative (an accepted decision), for anyone; anything else 404."""
    from .concern_selectors import representatives

    return get_object_or_404(representatives(), pk=pk)


def get_public_consultation(pk):
    """A consultation (backing or verdict) in a round the public may see, for anyone;
    anything else 404."""
    from .voice_selectors import consultations

    return get_object_or_404(
        consultations().filter(round_community__round__in=GrantRound.objects.public()), pk=pk
    )


def get_concern_for_representative(user, pk):
    """A confirmed concern about the person's organisation, for its administrators to respond
    to (other members 403); everyone else 404. Never who raised it: the page does not show it."""
    from .concern_selectors import concerns_of

    organisation, membership = get_own_organisation(user)
    concern = get_object_or_404(concerns_of(organisation), pk=pk)
    if not membership.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return concern


def get_concern_for_staff(user, pk):
    """A confirmed concern, for officers and managers; everyone else 404."""
    from .concern_selectors import confirmed_concerns

    require_staff(user)
    return get_object_or_404(confirmed_concerns(), pk=pk)


# --------------------------------------------------------------- appeals and collective issues


def get_appeal_for_manager(user, pk):
    """An appeal, for managers (other staff 403, everyone else 404). Whether this manager may
    review it (they took no part in the decision) is appeal_selectors.may_review."""
    from .appeal_selectors import appeals_for_managers

    require_manager(user)
    return get_object_or_404(appeals_for_managers(), pk=pk)


def get_issue_for_staff(user, pk):
    """A collective issue, for officers and managers; everyone else 404."""
    from .collective_selectors import collective_issues

    require_staff(user)
    return get_object_or_404(collective_issues(), pk=pk)


def require_representative_or_staff(user) -> None:
    """Collective issues are for the representatives (members of an organisation holding an
    accepted award) and council staff; any other organisation, provider or person 404."""
    from .collective_selectors import is_representative

    if user.is_officer or is_representative(user):
        return
    raise Http404


# --------------------------------------------------------------- the community's voice (staff)


def _staff_voices():
    from .voice_models import Voice, VoiceStatus

    return (
        Voice.objects.exclude(status=VoiceStatus.UNCONFIRMED)
        .select_related(
            "consultation__round_community__community",
            "consultation__round_community__round",
            "consultation__representative__application__organisation",
            "application__organisation",
        )
        .defer("email")
    )


def _require_no_conflict(user, round_community_id, *, who="another manager moderates") -> None:
    """Staff who declared a conflict with an application for the community do not handle its
    responses (as with its scores): not moderate, record for others, or check comments. 403."""
    from .voice_selectors import conflicted_with_community

    if conflicted_with_community(user, round_community_id):
        raise PermissionDenied(
            "You declared a conflict of interest with an application for this community, so "
            f"{who} its responses."
        )


def get_consultation_for_manager(user, pk):
    """A consultation, for the moderator: managers with no conflict declared in its community
    (other managers and staff 403, everyone else 404)."""
    from .voice_selectors import consultations

    require_manager(user)
    consultation = get_object_or_404(consultations(), pk=pk)
    _require_no_conflict(user, consultation.round_community_id)
    return consultation


def get_consultation_for_staff(user, pk):
    """A consultation, for officers and managers with no conflict declared in its community
    (assisted responses: conflicted staff 403); everyone else 404."""
    from .voice_selectors import consultations

    require_staff(user)
    consultation = get_object_or_404(consultations(), pk=pk)
    _require_no_conflict(user, consultation.round_community_id, who="another officer records")
    return consultation


def get_voice_for_manager(user, pk):
    """A confirmed voice, for the moderator (other staff 403, everyone else 404). Its raw
    email address is not loaded: staff never see it."""
    require_manager(user)
    voice = get_object_or_404(_staff_voices(), pk=pk)
    _require_no_conflict(user, voice.consultation.round_community_id)
    return voice


def get_voice_comment_for_staff(user, pk):
    """A confirmed voice with a comment, for the officers who check comments (conflicted in
    its community: 403); else 404."""
    require_staff(user)
    voice = get_object_or_404(_staff_voices().exclude(comment_status=""), pk=pk)
    _require_no_conflict(
        user, voice.consultation.round_community_id, who="another officer checks the comments on"
    )
    return voice


def get_application_for_backing(user, pk) -> Application:
    """A sent application, for those who read its community's comments: managers, and
    assessors on its panel who declared no conflict with it (other staff 403, others 404)."""
    from .assessment_models import Assessment

    application = get_application_for_staff(user, pk)
    declared = Assessment.objects.filter(application=application, assessor=user).first()
    conflicted = declared is not None and declared.has_conflict
    if conflicted or not (user.is_manager or declared is not None):
        raise PermissionDenied(
            "Only the moderator and this application's assessors, with no conflict of "
            "interest declared, can read its community's comments."
        )
    return application
