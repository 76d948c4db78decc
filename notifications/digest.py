"""A daily digest: one email per person listing what is waiting, in sections.

Each app that has something waiting writes a function `(today) -> DigestSection`
(eligibility applications in diagnostics; claims, later, in the app that holds
them). The wiring layer (vcs_support.officer_digest) lists those functions and
sends the digest, so no app has to import another to be in it.
"""

from dataclasses import dataclass

# Lines listed per section; the rest are counted and linked to.
MOST_LINES = 50


@dataclass(frozen=True)
class DigestLine:
    text: str
    link: str


@dataclass(frozen=True)
class DigestSection:
    title: str  # "Eligibility applications waiting more than 10 working days"
    total: int  # how many are waiting, of which `lines` lists the oldest
    lines: tuple[DigestLine, ...]
    link: str  # the page listing them all

    @property
    def more(self) -> int:
        return self.total - len(self.lines)
