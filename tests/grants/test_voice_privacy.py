"""The issue's promise: no backer's raw email address outlives the window.

Voices are made every way there is (online through the services and through the public
page, changed, left unconfirmed, taken on the phone by an officer, set aside by the
moderator, who emails the person), with every logger captured at DEBUG. Before the
window closes, each address is found (so the search can fail); after the closing job,
it is in no text, character, email or JSON column of any table, no session, no log
record and no audit event.
"""

import json
import logging
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from grants import voice_rules
from grants.assisted_voice_services import record_assisted
from grants.consultation_services import close_ended
from grants.voice_moderation_services import set_aside_voice
from grants.voice_services import confirm_voice, purge_unconfirmed, send_voice
from notifications.models import Notification

from ..conftest import client_for
from .voice_support import backing, verdict

pytestmark = pytest.mark.django_db

ONLINE = "Priya.Backer@Example.ORG"  # typed in mixed case: searched for in any case
CHANGED_MIND = "changed.mind@example.net"
NEVER_CONFIRMED = "never.confirmed@example.com"
ASSISTED = "by.phone@example.co.uk"
SET_ASIDE = "set.aside@mailinator.com"
THROUGH_THE_PAGE = "through.the.page@example.org"
RATED = "rated.it@example.org"
ADDRESSES = [ONLINE, CHANGED_MIND, NEVER_CONFIRMED, ASSISTED, SET_ASIDE, THROUGH_THE_PAGE, RATED]

POSTCODE = "LE1 6ZG"  # in the council's area
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)  # EmailField is a CharField


def where_found(address: str) -> list[str]:
    """Every place in the database holding `address`, in any case: each text, character,
    email and JSON column of every table (as text), and every session decoded."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            rows = model._base_manager.annotate(
                _as_text=Cast(field.name, models.TextField())
            ).filter(_as_text__icontains=address)
            if rows.exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    for session in Session.objects.all():
        if address.lower() in json.dumps(session.get_decoded()).lower():
            found.append(f"session {session.session_key}")
    return found


@pytest.fixture
def every_log(caplog):
    """caplog at DEBUG on the root and on every logger there is (some set their own level)."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def link_token(address: str) -> str:
    email = Notification.objects.filter(recipient__iexact=address).latest("pk")
    return re.search(r"/confirm/([^/\s]+)/", email.body_text).group(1)


def test_no_raw_email_address_outlives_the_window(world, every_log):
    consultation, (first, second) = backing(world, open_for=timedelta(hours=1))
    said = {"postcode": POSTCODE, "lives_in_area": True, "belongs": True}

    # Online, through the services: confirmed; a second person changes their mind; one
    # never follows the link.
    _, token = send_voice(
        consultation=consultation,
        email=ONLINE,
        application=first,
        comment="They run the homework club.",
        ip_address="203.0.113.10",
        **said,
    )
    confirm_voice(token=token)
    for application, ip in ((first, "203.0.113.11"), (second, "203.0.113.12")):
        _, token = send_voice(
            consultation=consultation,
            email=CHANGED_MIND,
            application=application,
            ip_address=ip,
            **said,
        )
        confirm_voice(token=token)
    send_voice(
        consultation=consultation,
        email=NEVER_CONFIRMED,
        none_of_these=True,
        ip_address="203.0.113.13",
        **said,
    )
    # Taken on the phone by an officer, with an address.
    record_assisted(
        consultation=consultation,
        by=world.officer,
        how="phone",
        postcode=POSTCODE,
        email=ASSISTED,
        application=second,
        comment="Said on the phone: they listen.",
    )
    # A throwaway address, flagged, then set aside by the moderator (who emails the person).
    _, token = send_voice(
        consultation=consultation,
        email=SET_ASIDE,
        application=first,
        ip_address="203.0.113.14",
        **said,
    )
    flagged = confirm_voice(token=token)
    assert flagged.flag
    set_aside_voice(voice=flagged, by=world.manager, reason="A throwaway address.")
    # Through the public page, as a visitor does: a cookie read once remembers where the
    # link went, so that no session row holds it.
    visitor = client_for(None)
    url = reverse("grants:voice", args=[consultation.pk])
    response = visitor.post(
        url,
        {
            "choice": str(second.pk),
            "email": THROUGH_THE_PAGE,
            "postcode": POSTCODE,
            "lives_in_area": "on",
            "belongs": "on",
            "comment": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert THROUGH_THE_PAGE in visitor.get(response.url).content.decode()  # check your email
    assert visitor.cookies["voice_sent_to"].value == ""  # shown once, then the cookie goes
    assert THROUGH_THE_PAGE not in visitor.get(response.url).content.decode()
    visitor.post(reverse("grants:voice_confirm", args=[link_token(THROUGH_THE_PAGE)]))
    # The yearly verdict on a representative, the same way.
    from .concern_support import awarded

    decision = awarded(world.manager, world.org_b_admin, name="Verdict round")
    judged = verdict(decision, open_for=timedelta(hours=1))
    _, token = send_voice(
        consultation=judged, email=RATED, rating=2, ip_address="203.0.113.15", **said
    )
    confirm_voice(token=token)

    # While the windows are open, every address is held somewhere: the search can fail.
    for address in ADDRESSES:
        assert where_found(address), f"{address} was never stored: the test proves nothing"
    assert consultation.voices.filter(status="counted").count() == 4

    # The hourly job: the link nobody followed expires first (its address and its email go
    # then), then the windows close.
    purge_unconfirmed(timezone.now() + voice_rules.CONFIRM_WITHIN + timedelta(minutes=1))
    ended = timezone.now() + timedelta(hours=2)
    assert close_ended(ended) == 2

    for address in ADDRESSES:
        assert where_found(address) == [], address
        assert address.lower() not in every_log.text.lower(), address
        for event in AuditEvent.objects.all():
            assert address.lower() not in json.dumps(event.data).lower(), event.action
            assert address.lower() not in (event.reason + event.object_repr).lower()
    # What remains is what the one-voice rule and the counts need.
    kept = list(consultation.voices.order_by("pk"))
    assert len(kept) == 5  # 4 counted, 1 set aside; the unconfirmed one is gone
    assert all(v.email == "" and v.person_hash and v.postcode_district == "LE1" for v in kept)


def test_the_person_hash_is_keyed_not_a_plain_sha256_of_the_address():
    import hashlib

    address = voice_rules.normalise_email(ONLINE)
    held = voice_rules.person_hash(ONLINE, settings.VOICE_HASH_KEY)
    for guess in (address, ONLINE, "email:" + address):
        assert held != hashlib.sha256(guess.encode()).hexdigest()
    # A different key gives a different hash: without the key, a list of addresses
    # cannot be hashed to find out who backed whom.
    assert held != voice_rules.person_hash(ONLINE, settings.VOICE_HASH_KEY + "x")
    assert held == voice_rules.person_hash(address.upper(), settings.VOICE_HASH_KEY)
