"""The community's say opening and closing on time: the hourly job's two halves.

- `open_due`: a backing consultation for each community of a closed round with
  a sent application (for the round's `backing_days`), and a verdict
  consultation on each accepted award in the window of each year of its grant
  (voice_rules.verdict_windows).
- `close_ended`: each consultation whose window has ended is closed once, in a
  transaction of its own holding its row: unconfirmed voices deleted, every raw
  email address blanked (with the emails this feature sent to them), and a
  verdict's result fixed; under the round's threshold it opens a review through
  the concern process (concern_services.open_review).
- `forget_expired`: a year after the grant period a consultation was about
  (voice_rules.kept_until), its voices lose everything but their anonymous counts.

Both are safe to run twice, or on two workers at once: the database allows one
backing consultation per community and one verdict per representative a year
(get_or_create falls back to the row the other worker made), and the closing
lock makes a second worker find the consultation already closed.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from audit.services import record
from diagnostics.rules import long_date
from notifications.models import Notification

from . import voice_rules, voice_selectors
from .application_models import Application, ApplicationStatus
from .assessment_models import CommunityDecision, DecisionOutcome
from .models import RoundCommunity, RoundStatus
from .rules import LONDON, london_datetime
from .voice_models import Consultation, ConsultationKind, Voice, VoiceStatus

# The emails this feature sends (helper services' `kind`s start with it): a confirmation
# link, a voice set aside. Their rows in the outbox hold the raw address.
VOICE_EMAIL_KIND = "grants:voice"
LAST_MOMENT = timedelta(seconds=1)


# --------------------------------------------------------------- opening


def _opened(consultation, created: bool) -> int:
    if created:
        record(
            actor=None,
            action="grant_consultation.opened",
            obj=consultation,
            to_state="open",
            data={
                "kind": consultation.kind,
                "round_community": consultation.round_community_id,
                "year": consultation.year,
                "opens_at": consultation.opens_at.isoformat(),
                "closes_at": consultation.closes_at.isoformat(),
            },
        )
    return int(created)


def _open_backing(now: datetime) -> int:
    """One query for the communities due one, then one get_or_create each."""
    sent = Application.objects.filter(
        round_community=OuterRef("pk"), status=ApplicationStatus.SUBMITTED
    )
    has_one = Consultation.objects.filter(
        round_community=OuterRef("pk"), kind=ConsultationKind.BACKING
    )
    due = (
        RoundCommunity.objects.filter(
            round__status=RoundStatus.PUBLISHED, round__closes_at__lte=now
        )
        .filter(Exists(sent))
        .exclude(Exists(has_one))
        .select_related("round")
        .order_by("pk")
    )
    opened = 0
    for entry in due:
        opens_at, closes_at = voice_rules.backing_window(
            entry.round.closes_at, entry.round.backing_days
        )
        if closes_at <= now:
            # A round that closed before this feature (or while the job was down for
            # longer than the window): no window that is already over.
            continue
        consultation, created = Consultation.objects.get_or_create(
            kind=ConsultationKind.BACKING,
            round_community=entry,
            defaults={"opens_at": opens_at, "closes_at": closes_at, "created_at": now},
        )
        opened += _opened(consultation, created)
    return opened


def _open_verdicts(now: datetime) -> int:
    """Two queries (the awards in their grant period, the years already asked), then one
    get_or_create for each verdict due."""
    today = now.astimezone(LONDON).date()
    awards = list(
        CommunityDecision.objects.filter(
            outcome=DecisionOutcome.ACCEPTED,
            round_community__round__period_starts_on__lte=today,
            round_community__round__period_ends_on__gte=today,
        )
        .select_related("round_community__round")
        .order_by("pk")
    )
    asked = set(
        Consultation.objects.filter(
            kind=ConsultationKind.VERDICT, representative__in=[a.pk for a in awards]
        ).values_list("representative_id", "year")
    )
    opened = 0
    for award in awards:
        grant_round = award.round_community.round
        windows = voice_rules.verdict_windows(
            period_starts_on=grant_round.period_starts_on,
            period_ends_on=grant_round.period_ends_on,
            after_months=grant_round.verdict_after_months,
            days=grant_round.backing_days,
        )
        for window in windows:
            if not (window.opens_on <= today < window.closes_on):
                continue
            if (award.pk, window.year) in asked:
                continue
            consultation, created = Consultation.objects.get_or_create(
                kind=ConsultationKind.VERDICT,
                representative=award,
                year=window.year,
                defaults={
                    "round_community": award.round_community,
                    "opens_at": london_datetime(window.opens_on, time(0)),
                    "closes_at": london_datetime(window.closes_on, time(0)),
                    "created_at": now,
                },
            )
            opened += _opened(consultation, created)
    return opened


def open_due(now: datetime) -> dict:
    """Open every consultation due at `now`; returns how many of each kind were opened."""
    return {"backing": _open_backing(now), "verdict": _open_verdicts(now)}


# --------------------------------------------------------------- closing


def _forget_addresses(consultation) -> dict:
    """Delete the unconfirmed voices and every raw address the consultation holds, with the
    outbox rows this feature sent to those addresses. Returns the counts."""
    voices = Voice.objects.filter(consultation=consultation)
    addresses = {
        address.strip().lower()
        for address in voices.exclude(email="").values_list("email", flat=True)
    }
    unconfirmed = voices.filter(status=VoiceStatus.UNCONFIRMED).delete()[0]
    blanked = voices.exclude(email="").update(email="")
    # An address that still has a voice in a consultation open elsewhere keeps its
    # emails until that one closes too (its confirmation link may still be in use);
    # that closing deletes them.
    still_open = set(
        Voice.objects.filter(consultation__closed_at__isnull=True)
        .exclude(consultation=consultation)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    )
    # Deleted, not blanked: the outbox is a delivery queue, not a record (the audit trail
    # is). A confirmation link is useless once the window has closed, and a recipient
    # of "" would only fail to send.
    emails = (
        Notification.objects.filter(kind__startswith=VOICE_EMAIL_KIND)
        .annotate(address=Lower("recipient"))
        .filter(address__in=addresses - still_open)
        .delete()[0]
    )
    return {
        "unconfirmed_deleted": unconfirmed,
        "addresses_deleted": blanked,
        "emails_deleted": emails,
    }


def _review_text(consultation, result, threshold) -> str:
    spread = "; ".join(
        f"{voice_rules.rating_words(score)}: {n}"
        for score, n in zip(range(1, 6), result.by_rating, strict=True)
    )
    return _(
        "Opened by the community's yearly verdict, not by a person. In year %(year)s of the "
        "grant the community was asked how well the organisation represents it, from "
        "%(opens)s until %(closes)s. %(result)s That is under the threshold of %(threshold)s "
        "set for the round, so a review has been opened. How many gave each rating: "
        "%(spread)s."
    ) % {
        "year": consultation.year,
        "opens": long_date(consultation.opens_at.astimezone(LONDON).date()),
        "closes": long_date(
            (consultation.closes_at - timedelta(seconds=1)).astimezone(LONDON).date()
        ),
        "result": result.words(),
        "threshold": threshold,
        "spread": spread,
    }


def _close_one(pk: int, now: datetime) -> bool:
    from .concern_services import open_review

    with transaction.atomic():
        consultation = (
            voice_selectors.consultations()
            .select_for_update(of=("self",))
            .filter(pk=pk, closed_at__isnull=True, closes_at__lte=now)
            .first()
        )
        if consultation is None:  # another worker closed it first
            return False
        counts = _forget_addresses(consultation)
        consultation.closed_at = now
        fields = ["closed_at"]
        if consultation.kind == ConsultationKind.VERDICT:
            result = voice_selectors.verdict_result(consultation)
            threshold = consultation.round_community.round.verdict_threshold
            consultation.threshold = threshold
            fields.append("threshold")
            if voice_rules.opens_review(result, threshold):
                consultation.review = open_review(
                    representative=consultation.representative,
                    what_happened=_review_text(consultation, result, threshold),
                )
                fields.append("review")
            counts |= {
                "responded": result.count,
                "average": str(result.average) if result.average is not None else None,
                "threshold": str(threshold),
                "review": consultation.review_id,
            }
        else:
            counts["counted"] = consultation.voices.filter(status=VoiceStatus.COUNTED).count()
        consultation.save(update_fields=fields)
        record(
            actor=None,
            action="grant_consultation.closed",
            obj=consultation,
            from_state="open",
            to_state="closed",
            data={"kind": consultation.kind, **counts},
        )
    return True


def close_ended(now: datetime) -> int:
    """Close every consultation whose window ended by `now`, each in its own transaction.
    Returns how many this run closed."""
    due = Consultation.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by(
        "closes_at", "pk"
    )
    return sum(_close_one(pk, now) for pk in due.values_list("pk", flat=True))


def end_with_round(grant_round, now: datetime) -> int:
    """A round withdrawn: its windows end now (none not yet open is kept), and each open one
    is closed at once, forgetting its raw addresses. Returns how many were closed."""
    waiting = Consultation.objects.filter(
        round_community__round=grant_round, closed_at__isnull=True
    )
    waiting.filter(opens_at__gte=now).delete()  # never open, so nobody has said anything
    ending = list(waiting.filter(closes_at__gt=now).values_list("pk", flat=True))
    Consultation.objects.filter(pk__in=ending).update(closes_at=now)
    return sum(_close_one(pk, now) for pk in ending)


# --------------------------------------------------------------- retention


def _forget_one(pk: int, now: datetime) -> bool:
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update()
            .filter(pk=pk, closed_at__isnull=False, forgotten_at__isnull=True)
            .first()
        )
        if consultation is None:  # another worker got there first
            return False
        voices = Voice.objects.filter(consultation=consultation)
        # What the counts need, and nothing else: how many said each thing, and how.
        said = list(
            voices.filter(status=VoiceStatus.COUNTED)
            .values("application_id", "rating", "assisted_how", "recorded_by_id")
            .annotate(n=Count("pk"))
            .order_by("application_id", "rating", "assisted_how", "recorded_by_id")
        )
        deleted = voices.delete()[0]
        # New rows, with new ids, so that nothing else that named a voice (its audit events,
        # with their times) leads to one of these: a placeholder for the one-voice rule's
        # hash, no district, comment, network or time of their own. An assisted answer keeps
        # the officer who took it (staff, not the person).
        answers = [row for row in said for _ in range(row["n"])]
        kept = [
            Voice(
                consultation=consultation,
                status=VoiceStatus.COUNTED,
                application_id=row["application_id"],
                rating=row["rating"],
                assisted_how=row["assisted_how"],
                recorded_by_id=row["recorded_by_id"],
                person_hash=f"forgotten:{n}",
                postcode_district="",
                created_at=consultation.closes_at,
                confirmed_at=consultation.closes_at,
            )
            for n, row in enumerate(answers)
        ]
        Voice.objects.bulk_create(kept)
        consultation.forgotten_at = now
        consultation.save(update_fields=["forgotten_at"])
        record(
            actor=None,
            action="grant_consultation.forgotten",
            obj=consultation,
            data={
                "kind": consultation.kind,
                "voices_deleted": deleted,
                "counts_kept": len(kept),
            },
        )
    return True


def forget_expired(now: datetime) -> int:
    """Strip the voices of every closed consultation whose keeping time has passed
    (voice_rules.kept_until the grant period's end), each in its own transaction. Returns
    how many this run did. One query finds them; rounds still running are not read."""
    today = now.astimezone(LONDON).date()
    due = (
        Consultation.objects.filter(
            closed_at__isnull=False,
            forgotten_at__isnull=True,
            round_community__round__period_ends_on__lt=today,
        )
        .values_list("pk", "round_community__round__period_ends_on")
        .order_by("pk")
    )
    return sum(
        _forget_one(pk, now) for pk, ends_on in due if voice_rules.kept_until(ends_on) < today
    )
