"""Closed rounds with sent applications, a panel and marks: what the assessing tests share."""

from grants import assessment_services as assessing
from grants.application_services import submit_application
from grants.assessment_services import panel_criteria
from grants.models import Assessment

from ..factories import MembershipFactory, StaffFactory
from .factories import close, open_round, quick_fill, start

COMMENT = "Clear evidence of reach into the community."


def send(grant_round, admin, *, community=None):
    """`admin`'s organisation's application for `community` (the first), filled in and sent."""
    application = quick_fill(start(grant_round, admin, community=community), admin)
    return submit_application(application=application, by=admin, declaration_name="Asha Patel")


def another_admin():
    """The administrator of a new organisation, which may apply too."""
    return MembershipFactory().user


def closed_round(world, *, applications=1, communities=1):
    """A round that has closed, with `applications` sent for its first community.

    Organisation A sends the first; each of the others is a new organisation's.
    """
    grant_round = open_round(by=world.manager, communities=communities)
    community = grant_round.round_communities.order_by("pk").first()
    admins = [world.org_a_admin] + [another_admin() for _ in range(applications - 1)]
    sent = [send(grant_round, admin, community=community) for admin in admins]
    return close(grant_round), sent


def on_panel(grant_round, world, *people):
    """Put people on the round's panel (the world's officer when none is named)."""
    people = people or (world.officer,)
    for person in people:
        assessing.add_to_panel(grant_round=grant_round, assessor=person, by=world.manager)
    return people[0] if len(people) == 1 else people


def assessor(grant_round, world, **kwargs):
    """A new officer on the round's panel."""
    person = StaffFactory(**kwargs)
    assessing.add_to_panel(grant_round=grant_round, assessor=person, by=world.manager)
    return person


def marks(grant_round, score=3, comment=COMMENT, **per_title):
    """{criterion id: (mark, comment)} for every criterion the panel marks.

    A scored criterion gets `score` (or per_title[title]); a must-have is met.
    """
    values = {}
    for criterion in panel_criteria(grant_round):
        default = score if criterion.kind == "scored" else 1
        values[criterion.pk] = (str(per_title.get(criterion.title, default)), comment)
    return values


def scored(grant_round):
    return [c for c in panel_criteria(grant_round) if c.kind == "scored"]


def must_haves(grant_round):
    return [c for c in panel_criteria(grant_round) if c.kind == "must_have"]


def declared(application, person, *, conflict=False):
    return assessing.declare_interest(
        application=application,
        by=person,
        has_conflict=conflict,
        details="My sister chairs its board." if conflict else "",
    )


def sent_marks(application, person, score=3, comment=COMMENT, **per_title):
    """`person` declares no conflict (unless they have) and sends their marks."""
    assessment = Assessment.objects.filter(application=application, assessor=person).first()
    assessment = assessment or declared(application, person)
    values = marks(application.round, score, comment, **per_title)
    return assessing.save_marks(assessment=assessment, values=values, by=person, send=True)


def moderated(application, manager, score=3, reason="Agreed at the panel meeting."):
    values = {pk: (mark, reason) for pk, (mark, _) in marks(application.round, score).items()}
    return assessing.moderate(application=application, values=values, by=manager)


def ready_to_decide(world, *, applications=1, score=3):
    """A closed round whose applications are each scored by the officer and moderated."""
    grant_round, sent = closed_round(world, applications=applications)
    officer = on_panel(grant_round, world)
    for application in sent:
        sent_marks(application, officer, score)
        moderated(application, world.manager, score)
    return grant_round, sent
