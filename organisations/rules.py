"""Pure decisions about organisations: no writes, no database needed."""

import re
from dataclasses import dataclass
from datetime import datetime

from .validators import POSTCODE


@dataclass(frozen=True)
class Decision:
    """A yes or no with the reason, shown to the person word for word."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


# Which registration numbers each legal form must give.
REQUIRED_NUMBERS = {
    "registered_charity": ("charity_number",),
    "cio": ("charity_number",),
    "charitable_company": ("charity_number", "company_number"),
    "cic": ("company_number",),
}


def required_registration_numbers(legal_form: str) -> tuple[str, ...]:
    return REQUIRED_NUMBERS.get(legal_form, ())


def can_accept_invitation(
    *,
    invited_email: str,
    user_email: str,
    expires_at: datetime,
    now: datetime,
    accepted: bool,
    cancelled: bool,
    already_member_of: str | None,
) -> Decision:
    """Whether this person may accept this invitation now, and why not."""
    if cancelled:
        return Decision(False, "This invitation has been withdrawn. Ask for a new one.")
    if accepted:
        return Decision(False, "This invitation has already been used.")
    if now >= expires_at:
        return Decision(False, "This invitation has expired. Ask for a new one.")
    if invited_email.strip().lower() != user_email.strip().lower():
        return Decision(
            False,
            "This invitation was sent to a different email address. "
            "Sign in with the address it was sent to.",
        )
    if already_member_of:
        return Decision(
            False,
            f"You are already a member of {already_member_of}. "
            "A person can belong to one organisation.",
        )
    return ALLOWED


# --- The council's area, by postcode (the table is organisations.PostcodePrefix)


def postcode_in_area(postcode: str, table: dict[str, bool]) -> bool:
    """Whether `postcode` ("LE2 4AB") is in the area `table` describes.

    `table` maps a district ("LE2") or sector ("LE2 4") to in/out; the longest
    matching prefix wins, so a sector row overrides its district's.
    """
    parts = postcode.strip().upper().split()
    if len(parts) != 2 or not parts[1]:
        return False
    district, inward = parts
    sector = f"{district} {inward[0]}"
    if sector in table:
        return table[sector]
    return table.get(district, False)


def outside_area_note_needed(area_name: str) -> str:
    """The sentence asking an organisation outside the area why it should be registered."""
    return (
        f"Your postcode is outside {area_name}. Tell us why your organisation should be "
        f"registered here, or enter a {area_name} postcode"
    )


def registered_address_decision(
    *, postcode: str, note: str, table: dict[str, bool], area_name: str
) -> Decision:
    """Whether an organisation may be registered at `postcode`.

    Inside the area, always. Outside it only with a note saying why (an
    organisation based just over the boundary may still work mainly in the
    city); officers see the note and judge it when they decide eligibility.
    """
    if postcode_in_area(postcode, table):
        return Decision(True, f"{postcode} is in {area_name}.")
    if note.strip():
        return Decision(True, f"{postcode} is outside {area_name}; the organisation says why.")
    return Decision(False, outside_area_note_needed(area_name))


# --- What open data says about where an organisation is


def published_postcode(postcode: str, *, is_home: bool) -> str:
    """The postcode open data may give: in full ("LE2 0DS") for premises, only
    the district ("LE2", the outward code) when the address is someone's home,
    so no home can be found from the council's files.

    A home whose postcode is not a whole postcode gives nothing rather than
    risk publishing more than the district.
    """
    compact = re.sub(r"\s+", "", postcode or "").upper()
    match = POSTCODE.match(compact)
    if not is_home:
        return f"{match.group(1)} {match.group(2)}" if match else " ".join((postcode or "").split())
    return match.group(1) if match else ""
