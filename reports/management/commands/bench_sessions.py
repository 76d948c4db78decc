"""Sign each of the bench's people in, as a person would, and write their sessions for `make load`.

Run by `scripts/load.sh` with the production settings gunicorn runs with (the
same SECRET_KEY, so gunicorn accepts the sessions). Each person signs in once
through allauth's own pages: the password, then, for staff, the TOTP code
worked out from the authenticator's secret (`reports.bench_people.BENCH_TOTP_SECRET`).
The locust users then carry these session cookies and never sign in
themselves: 50 people signing in within seconds from one loopback address
would meet allauth's limit of 30 sign-ins a minute from an address, which
is there for attackers, not for a load test. Here each person signs in from
an address of their own, as people do.

The file lists, for each person, the pages their role looks at
(`bench_pages.pages_for`, files to download left out), and the public pages.
"""

import json
import os
import time
from pathlib import Path

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from reports.bench_people import BENCH_PASSWORD, BENCH_TOTP_SECRET

from .bench_pages import bench_people, pages_for, public_pages


def current_code() -> str:
    return format_hotp_value(
        hotp_value(BENCH_TOTP_SECRET, int(time.time()) // mfa_settings.TOTP_PERIOD)
    )


class Command(BaseCommand):
    help = "Sign the bench's people in (password and TOTP code) and write their session cookies."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The JSON file to write.")

    def handle(self, *args, out, **options):
        started = time.monotonic()
        people = []
        for role, users in bench_people().items():
            for number, user in enumerate(users, start=1):
                address = f"127.0.{len(people) // 250}.{len(people) % 250 + 1}"
                client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=address)
                self._sign_in(client, user)
                pages = [p for p in pages_for(user, number) if p.kind != "download"]
                response = client.get(pages[0].path, secure=True)
                if response.status_code != 200:
                    raise CommandError(
                        f"{user.email} signed in but {pages[0].path} answered "
                        f"{response.status_code}"
                    )
                people.append(
                    {
                        "role": role,
                        "email": user.email,
                        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "pages": [[p.name, p.path] for p in pages],
                    }
                )
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(
                {
                    "cookie_name": settings.SESSION_COOKIE_NAME,
                    "people": people,
                    "public": [[p.name, p.path] for p in public_pages()],
                },
                indent=1,
            )
        )
        os.chmod(target, 0o600)  # live sessions, if only on a bench database
        staff = sum(1 for p in people if p["role"] in ("manager", "officer"))
        self.stdout.write(
            f"Signed in {len(people)} people ({staff} staff with a TOTP code) in "
            f"{time.monotonic() - started:.1f}s; sessions in {target}"
        )

    def _sign_in(self, client, user):
        response = client.post(
            reverse("account_login"),
            {"login": user.email, "password": BENCH_PASSWORD},
            secure=True,
        )
        if response.status_code != 302:
            raise CommandError(f"{user.email}: the password step answered {response.status_code}")
        if user.must_use_two_factor:
            if response.url != reverse("mfa_authenticate"):
                raise CommandError(f"{user.email}: no code step after the password")
            # allauth refuses a code used in the last few periods (a second `make load`
            # within a minute and a half): then the next period's code.
            for attempt in range(2):
                response = client.post(
                    reverse("mfa_authenticate"), {"code": current_code()}, secure=True
                )
                if response.status_code == 302 or attempt:
                    break
                time.sleep(mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD + 1)
            if response.status_code != 302:
                raise CommandError(f"{user.email}: the code was refused")
        if settings.SESSION_COOKIE_NAME not in client.cookies:
            raise CommandError(f"{user.email}: signed in without a session cookie")
