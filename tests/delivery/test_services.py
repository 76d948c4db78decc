"""Every move of the delivery journey through its service: state, audit event, emails.

The refusals are in test_refusals.py; choosing in test_choosing.py; money in
test_ledger.py; races in test_concurrency.py.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from allowances.models import AgreedStatus as S
from audit.models import AuditEvent
from delivery import services
from delivery.models import Claim, DeliverySession, Dispute, ProviderRequest, Rating
from notifications.models import Notification
from organisations.models import User

from .checks import assert_event, emails, event, recipients, snapshot
from .support import session_data

pytestmark = pytest.mark.django_db

PROVIDER_EMAIL = "provider@example.org"
ORG_ADMIN_EMAIL = "a@example.org"


def test_requesting_a_provider_moves_the_package_and_tells_the_provider(
    journey, agreed, org_admin, provider
):
    request = services.request_provider(
        agreed, provider=provider, message="  Can you start in May?  ", by=org_admin
    )

    assert journey.status == S.PROVIDER_REQUESTED
    request.refresh_from_db()
    assert (request.status, request.provider, request.message) == (
        "pending",
        provider,
        "Can you start in May?",
    )
    assert_event(
        "agreed_package.provider_requested",
        agreed,
        actor=org_admin,
        from_state=S.AGREED,
        to_state=S.PROVIDER_REQUESTED,
    )
    assert_event("provider_request.sent", request, actor=org_admin, to_state="pending")
    [email] = emails("provider_requested")
    assert email.recipient == PROVIDER_EMAIL
    assert agreed.organisation.name in email.subject
    assert "Governance health check" in email.subject
    assert f"/provider/requests/{request.pk}/" in email.body_text
    assert "Can you start in May?" in email.body_text


def test_withdrawing_a_request_puts_the_package_back_to_choose_again(journey, org_admin):
    request = journey.requested()

    services.withdraw_request(request, by=org_admin)

    assert journey.status == S.AGREED
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert request.responded_by == org_admin
    assert_event(
        "agreed_package.request_withdrawn",
        journey.agreed,
        actor=org_admin,
        from_state=S.PROVIDER_REQUESTED,
        to_state=S.AGREED,
    )
    assert_event(
        "provider_request.withdrawn",
        request,
        actor=org_admin,
        from_state="pending",
        to_state="withdrawn",
    )
    assert recipients("provider_request_withdrawn") == [PROVIDER_EMAIL]


def test_accepting_records_the_dates_and_tells_the_organisations_administrators(
    journey, provider_user
):
    request = journey.requested()
    start = timezone.localdate() + timedelta(days=7)
    end = start + timedelta(days=60)

    services.accept_request(request, by=provider_user, planned_start=start, planned_end=end)

    assert journey.status == S.ACCEPTED
    request.refresh_from_db()
    assert (request.status, request.planned_start, request.planned_end) == ("accepted", start, end)
    assert request.responded_by == provider_user
    assert_event(
        "agreed_package.accepted",
        journey.agreed,
        actor=provider_user,
        from_state=S.PROVIDER_REQUESTED,
        to_state=S.ACCEPTED,
    )
    assert_event(
        "provider_request.accepted",
        request,
        actor=provider_user,
        from_state="pending",
        to_state="accepted",
    )
    # The administrator, not the plain member (a-member@example.org).
    [email] = emails("provider_accepted")
    assert email.recipient == ORG_ADMIN_EMAIL
    assert f"/organisation/agreed-packages/{journey.agreed_pk}/delivery/" in email.body_text
    assert f"{start:%-d %B %Y}" in email.body_text


def test_declining_records_the_reason_and_sends_the_organisation_back_to_choose(
    journey, provider_user
):
    request = journey.requested()

    services.decline_request(request, by=provider_user, reason="We are fully booked until May.")

    assert journey.status == S.AGREED
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (
        "declined",
        "We are fully booked until May.",
    )
    assert_event(
        "provider_request.declined",
        request,
        actor=provider_user,
        from_state="pending",
        to_state="declined",
        reason="We are fully booked until May.",
    )
    assert_event(
        "agreed_package.declined",
        journey.agreed,
        actor=provider_user,
        from_state=S.PROVIDER_REQUESTED,
        to_state=S.AGREED,
    )
    [email] = emails("provider_declined")
    assert email.recipient == ORG_ADMIN_EMAIL
    assert "We are fully booked until May." in email.body_text
    assert f"/organisation/agreed-packages/{journey.agreed_pk}/providers/" in email.body_text


def test_the_first_session_starts_delivery_and_later_ones_only_add_sessions(journey, provider_user):
    request = journey.accepted()
    today = timezone.localdate()

    first = services.log_session(request, by=provider_user, data=session_data())

    agreed = journey.agreed
    assert (agreed.status, agreed.delivery_started_on) == (S.IN_DELIVERY, today)
    assert_event(
        "agreed_package.delivery_started",
        agreed,
        actor=provider_user,
        from_state=S.ACCEPTED,
        to_state=S.IN_DELIVERY,
    )
    assert event("delivery_session.logged", first).data == {"request": request.pk, "hours": "3.0"}

    second = services.log_session(
        request, by=provider_user, data=session_data(hours=Decimal("1.5"), mode="online")
    )

    assert journey.status == S.IN_DELIVERY
    assert list(DeliverySession.objects.filter(request=request)) == [first, second]
    assert (
        journey.agreed.ledger.count() == 1  # only the commitment: delivery moves no money
    )


def test_marking_delivered_asks_the_organisation_to_confirm(journey, provider_user):
    journey.in_delivery()
    request = journey.request

    services.mark_delivered(request, by=provider_user, outcome_summary="A new finance policy.")

    assert journey.status == S.DELIVERED
    request.refresh_from_db()
    assert request.outcome_summary == "A new finance policy."
    assert request.delivered_at is not None
    assert_event(
        "agreed_package.delivered",
        journey.agreed,
        actor=provider_user,
        from_state=S.IN_DELIVERY,
        to_state=S.DELIVERED,
    )
    [email] = emails("package_delivered")
    assert email.recipient == ORG_ADMIN_EMAIL
    assert f"/organisation/agreed-packages/{journey.agreed_pk}/confirm/" in email.body_text
    assert "A new finance policy." in email.body_text


def test_confirming_rates_the_provider_and_tells_it(journey, org_admin):
    request = journey.delivered()

    rating = services.confirm_delivery(
        journey.agreed, by=org_admin, score=5, comment="  Brilliant.  "
    )

    assert journey.status == S.CONFIRMED
    assert (rating.request, rating.score, rating.comment, rating.rated_by) == (
        request,
        5,
        "Brilliant.",
        org_admin,
    )
    assert_event(
        "agreed_package.confirmed",
        journey.agreed,
        actor=org_admin,
        from_state=S.DELIVERED,
        to_state=S.CONFIRMED,
    )
    assert event("rating.given", rating).data == {"score": 5}
    [email] = emails("delivery_confirmed")
    assert email.recipient == PROVIDER_EMAIL
    assert "5 out of 5" in email.body_text
    assert "Brilliant." in email.body_text


def test_disputing_tells_the_provider_and_every_officer(journey, org_admin, officer, manager):
    journey.delivered()
    User.objects.filter(pk=manager.pk).update(is_active=False)  # a manager who has left

    dispute = services.dispute_delivery(journey.agreed, by=org_admin, reason="Only one session.")

    assert journey.status == S.DISPUTED
    assert (dispute.reason, dispute.raised_by, dispute.is_open) == (
        "Only one session.",
        org_admin,
        True,
    )
    assert_event(
        "agreed_package.disputed",
        journey.agreed,
        actor=org_admin,
        from_state=S.DELIVERED,
        to_state=S.DISPUTED,
        reason="Only one session.",
    )
    assert_event("dispute.raised", dispute, actor=org_admin, reason="Only one session.")
    assert recipients("delivery_disputed") == [PROVIDER_EMAIL]
    told = recipients("dispute_raised")
    assert officer.email in told
    assert manager.email not in told
    assert PROVIDER_EMAIL not in told and ORG_ADMIN_EMAIL not in told
    assert all(f"/officer/disputes/{dispute.pk}/" in e.body_text for e in emails("dispute_raised"))


@pytest.mark.parametrize(
    ("outcome", "to"),
    [("back_to_delivery", S.IN_DELIVERY), ("confirmed", S.CONFIRMED)],
)
def test_resolving_a_dispute_moves_the_package_and_tells_both_sides(journey, officer, outcome, to):
    dispute = journey.disputed()

    services.resolve_dispute(dispute, by=officer, outcome=outcome, resolution="Spoke to both.")

    assert journey.status == to
    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.resolution, dispute.resolved_by) == (
        outcome,
        "Spoke to both.",
        officer,
    )
    assert_event(
        "agreed_package.dispute_resolved",
        journey.agreed,
        actor=officer,
        from_state=S.DISPUTED,
        to_state=to,
        reason="Spoke to both.",
    )
    assert_event(
        "dispute.resolved", dispute, actor=officer, to_state=outcome, reason="Spoke to both."
    )
    assert recipients("dispute_resolved") == sorted([ORG_ADMIN_EMAIL, PROVIDER_EMAIL])
    request = ProviderRequest.objects.get(pk=dispute.request_id)
    # Sent back, the work is no longer delivered until the provider says so again.
    assert (request.delivered_at is None) == (outcome == "back_to_delivery")


def test_the_provider_replies_to_its_rating_once_and_an_officer_can_hide_the_comment(
    journey, provider_user, officer
):
    rating = journey.confirmed()

    services.reply_to_rating(rating, by=provider_user, reply="Thank you.")
    services.hide_rating_comment(rating, by=officer, reason="Names a volunteer.")

    rating.refresh_from_db()
    assert (rating.reply, rating.replied_by) == ("Thank you.", provider_user)
    assert (rating.hidden_reason, rating.hidden_by, rating.is_hidden) == (
        "Names a volunteer.",
        officer,
        True,
    )
    assert_event("rating.replied", rating, actor=provider_user)
    assert_event("rating.comment_hidden", rating, actor=officer, reason="Names a volunteer.")


def test_submitting_a_claim_moves_the_package_to_claimed(journey, provider_user, provider):
    request = journey.confirmed().request

    claim = services.submit_claim(
        journey.agreed,
        by=provider_user,
        amount=Decimal("1500.00"),
        invoice_reference="FC-0042",
        note="Fewer sessions needed.",
    )

    assert journey.status == S.CLAIMED
    assert (claim.request, claim.provider, claim.amount, claim.status) == (
        request,
        provider,
        Decimal("1500.00"),
        "submitted",
    )
    assert claim.reference == f"VCS-CLM-{claim.pk:06d}"
    assert_event("claim.submitted", claim, actor=provider_user, to_state="submitted")
    assert_event(
        "agreed_package.claimed",
        journey.agreed,
        actor=provider_user,
        from_state=S.CONFIRMED,
        to_state=S.CLAIMED,
    )


def test_approving_a_claim_pays_it_and_tells_the_provider(journey, officer):
    claim = journey.claimed()

    services.approve_claim(claim, by=officer)

    assert journey.status == S.PAID
    claim.refresh_from_db()
    assert (claim.status, claim.amount_paid, claim.decided_by) == (
        "approved",
        Decimal("2000.00"),
        officer,
    )
    assert_event(
        "claim.approved", claim, actor=officer, from_state="submitted", to_state="approved"
    )
    assert event("claim.approved", claim).data == {"amount_paid": "2000.00"}
    assert_event(
        "agreed_package.paid", journey.agreed, actor=officer, from_state=S.CLAIMED, to_state=S.PAID
    )
    [email] = emails("claim_approved")
    assert email.recipient == PROVIDER_EMAIL
    assert claim.reference in email.subject
    assert "£2,000.00" in email.body_text


def test_rejecting_a_claim_sends_the_package_back_to_confirmed(journey, officer):
    claim = journey.claimed()

    services.reject_claim(claim, by=officer, reason="No invoice attached.")

    assert journey.status == S.CONFIRMED
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason, claim.amount_paid) == (
        "rejected",
        "No invoice attached.",
        None,
    )
    assert_event(
        "claim.rejected",
        claim,
        actor=officer,
        from_state="submitted",
        to_state="rejected",
        reason="No invoice attached.",
    )
    assert_event(
        "agreed_package.claim_rejected",
        journey.agreed,
        actor=officer,
        from_state=S.CLAIMED,
        to_state=S.CONFIRMED,
        reason="No invoice attached.",
    )
    [email] = emails("claim_rejected")
    assert email.recipient == PROVIDER_EMAIL
    assert "No invoice attached." in email.body_text
    assert f"/provider/requests/{claim.request_id}/claim/" in email.body_text


def test_every_delivery_email_names_what_it_is_about_and_renders_every_value(journey, officer):
    """Walk both branches so every template is rendered once with real objects."""
    journey.requested()
    services.withdraw_request(journey.request, by=journey.org_admin)
    services.decline_request(journey.requested(), by=journey.provider_user, reason="Too busy.")
    journey.disputed()
    journey.delivered()
    claim = journey.claimed()
    services.reject_claim(claim, by=officer, reason="Wrong amount.")
    journey.paid()

    sent = Notification.objects.filter(kind__startswith="delivery:")
    kinds = {n.kind for n in sent}
    assert kinds == {
        f"delivery:{k}"
        for k in (
            "provider_requested",
            "provider_request_withdrawn",
            "provider_declined",
            "provider_accepted",
            "package_delivered",
            "delivery_disputed",
            "dispute_raised",
            "dispute_resolved",
            "delivery_confirmed",
            "claim_rejected",
            "claim_approved",
        )
    }
    no_link = {"provider_request_withdrawn", "dispute_resolved", "claim_approved"}
    for email in sent:
        text = email.subject + email.body_text
        assert "Governance health check" in email.subject, email.kind
        assert "None" not in text and "{{" not in text and "&amp;" not in text, email.kind
        assert "http" in email.body_text or email.kind[len("delivery:") :] in no_link


def test_a_double_submitted_request_makes_one_request(journey, agreed, org_admin, provider):
    services.request_provider(agreed, provider=provider, message="Please.", by=org_admin)
    before = snapshot()

    with pytest.raises(services.AllowanceError) as refused:
        services.request_provider(agreed, provider=provider, message="Please.", by=org_admin)

    assert refused.value.reason.startswith(f"You have already asked {provider.name}")
    assert snapshot() == before
    assert ProviderRequest.objects.filter(agreed_package=agreed).count() == 1


def test_after_a_decline_the_organisation_can_request_another_provider(
    journey, agreed, org_admin, provider_user, other_provider, other_provider_user
):
    services.decline_request(journey.requested(), by=provider_user, reason="Too busy.")

    second = services.request_provider(
        agreed, provider=other_provider, message="Could you help?", by=org_admin
    )
    services.accept_request(
        second,
        by=other_provider_user,
        planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=10),
    )

    assert journey.status == S.ACCEPTED
    assert list(
        ProviderRequest.objects.filter(agreed_package=agreed)
        .order_by("pk")
        .values_list("provider", "status")
    ) == [(journey.provider.pk, "declined"), (other_provider.pk, "accepted")]


def test_a_dispute_sent_back_to_delivery_can_be_delivered_again_and_confirmed(
    journey, org_admin, provider_user, officer
):
    dispute = journey.disputed()
    services.resolve_dispute(
        dispute, by=officer, outcome="back_to_delivery", resolution="Two sessions are missing."
    )
    request = journey.request
    services.log_session(request, by=provider_user, data=session_data(topics="The missing two."))
    services.mark_delivered(request, by=provider_user, outcome_summary="Now all five sessions.")
    rating = services.confirm_delivery(journey.agreed, by=org_admin, score=3)

    assert journey.status == S.CONFIRMED
    assert rating.request == request
    assert request.sessions.count() == 2
    moves = AuditEvent.objects.filter(
        object_type="allowances.agreedpackage", object_id=str(journey.agreed_pk)
    ).order_by("id")
    assert list(moves.values_list("to_state", flat=True)) == [
        S.AGREED,
        S.PROVIDER_REQUESTED,
        S.ACCEPTED,
        S.IN_DELIVERY,
        S.DELIVERED,
        S.DISPUTED,
        S.IN_DELIVERY,
        S.DELIVERED,
        S.CONFIRMED,
    ]
    # A second dispute is possible on the second delivery, but this one was confirmed.
    assert Dispute.objects.filter(request=request).count() == 1


def test_a_dispute_resolved_as_confirmed_can_be_claimed_and_paid(journey, officer):
    dispute = journey.disputed()
    services.resolve_dispute(dispute, by=officer, outcome="confirmed", resolution="It was done.")

    claim = journey.paid()

    assert claim.status == "approved"
    assert not Rating.objects.filter(request=dispute.request).exists()


def test_a_rejected_claim_can_be_followed_by_a_new_claim_that_is_approved(
    journey, provider_user, officer
):
    first = journey.claimed()
    services.reject_claim(first, by=officer, reason="Claim the value agreed.")

    second = services.submit_claim(
        journey.agreed,
        by=provider_user,
        amount=Decimal("1800.00"),
        invoice_reference="FC-0043",
        note="One session fewer.",
    )
    services.approve_claim(second, by=officer)

    assert journey.status == S.PAID
    assert list(Claim.objects.order_by("pk").values_list("status", "amount_paid")) == [
        ("rejected", None),
        ("approved", Decimal("1800.00")),
    ]
    assert second.pk != first.pk
