"""Load the ONS postcode lookup (NSPL or ONSPD CSV), replacing the one in use."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organisations.ons_lookup import LookupFileError, load_postcode_lookup, read_ward_names


class Command(BaseCommand):
    help = (
        "Load the ONS postcode lookup (the NSPL or ONSPD CSV, or its zip) in one "
        "transaction, replacing the previous lookup. A bad row loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (or the zip as downloaded).")
        parser.add_argument(
            "--only-area",
            action="store_true",
            help="Keep only the council's postcodes (COUNCIL_LOCAL_AUTHORITY_CODE, "
            f"now {settings.COUNCIL_LOCAL_AUTHORITY_CODE}).",
        )
        parser.add_argument(
            "--ward-names",
            metavar="PATH",
            help="The NSPL's ward names file (Documents/Ward names and codes UK as at ...csv), "
            "for files whose rows carry only ward codes.",
        )

    def handle(self, *args, path, only_area=False, ward_names=None, **options):
        only = settings.COUNCIL_LOCAL_AUTHORITY_CODE if only_area else ""
        started = time.monotonic()

        def progress(read: int, written: int) -> None:
            self.stdout.write(f"  {read:,} rows read, {written:,} postcodes written")

        try:
            names = read_ward_names(ward_names) if ward_names else {}
            loaded = load_postcode_lookup(
                path, only_la_code=only, ward_names=names, progress=progress
            )
        except LookupFileError as error:
            message = f"{error} Nothing was loaded; the previous lookup is kept."
            raise CommandError(message) from None
        where = f" in {only}" if only else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {loaded.rows:,} postcodes{where} from {loaded.file_name} "
                f"({loaded.source}; {loaded.rows_read:,} rows read) "
                f"in {time.monotonic() - started:.0f} seconds."
            )
        )
