"""Consultations and voices in each state, written straight to the tables: what the tests of
the community's voice (backing and verdicts) share.

Services under test make their own rows; these make the rows a test starts from.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from grants import voice_rules
from grants.models import Consultation, Voice

from .assessing import closed_round

RESIDENT = "resident@example.org"
POSTCODE = "LE2 4AB"
COMMENT = "They run the homework club our children go to, and they listen."


def backing(world, *, applications=2, open_for=timedelta(days=20), **fields):
    """A closed round whose first community has `applications` sent applications, and its
    backing consultation, open now for `open_for` more (negative: it has ended).

    Returns (consultation, [applications]).
    """
    grant_round, sent = closed_round(world, applications=applications)
    now = timezone.now()
    fields.setdefault("opens_at", grant_round.closes_at)
    fields.setdefault("closes_at", now + open_for)
    if fields["closes_at"] <= fields["opens_at"]:
        fields["opens_at"] = fields["closes_at"] - timedelta(days=21)
    consultation = Consultation.objects.create(
        kind=Consultation.Kind.BACKING, round_community=sent[0].round_community, **fields
    )
    return consultation, sent


def ended(consultation):
    """End the consultation's window now (the closing job has not run yet): the community's
    decision may then be made."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    consultation.refresh_from_db()
    return consultation


def verdict(decision, *, year=1, open_for=timedelta(days=20), **fields):
    """A verdict consultation on an accepted award (`decision`), open now for `open_for`."""
    now = timezone.now()
    fields.setdefault("closes_at", now + open_for)
    fields.setdefault("opens_at", min(now, fields["closes_at"]) - timedelta(days=1))
    return Consultation.objects.create(
        kind=Consultation.Kind.VERDICT,
        round_community=decision.round_community,
        representative=decision,
        year=year,
        **fields,
    )


def counted(consultation, *, email=RESIDENT, application=None, rating=None, comment="", **fields):
    """A confirmed voice (backing `application`, or None for "none of these"; or `rating`)."""
    now = timezone.now()
    fields.setdefault("confirmed_at", now)
    fields.setdefault("created_at", now)
    return Voice.objects.create(
        consultation=consultation,
        status=Voice.Status.COUNTED,
        application=application,
        rating=rating,
        comment=comment,
        comment_status=Voice.CommentStatus.WAITING if comment else "",
        person_hash=voice_rules.person_hash(email, settings.VOICE_HASH_KEY),
        email=email,
        postcode_district=voice_rules.postcode_district(fields.pop("postcode", POSTCODE)),
        token_hash=None,
        **fields,
    )
