"""Objects the permission matrix's grants rows point at (tests/permission_matrix.py).

Each is made once per world and found again after, since one world builds
every URL in some tests.
"""

from grants.models import CommunityOfInterest, GrantRound

DRAFT = "Matrix draft round"
PUBLISHED = "Matrix published round"


def draft_round(w):
    from .factories import draft_round as make

    return GrantRound.objects.filter(name=DRAFT).first() or make(by=w.manager, name=DRAFT)


def published_round(w):
    from .factories import published_round as make

    return GrantRound.objects.filter(name=PUBLISHED).first() or make(by=w.manager, name=PUBLISHED)


def criterion(w):
    """A criterion of the draft round, the last one, so removing it leaves the rest."""
    return draft_round(w).criteria.order_by("position").last()


def community(w):
    from .factories import CommunityFactory

    return CommunityOfInterest.objects.filter(name="Matrix community").first() or (
        CommunityFactory(name="Matrix community")
    )


# --------------------------------------------------------------- applications

OPEN = "Matrix open round"
PROPOSED = "Matrix proposed community"


def open_round(w):
    from .factories import open_round as make

    return GrantRound.objects.filter(name=OPEN).first() or make(by=w.manager, name=OPEN)


def _first_community(w):
    return open_round(w).round_communities.order_by("pk").first()


def draft_application(w):
    """Organisation A's draft, complete, for a community it proposes, naming B in a consortium."""
    from grants.application_services import add_member
    from grants.models import Application

    from .factories import quick_fill, start

    found = Application.objects.filter(organisation=w.org_a, proposed_name=PROPOSED).first()
    if found:
        return found
    application = start(
        open_round(w),
        w.org_a_admin,
        proposal={
            "characteristic": "race",
            "name": PROPOSED,
            "population": 5000,
            "population_source": "A survey, 2024",
        },
    )
    quick_fill(application, w.org_a_admin)
    add_member(application=application, organisation=w.org_b, by=w.org_a_admin)
    return application


SENT_PROPOSAL = "Matrix sent proposed community"


def sent_proposal(w):
    """Organisation B's sent application for a community it proposes: a manager may add it."""
    from grants.application_services import submit_application
    from grants.models import Application

    from .factories import quick_fill, start

    found = Application.objects.filter(proposed_name=SENT_PROPOSAL).first()
    if found:
        return found
    proposal = {
        "characteristic": "religion_or_belief",
        "name": SENT_PROPOSAL,
        "population": 6000,
        "population_source": "A survey, 2024",
    }
    application = quick_fill(start(open_round(w), w.org_b_admin, proposal=proposal), w.org_b_admin)
    return submit_application(application=application, by=w.org_b_admin, declaration_name="B")


def question(w):
    from grants import application_rules as moves

    application = draft_application(w)
    criteria = application.round.criteria.order_by("position")
    return next(c for c in criteria if moves.needs_answer(c.automatic_check))


def evidence(w):
    return draft_application(w).evidence.order_by("pk").first()


def consortium_member(w):
    """Organisation B, named in A's consortium."""
    return draft_application(w).members.get()


def sent_application(w):
    """Organisation A's application for the round's first community, sent."""
    from grants.application_services import submit_application
    from grants.models import Application

    from .factories import quick_fill, start

    community = _first_community(w)
    found = Application.objects.filter(organisation=w.org_a, round_community=community).first()
    if found:
        return found
    application = quick_fill(
        start(open_round(w), w.org_a_admin, community=community), w.org_a_admin
    )
    return submit_application(application=application, by=w.org_a_admin, declaration_name="A")


def consortium_request(w):
    """Organisation B's draft for the first community names A: the request on A's side."""
    from grants.application_services import add_member
    from grants.models import ConsortiumMember

    from .factories import start

    found = ConsortiumMember.objects.filter(organisation=w.org_a).first()
    if found:
        return found
    application = start(open_round(w), w.org_b_admin, community=_first_community(w))
    return add_member(application=application, organisation=w.org_a, by=w.org_b_admin)


# --------------------------------------------------------------- assessing

ASSESSED = "Matrix assessed round"
ASSESSORS = ("matrix-assessor-1@example.org", "matrix-assessor-2@example.org")
SPARE = "matrix-spare-assessor@example.org"


def _staff(email):
    from organisations.models import User

    from ..factories import StaffFactory

    return User.objects.filter(email=email).first() or StaffFactory(email=email)


def assessed_round(w):
    """A closed round with organisation B's application sent, being scored.

    Two assessors have sent their marks, 2 apart on the first scored criterion
    (a spread to highlight); the world's manager is on the panel and has sent
    theirs too, so they see every assessor's scores and may moderate; the world's
    officer is not on it. A spare assessor has not begun, so may be taken off.
    (The marking form itself, in each state: tests/browser/test_assessing_accessibility.py.)
    """
    from .assessing import on_panel, scored, send, sent_marks
    from .factories import close
    from .factories import open_round as make

    found = GrantRound.objects.filter(name=ASSESSED).first()
    if found:
        return found
    grant_round = make(by=w.manager, name=ASSESSED, communities=1)
    application = send(grant_round, w.org_b_admin)
    close(grant_round)
    first = scored(grant_round)[0]
    for email, score in zip(ASSESSORS, (1, 3), strict=True):
        person = _staff(email)
        on_panel(grant_round, w, person)
        sent_marks(application, person, **{first.title: score})
    on_panel(grant_round, w, w.manager, _staff(SPARE))
    sent_marks(application, w.manager)
    return grant_round


def assessed_application(w):
    return assessed_round(w).applications.get()


def assessed_community(w):
    return assessed_round(w).round_communities.get()


def spare_panel_member(w):
    return assessed_round(w).panel.get(assessor__email=SPARE)


# --------------------------------------------------------------- representatives and concerns

AWARDED = "Matrix awarded round"
AWARD_ASSESSOR = "matrix-award-assessor@example.org"
TO_RESPOND = "matrix-concern-to-respond@example.org"
TO_REVIEW = "matrix-concern-to-review@example.org"


def representative(w):
    """Organisation A, the accepted representative of the awarded round's one community."""
    from grants.assessment_models import CommunityDecision

    from .concern_support import awarded

    found = CommunityDecision.objects.filter(
        round_community__round__name=AWARDED, outcome="accepted"
    ).first()
    return found or awarded(w.manager, w.org_a_admin, name=AWARDED, assessor=_staff(AWARD_ASSESSOR))


def concern_to_respond(w):
    """A confirmed concern about organisation A, waiting for its response."""
    from grants.models import Concern

    from .concern_support import confirmed

    found = Concern.objects.filter(email=TO_RESPOND).first()
    return found or confirmed(representative(w), email=TO_RESPOND)


def concern_to_review(w):
    """A confirmed concern organisation A has responded to: an officer may decide it."""
    from grants.models import Concern

    from .concern_support import responded

    found = Concern.objects.filter(email=TO_REVIEW).first()
    return found or responded(representative(w), w.org_a_admin, email=TO_REVIEW)


# --------------------------------------------------------------- monitoring reports


def monitored(w):
    """Organisation A's grant (the representative above) as the demo seeds it: report 1
    accepted and paid, report 2 sent and waiting for review, report 3's period under way."""
    from django.utils import timezone

    from grants.demo_monitoring import seed

    from .monitoring import move_grant_period

    decision = representative(w)
    if not decision.reports.exclude(status="due").exists():
        move_grant_period(decision, timezone.localdate())
        seed(decision, w.officer)
    return decision


def report_in_progress(w):
    """Report 3: its period has started, not ended; a draft may be saved, not sent."""
    return monitored(w).reports.get(period=3)


def report_sent(w):
    return monitored(w).reports.get(period=2)


# --------------------------------------------------------------- appeals and collective issues

APPEALED = "Matrix appeal round"
APPEAL_ASSESSOR = "matrix-appeal-assessor@example.org"
APPEAL_DECIDER = "matrix-appeal-decider@example.org"
ISSUE = "Matrix collective issue"


def appeal_round(w):
    """A closed round with two communities, moderated and decided by a manager who is not
    the world's: organisation A won the first (accepted), B lost it and has appealed, a
    third organisation won the second. The world's manager took no part, so may review."""
    from grants import assessment_services as assessing
    from grants.appeal_services import lodge_appeal
    from grants.offer_services import accept_offer
    from organisations.models import User

    from ..factories import ManagerFactory, MembershipFactory
    from .assessing import moderated, on_panel, send, sent_marks
    from .factories import close
    from .factories import open_round as make

    found = GrantRound.objects.filter(name=APPEALED).first()
    if found:
        return found
    grant_round = make(by=w.manager, name=APPEALED, communities=2)
    first, second = grant_round.round_communities.order_by("pk")
    third = MembershipFactory(organisation__name="Matrix second representative").user
    won = send(grant_round, w.org_a_admin, community=first)
    lost = send(grant_round, w.org_b_admin, community=first)
    other = send(grant_round, third, community=second)
    close(grant_round)
    assessor = _staff(APPEAL_ASSESSOR)
    on_panel(grant_round, w, assessor)
    decider = User.objects.filter(email=APPEAL_DECIDER).first() or ManagerFactory(
        email=APPEAL_DECIDER
    )
    for application, score in ((won, 4), (lost, 2), (other, 3)):
        sent_marks(application, assessor, score)
        moderated(application, decider, score)
    for application, admin in ((won, w.org_a_admin), (other, third)):
        offer = assessing.offer_award(
            round_community=application.round_community,
            application=application,
            reasons="Ranked first.",
            by=decider,
        )
        accept_offer(decision=offer, by=admin, declaration_name="Matrix")
    lodge_appeal(application=lost, by=w.org_b_admin, grounds="The panel did not read our letters.")
    return grant_round


def appealed_application(w):
    """Organisation B's unsuccessful application, appealed."""
    return appeal_round(w).applications.get(organisation=w.org_b)


def appeal(w):
    return appealed_application(w).appeal


def collective_issue(w):
    """An issue raised by the appeal round's two representatives (A's award and the third
    organisation's), without the council's response yet."""
    from grants.accountability_models import CollectiveIssue
    from grants.collective_services import record_issue
    from grants.models import CommunityDecision

    found = CollectiveIssue.objects.filter(title=ISSUE).first()
    if found:
        return found
    awards = CommunityDecision.objects.filter(
        round_community__round=appeal_round(w), outcome="accepted"
    )
    return record_issue(
        by=w.officer,
        title=ISSUE,
        description="Both communities find the council's forms hard to reach.",
        raised_by=[d.pk for d in awards],
    )


def with_representatives(w):
    """No URL arguments: makes the appeal round's representatives and their issue, so the
    pages that list them have something to show (and organisation A is a representative)."""
    collective_issue(w)
    return {}


# --------------------------------------------------------------- the community's voice (staff)

VOICE_FLAGGED = "matrix-voice-flagged@example.org"
VOICE_COMMENT = "matrix-voice-comment@example.org"


def backing_consultation(w):
    """The assessed round's community asked whom it backs, open for 10 more days."""
    from datetime import timedelta

    from django.utils import timezone

    from grants.models import Consultation

    community = assessed_community(w)
    found = Consultation.objects.filter(kind="backing", round_community=community).first()
    if found:
        return found
    now = timezone.now()
    return Consultation.objects.create(
        kind="backing",
        round_community=community,
        opens_at=now - timedelta(days=11),
        closes_at=now + timedelta(days=10),
    )


def flagged_voice(w):
    """A counted voice for organisation B's application, flagged to the moderator."""
    from grants.models import Voice

    from .voice_support import counted

    found = Voice.objects.filter(consultation=backing_consultation(w), flag__startswith="5 ")
    return found.first() or counted(
        backing_consultation(w),
        email=VOICE_FLAGGED,
        application=assessed_application(w),
        flag="5 responses from one network within an hour",
    )


def voice_comment(w):
    """A counted voice with a comment waiting for an officer's check."""
    from grants.models import Voice

    from .voice_support import COMMENT, counted

    found = Voice.objects.filter(consultation=backing_consultation(w), comment=COMMENT).first()
    return found or counted(
        backing_consultation(w),
        email=VOICE_COMMENT,
        application=assessed_application(w),
        comment=COMMENT,
    )


def backed_application(w):
    """Organisation B's assessed application, its community asked whom it backs."""
    backing_consultation(w)
    return assessed_application(w)
