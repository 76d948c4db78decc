from celery import shared_task

from .open_data_files import build, rebuild_out_of_date
from .selectors import budget_years


@shared_task(ignore_result=True)
def build_open_data_file(build_id: int) -> bool:
    """Build the open-data file a manager asked for (an OpenDataBuild, by id)."""
    return build(build_id) is not None


@shared_task(ignore_result=True)
def rebuild_open_data() -> int:
    """Nightly: build again every open-data file the data has moved past, and any never built."""
    return rebuild_out_of_date([y.start_year for y in budget_years()])


@shared_task(ignore_result=True)
def prepare_open_data_release(release_id: int) -> bool:
    """Write the files of an open-data release a manager asked for, and what changed."""
    from .open_data_releases import write_release

    return write_release(release_id, [y.start_year for y in budget_years()]) is not None
