"""Inviting colleagues: only the invited address, only once, only before expiry."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership

from ..conftest import client_for
from ..factories import InvitationFactory, UserFactory


def test_an_admin_invites_a_colleague_who_gets_an_email_with_the_link(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.org_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:people"), {"email": "New.Person@Example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.organisation == world.org_a
    (email,) = mail.outbox
    assert email.to == ["new.person@example.org"]
    assert "Join Organisation A" in email.subject
    assert reverse("organisations:invitation_accept", args=[invitation.token]) in email.body


def test_inviting_someone_twice_is_refused_with_a_reason(world):
    client = client_for(world.org_a_admin)
    response = client.post(reverse("organisations:people"), {"email": world.invitation_a.email})
    assert response.status_code == 200
    assert "already has an invitation waiting" in response.content.decode()
    response = client.post(reverse("organisations:people"), {"email": world.org_a_member.email})
    assert "is already a member of Organisation A" in response.content.decode()


def test_an_empty_or_malformed_address_gets_a_specific_message(world):
    client = client_for(world.org_a_admin)
    html = client.post(reverse("organisations:people"), {"email": ""}).content.decode()
    assert "Enter the email address of the person to invite" in html
    html = client.post(reverse("organisations:people"), {"email": "jo@"}).content.decode()
    assert "Enter an email address in the correct format, like name@example.org" in html
    assert 'value="jo@"' in html


def test_a_plain_member_cannot_invite(world):
    response = client_for(world.org_a_member).post(
        reverse("organisations:people"), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_the_invited_address_joins_as_a_member(world):
    invitee = UserFactory(email=world.invitation_a.email)
    url = reverse("organisations:invitation_accept", args=[world.invitation_a.token])
    response = client_for(invitee).post(url)
    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee)
    assert membership.organisation == world.org_a
    assert membership.role == "member"
    world.invitation_a.refresh_from_db()
    assert world.invitation_a.accepted_by == invitee
    # The link cannot be used twice.
    again = client_for(invitee).post(url)
    assert again.status_code == 409
    assert "already been used" in again.content.decode()


def test_another_address_cannot_use_the_link(world):
    url = reverse("organisations:invitation_accept", args=[world.invitation_a.token])
    response = client_for(world.outsider).post(url)
    assert response.status_code == 409
    assert "sent to a different email address" in response.content.decode()
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_an_expired_or_withdrawn_invitation_cannot_be_used(world):
    expired = InvitationFactory(
        organisation=world.org_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    withdrawn = InvitationFactory(organisation=world.org_a, cancelled_at=timezone.now())
    for invitation, reason in ((expired, "has expired"), (withdrawn, "has been withdrawn")):
        person = UserFactory(email=invitation.email)
        url = reverse("organisations:invitation_accept", args=[invitation.token])
        response = client_for(person).post(url)
        assert response.status_code == 409
        assert reason in response.content.decode()
        assert not Membership.objects.filter(user=person).exists()


def test_an_admin_withdraws_an_invitation_but_not_another_organisations(world):
    url = reverse("organisations:invitation_withdraw", args=[world.invitation_a.pk])
    assert client_for(world.org_b_admin).post(url).status_code == 404
    assert client_for(world.org_a_member).post(url).status_code == 403
    world.invitation_a.refresh_from_db()
    assert world.invitation_a.cancelled_at is None
    assert client_for(world.org_a_admin).post(url).status_code == 302
    world.invitation_a.refresh_from_db()
    assert world.invitation_a.cancelled_at is not None


def test_an_unknown_token_is_not_found(world):
    url = reverse("organisations:invitation_accept", args=["no-such-token"])
    assert client_for(world.outsider).get(url).status_code == 404
