"""Formats of UK registration numbers and postcodes, as pure functions.

Each `normalise_*` returns the canonical form or raises ValidationError with a
message in the GOV.UK style, so forms, admin and imports share one rule.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Charity Commission for England and Wales: 6 or 7 digits, optionally with a
# linked-charity suffix (-1). OSCR (Scotland): SC + 6 digits. Charity
# Commission for Northern Ireland: NIC + 6 digits (older XN/XR HMRC numbers too).
CHARITY_NUMBER = re.compile(r"^(?:\d{6,7}(?:-\d{1,2})?|SC\d{6}|NIC\d{6}|X[NR]\d{5})$", re.ASCII)
# Companies House: 8 characters, either 8 digits or a 2-letter prefix (SC, NI,
# OC, SO, NC, R0 ...) and 6 digits. Short numeric forms are padded with zeros.
COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})$", re.ASCII)
# UK postcode, outward and inward parts (BS 7666 shape).
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$", re.ASCII)
# Part of one, as an officer searching might type it: the outward code (a
# district, "LE2"), or that and the inward code's first digit (a sector, "LE2 1").
DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$", re.ASCII)
SECTOR = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d$", re.ASCII)


def compact_input(value: str) -> str:
    """What was typed, without spaces, in capitals."""
    return re.sub(r"\s+", "", value or "").upper()


def plain_text(value: str) -> str:
    """Typed text with full-width characters read as their plain forms and invisible ones
    pasted with it (zero-width spaces, joiners, byte-order marks) dropped. Not applied to
    registration numbers, whose validators refuse anything but plain digits."""
    plain = unicodedata.normalize("NFKC", value or "")
    return "".join(c for c in plain if unicodedata.category(c) != "Cf")


def normalise_charity_number(value: str) -> str:
    compact = compact_input(value)
    if not CHARITY_NUMBER.match(compact):
        raise ValidationError(
            "Enter a charity number in the correct format, like 1234567 or SC012345",
            code="charity_number_format",
        )
    return compact


def normalise_company_number(value: str) -> str:
    compact = compact_input(value)
    if compact.isdigit() and len(compact) < 8:
        compact = compact.zfill(8)
    if not COMPANY_NUMBER.match(compact):
        raise ValidationError(
            "Enter a company number in the correct format, like 01234567 or SC123456",
            code="company_number_format",
        )
    return compact


def normalise_postcode(value: str) -> str:
    compact = compact_input(value)
    match = POSTCODE.match(compact)
    if not match:
        raise ValidationError("Enter a real postcode, like LE1 6ZG", code="postcode_format")
    return f"{match.group(1)} {match.group(2)}"


def postcode_district(postcode: str) -> str:
    """The outward code (LE1 from LE1 6ZG), used for ward and area reporting."""
    return postcode.split(" ")[0] if postcode else ""
