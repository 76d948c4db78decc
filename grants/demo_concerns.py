"""Demo data: concerns about the demo's representative, one in each stage of the process.

Called by `seed_demo` with the accepted award (Highfields, Indian community, in
"Representation grants 2025") and the demo officer. Everything goes through the
services (raised, confirmed from the link's token, answered, decided), so the
audit trail and the emails are real. Idempotent: a representative that already
has confirmed concerns is left alone.
"""

from organisations.models import Membership

from . import concern_services as services
from .models import Concern

# (name, email, what happened, the representative's response or "", the outcome or "")
CONCERNS = [
    (
        "Meera Joshi",
        "meera.joshi@example.org",
        "At the council's engagement meeting in March the organisation said the community "
        "supports closing the library on Belgrave Road. Nobody asked us: our residents' "
        "group was not invited to its consultation.",
        "Our consultation was an online survey and a meeting at our centre. We did not reach "
        "the residents' groups on Belgrave Road; we will write to them and hold a meeting there.",
        "advice",
    ),
    (
        "",
        "resident.highfields@example.org",
        "The newsletter the organisation promised every quarter has not come out since it "
        "got the grant, so we do not know what it has said to the council for us.",
        "The first newsletter was delayed by a change of editor. It went out this week, online "
        "and on paper at the three community centres, and the next is planned for July.",
        "",
    ),
    (
        "Arjun Mistry",
        "arjun.mistry@example.org",
        "The organisation's meetings are held only on weekday mornings, so those of us who work "
        "cannot take part or be represented.",
        "",
        "",
    ),
]

ADVICE = (
    "The council has advised the organisation to invite every residents' group it represents "
    "to its consultations, and to say in its reports who took part."
)


def seed(decision, officer) -> str:
    """One concern closed with advice, one waiting for the council's review (with the
    representative's response), one waiting for the response. Returns a line for the log."""
    if Concern.objects.filter(representative=decision).exclude(status="unconfirmed").exists():
        return "Concerns: already seeded"
    admin = Membership.objects.admin_users(decision.application.organisation)[0]
    references = []
    for n, (name, email, what_happened, response, outcome) in enumerate(CONCERNS):
        _, token = services.raise_concern(
            representative=decision,
            what_happened=what_happened,
            name=name,
            email=email,
            ip_address=f"192.0.2.{n + 1}",
        )
        concern = services.confirm_concern(token=token)
        if response:
            concern = services.respond_to_concern(concern=concern, by=admin, response=response)
        if outcome:
            concern = services.decide_concern(
                concern=concern, by=officer, outcome=outcome, reasons=ADVICE
            )
        references.append(f"{concern.reference} {concern.get_status_display().lower()}")
    return "Concerns: " + "; ".join(references)
