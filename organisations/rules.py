"""Pure decisions about organisations: no writes, no database needed."""

from dataclasses import dataclass
from datetime import datetime


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
