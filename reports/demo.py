"""Demo data for the open-data page: one published release of every year (issue 17).

Written here, in this process, as the release task would write it: `make run`
shows the public page with files to download, reached from the start page.
"""

from organisations.models import User

from .models import OpenDataRelease, ReleaseStatus
from .open_data_releases import publish_release, write_release
from .selectors import budget_years


def seed_open_data(stdout, person) -> None:
    if OpenDataRelease.objects.filter(status=ReleaseStatus.PUBLISHED).exists():
        return
    manager = User.objects.get(email="manager@example.org")
    release = OpenDataRelease.objects.create(year=None, prepared_by=manager)
    ready = write_release(release.pk, [y.start_year for y in budget_years()])
    publish_release(ready, by=manager)
    stdout.write(
        f"  Open data: release {ready.reference} published ({ready.added} grants), at /open-data/"
    )
