"""Where an award is, and when it last changed, as the open-data files say it.

Locations come from the recipient's registered postcode: through the ONS
postcode lookup (organisations.geography, loaded by `load_postcode_lookup`)
to its ward, or, without the lookup or for a postcode it does not hold, to the
council's own local authority (COUNCIL_LOCAL_AUTHORITY_CODE). An address that
is someone's home is never placed closer than the local authority, and its
postcode is published as the district only (organisations.rules.published_postcode).
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

# The 360Giving geoCodeType codelist, by the ONS entity code's first three characters.
GEO_CODE_TYPES = {
    "E05": "WD",  # electoral wards/divisions
    "W05": "WD",
    "S13": "WD",
    "E06": "UA",  # unitary authorities (Leicester is E06000016)
    "W06": "UA",
    "E07": "NMD",  # non-metropolitan districts
    "E08": "MD",  # metropolitan districts
    "E09": "LONB",  # London boroughs
    "S12": "CA",  # council areas
}


def geo_code_type(code: str) -> str:
    """The 360Giving geoCodeType of an ONS code ("E05010495" → "WD"); "" when unknown."""
    return GEO_CODE_TYPES.get((code or "")[:3].upper(), "")


@dataclass(frozen=True)
class Place:
    code: str
    code_type: str
    name: str

    def as_json(self) -> dict:
        out = {"name": self.name, "countryCode": "GB"}
        if self.code:
            out.update(geoCode=self.code, geoCodeType=self.code_type)
        return out


def council_place() -> Place:
    code = settings.COUNCIL_LOCAL_AUTHORITY_CODE
    return Place(code, geo_code_type(code), settings.COUNCIL_AREA_NAME)


def places(row: dict, geocodes: dict) -> dict:
    """The recipient's and the beneficiaries' location for one row of `awards()`.

    Both are the recipient's ward where the lookup has its postcode and the
    address is not a home; otherwise the council's area (a home is never
    placed by its ward: a ward and a first-half postcode together narrow a
    home down more than either alone).
    """
    council = council_place()
    found = geocodes.get(_normalised(row["organisation__postcode"]))
    if row["organisation__address_is_home"] or found is None or not found.ward_code:
        place = council
    else:
        name = found.ward_name or row["organisation__postcode_district"]
        place = Place(found.ward_code, geo_code_type(found.ward_code), name)
    return {"recipient_location": place, "beneficiary_location": place}


def _normalised(postcode: str) -> str:
    compact = "".join((postcode or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def last_modified(row: dict) -> datetime:
    """The newest change to the grant's own data: its agreement, money moved on it,
    a provider's acceptance (the planned dates), delivery starting, and the
    recipient's and the package's own records."""
    moments = [
        row["agreed_at"],
        row.get("last_entry"),
        row.get("accepted_at"),
        row["organisation__updated_at"],
        row["package__updated_at"],
    ]
    if row.get("delivery_started_on"):
        moments.append(_midnight(row["delivery_started_on"]))
    return timezone.localtime(max(m for m in moments if m is not None))


def data_source() -> str:
    """The public open-data page, where the files are published: 360Giving's dataSource."""
    return settings.SITE_URL.rstrip("/") + reverse("open_data:public")
