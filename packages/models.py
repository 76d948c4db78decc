"""The menu of support packages an organisation may agree.

This app knows nothing of who buys packages: `allowances` points at it, never
the other way round (DESIGN.md §8).
"""

from django.db import models
from django.db.models import Q


class Strand(models.TextChoices):
    """The budget strands a package can draw on (DESIGN.md §4, Budget)."""

    VCS_SUPPORT = "vcs_support", "VCS support packages"
    COMMUNITY_COHESION = "community_cohesion", "Community cohesion representation"
    VOLUNTEERING = "volunteering", "Volunteering support"


class PackageQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Package.Status.ACTIVE)

    def visible_to(self, user):
        """Everyone sees the active menu; council staff also see withdrawn packages."""
        if user.is_authenticated and user.is_officer:
            return self
        return self.active()


class Package(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Allowed moves, as data: the services check a move against this table.
    TRANSITIONS = {
        Status.ACTIVE: {Status.WITHDRAWN},
        Status.WITHDRAWN: {Status.ACTIVE},
    }

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300)
    what_you_get = models.TextField("what the organisation gets")
    outcomes = models.TextField("outcomes")
    typical_duration = models.CharField(max_length=60, help_text="For example, 3 to 6 months.")
    # The price today. An agreed package keeps the value it was agreed at, so a
    # change here never alters what was already agreed.
    value = models.DecimalField(max_digits=12, decimal_places=2)
    strand = models.CharField(
        "budget strand", max_length=32, choices=Strand.choices, default=Strand.VCS_SUPPORT
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="package_value_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["active", "withdrawn"]), name="package_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(strand__in=["vcs_support", "community_cohesion", "volunteering"]),
                name="package_strand_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
