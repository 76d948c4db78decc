"""The cast of the delivery journey, built on the standard `world`.

Organisation A (world.org_a, eligible, this year's budget) has one package
agreed (`agreed`, in AGREED). Two providers are on the register, insured and
approved for that package: `provider` (world.provider) and `other_provider`,
each with one person acting for it. `journey` walks `agreed` forward through
the real delivery services: `journey.confirmed()` and so on.
"""

from decimal import Decimal

import pytest

from ..factories import AgreedPackageFactory, PackageFactory, ProviderMembershipFactory
from .support import Journey, make_ready


@pytest.fixture
def organisation(world):
    return world.org_a


@pytest.fixture
def org_admin(world):
    return world.org_a_admin


@pytest.fixture
def other_org_admin(world):
    """An administrator of organisation B, which this package has nothing to do with."""
    return world.org_b_admin


@pytest.fixture
def officer(world):
    return world.officer


@pytest.fixture
def manager(world):
    return world.manager


@pytest.fixture
def package(db):
    return PackageFactory(name="Governance health check", value=Decimal("2000.00"))


@pytest.fixture
def agreed(organisation, package, officer):
    """Organisation A's package, agreed today through `agree_package` (status AGREED)."""
    return AgreedPackageFactory(organisation=organisation, package=package, agreed_by=officer)


@pytest.fixture
def provider(world, package, officer):
    return make_ready(world.provider, package, by=world.provider_user, officer=officer)


@pytest.fixture
def provider_user(world, provider):
    return world.provider_user


@pytest.fixture
def other_provider_membership(world, package, officer):
    membership = ProviderMembershipFactory(
        provider__name="Second Provider Ltd", user__email="provider-b@example.org"
    )
    make_ready(membership.provider, package, by=membership.user, officer=officer)
    return membership


@pytest.fixture
def other_provider(other_provider_membership):
    return other_provider_membership.provider


@pytest.fixture
def other_provider_user(other_provider_membership):
    return other_provider_membership.user


@pytest.fixture
def journey(agreed, org_admin, provider, provider_user, officer):
    return Journey(
        agreed,
        org_admin=org_admin,
        provider=provider,
        provider_user=provider_user,
        officer=officer,
    )
