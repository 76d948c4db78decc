"""Objects the permission matrix's volunteering rows point at (tests/permission_matrix.py).

Each is made once per world and found again after, since one world builds every URL in
some tests. On the brokers' rows the world's provider user is the broker: `broker(w)`
gives them a live grant (Option 1: the volunteer centre is a provider, its staff brokers),
so "provider" in those rows means a provider's person with the role, and every other role
(a provider's person without it is tested in tests/volunteering/test_broker_views.py) 404.
"""

from volunteering.models import Broker, Opportunity

DRAFT = "Matrix draft opportunity"
SUBMITTED = "Matrix submitted opportunity"


def broker(w):
    """The world's provider user, with a live broker grant."""
    grant = Broker.objects.live().filter(user=w.provider_user).first()
    return grant or Broker.objects.create(
        user=w.provider_user, provider=w.provider, granted_by=w.manager
    )


def as_broker(w) -> dict:
    """No URL arguments: the page is the brokers' own, so the provider user becomes one."""
    broker(w)
    return {}


def draft(w):
    """Organisation A's draft, complete, so that it can be sent (and withdrawn)."""
    from .support import drafted

    found = Opportunity.objects.filter(organisation=w.org_a, title=DRAFT).first()
    return found or drafted(w, title=DRAFT)


def submitted(w):
    """Organisation A's opportunity waiting for a broker, and the provider user a broker."""
    from .support import submitted as make

    broker(w)
    found = Opportunity.objects.filter(organisation=w.org_a, title=SUBMITTED).first()
    return found or make(w, title=SUBMITTED)


PUBLISHED = "Matrix published opportunity"


def published(w):
    """Organisation A's opportunity, published by the world's provider user as broker."""
    from .support import published as make

    found = Opportunity.objects.filter(organisation=w.org_a, title=PUBLISHED).first()
    return found or make(w, broker(w).user, title=PUBLISHED)


ADVICE = "Matrix question: how do we pay volunteers' bus fares?"


def advice(w):
    """Organisation A's advice request, waiting for an answer; the provider user a broker."""
    from volunteering.advice_services import ask_for_advice
    from volunteering.models import AdviceRequest

    broker(w)
    found = AdviceRequest.objects.filter(organisation=w.org_a, question=ADVICE).first()
    return found or ask_for_advice(
        by=w.org_a_admin,
        organisation=w.org_a,
        fields={"question": ADVICE, "topic": "expenses", "reply_by": "email", "phone": ""},
    )
