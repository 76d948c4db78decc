"""Signing up, verifying, signing in, throttling and staff two-factor."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from organisations.models import User

from .conftest import client_for
from .factories import PASSWORD, STAFF_TOTP_SECRET, StaffFactory, UserFactory


def totp_now(secret=STAFF_TOTP_SECRET):
    """The code for now; with under 2 s of its period left, the next period's code, after
    waiting for it, so that the server never checks it in a period that has turned over."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 2:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


SIGNUP = {
    "full_name": "Amina Okafor",
    "email": "amina@example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def test_signing_up_sends_a_verification_email_through_the_outbox(
    db, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="amina@example.org")
    assert user.full_name == "Amina Okafor"
    notification = Notification.objects.get(recipient="amina@example.org")
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    # On SITE_URL, whichever host the request came to (tests/test_emails.py).
    link = re.search(
        rf"{re.escape(settings.SITE_URL)}(/accounts/confirm-email/\S+/)", mail.outbox[0].body
    ).group(1)

    # Following the link asks for a confirmation (no state change by GET) ...
    assert client.get(link).status_code == 200
    assert not user.emailaddress_set.get().verified
    # ... and confirming signs the person in and sends them to choose a role.
    response = client.post(link)
    assert user.emailaddress_set.get().verified
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_an_unverified_account_cannot_sign_in(db):
    user = UserFactory(verified_email=False)
    EmailAddress = user.emailaddress_set.model
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client = Client()
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("organisations:register")).status_code == 302  # still signed out


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("123456789012345", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(db, password, message):
    response = Client().post(
        reverse("account_signup"), {**SIGNUP, "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()
    # What was typed (apart from passwords) is kept.
    assert 'value="amina@example.org"' in response.content.decode()
    assert 'value="Amina Okafor"' in response.content.decode()


def test_an_empty_sign_up_names_each_missing_answer(db):
    html = Client().post(reverse("account_signup"), {}).content.decode()
    assert "There is a problem" in html
    for message in ("Enter your email address", "Create a password", "Enter your full name"):
        assert message in html


class TestThrottling:
    def _fail(self, client, email, times):
        for _ in range(times):
            sign_in(client, email, "wrong-password-123")

    def test_five_failures_lock_the_account_and_address_pair_for_15_minutes(self, world):
        client = Client(REMOTE_ADDR="10.0.0.1")
        self._fail(client, world.org_a_admin.email, 5)
        # Even the right password is refused now, with a page that says why.
        response = sign_in(client, world.org_a_admin.email)
        assert response.status_code == 429
        assert "Too many attempts to sign in" in response.content.decode()
        assert "try again in 15 minutes" in response.content.decode()

        # The same person from another address is not locked out...
        other_ip = sign_in(Client(REMOTE_ADDR="10.0.0.2"), world.org_a_admin.email)
        assert other_ip.status_code == 302
        # ...and another account from the first address is not either.
        other_account = sign_in(Client(REMOTE_ADDR="10.0.0.1"), world.org_b_admin.email)
        assert other_account.status_code == 302

    def test_four_failures_do_not_lock(self, world):
        client = Client(REMOTE_ADDR="10.0.0.3")
        self._fail(client, world.org_a_admin.email, 4)
        assert sign_in(client, world.org_a_admin.email).status_code == 302

    def test_unknown_and_known_emails_get_the_same_answers(self, world):
        answers = {}
        for email in (world.org_a_admin.email, "nobody-here@example.org"):
            client = Client(REMOTE_ADDR="10.0.0.4")
            first = sign_in(client, email, "wrong-password-123")
            self._fail(client, email, 4)
            locked = sign_in(client, email, "wrong-password-123")
            answers[email] = (
                first.status_code,
                "Enter a correct email address and password" in first.content.decode(),
                locked.status_code,
            )
        assert (
            answers[world.org_a_admin.email]
            == answers["nobody-here@example.org"]
            == (200, True, 429)
        )


class TestStaffTwoFactor:
    def test_staff_sign_in_needs_the_code_from_their_authenticator(self, world):
        client = Client()
        response = sign_in(client, world.officer.email)
        assert response.url == reverse("mfa_authenticate")
        # Not signed in yet: the officer's pages still send them to sign in.
        assert client.get(reverse("organisations:officer_queue")).status_code == 302

        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "The code is not correct" in wrong.content.decode()

        response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
        assert response.status_code == 302
        assert client.get(reverse("organisations:officer_queue")).status_code == 200

    def test_staff_without_an_authenticator_must_set_one_up_first(self, db):
        officer = StaffFactory(totp=False)
        client = client_for(officer)
        response = client.get(reverse("organisations:officer_queue"))
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
        # Account pages stay reachable so that they can do it.
        assert client.get(reverse("mfa_index")).status_code == 200

    def test_organisations_may_use_two_factor_but_are_not_made_to(self, world):
        client = Client()
        response = sign_in(client, world.org_a_admin.email)
        assert response.url == reverse("home")
        assert client.get(reverse("organisation_home")).status_code == 200


def test_password_reset_answers_the_same_for_unknown_addresses(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(reverse("account_reset_password"), {"email": world.org_a_admin.email})
        unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    reset = [m for m in mail.outbox if m.to == [world.org_a_admin.email]]
    assert len(reset) == 1
    assert "/accounts/password/reset/key/" in reset[0].body


def test_signing_out_needs_a_post(world):
    client = client_for(world.org_a_admin)
    assert client.get(reverse("account_logout")).status_code == 200  # a confirmation page
    assert client.get(reverse("organisation_home")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("organisation_home")).status_code == 302


def test_adding_an_email_address_names_the_mistake(world):
    client = client_for(world.org_a_admin)
    html = client.post(reverse("account_email"), {"action_add": "", "email": ""}).content.decode()
    assert "Enter the email address to add" in html
    assert html.count("govuk-error-summary__title") == 1
    html = client.post(
        reverse("account_email"), {"action_add": "", "email": "jo@"}
    ).content.decode()
    assert "Enter an email address in the correct format, like name@example.org" in html
    assert 'value="jo@"' in html
