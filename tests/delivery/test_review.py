"""Defects found in review of the provider journey, each pinned by a test that failed first."""

from decimal import Decimal

import pytest

from allowances.models import AgreedStatus as S
from allowances.models import LedgerEntry
from allowances.services import AllowanceError
from delivery import services
from delivery.models import Claim

from .checks import snapshot

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_pay_more_than_the_provider_claimed(journey, officer):
    """The provider claimed £1,500 of the £2,000 agreed, saying why; an officer alone may
    not turn that into a £2,000 payment: paying more than claimed needs a manager."""
    claim = journey.claimed(amount=Decimal("1500.00"), note="Only one workshop was needed.")
    before = snapshot()

    with pytest.raises(AllowanceError, match="more than the .* claimed"):
        services.approve_claim(claim, by=officer, amount=Decimal("2000.00"))

    assert snapshot() == before
    assert journey.status == S.CLAIMED


def test_a_manager_may_pay_more_than_claimed_with_a_reason(journey, manager):
    claim = journey.claimed(amount=Decimal("1500.00"), note="Only one workshop was needed.")

    services.approve_claim(
        claim, by=manager, amount=Decimal("2000.00"), reason="The second workshop was held."
    )

    claim.refresh_from_db()
    assert (claim.status, claim.amount_paid) == (Claim.Status.APPROVED, Decimal("2000.00"))
    spend = LedgerEntry.objects.get(agreed_package_id=journey.agreed_pk, kind="spend")
    assert spend.amount == Decimal("2000.00")


def test_cancelling_a_package_withdraws_its_waiting_request_and_tells_the_provider(
    agreed, officer, journey, provider_user
):
    from allowances.services import cancel_agreed_package
    from delivery.models import ProviderRequest
    from notifications.models import Notification

    request = journey.requested()
    cancel_agreed_package(agreed, by=officer, reason="The organisation has closed")
    request = ProviderRequest.objects.get(pk=request.pk)
    assert request.status == "withdrawn" and request.responded_by == officer
    told = Notification.objects.filter(kind="delivery:package_cancelled_provider")
    assert [n.recipient for n in told] == [provider_user.email]
    assert "The organisation has closed" in told.get().body_text


def test_cancelling_during_delivery_tells_the_provider_and_keeps_the_engagement(
    agreed, officer, journey, provider_user
):
    from allowances.services import cancel_agreed_package
    from delivery.models import ProviderRequest
    from notifications.models import Notification

    request = journey.in_delivery().request
    cancel_agreed_package(agreed, by=officer, reason="Funding withdrawn")
    assert ProviderRequest.objects.get(pk=request.pk).status == "accepted"
    body = Notification.objects.get(kind="delivery:package_cancelled_provider").body_text
    assert "Do not log any more sessions" in body
