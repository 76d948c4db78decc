"""Reading the community's voice: consultations open now, and the counts.

Counts are of counted voices only (not unconfirmed, not set aside), by one
aggregate query per consultation, so a page's queries do not grow with them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from . import voice_rules
from .application_models import Application, ApplicationStatus
from .assessment_models import CommunityDecision, DecisionOutcome
from .voice_models import CommentStatus, Consultation, ConsultationKind, Voice, VoiceStatus

# The decisions after which the public may see a community's backing (voice_rules.totals_public):
# an accepted award or no award. An offer may still be declined.
FINAL_OUTCOMES = (DecisionOutcome.ACCEPTED, DecisionOutcome.NO_AWARD)


def consultations():
    return Consultation.objects.select_related(
        "round_community__round",
        "round_community__community",
        "representative__application__organisation",
    )


def open_now(now, *, kind: str | None = None):
    """Consultations whose window is open at `now`, soonest to close first."""
    found = consultations().filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("closes_at", "pk")


def backing_open_for(round_community_id, now) -> Consultation | None:
    return (
        open_now(now, kind=ConsultationKind.BACKING)
        .filter(round_community_id=round_community_id)
        .first()
    )


def verdict_open_for(representative_id, now) -> Consultation | None:
    return (
        open_now(now, kind=ConsultationKind.VERDICT)
        .filter(representative_id=representative_id)
        .first()
    )


def applicants(consultation):
    """The applicants a community may back: applications sent for it (withdrawn ones leave)."""
    return (
        Application.objects.filter(
            round_community_id=consultation.round_community_id,
            status=ApplicationStatus.SUBMITTED,
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def is_decided(round_community_id) -> bool:
    """Whether the community's decision is final (voice_rules.totals_public)."""
    return CommunityDecision.objects.filter(
        round_community_id=round_community_id, outcome__in=FINAL_OUTCOMES
    ).exists()


@dataclass(frozen=True)
class BackingTotal:
    application: Application | None  # None: "none of these"
    counted: int
    assisted: int


def backing_totals(consultation, listed=None) -> list[BackingTotal]:
    """Counted voices per applicant, in the order of `applicants` (or `listed`, those already
    read), then "none of these".

    A voice for an application withdrawn since is still counted under it, after the others.
    """
    rows = (
        Voice.objects.filter(consultation=consultation, status=VoiceStatus.COUNTED)
        .values("application_id")
        .annotate(counted=Count("pk"), assisted=Count("pk", filter=~Q(assisted_how="")))
    )
    by_application = {row["application_id"]: row for row in rows}
    listed = list(applicants(consultation) if listed is None else listed)
    listed_ids = {a.pk for a in listed}
    missing = [pk for pk in by_application if pk is not None and pk not in listed_ids]
    if missing:
        listed += list(Application.objects.filter(pk__in=missing).select_related("organisation"))
    totals = []
    for application in [*listed, None]:
        row = by_application.get(application.pk if application else None, {})
        totals.append(BackingTotal(application, row.get("counted", 0), row.get("assisted", 0)))
    return totals


def verdict_result(consultation) -> voice_rules.VerdictResult:
    """The counted ratings of a verdict consultation, as a result (one grouped query)."""
    rows = (
        Voice.objects.filter(
            consultation=consultation, status=VoiceStatus.COUNTED, rating__isnull=False
        )
        .values("rating")
        .annotate(n=Count("pk"))
    )
    return voice_rules.verdict_result_of_counts({row["rating"]: row["n"] for row in rows})


# --------------------------------------------------------------- for council staff
# (the moderator's page, the officers' comment queue, and the counts beside the criterion)

# How many approved comments a page shows per applicant; the rest are a link away, on a
# paginated list, so no page grows with the responses.
LATEST_COMMENTS = 3
# When a voice last said what it says: a changed choice (and comment) is newer.
_SAID_AT = Coalesce("changed_at", "confirmed_at")


@dataclass(frozen=True)
class StaffTotal:
    application: Application | None  # None: "none of these"
    counted: int
    assisted: int
    set_aside: int
    flagged: int
    comments: int  # approved comments of counted voices
    latest: tuple = ()  # the latest LATEST_COMMENTS of them, newest first


def staff_totals(consultation, *, with_comments: bool = True) -> list[StaffTotal]:
    """Per applicant (in the order of `applicants`, then any withdrawn since, then "none of
    these"): counted voices, of which assisted; set aside; flagged; approved comments.

    Unconfirmed voices count nowhere. Queries: the applicants, one grouped count, the
    latest approved comments of every applicant at once (`with_comments`), and the
    withdrawn applicants' organisations only when a voice backs one.
    """
    rows = (
        Voice.objects.filter(consultation=consultation)
        .exclude(status=VoiceStatus.UNCONFIRMED)
        .values("application_id")
        .annotate(
            counted=Count("pk", filter=Q(status=VoiceStatus.COUNTED)),
            assisted=Count("pk", filter=Q(status=VoiceStatus.COUNTED) & ~Q(assisted_how="")),
            set_aside=Count("pk", filter=Q(status=VoiceStatus.SET_ASIDE)),
            flagged=Count("pk", filter=~Q(flag="")),
            comments=Count(
                "pk",
                filter=Q(status=VoiceStatus.COUNTED, comment_status=CommentStatus.APPROVED),
            ),
        )
    )
    by_application = {row["application_id"]: row for row in rows}
    listed = list(applicants(consultation))
    listed_ids = {a.pk for a in listed}
    missing = [pk for pk in by_application if pk is not None and pk not in listed_ids]
    if missing:
        listed += list(
            Application.objects.filter(pk__in=missing)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
    latest: dict = {}
    if with_comments:
        for voice in latest_comments(consultation):
            latest.setdefault(voice.application_id, []).append(voice)
    totals = []
    for application in [*listed, None]:
        key = application.pk if application else None
        row = by_application.get(key, {})
        totals.append(
            StaffTotal(
                application,
                row.get("counted", 0),
                row.get("assisted", 0),
                row.get("set_aside", 0),
                row.get("flagged", 0),
                row.get("comments", 0),
                tuple(latest.get(key, ())),
            )
        )
    return totals


def approved_comments(consultation, application_id=None):
    """Every approved comment of a counted voice for one applicant (None: "none of these"),
    newest first: for a paginated list."""
    return (
        Voice.objects.filter(
            consultation=consultation,
            status=VoiceStatus.COUNTED,
            comment_status=CommentStatus.APPROVED,
            application_id=application_id,
        )
        .defer("email")
        .order_by(_SAID_AT.desc(), "-pk")
    )


def latest_comments(consultation, *, application_id=..., limit: int = LATEST_COMMENTS):
    """The latest `limit` approved comments per applicant (or for one: `application_id`,
    None for "none of these"), newest first, in one query whatever the number of
    applicants or comments (a row number per applicant, filtered)."""
    found = Voice.objects.filter(
        consultation=consultation,
        status=VoiceStatus.COUNTED,
        comment_status=CommentStatus.APPROVED,
    ).defer("email")
    if application_id is not ...:
        found = found.filter(application_id=application_id)
    return (
        found.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("application_id")],
                order_by=[_SAID_AT.desc(), F("pk").desc()],
            )
        )
        .filter(place__lte=limit)
        .order_by("application_id", "place")
    )


def voices_to_moderate(consultation):
    """Flagged or set-aside voices of a consultation, newest first, with the applicant each
    backs: for a paginated list."""
    return (
        Voice.objects.filter(consultation=consultation)
        .exclude(status=VoiceStatus.UNCONFIRMED)
        .filter(~Q(flag="") | Q(status=VoiceStatus.SET_ASIDE))
        .select_related("application__organisation")
        .defer("email")  # staff never see the address
        .order_by("-confirmed_at", "-pk")
    )


def comments_waiting():
    """Comments of counted voices waiting for an officer's check, oldest first, across every
    consultation, with each one's community, round and applicant: the officers' queue."""
    return (
        Voice.objects.filter(status=VoiceStatus.COUNTED, comment_status=CommentStatus.WAITING)
        .select_related(
            "consultation__round_community__community",
            "consultation__round_community__round",
            "application__organisation",
            "consultation__representative__application__organisation",
        )
        .defer("email")  # staff never see the address
        .order_by("confirmed_at", "pk")
    )


def backing_consultation_ids(grant_round) -> dict[int, int]:
    """{round community id: its backing consultation's id} for a round (one query)."""
    return dict(
        Consultation.objects.filter(
            kind=ConsultationKind.BACKING, round_community__round=grant_round
        ).values_list("round_community_id", "pk")
    )


@dataclass(frozen=True)
class PanelBacking:
    """The community's backing as assessors and the moderator read it beside a criterion."""

    consultation: Consultation
    this: StaffTotal  # the application being assessed
    others: list  # the other applicants' StaffTotals
    none_of_these: StaffTotal
    population: int | None
    population_source: str
    beside_criterion: bool  # a criterion shows it; else it is a block at the top


def backing_for_panel(application, criteria) -> PanelBacking | None:
    """The backing for `application`'s community, if a backing consultation exists.

    Queries: the consultation with its community, then staff_totals' (the applicants,
    the grouped count, the latest comments).
    """
    if application.round_community_id is None:
        return None
    consultation = (
        Consultation.objects.filter(
            kind=ConsultationKind.BACKING, round_community_id=application.round_community_id
        )
        .select_related("round_community__community")
        .first()
    )
    if consultation is None:
        return None
    totals = staff_totals(consultation)
    this = next(
        (t for t in totals if t.application and t.application.pk == application.pk),
        StaffTotal(application, 0, 0, 0, 0, 0),
    )
    community = consultation.round_community.community
    return PanelBacking(
        consultation=consultation,
        this=this,
        others=[t for t in totals if t.application and t.application.pk != application.pk],
        none_of_these=totals[-1],
        population=community.population,
        population_source=community.population_source,
        beside_criterion=any(c.shows_backing for c in criteria),
    )


def conflicted_with_community(user, round_community_id) -> bool:
    """Whether `user` declared a conflict of interest with an application for the community."""
    from .assessment_models import Assessment

    return Assessment.objects.filter(
        assessor=user, has_conflict=True, application__round_community_id=round_community_id
    ).exists()


# --------------------------------------------------------------- verdicts on a representative


@dataclass(frozen=True)
class Verdict:
    consultation: Consultation
    # None where it is not shown: to the public, until the window has closed.
    result: voice_rules.VerdictResult | None

    @property
    def is_open(self) -> bool:
        return self.consultation.closed_at is None

    @property
    def last_day(self):
        """The last day it is open (London): it closes at the start of the next."""
        return timezone.localtime(self.consultation.closes_at - timedelta(seconds=1)).date()

    @property
    def spread(self) -> list[tuple[int, str, int]]:
        """(rating, its words, how many gave it), 5 (very well) down to 1."""
        if self.result is None:
            return []
        return [
            (score, voice_rules.rating_words(score), self.result.by_rating[score - 1])
            for score in range(5, 0, -1)
        ]


def verdicts_of(decision, *, public: bool) -> list[Verdict]:
    """Each year's verdict on a representative, first year first, with its result: for the
    public only once its window has closed (counts so far could sway later answers);
    for officers throughout. Two queries: the consultations, the ratings grouped."""
    found = list(
        Consultation.objects.filter(
            kind=ConsultationKind.VERDICT, representative=decision
        ).order_by("year", "pk")
    )
    shown = [c.pk for c in found if c.closed_at is not None or not public]
    counts: dict[int, dict[int, int]] = {pk: {} for pk in shown}
    if shown:
        rows = (
            Voice.objects.filter(
                consultation__in=shown, status=VoiceStatus.COUNTED, rating__isnull=False
            )
            .values("consultation_id", "rating")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts[row["consultation_id"]][row["rating"]] = row["n"]
    return [
        Verdict(c, voice_rules.verdict_result_of_counts(counts[c.pk]) if c.pk in counts else None)
        for c in found
    ]


def verdict_behind(concern) -> Consultation | None:
    """The yearly verdict that opened `concern` as a review, if one did (one query)."""
    return Consultation.objects.filter(kind=ConsultationKind.VERDICT, review=concern).first()


VERDICT_COMMENTS_SHOWN = 10


def approved_verdict_comments(decision, *, limit: int = VERDICT_COMMENTS_SHOWN):
    """The latest comments an officer has checked and approved in the verdicts on a
    representative (counted voices only), newest first: for officers, never published."""
    return (
        Voice.objects.filter(
            consultation__kind=ConsultationKind.VERDICT,
            consultation__representative=decision,
            status=VoiceStatus.COUNTED,
            comment_status=Voice.CommentStatus.APPROVED,
        )
        .select_related("consultation")
        .order_by("-confirmed_at", "-pk")[:limit]
    )
