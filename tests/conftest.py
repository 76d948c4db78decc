"""The standard cast every test can use, and helpers shared across the suite."""

import contextlib
import time
from dataclasses import dataclass

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import (
    InvitationFactory,
    ManagerFactory,
    MembershipFactory,
    OrganisationFactory,
    ProviderMembershipFactory,
    StaffFactory,
    UserFactory,
)
from .reference_data import restore_reference_data

ROLES = ("anonymous", "org_a", "org_b", "provider", "officer", "manager")


@dataclass
class World:
    """Two organisations, a provider and council staff, as the permission tests need.

    org_a / org_b are administrators of organisation A / B; org_a_member is a
    plain member of A; outsider has an account but belongs to nothing.
    """

    org_a: object
    org_b: object
    org_a_admin: object
    org_a_member: object
    org_b_admin: object
    provider: object
    provider_user: object
    officer: object
    manager: object
    outsider: object
    invitation_a: object

    def user_for(self, role):
        return {
            "anonymous": None,
            "org_a": self.org_a_admin,
            "org_b": self.org_b_admin,
            "provider": self.provider_user,
            "officer": self.officer,
            "manager": self.manager,
        }[role]


def build_world() -> World:
    """Create the standard cast. Use the `world` fixture; this is for tests that need several."""
    org_a_admin = MembershipFactory(
        organisation__name="Organisation A", user__email="a@example.org"
    )
    org_b_admin = MembershipFactory(
        organisation__name="Organisation B", user__email="b@example.org"
    )
    org_a_member = MembershipFactory(
        organisation=org_a_admin.organisation, role="member", user__email="a-member@example.org"
    )
    provider_membership = ProviderMembershipFactory(user__email="provider@example.org")
    return World(
        org_a=org_a_admin.organisation,
        org_b=org_b_admin.organisation,
        org_a_admin=org_a_admin.user,
        org_a_member=org_a_member.user,
        org_b_admin=org_b_admin.user,
        provider=provider_membership.provider,
        provider_user=provider_membership.user,
        officer=StaffFactory(email="officer@example.org"),
        manager=ManagerFactory(email="manager@example.org"),
        outsider=UserFactory(email="outsider@example.org"),
        invitation_a=InvitationFactory(
            organisation=org_a_admin.organisation, invited_by=org_a_admin.user
        ),
    )


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Put back what data migrations made, which a previous transactional test emptied."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        restore_reference_data()


@pytest.fixture
def world(db):
    return build_world()


def record_second_factor(client, user) -> None:
    """Write into the client's session what allauth writes when a code is accepted.

    force_login() is Django's login(), which skips allauth's code step; staff
    pages refuse such a session (vcs_support.middleware) until this is done.
    """
    # An hour ago: signed in a while back, so pages that ask people to confirm
    # it is them (allauth's reauthentication, 5 minutes) still ask.
    at = time.time() - 3600
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": at, "email": user.email},
        {"method": "mfa", "at": at, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def client_for(user, *, second_factor=True, **kwargs) -> Client:
    """A test client signed in as `user` (anonymous when None).

    Staff are signed in as after the code step, unless `second_factor=False`
    (a session that skipped it, which staff pages must refuse).
    """
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
        if second_factor and user.must_use_two_factor:
            record_second_factor(client, user)
    return client


@pytest.fixture
def org_admin_client(world):
    return client_for(world.org_a_admin)


@pytest.fixture
def officer_client(world):
    return client_for(world.officer)


@pytest.fixture
def manager_client(world):
    return client_for(world.manager)


@contextlib.contextmanager
def count_queries():
    """Yield the captured queries, so a test can assert the count and say what each is."""
    with CaptureQueriesContext(connection) as context:
        yield context


def assert_constant_queries(make_rows, fetch, *, small=1, large=50):
    """A page issues the same number of queries at `small` and at `large` rows.

    `make_rows(n)` creates n more rows; `fetch()` requests the page and returns
    the response. Returns the count, so the caller can pin it exactly.
    """
    make_rows(small)
    fetch()  # warm per-process caches (content types, sessions) out of the count
    with count_queries() as at_small:
        response = fetch()
    assert response.status_code == 200
    make_rows(large - small)
    with count_queries() as at_large:
        response = fetch()
    assert response.status_code == 200
    assert len(at_small) == len(at_large), (
        f"{len(at_small)} queries at {small} rows but {len(at_large)} at {large}:\n"
        + "\n".join(q["sql"] for q in at_large.captured_queries)
    )
    return len(at_small)


__all__ = [
    "ROLES",
    "World",
    "build_world",
    "OrganisationFactory",
    "assert_constant_queries",
    "client_for",
    "count_queries",
    "record_second_factor",
]
