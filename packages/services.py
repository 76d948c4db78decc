"""Every change to the menu goes through here, and each one is audited."""

from django.db import transaction
from django.utils.text import slugify

from audit.services import record

from .models import Package

# Fields a manager may change; value changes are recorded with old and new.
EDITABLE = ("name", "summary", "what_you_get", "outcomes", "typical_duration", "value", "strand")


class PackageError(Exception):
    """A refused change; `.reason` is the sentence shown to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:100] or "package"
    slug, n = base, 2
    while Package.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_package(*, by, data: dict) -> Package:
    """Add a package to the menu, active."""
    last = Package.objects.order_by("-position").values_list("position", flat=True).first()
    package = Package.objects.create(
        **{k: data[k] for k in EDITABLE},
        slug=_unique_slug(data["name"]),
        position=(last or 0) + 1,
    )
    record(actor=by, action="package.created", obj=package, data={"value": str(package.value)})
    return package


@transaction.atomic
def update_package(*, package: Package, by, data: dict) -> Package:
    """Change a package's details. Agreed packages keep the value they were agreed at."""
    package = Package.objects.select_for_update().get(pk=package.pk)
    changes = {
        k: [str(getattr(package, k)), str(data[k])]
        for k in EDITABLE
        if k in data and getattr(package, k) != data[k]
    }
    for field in changes:
        setattr(package, field, data[field])
    if "name" in changes:
        package.slug = _unique_slug(package.name, exclude_pk=package.pk)
    if changes:
        package.save(update_fields=[*changes, "slug", "updated_at"])
        record(actor=by, action="package.updated", obj=package, data={"changes": changes})
    return package


def _move(package: Package, *, to: str, by, action: str) -> Package:
    package = Package.objects.select_for_update().get(pk=package.pk)
    if to not in Package.TRANSITIONS[package.status]:
        raise PackageError(f"{package.name} is already {package.get_status_display().lower()}.")
    from_state = package.status
    package.status = to
    package.save(update_fields=["status", "updated_at"])
    record(actor=by, action=action, obj=package, from_state=from_state, to_state=to)
    return package


@transaction.atomic
def withdraw_package(*, package: Package, by) -> Package:
    """Take a package off the menu. Records that used it keep it."""
    return _move(package, to=Package.Status.WITHDRAWN, by=by, action="package.withdrawn")


@transaction.atomic
def reinstate_package(*, package: Package, by) -> Package:
    """Put a withdrawn package back on the menu."""
    return _move(package, to=Package.Status.ACTIVE, by=by, action="package.reinstated")
