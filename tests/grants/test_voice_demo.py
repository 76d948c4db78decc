"""The demo's community voice: a community backing one of two applicants now, and the
representative's closed yearly verdict; made through the services, once."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from grants import demo_voices
from grants.models import Consultation, GrantRound, Voice
from grants.voice_selectors import backing_totals, verdicts_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # twice: nothing is made again
    return capsys.readouterr().out


def test_the_demo_has_a_community_backing_one_of_two_applicants_now(seeded):
    grant_round = GrantRound.objects.get(name=demo_voices.VOICE_ROUND)
    assert grant_round.phase() == "closed"
    backing = Consultation.objects.get(kind="backing")
    assert backing.round_community.round == grant_round
    assert backing.closed_at is None
    assert backing.opens_at == grant_round.closes_at
    assert backing.closes_at == grant_round.closes_at + timedelta(days=grant_round.backing_days)
    totals = {
        (t.application.organisation.name if t.application else "none"): t.counted
        for t in backing_totals(backing)
    }
    assert totals == {
        "Highfields Community Association": 3,
        "Braunstone Youth Project": 3,
        "none": 1,
    }
    voices = backing.voices.all()
    assert voices.filter(status="counted").count() == 7
    assert voices.filter(assisted_how="event").count() == 1
    assert voices.exclude(flag="").count() == 1
    assert voices.filter(comment_status="approved").count() == 1
    assert voices.filter(comment_status="waiting").count() == 3
    assert f"{demo_voices.VOICE_ROUND}: closed 3 days ago" in seeded


def test_the_demo_representative_has_a_closed_year_one_verdict_without_a_review(seeded):
    verdict = Consultation.objects.get(kind="verdict")
    assert (verdict.year, verdict.review) == (1, None)
    assert verdict.closed_at is not None
    [shown] = verdicts_of(verdict.representative, public=True)
    assert shown.result.count == len(demo_voices.RATINGS)
    assert str(shown.result.average) == "3.43"
    assert shown.result.average > verdict.threshold
    # Its raw addresses went when it closed; the backing window's are still held.
    assert not Voice.objects.filter(consultation=verdict).exclude(email="").exists()
    assert "Yearly verdict: Highfields Community Association's year 1 closed" in seeded
    assert Consultation.objects.count() == 2
