"""Every write to a grant round and to the communities of interest. Each is audited.

A round's details, criteria, scale and communities change only while it is a
draft; the round's row is locked first, so a change and a publish by two
managers at once take turns, and the second is told what happened.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import record

from . import rules, template
from .models import (
    CommunityOfInterest,
    GrantRound,
    RoundCommunity,
    RoundCriterion,
    ScaleLevel,
)
from .selectors import round_in_full

ROUND_FIELDS = (
    "name",
    "summary",
    "strand",
    "opens_at",
    "closes_at",
    "total",
    "amount_per_community",
    "period_starts_on",
    "period_ends_on",
    "payment_schedule",
)
# The community's say: optional in a round's data (the model's defaults otherwise), so that
# callers written before it need not name them.
VOICE_FIELDS = ("backing_days", "verdict_after_months", "verdict_threshold")
CRITERION_FIELDS = (
    "section",
    "kind",
    "title",
    "question",
    "guidance",
    "word_limit",
    "weight",
    "minimum_score",
)


class RoundError(Exception):
    """A refused change, with the reason to show; `problems` lists each one found."""

    def __init__(self, reason: str, problems: list[rules.Problem] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or []


class RoundInvalid(Exception):
    """The round's details break a rule: `.problems` maps a form field to its message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class CommunityInvalid(Exception):
    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def _manager(by) -> None:
    if not (by.is_authenticated and by.is_manager):
        raise RoundError("Only managers can set up grant rounds.")


def _round_values(data: dict) -> dict:
    return {k: data[k] for k in ROUND_FIELDS} | {k: data[k] for k in VOICE_FIELDS if k in data}


def _check_details(data: dict) -> None:
    problems = rules.round_details_problems(
        **{
            k: data[k]
            for k in (
                "opens_at",
                "closes_at",
                "total",
                "amount_per_community",
                "period_starts_on",
                "period_ends_on",
            )
        }
    )
    problems |= rules.voice_settings_problems(data)
    if problems:
        raise RoundInvalid(problems)


def _lock_draft(grant_round: GrantRound, what: str) -> GrantRound:
    locked = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    if not locked.is_draft:
        raise RoundError(
            f"This round is {locked.get_status_display().lower()}, so {what} cannot be changed. "
            "Nothing was changed."
        )
    return locked


# --------------------------------------------------------------- setting up


@transaction.atomic
def create_round(*, by, data: dict) -> GrantRound:
    """A draft round with the given details and a copy of the template's criteria and scale."""
    _manager(by)
    _check_details(data)
    grant_round = GrantRound.objects.create(created_by=by, **_round_values(data))
    RoundCriterion.objects.bulk_create(
        RoundCriterion(
            round=grant_round,
            position=position,
            section=c.section,
            kind=c.kind,
            automatic_check=c.automatic_check,
            title=c.title,
            question=c.question,
            guidance=c.guidance,
            word_limit=c.word_limit,
            weight=c.weight,
            shows_backing=c.shows_backing,
        )
        for position, c in enumerate(template.section_b_criteria(), start=1)
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(round=grant_round, score=score, label=label, descriptor=descriptor)
        for score, label, descriptor in template.SCALE
    )
    record(actor=by, action="grant_round.created", obj=grant_round, to_state=grant_round.status)
    return grant_round


@transaction.atomic
def update_round(*, grant_round, by, data: dict) -> GrantRound:
    """Change a draft's name, dates, amounts, period or schedule."""
    _manager(by)
    grant_round = _lock_draft(grant_round, "its details")
    _check_details(data)
    values = _round_values(data)
    changed = sorted(k for k in values if getattr(grant_round, k) != values[k])
    for field, value in values.items():
        setattr(grant_round, field, value)
    grant_round.save(update_fields=[*values, "updated_at"])
    record(actor=by, action="grant_round.changed", obj=grant_round, data={"fields": changed})
    return grant_round


@transaction.atomic
def set_round_communities(*, grant_round, by, communities) -> GrantRound:
    """Open the draft to exactly these communities."""
    _manager(by)
    grant_round = _lock_draft(grant_round, "the communities it is open to")
    wanted = {c.pk: c for c in communities}
    current = dict(
        RoundCommunity.objects.filter(round=grant_round).values_list(
            "community_id", "community__name"
        )
    )
    removed = [pk for pk in current if pk not in wanted]
    added = [wanted[pk] for pk in wanted if pk not in current]
    RoundCommunity.objects.filter(round=grant_round, community_id__in=removed).delete()
    RoundCommunity.objects.bulk_create(
        RoundCommunity(round=grant_round, community=c) for c in added
    )
    record(
        actor=by,
        action="grant_round.communities_changed",
        obj=grant_round,
        data={
            "added": sorted(c.name for c in added),
            "removed": sorted(current[pk] for pk in removed),
        },
    )
    return grant_round


@transaction.atomic
def add_criterion(*, grant_round, by, data: dict) -> RoundCriterion:
    """A new criterion at the end of the draft's list."""
    _manager(by)
    grant_round = _lock_draft(grant_round, "its criteria")
    last = grant_round.criteria.aggregate(n=Max("position"))["n"] or 0
    criterion = RoundCriterion.objects.create(
        round=grant_round, position=last + 1, **_criterion_values(data)
    )
    record(
        actor=by,
        action="grant_round.criterion_added",
        obj=grant_round,
        data={"criterion": criterion.title},
    )
    return criterion


@transaction.atomic
def update_criterion(*, criterion, by, data: dict) -> RoundCriterion:
    _manager(by)
    _lock_draft(criterion.round, "its criteria")
    criterion = RoundCriterion.objects.select_for_update().get(pk=criterion.pk)
    values = _criterion_values(data)
    if criterion.automatic_check:
        # The service's own checks are must-haves by nature: they pass or fail.
        values["kind"], values["weight"], values["minimum_score"] = "must_have", None, None
    changed = sorted(k for k, v in values.items() if getattr(criterion, k) != v)
    for field, value in values.items():
        setattr(criterion, field, value)
    criterion.save(update_fields=list(values))
    record(
        actor=by,
        action="grant_round.criterion_changed",
        obj=criterion.round,
        data={"criterion": criterion.title, "fields": changed},
    )
    return criterion


@transaction.atomic
def remove_criterion(*, criterion, by) -> None:
    _manager(by)
    grant_round = _lock_draft(criterion.round, "its criteria")
    title = criterion.title
    RoundCriterion.objects.filter(pk=criterion.pk).delete()
    record(
        actor=by, action="grant_round.criterion_removed", obj=grant_round, data={"criterion": title}
    )


def _criterion_values(data: dict) -> dict:
    values = {k: data.get(k) for k in CRITERION_FIELDS}
    values["guidance"] = values["guidance"] or ""
    if values["kind"] != "scored":
        values["weight"] = values["minimum_score"] = None
    return values


@transaction.atomic
def set_scale(*, grant_round, by, levels: dict[int, tuple[str, str]]) -> GrantRound:
    """What each score from 0 to 4 means: `levels` maps a score to (label, descriptor)."""
    _manager(by)
    grant_round = _lock_draft(grant_round, "its scoring scale")
    for score in rules.SCALE:
        label, descriptor = levels[score]
        ScaleLevel.objects.update_or_create(
            round=grant_round, score=score, defaults={"label": label, "descriptor": descriptor}
        )
    record(actor=by, action="grant_round.scale_changed", obj=grant_round)
    return grant_round


# --------------------------------------------------------------- the moves


def round_facts(full_round: GrantRound) -> rules.RoundFacts:
    """What publishing checks, from a round read by `selectors.round_in_full`."""
    strand = full_round.strand
    return rules.RoundFacts(
        opens_at=full_round.opens_at,
        closes_at=full_round.closes_at,
        total=full_round.total,
        amount_per_community=full_round.amount_per_community,
        period_starts_on=full_round.period_starts_on,
        period_ends_on=full_round.period_ends_on,
        strand_amount=strand.amount,
        strand_name=(
            f"the {strand.get_kind_display().lower()} strand for {strand.budget_year.label}"
        ),
        communities=len(full_round.open_communities),
        criteria=tuple(
            rules.CriterionFacts(title=c.title, kind=c.kind, weight=c.weight)
            for c in full_round.criteria_list
        ),
        scale={level.score: level.descriptor for level in full_round.scale_list},
    )


def _move(grant_round, verb: str, now) -> tuple[GrantRound, str]:
    """Lock the round and check the move; the second of two managers is told why not."""
    locked = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    move = rules.round_move(verb, status=locked.status, opens_at=locked.opens_at, now=now)
    if not move:
        raise RoundError(f"{move.reason} Nothing was changed.")
    from_state = locked.status
    locked.status = rules.ROUND_TRANSITIONS[verb][1]
    return locked, from_state


@transaction.atomic
def publish_round(*, grant_round, by) -> GrantRound:
    """Publish a draft that passes every check: its public page appears at once."""
    _manager(by)
    now = timezone.now()
    grant_round, from_state = _move(grant_round, "publish", now)
    full_round = round_in_full(GrantRound.objects.select_related("strand__budget_year"))
    problems = rules.publish_problems(round_facts(full_round.get(pk=grant_round.pk)), now=now)
    if problems:
        raise RoundError("This round cannot be published yet.", problems)
    grant_round.published_at, grant_round.published_by = now, by
    grant_round.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    record(
        actor=by,
        action="grant_round.published",
        obj=grant_round,
        from_state=from_state,
        to_state=grant_round.status,
    )
    return grant_round


@transaction.atomic
def return_round_to_draft(*, grant_round, by) -> GrantRound:
    """Take a published round back to draft to correct it, only before it opens."""
    _manager(by)
    grant_round, from_state = _move(grant_round, "return_to_draft", timezone.now())
    grant_round.published_at, grant_round.published_by = None, None
    grant_round.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    record(
        actor=by,
        action="grant_round.returned_to_draft",
        obj=grant_round,
        from_state=from_state,
        to_state=grant_round.status,
    )
    return grant_round


@transaction.atomic
def withdraw_round(*, grant_round, by, reason: str) -> GrantRound:
    """Stop a round for good, with the reason; a published round's page then says so."""
    _manager(by)
    if not reason.strip():
        raise RoundError("Enter why the round is being withdrawn")
    grant_round, from_state = _move(grant_round, "withdraw", timezone.now())
    grant_round.withdrawn_at, grant_round.withdrawn_reason = timezone.now(), reason.strip()
    grant_round.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    record(
        actor=by,
        action="grant_round.withdrawn",
        obj=grant_round,
        from_state=from_state,
        to_state=grant_round.status,
        reason=grant_round.withdrawn_reason,
    )
    # Nobody may go on backing an applicant of a round that will award nothing.
    from .consultation_services import end_with_round

    end_with_round(grant_round, timezone.now())
    return grant_round


# --------------------------------------------------------------- communities of interest

COMMUNITY_FIELDS = ("characteristic", "name", "description", "population", "population_source")


def _community_problems(data: dict, exclude_pk=None) -> dict[str, str]:
    problems = {}
    same_name = CommunityOfInterest.objects.filter(
        characteristic=data["characteristic"], name__iexact=data["name"].strip()
    ).exclude(pk=exclude_pk)
    if same_name.exists():
        problems["name"] = f"There is already a community called {data['name'].strip()}"
    if data.get("population") is not None and not data.get("population_source", "").strip():
        problems["population_source"] = "Enter where the population figure comes from"
    return problems


def _save_community(community, data) -> CommunityOfInterest:
    for field in COMMUNITY_FIELDS:
        value = data.get(field)
        setattr(community, field, value.strip() if isinstance(value, str) else value)
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError:  # another manager added the same name a moment ago
        raise CommunityInvalid(
            {"name": f"There is already a community called {community.name}"}
        ) from None
    return community


@transaction.atomic
def add_community(*, by, data: dict) -> CommunityOfInterest:
    _manager(by)
    problems = _community_problems(data)
    if problems:
        raise CommunityInvalid(problems)
    community = _save_community(CommunityOfInterest(), data)
    record(actor=by, action="community_of_interest.added", obj=community)
    return community


@transaction.atomic
def update_community(*, community, by, data: dict) -> CommunityOfInterest:
    _manager(by)
    community = CommunityOfInterest.objects.select_for_update().get(pk=community.pk)
    problems = _community_problems(data, exclude_pk=community.pk)
    if problems:
        raise CommunityInvalid(problems)
    changed = sorted(k for k in COMMUNITY_FIELDS if getattr(community, k) != data.get(k))
    _save_community(community, data)
    record(
        actor=by, action="community_of_interest.changed", obj=community, data={"fields": changed}
    )
    return community
