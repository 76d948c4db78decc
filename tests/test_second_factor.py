"""No staff door opens without a code given in this session; wrong codes are limited."""

import threading
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from axes.helpers import get_client_ip_address
from django.db import connections, transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from organisations import second_factor
from organisations.models import User

from .conftest import client_for
from .factories import ManagerFactory, StaffFactory
from .permission_matrix import MATRIX
from .test_accounts import sign_in, totp_now
from .test_permission_matrix import APP_URLS, url_for
from .urls import named_urls

WRONG = "000000"


def _actions(user):
    return list(
        AuditEvent.objects.filter(object_type="organisations.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def _signed_in_pending_code(email, **client_kwargs):
    client = Client(**client_kwargs)
    response = sign_in(client, email)
    assert response.url == reverse("mfa_authenticate")
    return client


def _ask_for_code_url(response):
    return response.status_code == 302 and response.url.split("?")[0] == reverse(
        "mfa_reauthenticate"
    )


# --- The admin's door


def test_the_admin_has_no_password_only_sign_in_of_its_own(db):
    superuser = User.objects.create_superuser(email="root@example.org", password="pw-12345-long")
    response = Client().get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    # Django's own form posted straight at the admin does not sign anyone in.
    client = Client()
    client.post(reverse("admin:login"), {"username": superuser.email, "password": "pw-12345-long"})
    assert client.get(reverse("admin:index")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_superuser_signs_in_to_the_admin_through_the_code_step(db):
    superuser = StaffFactory(email="root@example.org", role="public", is_superuser=True)
    superuser.is_staff = True
    superuser.save()
    client = _signed_in_pending_code(superuser.email)
    # Password given, code not yet: the admin still sends them to sign in.
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.post(reverse("mfa_authenticate"), {"code": totp_now()}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_people_who_are_not_staff_are_refused_the_admin_sign_in(world):
    response = client_for(world.org_a_admin).get(reverse("admin:login"))
    assert response.status_code == 403


# --- Sessions that skipped the code step


STAFF_PAGES = sorted(
    name
    for name in APP_URLS
    if not MATRIX[name].public
    and not name.startswith(("account_", "mfa_"))
    and 200 in (MATRIX[name].get["officer"], MATRIX[name].get["manager"])
)


def test_the_staff_pages_checked_are_the_whole_staff_side():
    # Guards the list below: a matrix change that emptied it would make the
    # refusal tests pass vacuously.
    assert len(STAFF_PAGES) > 40
    assert "organisations:officer_queue" in STAFF_PAGES


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_a_session_that_skipped_the_code_is_sent_to_give_it_on_every_staff_page(world, role):
    client = client_for(world.user_for(role), second_factor=False)
    let_in = []
    for name in STAFF_PAGES:
        # Some rows make an object to point at; roll each back, as the matrix test does.
        with transaction.atomic():
            if not _ask_for_code_url(client.get(url_for(name, world))):
                let_in.append(name)
            transaction.set_rollback(True)
    assert let_in == []


def test_every_admin_page_asks_a_superuser_without_the_code_step_for_it(db):
    superuser = ManagerFactory(email="root@example.org", is_superuser=True, is_staff=True)
    client = client_for(superuser, second_factor=False)
    admin_pages = [
        reverse(name)
        for name, pattern in named_urls()
        if name.startswith("admin:") and not pattern.pattern.regex.groupindex
    ]
    assert len(admin_pages) > 20
    let_in = [url for url in admin_pages if not _ask_for_code_url(client.get(url))]
    assert let_in == []
    # With the code step done, the same session reaches them.
    assert client_for(superuser).get(reverse("admin:index")).status_code == 200


def test_giving_the_code_opens_the_page_asked_for(world):
    client = client_for(world.officer, second_factor=False)
    queue = reverse("organisations:officer_queue")
    asked = client.get(queue)
    assert _ask_for_code_url(asked)
    page = client.get(asked.url)
    assert page.status_code == 200
    assert "Code from your authenticator app" in page.content.decode()
    response = client.post(asked.url, {"code": totp_now()})
    assert response.status_code == 302
    assert response.url == queue
    assert client.get(queue).status_code == 200


def test_a_session_without_the_code_may_still_sign_out(world):
    client = client_for(world.officer, second_factor=False)
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_organisations_and_providers_are_not_asked_for_a_code(world):
    for role in ("org_a", "provider"):
        response = client_for(world.user_for(role)).get(reverse("home"))
        assert not _ask_for_code_url(response), role


# --- Confirming it is you (reauthentication)


def test_staff_confirm_it_is_them_with_a_code_not_the_password(world):
    client = client_for(world.officer)
    for name in ("account_reauthenticate", "account_request_reauthentication_code"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.split("?")[0] == reverse("mfa_reauthenticate"), name
    # A password posted to the password form proves nothing for staff.
    client.post(reverse("account_reauthenticate"), {"password": "whatever-they-know"})
    generate = client.get(reverse("mfa_generate_recovery_codes"))
    assert generate.url.split("?")[0] == reverse("mfa_reauthenticate")
    # The code does.
    response = client.post(generate.url, {"code": totp_now()})
    assert response.status_code == 302
    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200


def test_others_may_still_confirm_with_their_password(world):
    client = client_for(world.org_a_admin)
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("account_request_reauthentication_code")).status_code == 200


# --- Wrong codes


def test_five_wrong_codes_end_the_sign_in_and_lock_the_account(world):
    officer = world.officer
    client = _signed_in_pending_code(officer.email)
    for attempt in range(1, 5):
        response = client.post(reverse("mfa_authenticate"), {"code": WRONG})
        assert response.status_code == 200, attempt
        assert "The code is not correct" in response.content.decode()
    fifth = client.post(reverse("mfa_authenticate"), {"code": WRONG})
    assert fifth.status_code == 429
    assert "Too many wrong codes" in fifth.content.decode()

    # The pending sign-in is over: a sixth code, even the right one, signs nobody in.
    sixth = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert sixth.status_code == 302
    assert sixth.url == reverse("account_login")
    assert "_auth_user_id" not in client.session

    # Starting again with the password does not help for 15 minutes.
    again = _signed_in_pending_code(officer.email)
    refused = again.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert refused.status_code == 429
    assert "_auth_user_id" not in again.session

    assert _actions(officer) == [second_factor.WRONG_CODE] * 5 + [
        second_factor.LOCKED,
        second_factor.REFUSED_WHILE_LOCKED,
    ]
    warning = Notification.objects.get(kind="second_factor_locked")
    assert warning.recipient == officer.email
    assert "someone knows your password" in warning.body_text.lower()


def test_after_15_minutes_the_right_code_signs_in_again(world):
    client = _signed_in_pending_code(world.officer.email)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": WRONG})
    # Time stands still over there, so the code and its check fall in one period.
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1), tick=False):
        later = _signed_in_pending_code(world.officer.email)
        response = later.post(reverse("mfa_authenticate"), {"code": totp_now()})
        assert response.status_code == 302
        assert later.get(reverse("organisations:officer_queue")).status_code == 200


def test_the_limit_counts_across_sign_ins_but_a_right_code_clears_it(world):
    officer = world.officer
    first = _signed_in_pending_code(officer.email)
    for _ in range(3):
        first.post(reverse("mfa_authenticate"), {"code": WRONG})
    second = _signed_in_pending_code(officer.email)
    second.post(reverse("mfa_authenticate"), {"code": WRONG})
    assert second.post(reverse("mfa_authenticate"), {"code": WRONG}).status_code == 429

    # Another account is not affected...
    manager = _signed_in_pending_code(world.manager.email)
    assert manager.post(reverse("mfa_authenticate"), {"code": totp_now()}).status_code == 302

    # ...and for an account that then gives the right code, its earlier wrong ones are forgotten.
    Authenticator.objects.filter(user=world.manager).update(last_used_at=timezone.now())
    assert second_factor._recent_wrong_codes(world.manager, timezone.now()).count() == 0


def test_four_wrong_codes_then_the_right_one_signs_in(world):
    client = _signed_in_pending_code(world.officer.email)
    for _ in range(4):
        client.post(reverse("mfa_authenticate"), {"code": WRONG})
    assert client.post(reverse("mfa_authenticate"), {"code": totp_now()}).status_code == 302
    assert client.get(reverse("organisations:officer_queue")).status_code == 200
    assert not Notification.objects.filter(kind="second_factor_locked").exists()


def test_wrong_codes_when_confirming_it_is_you_sign_the_session_out(world):
    client = client_for(world.officer)
    for _ in range(4):
        response = client.post(reverse("mfa_reauthenticate"), {"code": WRONG})
        assert response.status_code == 200
    locked = client.post(reverse("mfa_reauthenticate"), {"code": WRONG})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert second_factor.LOCKED in _actions(world.officer)


# --- Behind a reverse proxy


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        # Nothing in front: the header is the client's own words, never trusted.
        (0, "1.2.3.4", "172.18.0.5"),
        (0, "", "172.18.0.5"),
        # One proxy appends the address it saw; anything left of it was typed by the client.
        (1, "81.2.69.160", "81.2.69.160"),
        (1, "1.2.3.4, 81.2.69.160", "81.2.69.160"),
        (1, " 1.2.3.4 ,81.2.69.160 ", "81.2.69.160"),
        # Two proxies: the client is the second entry from the right.
        (2, "1.2.3.4, 81.2.69.160, 10.0.0.7", "81.2.69.160"),
        # A request that skipped the proxies has too short a header: its own address.
        (2, "81.2.69.160", "172.18.0.5"),
        (1, "", "172.18.0.5"),
    ],
)
def test_the_client_address_is_what_the_trusted_proxies_say(proxies, forwarded_for, client):
    meta = {"REMOTE_ADDR": "172.18.0.5"}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert get_client_ip_address(RequestFactory().get("/", **meta)) == client


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_persons_failures_do_not_lock_out_another(world):
    proxy = "172.18.0.5"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="81.2.69.160")
    for _ in range(5):
        sign_in(attacker, world.org_a_admin.email, "wrong-password-123")
    assert sign_in(attacker, world.org_a_admin.email).status_code == 429
    # The same account from another address behind the same proxy is not locked out.
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="81.2.69.161")
    assert sign_in(colleague, world.org_a_admin.email).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_codes_guessed_in_parallel_cannot_slip_past_the_limit():
    """Eight pending sign-ins for one account send a wrong code at the same moment."""
    officer = StaffFactory(email="racing@example.org")
    clients = [_signed_in_pending_code(officer.email) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def guess(index, client):
        try:
            barrier.wait(timeout=30)
            statuses[index] = client.post(reverse("mfa_authenticate"), {"code": WRONG}).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # Four are told the code is wrong; the fifth locks; the other three are refused unchecked.
    assert sorted(statuses) == [200] * 4 + [429] * 4
    actions = _actions(officer)
    assert actions.count(second_factor.WRONG_CODE) == 5
    assert actions.count(second_factor.LOCKED) == 1
    assert actions.count(second_factor.REFUSED_WHILE_LOCKED) == 3
    assert Notification.objects.filter(kind="second_factor_locked").count() == 1
