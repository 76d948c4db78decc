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
