"""Objects the permission matrix's provider rows point at (tests/permission_matrix.py).

Everything provider-owned belongs to the world's provider (A), so only its
person gets 200; council staff see it through the officer pages.
"""


def invitation(w):
    from providers.models import ProviderInvitation
    from providers.services import invite_colleague

    existing = ProviderInvitation.objects.filter(provider=w.provider).first()
    return existing or invite_colleague(
        provider=w.provider, email="colleague@example.org", by=w.provider_user
    )


def certificate(w):
    from .factories import CertificateFactory

    return CertificateFactory(provider=w.provider)


def policy(w):
    from .factories import PolicyFactory

    return PolicyFactory(provider=w.provider)


def application(w, status="draft"):
    """An application of provider A (a new package each time, so none collide)."""
    from .factories import PackageApplicationFactory

    return PackageApplicationFactory(provider=w.provider, status=status)
