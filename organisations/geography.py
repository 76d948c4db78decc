"""Where a postcode is: the ONS postcode lookup, and what the open data reads from it.

The council downloads the National Statistics Postcode Lookup (NSPL) or the ONS
Postcode Directory (ONSPD) and loads it with `manage.py load_postcode_lookup`
(ons_lookup.py). Each postcode gets its local-authority and ward codes, the
geocodes 360Giving asks for on a grant's locations. Without a lookup loaded the
open data falls back to the council's own code (COUNCIL_LOCAL_AUTHORITY_CODE).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from .validators import normalise_postcode

# An ONS (GSS) code: the country's letter and 8 digits (E06000016, E05010495).
# L and M are the ONS pseudo-codes the lookups give the Channel Islands
# (L99999999) and the Isle of Man (M99999999), which are in every full file.
GSS_CODE = r"^[ENSWLM]\d{8}$"


class PostcodeLookup(models.Model):
    """One postcode of the ONS lookup. Replaced whole by each load, never edited."""

    postcode = models.CharField(max_length=8, unique=True, help_text="As organisations store it.")
    la_code = models.CharField("local-authority code", max_length=9)
    ward_code = models.CharField("ward code", max_length=9)
    ward_name = models.CharField(max_length=100, blank=True)
    # The NSPL keeps postcodes Royal Mail no longer uses (`doterm` filled in):
    # an organisation registered years ago may still give one, and its ward
    # is still where it was.
    terminated = models.BooleanField(default=False)

    class Meta:
        ordering = ["postcode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(la_code__regex=GSS_CODE) & models.Q(ward_code__regex=GSS_CODE),
                name="postcode_lookup_codes_shape",
            )
        ]

    def __str__(self):
        return f"{self.postcode}: {self.ward_code} in {self.la_code}"


class PostcodeLookupFile(models.Model):
    """The file the lookup was last loaded from: one row, replaced by each load."""

    file_name = models.CharField(max_length=255)
    source = models.CharField(max_length=100, help_text="NSPL or ONSPD, and the columns read.")
    rows = models.PositiveIntegerField(help_text="Postcodes loaded.")
    rows_read = models.PositiveIntegerField(help_text="Rows in the file.")
    only_la_code = models.CharField(
        max_length=9, blank=True, help_text="Only this local authority's postcodes were kept."
    )
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.source}, {self.rows} postcodes)"


@dataclass(frozen=True)
class Geocode:
    """Where a postcode is, by ONS code: its local authority and its ward."""

    la_code: str
    ward_code: str
    ward_name: str = ""


def geocodes_for(postcodes: Iterable[str]) -> dict[str, Geocode]:
    """The geocode of each postcode the lookup knows, keyed by the normalised
    postcode ("LE2 0DS"), in one query (none for no postcodes).

    Postcodes that are not real postcodes, or that the lookup does not hold,
    are simply absent: the caller decides the fallback.
    """
    wanted = set()
    for postcode in postcodes:
        try:
            wanted.add(normalise_postcode(postcode))
        except ValidationError:
            continue
    if not wanted:
        return {}
    rows = PostcodeLookup.objects.filter(postcode__in=wanted).values_list(
        "postcode", "la_code", "ward_code", "ward_name"
    )
    return {postcode: Geocode(la, ward, name) for postcode, la, ward, name in rows}


def lookup_loaded() -> bool:
    """Whether any postcode lookup is loaded (one query)."""
    return PostcodeLookup.objects.exists()


def current_lookup() -> PostcodeLookupFile | None:
    """The file the lookup in use came from, for the open-data page to name (one query)."""
    return PostcodeLookupFile.objects.order_by("-loaded_at").first()
