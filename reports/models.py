"""What the reports keep: the open-data files built in the background, one row per build."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OpenDataKind(models.TextChoices):
    GRANTS_JSON = "360giving_json", "360Giving JSON"
    GRANTS_CSV = "360giving_csv", "360Giving CSV (spreadsheet)"
    TRANSPARENCY_CSV = "transparency_csv", "Transparency Code CSV"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILT = "built", "Built"
    FAILED = "failed", "Failed"


# A build moves once, from queued to built or failed (reports.open_data_files).
BUILD_MOVES = {
    BuildStatus.QUEUED: {BuildStatus.BUILT, BuildStatus.FAILED},
    BuildStatus.BUILT: set(),
    BuildStatus.FAILED: set(),
}


class OpenDataBuild(models.Model):
    """One build of one open-data file: asked for, then written to storage (or failed).

    A row is created QUEUED when a manager (or the nightly job) asks for the
    file; the task fills in the rest. Only BUILT rows name a file, and a row
    is BUILT only once its file is whole in storage, so nothing half-written
    is ever served. `fingerprint` is what the data was when the rows were read
    (reports.open_data_files.fingerprint): when today's differs, the file is
    out of date.
    """

    Kind = OpenDataKind
    Status = BuildStatus

    kind = models.CharField(max_length=32, choices=OpenDataKind.choices)
    # The financial year's first calendar year (2025 for 2025/26); empty for every year.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    queued_at = models.DateTimeField(default=timezone.now)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Set when BUILT: the file's name in the "open_data" storage and what is in it.
    name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "year", "-queued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OpenDataKind.values), name="open_data_build_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BuildStatus.values), name="open_data_build_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=BuildStatus.BUILT)
                | (
                    ~Q(name="")
                    & ~Q(sha256="")
                    & ~Q(fingerprint="")
                    & Q(size__isnull=False, rows__isnull=False, built_at__isnull=False)
                ),
                name="open_data_build_built_names_its_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year or 'every year'} ({self.status})"
