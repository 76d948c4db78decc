"""What the reports keep: the open-data files built in the background, one row per build."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OpenDataKind(models.TextChoices):
    GRANTS_JSON = "360giving_json", "360Giving JSON"
    GRANTS_CSV = "360giving_csv", "360Giving CSV (spreadsheet)"
    GRANTS_XLSX = "360giving_xlsx", "360Giving spreadsheet (XLSX)"
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


class ReleaseStatus(models.TextChoices):
    PREPARING = "preparing", "Being prepared"
    READY = "ready", "Ready to check"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Could not be prepared"
    DISCARDED = "discarded", "Discarded"


# preparing → ready or failed (the task); ready → published or discarded (a manager).
RELEASE_MOVES = {
    ReleaseStatus.PREPARING: {ReleaseStatus.READY, ReleaseStatus.FAILED},
    ReleaseStatus.READY: {ReleaseStatus.PUBLISHED, ReleaseStatus.DISCARDED},
    ReleaseStatus.PUBLISHED: set(),
    ReleaseStatus.FAILED: set(),
    ReleaseStatus.DISCARDED: set(),
}


# The constraint that lets one release at most be PREPARING (reports.open_data_releases).
ONE_PREPARING = "open_data_release_one_preparing"


class OpenDataRelease(models.Model):
    """A set of open-data files a manager checks and then publishes to everyone.

    The files are written when the release is prepared (a Celery task), from
    the data as it was then, and never change after: the public page serves,
    for each file, the one in the newest published release that has it. What
    changed since the last published release (grants added, changed and
    withdrawn) is worked out when it is prepared, for the manager to check.
    """

    Status = ReleaseStatus

    # The financial year's first calendar year; empty for every year (then each
    # year's files and the all-years files are in it).
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.PREPARING
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Compared with the newest release published when this one was prepared.
    compared_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added = models.PositiveIntegerField(null=True, blank=True)
    changed = models.PositiveIntegerField(null=True, blank=True)
    withdrawn = models.PositiveIntegerField(null=True, blank=True)
    # Up to a few examples of each: {"added": [[id, title], ...], "changed": ..., "withdrawn": ...}
    examples = models.JSONField(default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReleaseStatus.values), name="open_data_release_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReleaseStatus.PUBLISHED)
                | Q(published_at__isnull=False, published_by__isnull=False),
                name="open_data_release_published_says_when_and_who",
            ),
            # Two managers preparing at the same moment: the second insert fails.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=ReleaseStatus.PREPARING),
                name=ONE_PREPARING,
            ),
        ]

    def __str__(self):
        return f"Open-data release {self.pk} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"R{self.pk:04d}"


class OpenDataReleaseFile(models.Model):
    """One file of a release, whole in the "open_data" storage under releases/."""

    release = models.ForeignKey(OpenDataRelease, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=32, choices=OpenDataKind.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    # Beside each year's 360Giving JSON: the grants' ids and a digest of each,
    # in storage, to compare the next release with (never served).
    digests_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "year"]
        constraints = [
            # One file of each kind per year, and one for all years (no year):
            # two partial constraints, which SQLite enforces too.
            models.UniqueConstraint(
                fields=["release", "kind", "year"],
                condition=Q(year__isnull=False),
                name="open_data_release_file_once",
            ),
            models.UniqueConstraint(
                fields=["release", "kind"],
                condition=Q(year__isnull=True),
                name="open_data_release_all_years_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OpenDataKind.values), name="open_data_release_file_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year or 'every year'} in {self.release}"
