"""The community's voice under concurrency, on PostgreSQL with real threads and connections.

One link confirmed twice at once (a double click): one confirmation, the other finds the
link used. One person's two links confirmed at once: the consultation's row lock makes
the second wait, find the first counted and replace its choice, so there is still one
counted voice (never an integrity error). Voices sent at once from one person: sending
takes one lock, so they cannot all slip under the limit together. A confirmation and an
officer's assisted voice for the same address at once: still one voice.
"""

import pytest

from grants import voice_rules
from grants.assisted_voice_services import record_assisted
from grants.models import Voice
from grants.voice_services import VoiceError, confirm_voice, send_voice

from .. import threads
from ..conftest import build_world
from .voice_support import backing

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "resident@example.org"


def run_together(jobs):
    return threads.run_together(jobs, refusals=VoiceError, said=lambda exc: exc.reason)


def sent(consultation, *, email=EMAIL, ip="203.0.113.7", **kwargs):
    kwargs.setdefault("none_of_these", "application" not in kwargs)
    return send_voice(
        consultation=consultation,
        email=email,
        postcode="LE1 6ZG",
        lives_in_area=True,
        belongs=True,
        ip_address=ip,
        **kwargs,
    )


def test_one_link_confirmed_twice_at_once_counts_once():
    consultation, _ = backing(build_world())
    for turn in range(3):
        _, token = sent(consultation, email=f"p{turn}@example.org")
        results = run_together([lambda token=token: confirm_voice(token=token)] * 2)
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        refused = next(said for kind, said in results if kind == "refused")
        assert refused.startswith("This link is not valid.")
    assert Voice.objects.filter(status="counted").count() == 3
    assert not Voice.objects.filter(status="unconfirmed").exists()


def test_two_links_of_one_person_confirmed_at_once_leave_one_counted_voice():
    consultation, applications = backing(build_world())
    for turn in range(3):
        email = f"same{turn}@example.org"
        _, first = sent(consultation, email=email, application=applications[0])
        _, second = sent(consultation, email=email, application=applications[1])
        results = run_together(
            [lambda token=token: confirm_voice(token=token) for token in (first, second)]
        )
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        # The other link's row was deleted (its choice copied) or turned into the voice.
        [voice] = Voice.objects.filter(email=email)
        assert voice.status == "counted"
        assert voice.application_id in {a.pk for a in applications}
        # Both results name the one counted voice.
        assert {value.pk for _, value in results} == {voice.pk}


def test_voices_sent_at_once_by_one_person_stop_at_the_limit():
    consultation, _ = backing(build_world())
    for n in range(voice_rules.PERSON_LIMIT - 2):
        sent(consultation, ip=f"198.51.100.{n}")
    jobs = [lambda n=n: sent(consultation, ip=f"198.51.100.{n + 50}") for n in range(4)]
    results = run_together(jobs)
    assert all(kind == "ok" for kind, _ in results), results
    # Past the limit nothing is saved (and the page reads the same): (None, "").
    assert sum(value == (None, "") for _, value in results) == 2, results
    assert Voice.objects.filter(email=EMAIL).count() == voice_rules.PERSON_LIMIT


def test_a_confirmation_and_an_assisted_voice_for_one_address_at_once_leave_one_voice():
    world = build_world()
    consultation, applications = backing(world)
    for turn in range(3):
        email = f"both{turn}@example.org"
        _, token = sent(consultation, email=email, application=applications[0])
        jobs = [
            lambda token=token: confirm_voice(token=token),
            lambda email=email: record_assisted(
                consultation=consultation,
                by=world.officer,
                how="phone",
                postcode="LE1 6ZG",
                email=email,
                application=applications[1],
            ),
        ]
        results = run_together(jobs)
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert Voice.objects.filter(email=email).exclude(status="unconfirmed").count() == 1
        assert not Voice.objects.filter(email=email, status="unconfirmed").exists()
