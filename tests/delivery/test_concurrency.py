"""Races on PostgreSQL: a claim is paid once, and a package has one live request, however
many people press the button at the same moment.

Real threads, each with its own connection, released together by a barrier
(as in tests/allowances/concurrency.py); these tests commit (transaction=True).
Each round builds a fresh package through the real services first.
"""

from collections import Counter
from functools import partial

import pytest

from allowances.models import LedgerEntry, LedgerKind
from allowances.selectors import outstanding_commitment
from allowances.services import AllowanceError
from audit.models import AuditEvent
from delivery import services
from delivery.models import Claim, ProviderRequest
from notifications.models import Notification

from .. import threads
from ..factories import AgreedPackageFactory, MembershipFactory, StaffFactory
from .support import Journey

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10


def run_together(jobs, timeout=30):
    """Each job in its own thread and connection, released at once (tests/threads.py)."""
    return threads.run_together(
        jobs, refusals=AllowanceError, said=lambda exc: exc.reason, timeout=timeout
    )


def fresh_journey(package, provider, provider_user, officer) -> Journey:
    """A new organisation (so no cap is met) with `package` agreed."""
    admin = MembershipFactory()
    agreed = AgreedPackageFactory(
        organisation=admin.organisation, package=package, agreed_by=officer
    )
    return Journey(
        agreed,
        org_admin=admin.user,
        provider=provider,
        provider_user=provider_user,
        officer=officer,
    )


def _about(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_two_officers_approving_one_claim_at_once_pay_it_once(
    package, provider, provider_user, officer
):
    second_officer = StaffFactory()
    outcomes = Counter()
    for _ in range(ROUNDS):
        journey = fresh_journey(package, provider, provider_user, officer)
        claim = journey.claimed()

        results = run_together(
            [
                partial(services.approve_claim, claim, by=officer),
                partial(services.approve_claim, claim, by=second_officer),
            ]
        )

        outcomes.update(kind for kind, _ in results)
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        [refusal] = [said for kind, said in results if kind == "refused"]
        assert refusal == "This claim has already been approved, so it cannot be decided again."
        agreed = journey.agreed
        assert agreed.status == "paid"
        spends = agreed.ledger.filter(kind=LedgerKind.SPEND)
        assert list(spends.values_list("amount", flat=True)) == [package.value]
        assert outstanding_commitment(agreed) == 0
        assert _about(claim).filter(action="claim.approved").count() == 1
        assert _about(agreed).filter(action="agreed_package.paid").count() == 1
        assert (
            Notification.objects.filter(
                kind="delivery:claim_approved", body_text__contains=f"VCS-CLM-{claim.pk:06d}"
            ).count()
            == 1
        )
    assert outcomes == {"ok": ROUNDS, "refused": ROUNDS}


def test_approving_and_rejecting_one_claim_at_once_leaves_one_decision(
    package, provider, provider_user, officer, manager
):
    won = Counter()
    for _ in range(ROUNDS):
        journey = fresh_journey(package, provider, provider_user, officer)
        claim = journey.claimed()

        results = run_together(
            [
                partial(services.approve_claim, claim, by=officer),
                partial(services.reject_claim, claim, by=manager, reason="Not yet confirmed."),
            ]
        )

        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        claim.refresh_from_db()
        won[claim.status] += 1
        spends = LedgerEntry.objects.filter(agreed_package=claim.agreed_package, kind="spend")
        if claim.status == "approved":
            assert (journey.status, spends.count()) == ("paid", 1)
        else:
            assert (journey.status, spends.count()) == ("confirmed", 0)
            assert outstanding_commitment(journey.agreed) == package.value
    assert sum(won.values()) == ROUNDS


def test_two_administrators_requesting_different_providers_at_once_make_one_request(
    package, provider, provider_user, other_provider, officer
):
    for _ in range(ROUNDS):
        journey = fresh_journey(package, provider, provider_user, officer)
        agreed = journey.agreed
        second_admin = MembershipFactory(organisation=agreed.organisation).user

        results = run_together(
            [
                partial(
                    services.request_provider,
                    agreed,
                    provider=provider,
                    message="Please help.",
                    by=journey.org_admin,
                ),
                partial(
                    services.request_provider,
                    agreed,
                    provider=other_provider,
                    message="Can you help?",
                    by=second_admin,
                ),
            ]
        )

        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        [(_, made)] = [r for r in results if r[0] == "ok"]
        [(_, refusal)] = [r for r in results if r[0] == "refused"]
        assert refusal.startswith(f"You have already asked {made.provider.name}")
        assert list(ProviderRequest.objects.filter(agreed_package=agreed)) == [made]
        assert journey.status == "provider_requested"
        assert Claim.objects.filter(agreed_package=agreed).count() == 0
