"""Awarded representatives (accepted decisions) for the collective issues' tests."""

from grants import assessment_services as assessing
from grants.offer_services import accept_offer

from .assessing import another_admin, moderated, on_panel, send, sent_marks
from .factories import close, open_round


def representatives(world, n=2, *, first=None):
    """A closed round with `n` communities, each awarded to one organisation, accepted.

    The first is organisation A's (or `first`'s, an administrator); the rest new
    organisations'. Returns the accepted decisions, in community order.
    """
    grant_round = open_round(by=world.manager, communities=n)
    communities = list(grant_round.round_communities.order_by("pk"))
    admins = [first or world.org_a_admin] + [another_admin() for _ in range(n - 1)]
    sent = [send(grant_round, a, community=c) for a, c in zip(admins, communities, strict=True)]
    close(grant_round)
    officer = on_panel(grant_round, world)
    decisions = []
    for application, admin in zip(sent, admins, strict=True):
        sent_marks(application, officer)
        moderated(application, world.manager)
        offer = assessing.offer_award(
            round_community=application.round_community,
            application=application,
            reasons="The best.",
            by=world.manager,
        )
        decisions.append(accept_offer(decision=offer, by=admin, declaration_name="Asha Patel"))
    return decisions
