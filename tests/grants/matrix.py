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
