"""Managers change the eligibility criteria by drafting and publishing a new version.

A published version is never edited: applications keep the version they were
answered on, so a change never alters what an organisation already said.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import record

from .models import CriteriaVersion, Criterion


class CriteriaError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _manager(by) -> None:
    if not by.is_manager:
        raise CriteriaError("Only managers can change the eligibility criteria.")


@transaction.atomic
def draft_criteria_version(*, by) -> CriteriaVersion:
    """The draft version (a copy of the latest published one), made if there is none."""
    _manager(by)
    draft = CriteriaVersion.objects.select_for_update().filter(published_at__isnull=True).first()
    if draft:
        return draft
    latest = CriteriaVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
    number = (CriteriaVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = CriteriaVersion.objects.create(number=number, created_by=by)
    if latest:
        Criterion.objects.bulk_create(
            Criterion(
                version=draft,
                **{
                    f.name: getattr(c, f.name)
                    for f in Criterion._meta.concrete_fields
                    if f.name not in ("id", "version")
                },
            )
            for c in latest.criteria.all()
        )
    record(actor=by, action="criteria.drafted", obj=draft, data={"number": number})
    return draft


@transaction.atomic
def update_criterion(*, criterion, by, data: dict) -> Criterion:
    _manager(by)
    criterion = Criterion.objects.select_for_update().select_related("version").get(pk=criterion.pk)
    if criterion.version.is_published:
        raise CriteriaError(
            "This version is published, so it cannot be changed. Start a new version instead."
        )
    changed = sorted(k for k, v in data.items() if getattr(criterion, k) != v)
    for field, value in data.items():
        setattr(criterion, field, value)
    criterion.save(update_fields=list(data))
    record(actor=by, action="criteria.criterion_changed", obj=criterion, data={"fields": changed})
    return criterion


@transaction.atomic
def publish_criteria_version(*, version, by) -> CriteriaVersion:
    """New applications use it from now on; applications already started keep theirs."""
    _manager(by)
    version = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise CriteriaError("This version is already published.")
    if not version.criteria.exists():
        raise CriteriaError("A version needs at least one criterion.")
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    record(actor=by, action="criteria.published", obj=version, data={"number": version.number})
    return version
