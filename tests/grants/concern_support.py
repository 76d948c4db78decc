"""An awarded representative and its concerns in each state: what the concern tests share."""

from grants import assessment_services as assessing
from grants.concern_services import (
    confirm_concern,
    decide_concern,
    raise_concern,
    respond_to_concern,
)
from grants.offer_services import accept_offer

from ..factories import StaffFactory
from .assessing import moderated, send, sent_marks
from .factories import close, open_round

WHAT_HAPPENED = "They told the council our mosque supports the plan; nobody asked us."
RESPONSE = "We consulted the committee, not the congregation. We will hold an open meeting."
REASONS = "The representative should consult the whole community before speaking for it."


def awarded(manager, admin, *, name="Awarded round", assessor=None):
    """`admin`'s organisation, the accepted representative of a round's one community."""
    grant_round = open_round(by=manager, name=name, communities=1)
    application = send(grant_round, admin)
    close(grant_round)
    assessor = assessor or StaffFactory()
    assessing.add_to_panel(grant_round=grant_round, assessor=assessor, by=manager)
    sent_marks(application, assessor)
    moderated(application, manager)
    decision = assessing.offer_award(
        round_community=application.round_community,
        application=application,
        reasons="Ranked first.",
        by=manager,
    )
    return accept_offer(decision=decision, by=admin, declaration_name="Asha Patel")


def raised(decision, *, email="resident@example.org", ip="203.0.113.7", **kwargs):
    """An unconfirmed concern, and its link's token."""
    kwargs.setdefault("what_happened", WHAT_HAPPENED)
    return raise_concern(representative=decision, email=email, ip_address=ip, **kwargs)


def confirmed(decision, **kwargs):
    _, token = raised(decision, **kwargs)
    return confirm_concern(token=token)


def responded(decision, admin, **kwargs):
    concern = confirmed(decision, **kwargs)
    return respond_to_concern(concern=concern, by=admin, response=RESPONSE)


def closed(decision, admin, officer, outcome="advice", **kwargs):
    concern = responded(decision, admin, **kwargs)
    return decide_concern(concern=concern, by=officer, outcome=outcome, reasons=REASONS)
