"""The second factor: which sessions completed it, and how many wrong codes an account may give.

allauth checks the code itself. This module adds what a council's security
review asked for: a staff page needs *this session* to have given a code (not
just an authenticator on the account), and wrong codes are limited, because a
6-digit code falls to guessing within hours if nothing stops it.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from axes.helpers import get_client_ip_address
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record
from notifications.services import absolute_url, queue_templated_email

from .models import User

WRONG_CODE_LIMIT = 5
WRONG_CODE_WINDOW = timedelta(minutes=15)
WRONG_CODE = "second_factor_wrong_code"
LOCKED = "second_factor_locked"
REFUSED_WHILE_LOCKED = "second_factor_refused_while_locked"
LOCKED_MESSAGE = (
    "You entered a wrong code too many times. For your security, sign in again in 15 minutes"
)


def completed_in_session(request) -> bool:
    """Did this session give a code from an authenticator (at sign-in or since)?

    allauth records each way a session authenticated; "mfa" is written only
    when a TOTP or recovery code was checked, never by a password or by
    Django's own `login()`.
    """
    return any(
        entry.get("method") == "mfa" for entry in get_authentication_records(request, request.user)
    )


@dataclass(frozen=True)
class CodeCheck:
    """What became of one code: accepted, wrong, or refused because the account is locked."""

    accepted: bool
    locked: bool = False


def _recent_wrong_codes(user, now):
    """Wrong codes in the window, forgetting those before the last right one (as axes does)."""
    since = now - WRONG_CODE_WINDOW
    last_right = Authenticator.objects.filter(user=user).aggregate(at=Max("last_used_at"))["at"]
    return AuditEvent.objects.filter(
        object_type=User._meta.label_lower,
        object_id=str(user.pk),
        action=WRONG_CODE,
        created_at__gt=max(since, last_right) if last_right else since,
    )


def check_code(request, user, validate, *, reauthentication: bool) -> CodeCheck:
    """Check a code with `validate()` unless the account has given too many wrong ones.

    At most WRONG_CODE_LIMIT wrong codes per account in WRONG_CODE_WINDOW; the
    one that reaches the limit locks the account's code entry until the oldest
    of them is WRONG_CODE_WINDOW old. A pending sign-in cannot outlive the
    window (ACCOUNT_LOGIN_TIMEOUT), so this is also the limit per sign-in.

    The account's row is locked while counting, so codes guessed in parallel
    cannot slip past the limit. Every wrong code, the lock and each refusal
    while locked are audit events; the person is emailed once per lock, since
    whoever reached this step knew their password.
    """
    now = timezone.now()
    address = get_client_ip_address(request) or ""
    data = {"ip_address": address, "reauthentication": reauthentication}
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if _recent_wrong_codes(user, now).count() >= WRONG_CODE_LIMIT:
            record(actor=None, action=REFUSED_WHILE_LOCKED, obj=user, data=data)
            return CodeCheck(accepted=False, locked=True)
        if validate():
            return CodeCheck(accepted=True)
        record(actor=None, action=WRONG_CODE, obj=user, data=data)
        if _recent_wrong_codes(user, now).count() < WRONG_CODE_LIMIT:
            return CodeCheck(accepted=False)
        lock = record(
            actor=None,
            action=LOCKED,
            obj=user,
            reason=f"{WRONG_CODE_LIMIT} wrong codes in {_minutes(WRONG_CODE_WINDOW)} minutes",
            data=data,
        )
        queue_templated_email(
            to=user.email,
            template="second_factor_locked",
            context={
                "recipient": user,
                "when": now,
                "limit": WRONG_CODE_LIMIT,
                "minutes": _minutes(WRONG_CODE_WINDOW),
                "change_password": absolute_url(reverse("account_change_password")),
                "reset_password": absolute_url(reverse("account_reset_password")),
            },
            kind="second_factor_locked",
            key=f"second-factor-locked:{user.pk}:{lock.pk}",
        )
        return CodeCheck(accepted=False, locked=True)


def _minutes(window: timedelta) -> int:
    return int(window.total_seconds() // 60)
