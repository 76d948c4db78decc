"""Demo data for section B, called by `seed_demo`: communities, an open round and a draft,
and applications to the open round: a draft, one sent, and a consortium waiting for a
member to confirm.

Idempotent: each step looks for what it would create first. Everything goes
through the services, so the demo's audit trail is real. The population
figures are demo figures in the shape of the 2011 census's, not the
council's own: a real service enters its own, with their source.
"""

from datetime import time, timedelta

from django.utils import timezone

from allowances.models import BudgetStrand
from allowances.rules import financial_year_of
from organisations.models import User
from packages.models import Strand

from . import application_services, services
from .demo_rounds import fill, round_data
from .models import Application, CommunityOfInterest, GrantRound
from .rules import add_months, london_datetime

DEMO_SOURCE = "2011 census (demo figure)"

COMMUNITIES = [
    ("religion_or_belief", "Hindu community", 50_087, DEMO_SOURCE),
    ("religion_or_belief", "Muslim community", 61_440, DEMO_SOURCE),
    ("religion_or_belief", "Sikh community", 14_457, DEMO_SOURCE),
    ("religion_or_belief", "Jewish community", 295, DEMO_SOURCE),
    ("race", "Black African community", 12_480, DEMO_SOURCE),
    ("race", "Indian community", 93_335, DEMO_SOURCE),
    ("gender_reassignment", "Trans community", None, ""),
    ("sexual_orientation", "Lesbian, gay and bisexual community", None, ""),
]

CLOSED_ROUND = "Representation grants 2025"
OPEN_ROUND = "Representation grants 2026"
DRAFT_ROUND = "Representation grants 2027"
OPEN_TO = ["Hindu community", "Muslim community", "Sikh community", "Black African community"]


def seed_grants(stdout, person) -> None:
    """`person(email, name)` is seed_demo's get-or-create for a demo login (unused here)."""
    manager = User.objects.get(email="manager@example.org")
    today = timezone.localdate()
    for characteristic, name, population, source in COMMUNITIES:
        if not CommunityOfInterest.objects.filter(name=name).exists():
            services.add_community(
                by=manager,
                data={
                    "characteristic": characteristic,
                    "name": name,
                    "description": "",
                    "population": population,
                    "population_source": source,
                },
            )
    strand = BudgetStrand.objects.get(
        budget_year__start_year=financial_year_of(today), kind=Strand.COMMUNITY_COHESION
    )
    if not GrantRound.objects.filter(name=OPEN_ROUND).exists():
        data = round_data(
            OPEN_ROUND,
            strand,
            opens_on=today - timedelta(days=3),
            weeks_open=6,
            total="60000",
            each="12000",
        )
        grant_round = services.create_round(by=manager, data=data)
        services.set_round_communities(
            grant_round=grant_round,
            by=manager,
            communities=CommunityOfInterest.objects.filter(name__in=OPEN_TO),
        )
        services.publish_round(grant_round=grant_round, by=manager)
    if not GrantRound.objects.filter(name=DRAFT_ROUND).exists():
        data = round_data(
            DRAFT_ROUND,
            strand,
            opens_on=add_months(today, 10),
            weeks_open=8,
            total="48000",
            each="12000",
        )
        draft = services.create_round(by=manager, data=data)
        services.set_round_communities(
            grant_round=draft,
            by=manager,
            communities=CommunityOfInterest.objects.filter(
                name__in=["Trans community", "Lesbian, gay and bisexual community"]
            ),
        )
    seed_applications(GrantRound.objects.get(name=OPEN_ROUND))
    seed_assessed_round(strand, manager, today)
    accountability = seed_accountability(GrantRound.objects.get(name=CLOSED_ROUND))
    accountability += seed_voices(strand, manager, today)
    stdout.write(
        "\nSection B grants (manager: Manager → Grant rounds; public: /representation-grants/):"
    )
    for grant_round in GrantRound.objects.filter(name__in=[CLOSED_ROUND, OPEN_ROUND, DRAFT_ROUND]):
        stdout.write(f"  {grant_round.name}: {grant_round.phase_words.lower()}")
    stdout.write(
        "  Applications: Highfields a draft (Hindu community), Braunstone sent (Muslim "
        "community), Aylestone leading a consortium for the Sikh community that waits for "
        "Highfields to confirm (org@example.org: Grant applications)"
    )
    stdout.write(
        f"  {CLOSED_ROUND}: closed and being assessed (officer@example.org: Grant applications "
        "to assess). Indian community: both applications scored, a disagreement of 3 "
        "moderated, the award offered to Highfields and accepted (committed on the ledger). "
        "Black African community: the officer "
        "declared a conflict; the manager has scored it; moderation waits"
    )
    for line in accountability:
        stdout.write(f"  {line}")


# (lead's admin, community, what happens): the open round's applications.
APPLICATIONS = [
    ("org@example.org", "Hindu community", "draft"),
    ("org2@example.org", "Muslim community", "sent"),
    ("org3@example.org", "Sikh community", "consortium"),
]


def seed_applications(grant_round) -> None:
    """Idempotent: an organisation that has applied for its community is left as it is."""
    if not grant_round.is_open:
        return
    for email, community, state in APPLICATIONS:
        admin = User.objects.get(email=email)
        organisation = admin.membership.organisation
        entry = grant_round.round_communities.get(community__name=community)
        if Application.objects.filter(organisation=organisation, round_community=entry).exists():
            continue
        application = application_services.start_application(
            grant_round=grant_round, organisation=organisation, by=admin, round_community=entry
        )
        if state == "draft":
            fill(application, admin, answers=4)
            continue
        fill(application, admin)
        if state == "sent":
            application_services.submit_application(
                application=application, by=admin, declaration_name=admin.full_name or "Demo"
            )
        else:  # a consortium waiting for Highfields to confirm
            application_services.add_member(
                application=application,
                organisation=User.objects.get(email="org@example.org").membership.organisation,
                by=admin,
            )


# --------------------------------------------------------------- a round being assessed


def seed_accountability(grant_round) -> list[str]:
    """The accepted award monitored (a report paid, one sent), concerns at each step, the
    unsuccessful applicant's appeal and a meeting of representatives. Lines for the log."""
    from . import demo_appeals, demo_concerns, demo_monitoring
    from .assessment_models import CommunityDecision, DecisionOutcome

    officer = User.objects.get(email="officer@example.org")
    decision = CommunityDecision.objects.select_related(
        "award", "application__organisation", "round_community__round"
    ).get(round_community__round=grant_round, outcome=DecisionOutcome.ACCEPTED)
    return [
        demo_monitoring.seed(decision, officer),
        demo_concerns.seed(decision, officer),
        *demo_appeals.seed(grant_round, officer=officer),
    ]


def seed_voices(strand, manager, today) -> list[str]:
    """The community's voice: a round whose community is backing one of two applicants, and
    the representative's closed yearly verdict (grants/demo_voices.py). Lines for the log."""
    from . import demo_voices
    from .assessment_models import CommunityDecision, DecisionOutcome

    decision = CommunityDecision.objects.select_related(
        "application__organisation", "round_community__round"
    ).get(round_community__round__name=CLOSED_ROUND, outcome=DecisionOutcome.ACCEPTED)
    return demo_voices.seed(
        manager=manager,
        officer=User.objects.get(email="officer@example.org"),
        strand=strand,
        today=today,
        decision=decision,
    )


# (lead's admin, community): the closed round's applications, all sent.
CLOSED_APPLICATIONS = [
    ("org@example.org", "Indian community"),
    ("org2@example.org", "Indian community"),
    ("org3@example.org", "Black African community"),
]


def seed_assessed_round(strand, manager, today) -> None:
    """A round that has closed: applications sent, a panel, scores with a conflict and a
    disagreement, one community moderated and its award offered, one waiting.

    Made through the services while open; then its dates are moved into the
    past, the one step not taken by a service (a demo cannot wait six weeks).
    """
    from . import assessment_services as assessing
    from . import decision_services, offer_services

    if GrantRound.objects.filter(name=CLOSED_ROUND).exists():
        return
    data = round_data(
        CLOSED_ROUND,
        strand,
        opens_on=today - timedelta(days=1),
        weeks_open=6,
        total="48000",
        each="12000",
    )
    grant_round = services.create_round(by=manager, data=data)
    services.set_round_communities(
        grant_round=grant_round,
        by=manager,
        communities=CommunityOfInterest.objects.filter(
            name__in=["Indian community", "Black African community"]
        ),
    )
    grant_round = services.publish_round(grant_round=grant_round, by=manager)
    sent = {}
    for email, community in CLOSED_APPLICATIONS:
        admin = User.objects.get(email=email)
        application = application_services.start_application(
            grant_round=grant_round,
            organisation=admin.membership.organisation,
            by=admin,
            round_community=grant_round.round_communities.get(community__name=community),
        )
        fill(application, admin)
        application_services.submit_application(
            application=application, by=admin, declaration_name=admin.full_name or "Demo"
        )
        sent[email] = application
    # Its grant period began seven months ago (quarterly: two periods have ended, so the
    # accepted award has a report paid and one sent, demo_monitoring), and it closed a
    # month before that.
    period_starts = add_months(today.replace(day=1), -7)
    closes = london_datetime(period_starts - timedelta(days=30), time(17))
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=closes - timedelta(weeks=6),
        closes_at=closes,
        period_starts_on=period_starts,
        period_ends_on=add_months(period_starts, 12) - timedelta(days=1),
    )
    grant_round.refresh_from_db()

    officer = User.objects.get(email="officer@example.org")
    for person in (officer, manager):
        assessing.add_to_panel(grant_round=grant_round, assessor=person, by=manager)
    criteria = assessing.panel_criteria(grant_round)
    support = next(c for c in criteria if c.title.startswith("Support of the majority"))

    def score(application, assessor, *, mark=3, odd=None):
        """Every criterion at `mark` (must-haves met), but `odd` = (criterion, mark)."""
        assessment = assessing.declare_interest(
            application=application, by=assessor, has_conflict=False
        )
        values = {}
        for c in criteria:
            given = mark if c.kind == "scored" else 1
            if odd and odd[0] == c:
                given = odd[1]
            values[c.pk] = (str(given), "Clear evidence, in line with the guidance.")
        assessing.save_marks(assessment=assessment, values=values, by=assessor, send=True)

    highfields, braunstone = sent["org@example.org"], sent["org2@example.org"]
    score(highfields, officer, mark=3)
    score(highfields, manager, mark=3, odd=(support, 4))
    score(braunstone, officer, mark=2, odd=(support, 4))
    score(braunstone, manager, mark=2, odd=(support, 1))
    for application in (highfields, braunstone):
        values = {}
        for c in criteria:
            if c.kind != "scored":
                values[c.pk] = ("1", "")
            elif c == support:
                values[c.pk] = (
                    "3" if application == highfields else "2",
                    "Letters from the community's groups carry more weight than a petition.",
                )
            else:
                values[c.pk] = ("3" if application == highfields else "2", "")
        assessing.moderate(application=application, values=values, by=manager)
    indian = grant_round.round_communities.get(community__name="Indian community")
    offer = decision_services.offer_award(
        round_community=indian,
        application=highfields,
        reasons="Ranked first on the moderated scores, and meets every must-have.",
        by=manager,
    )
    admin = User.objects.get(email="org@example.org")
    offer_services.accept_offer(
        decision=offer, by=admin, declaration_name=admin.full_name or "Demo administrator"
    )
    aylestone = sent["org3@example.org"]
    assessing.declare_interest(
        application=aylestone,
        by=officer,
        has_conflict=True,
        details="I volunteer at Aylestone Meadows Friends' Saturday sessions.",
    )
    score(aylestone, manager, mark=3)
