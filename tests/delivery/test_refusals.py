"""Every illegal step is refused with a sentence the person can act on, and changes nothing.

Each case walks the package to a state through the real services, takes a
snapshot of every row a delivery service could write (packages, requests,
sessions, ratings, disputes, claims, ledger, audit, outbox), tries the step,
and checks the refusal's words and that the snapshot is unchanged.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from allowances.services import AllowanceError
from delivery import services
from delivery.models import Dispute, Rating

from ..factories import ProviderMembershipFactory
from .checks import snapshot
from .support import make_ready, session_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@dataclass
class Cast:
    journey: object
    agreed: object
    org_admin: object
    org_member: object
    other_org_admin: object
    provider: object
    provider_user: object
    other_provider: object
    other_provider_user: object
    officer: object
    manager: object
    outsider: object

    @property
    def request(self):
        return self.journey.request

    @property
    def fresh(self):
        return self.journey.agreed

    def rating(self):
        return Rating.objects.get(request__agreed_package_id=self.journey.agreed_pk)

    def dispute(self):
        return Dispute.objects.filter(request__agreed_package_id=self.journey.agreed_pk).latest(
            "pk"
        )

    def accept(self, request, by, start=None, end=None):
        start = start or TODAY()
        return services.accept_request(
            request, by=by, planned_start=start, planned_end=end or start + timedelta(days=20)
        )


@pytest.fixture
def cast(
    world,
    journey,
    agreed,
    org_admin,
    provider,
    provider_user,
    other_provider,
    other_provider_user,
    officer,
    manager,
):
    return Cast(
        journey=journey,
        agreed=agreed,
        org_admin=org_admin,
        org_member=world.org_a_member,
        other_org_admin=world.org_b_admin,
        provider=provider,
        provider_user=provider_user,
        other_provider=other_provider,
        other_provider_user=other_provider_user,
        officer=officer,
        manager=manager,
        outsider=world.outsider,
    )


def _claim(c, amount, note="", by=None):
    return services.submit_claim(
        c.fresh, by=by or c.provider_user, amount=amount, invoice_reference="INV-7", note=note
    )


def _request(c, by, message="Please help.", provider=None):
    return services.request_provider(
        c.fresh, provider=provider or c.provider, message=message, by=by
    )


# (state to walk to first, the step tried, words the refusal must contain)
CASES = {
    # ---- choosing
    "request without a message": (
        None,
        lambda c: _request(c, c.org_admin, "  "),
        "Enter a message",
    ),
    "request by a plain member": (
        None,
        lambda c: _request(c, c.org_member),
        "Only an administrator of the organisation",
    ),
    "request by another organisation's admin": (
        None,
        lambda c: _request(c, c.other_org_admin),
        "Only an administrator of the organisation",
    ),
    "request by the provider itself": (
        None,
        lambda c: _request(c, c.provider_user),
        "Only an administrator of the organisation",
    ),
    "request twice": (
        "requested",
        lambda c: _request(c, c.org_admin),
        "You have already asked Training Provider",
    ),
    "request a second provider while one is asked": (
        "requested",
        lambda c: _request(c, c.org_admin, provider=c.other_provider),
        "withdraw the request to choose again",
    ),
    "request after acceptance": (
        "accepted",
        lambda c: _request(c, c.org_admin),
        "and they have accepted",
    ),
    "withdraw by another organisation's admin": (
        "requested",
        lambda c: services.withdraw_request(c.request, by=c.other_org_admin),
        "Only an administrator of the organisation",
    ),
    "withdraw after acceptance": (
        "accepted",
        lambda c: services.withdraw_request(c.request, by=c.org_admin),
        "already been accepted",
    ),
    # ---- responding
    "accept twice": (
        "accepted",
        lambda c: c.accept(c.request, c.provider_user),
        "already been accepted",
    ),
    "accept by someone not acting for the provider": (
        "requested",
        lambda c: c.accept(c.request, c.other_provider_user),
        "Only people who act for the provider",
    ),
    "accept by the organisation": (
        "requested",
        lambda c: c.accept(c.request, c.org_admin),
        "Only people who act for the provider",
    ),
    "accept with a start in the past": (
        "requested",
        lambda c: c.accept(c.request, c.provider_user, start=TODAY() - timedelta(days=1)),
        "The planned start date must be today or in the future",
    ),
    "accept with the end before the start": (
        "requested",
        lambda c: c.accept(c.request, c.provider_user, end=TODAY() - timedelta(days=1)),
        "The planned end date must be the same as or after",
    ),
    "accept ending after the delivery deadline": (
        "requested",
        lambda c: c.accept(c.request, c.provider_user, end=TODAY() + timedelta(days=400)),
        "the last day this package can be delivered",
    ),
    "decline without a reason": (
        "requested",
        lambda c: services.decline_request(c.request, by=c.provider_user, reason=" "),
        "Enter why you are declining",
    ),
    "decline after accepting": (
        "accepted",
        lambda c: services.decline_request(c.request, by=c.provider_user, reason="Changed mind"),
        "already been accepted",
    ),
    "decline by another provider": (
        "requested",
        lambda c: services.decline_request(c.request, by=c.other_provider_user, reason="No"),
        "Only people who act for the provider",
    ),
    # ---- delivering
    "log a session on a package not accepted": (
        "requested",
        lambda c: services.log_session(c.request, by=c.provider_user, data=session_data()),
        "so delivery cannot be logged on it",
    ),
    "log a session after delivery": (
        "delivered",
        lambda c: services.log_session(c.request, by=c.provider_user, data=session_data()),
        "so delivery cannot be logged on it",
    ),
    "log a session for another provider's work": (
        "accepted",
        lambda c: services.log_session(c.request, by=c.other_provider_user, data=session_data()),
        "Only people who act for the provider",
    ),
    "log a session in the future": (
        "accepted",
        lambda c: services.log_session(
            c.request,
            by=c.provider_user,
            data=session_data(held_on=TODAY() + timedelta(days=1)),
        ),
        "must be today or in the past",
    ),
    "log a session before acceptance": (
        "accepted",
        lambda c: services.log_session(
            c.request,
            by=c.provider_user,
            data=session_data(held_on=TODAY() - timedelta(days=1)),
        ),
        "when you accepted the request",
    ),
    "mark delivered without sessions": (
        "accepted",
        lambda c: services.mark_delivered(c.request, by=c.provider_user, outcome_summary="Done"),
        "Log at least one delivery session",
    ),
    "mark delivered without a summary": (
        "in_delivery",
        lambda c: services.mark_delivered(c.request, by=c.provider_user, outcome_summary=" "),
        "Enter a summary",
    ),
    "mark delivered twice": (
        "delivered",
        lambda c: services.mark_delivered(c.request, by=c.provider_user, outcome_summary="Done"),
        "You have already marked this work delivered",
    ),
    "mark delivered by another provider": (
        "in_delivery",
        lambda c: services.mark_delivered(
            c.request, by=c.other_provider_user, outcome_summary="Done"
        ),
        "Only people who act for the provider",
    ),
    # ---- confirming, rating, disputing
    "confirm before delivery": (
        "in_delivery",
        lambda c: services.confirm_delivery(c.fresh, by=c.org_admin, score=4),
        "being delivered",
    ),
    "confirm by an organisation that was not served": (
        "delivered",
        lambda c: services.confirm_delivery(c.fresh, by=c.other_org_admin, score=1),
        "Only an administrator of the organisation",
    ),
    "confirm by a plain member": (
        "delivered",
        lambda c: services.confirm_delivery(c.fresh, by=c.org_member, score=5),
        "Only an administrator of the organisation",
    ),
    "confirm by the provider": (
        "delivered",
        lambda c: services.confirm_delivery(c.fresh, by=c.provider_user, score=5),
        "Only an administrator of the organisation",
    ),
    "rate 0": (
        "delivered",
        lambda c: services.confirm_delivery(c.fresh, by=c.org_admin, score=0),
        "Choose a rating from 1 to 5",
    ),
    "rate 6": (
        "delivered",
        lambda c: services.confirm_delivery(c.fresh, by=c.org_admin, score=6),
        "Choose a rating from 1 to 5",
    ),
    "rate twice": (
        "confirmed",
        lambda c: services.confirm_delivery(c.fresh, by=c.org_admin, score=1),
        "already been rated",
    ),
    "dispute after confirming": (
        "confirmed",
        lambda c: services.dispute_delivery(c.fresh, by=c.org_admin, reason="Changed our mind"),
        "delivery confirmed",
    ),
    "dispute without a reason": (
        "delivered",
        lambda c: services.dispute_delivery(c.fresh, by=c.org_admin, reason=""),
        "Enter what was not delivered",
    ),
    "dispute by an organisation that was not served": (
        "delivered",
        lambda c: services.dispute_delivery(c.fresh, by=c.other_org_admin, reason="Bad"),
        "Only an administrator of the organisation",
    ),
    "dispute twice": (
        "disputed",
        lambda c: services.dispute_delivery(c.fresh, by=c.org_admin, reason="Again"),
        "disputed",
    ),
    "resolve by the organisation": (
        "disputed",
        lambda c: services.resolve_dispute(
            c.dispute(), by=c.org_admin, outcome="confirmed", resolution="Fine"
        ),
        "Only council officers",
    ),
    "resolve without a reason": (
        "disputed",
        lambda c: services.resolve_dispute(
            c.dispute(), by=c.officer, outcome="confirmed", resolution=""
        ),
        "Enter the reason for your decision",
    ),
    "resolve with an unknown outcome": (
        "disputed",
        lambda c: services.resolve_dispute(
            c.dispute(), by=c.officer, outcome="refund", resolution="Why"
        ),
        "Choose how the dispute is resolved",
    ),
    "resolve twice": (
        "disputed",
        lambda c: [
            services.resolve_dispute(
                c.dispute(), by=c.officer, outcome="back_to_delivery", resolution="First"
            ),
            snapshot_again(c),
            services.resolve_dispute(
                c.dispute(), by=c.manager, outcome="confirmed", resolution="Second"
            ),
        ],
        "already been resolved",
    ),
    "reply to a rating twice": (
        "confirmed",
        lambda c: [
            services.reply_to_rating(c.rating(), by=c.provider_user, reply="Thanks"),
            snapshot_again(c),
            services.reply_to_rating(c.rating(), by=c.provider_user, reply="Thanks again"),
        ],
        "You can only reply once",
    ),
    "reply to another provider's rating": (
        "confirmed",
        lambda c: services.reply_to_rating(c.rating(), by=c.other_provider_user, reply="Hm"),
        "Only people who act for the provider",
    ),
    "reply with nothing": (
        "confirmed",
        lambda c: services.reply_to_rating(c.rating(), by=c.provider_user, reply=" "),
        "Enter your reply",
    ),
    "hide a comment by the provider": (
        "confirmed",
        lambda c: services.hide_rating_comment(c.rating(), by=c.provider_user, reason="Unfair"),
        "Only council officers",
    ),
    "hide a comment without a reason": (
        "confirmed",
        lambda c: services.hide_rating_comment(c.rating(), by=c.officer, reason=""),
        "Enter why the comment is being hidden",
    ),
    # ---- claiming and paying
    "claim before confirmation": (
        "delivered",
        lambda c: _claim(c, Decimal("2000.00")),
        "cannot be claimed for now",
    ),
    "claim above the agreed value": (
        "confirmed",
        lambda c: _claim(c, Decimal("2000.01")),
        "must be no more than £2,000.00, the value agreed",
    ),
    "claim less without a note": (
        "confirmed",
        lambda c: _claim(c, Decimal("1999.99")),
        "Enter a note saying why you are claiming less than the £2,000.00 agreed",
    ),
    "claim nothing": ("confirmed", lambda c: _claim(c, None), "Enter the amount"),
    "claim zero": ("confirmed", lambda c: _claim(c, Decimal("0")), "at least £0.01"),
    "claim by another provider": (
        "confirmed",
        lambda c: _claim(c, Decimal("2000.00"), by=c.other_provider_user),
        "Only people who act for the provider",
    ),
    "claim twice": (
        "claimed",
        lambda c: _claim(c, Decimal("2000.00")),
        "You have already claimed for this package: claim VCS-CLM-",
    ),
    "approve by the provider": (
        "claimed",
        lambda c: services.approve_claim(c.journey.live_claim(), by=c.provider_user),
        "Only council officers",
    ),
    "approve twice": (
        "paid",
        lambda c: services.approve_claim(c.journey.live_claim(), by=c.manager),
        "already been approved",
    ),
    "approve more than the value as an officer": (
        "claimed",
        lambda c: services.approve_claim(
            c.journey.live_claim(), by=c.officer, amount=Decimal("2100.00"), reason="Extra day"
        ),
        "Only a manager can approve it",
    ),
    "approve more than the value as a manager without a reason": (
        "claimed",
        lambda c: services.approve_claim(
            c.journey.live_claim(), by=c.manager, amount=Decimal("2100.00")
        ),
        "Give the reason for paying more",
    ),
    "reject without a reason": (
        "claimed",
        lambda c: services.reject_claim(c.journey.live_claim(), by=c.officer, reason=""),
        "Enter why the claim is being rejected",
    ),
    "reject by the provider": (
        "claimed",
        lambda c: services.reject_claim(c.journey.live_claim(), by=c.provider_user, reason="x"),
        "Only council officers",
    ),
    "reject an approved claim": (
        "paid",
        lambda c: services.reject_claim(c.journey.live_claim(), by=c.officer, reason="Oops"),
        "already been approved",
    ),
}

_SNAPSHOTS = {}


def snapshot_again(c):
    """For two-step cases: the first step succeeds, then the snapshot is retaken."""
    _SNAPSHOTS[id(c)] = snapshot()


@pytest.mark.parametrize(("state", "step", "words"), CASES.values(), ids=CASES.keys())
def test_it_refuses_and_changes_nothing(cast, state, step, words):
    if state:
        getattr(cast.journey, state)()
    _SNAPSHOTS[id(cast)] = snapshot()

    with pytest.raises(AllowanceError) as refused:
        step(cast)

    assert words in refused.value.reason
    assert refused.value.reason[0].isupper()
    assert snapshot() == _SNAPSHOTS.pop(id(cast))


def test_reject_twice_is_refused_with_the_claim_s_state(cast):
    claim = cast.journey.claimed()
    services.reject_claim(claim, by=cast.officer, reason="No invoice.")
    before = snapshot()

    with pytest.raises(AllowanceError) as refused:
        services.reject_claim(claim, by=cast.manager, reason="Again")

    assert "already been rejected" in refused.value.reason
    assert snapshot() == before


def test_a_provider_not_approved_for_the_package_cannot_be_requested(cast):
    stranger = ProviderMembershipFactory().provider
    make_ready(stranger, cast.agreed.package, by=cast.officer, officer=cast.officer)
    stranger.package_applications.update(status="suspended", officer_message="Complaint")
    before = snapshot()

    with pytest.raises(AllowanceError) as refused:
        _request(cast, cast.org_admin, provider=stranger)

    assert refused.value.reason == "This provider is not approved to deliver this package."
    assert snapshot() == before
    # Approved again, it can be.
    stranger.package_applications.update(status="approved", officer_message="")
    assert _request(cast, cast.org_admin, provider=stranger).provider == stranger
