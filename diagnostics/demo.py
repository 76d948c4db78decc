"""Demo data for eligibility and diagnostics, called by `seed_demo`.

Idempotent: each organisation is made once, and each step looks for what it
would create first. Everything goes through the services, so the demo's audit
trail, outbox and stored files are real. Only the "expired" organisation's
dates are moved back afterwards, as three years cannot pass in a demo.
"""

from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organisations.models import Organisation, PriorityTheme, User
from organisations.services import register_organisation

from .diagnostic_services import (
    add_recommendation,
    adjust_score,
    book_session,
    complete_diagnostic,
    save_theme,
    start_diagnostic,
    submit_self_assessment,
)
from .eligibility_services import (
    ask_for_more_information,
    attach_evidence,
    find_eligible,
    find_not_eligible,
    save_answer,
    start_application,
    submit_application,
)
from .models import Diagnostic, EligibilityApplication, EligibilityDecision, EvidenceKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (login, person, organisation name, postcode, stage)
APPLICANTS = [
    ("org5@example.org", "Lena Kowalski", "Saffron Acres Allotment Society", "LE2 6BA", "draft"),
    ("org6@example.org", "Tom Achebe", "Clarendon Park Carers Network", "LE2 3AE", "submitted"),
    ("org7@example.org", "Farah Haidari", "Westcotes Refugee Welcome", "LE3 0PT", "more_info"),
    ("org8@example.org", "Keith Morley", "New Parks Men's Shed", "LE3 9PA", "eligible"),
    ("org9@example.org", "Priya Solanki", "Evington Social Club", "LE5 6AB", "not_eligible"),
    ("org10@example.org", "Derek Hall", "Humberstone Heritage Trust", "LE5 1AB", "expired"),
]


def _organisation(person, email, person_name, name, postcode, index) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    admin = person(email, person_name)
    data = {
        "name": name,
        "legal_form": Organisation.LegalForm.CIO,
        "charity_number": f"12{index:05d}",
        "address_line_1": "1 Community Way",
        "postcode": postcode,
        "address_is_home": False,
        "contact_name": admin.full_name,
        "contact_email": email,
        "main_activities": "Activities and support for local residents.",
        "beneficiaries": "People living in the neighbourhood.",
        "income_band": Organisation.IncomeBand.UNDER_10K,
        "staff_count": 0,
        "volunteer_count": 12,
    }
    themes = PriorityTheme.objects.filter(slug="neighbours-and-communities")
    return register_organisation(user=admin, data=data, themes=themes)


def _answer_everything(application, admin, postcode, *, upto=None):
    criteria = list(application.criteria_version.criteria.all())[:upto]
    for criterion in criteria:
        value = {"postcode": postcode}.get(criterion.answer_type) or (
            "policy" if criterion.slug == "safeguarding" else "yes"
        )
        detail = "Weekly sessions open to everyone in the area." if criterion.detail_prompt else ""
        save_answer(
            application=application, criterion=criterion, value=value, detail=detail, by=admin
        )
    if upto is None:
        for kind in EvidenceKind:
            attach_evidence(
                application=application,
                kind=kind,
                upload=SimpleUploadedFile(f"{kind.value}.pdf", PDF, "application/pdf"),
                by=admin,
            )


def _application(organisation, admin, officer, postcode, stage):
    application = start_application(organisation=organisation, by=admin)
    if stage == "draft":
        _answer_everything(application, admin, postcode, upto=3)
        return
    _answer_everything(application, admin, postcode)
    submit_application(application=application, by=admin, declaration_name=admin.full_name)
    if stage == "more_info":
        ask_for_more_information(
            application=application,
            by=officer,
            message="Your accounts are from 2019. Please upload your latest accounts.",
        )
    elif stage == "not_eligible":
        find_not_eligible(
            application=application,
            by=officer,
            reasons="Your governing document shares surpluses among members, so the club is "
            "not a not-for-profit organisation.",
        )
    elif stage in ("eligible", "expired"):
        decision = find_eligible(application=application, by=officer)
        if stage == "expired":
            long_ago = timezone.now() - timedelta(days=3 * 365 + 30)
            EligibilityApplication.objects.filter(pk=application.pk).update(
                submitted_at=long_ago, decided_at=long_ago
            )
            EligibilityDecision.objects.filter(pk=decision.pk).update(
                decided_at=long_ago,
                valid_from=long_ago.date(),
                valid_until=timezone.localdate() - timedelta(days=30),
            )


def _self_assess(diagnostic, admin, scores: dict[str, int], default: int, priorities=()):
    for theme in diagnostic.questionnaire.themes.prefetch_related("statements"):
        save_theme(
            diagnostic=diagnostic,
            theme=theme,
            scores={s.pk: scores.get(s.short, default) for s in theme.statements.all()},
            is_priority=theme.slug in priorities,
            by=admin,
        )


def _completed(organisation, admin, officer, scores, default, priorities, when=None):
    diagnostic = start_diagnostic(organisation=organisation, by=admin)
    _self_assess(diagnostic, admin, scores, default, priorities)
    submit_self_assessment(diagnostic=diagnostic, by=admin)
    book_session(
        diagnostic=diagnostic,
        by=officer,
        date=timezone.localdate(),
        time=time(10, 0),
        place="Highfields Centre, 96 Melbourne Road",
        online=False,
    )
    statement = diagnostic.scores.select_related("statement").get(
        statement__short="cash-flow forecasting"
    )
    adjust_score(
        diagnostic=diagnostic,
        statement_id=statement.statement_id,
        value=1,
        note="There is no forecast beyond this month.",
        by=officer,
    )
    complete_diagnostic(
        diagnostic=diagnostic,
        by=officer,
        notes="A committed team; money and funding are the urgent gaps.",
    )
    if when is not None:
        Diagnostic.objects.filter(pk=diagnostic.pk).update(
            started_at=when,
            self_assessment_submitted_at=when,
            completed_at=when,
            session_held_on=timezone.localdate(when),
        )
    return diagnostic


def seed_diagnostics(stdout, person) -> None:
    """Organisations at every eligibility stage, and diagnostics at every stage."""
    officer = User.objects.get(email="officer@example.org")
    for index, (email, name, org_name, postcode, stage) in enumerate(APPLICANTS, start=1):
        organisation = _organisation(person, email, name, org_name, postcode, index)
        admin = User.objects.get(email=email)
        if not EligibilityApplication.objects.filter(organisation=organisation).exists():
            _application(organisation, admin, officer, postcode, stage)

    def admin_of(name):
        organisation = Organisation.objects.get(name=name)
        return organisation, organisation.memberships.filter(role="admin").first().user

    # In progress: part of the self-assessment done.
    organisation, admin = admin_of("Aylestone Meadows Friends")
    if not Diagnostic.objects.filter(organisation=organisation).exists():
        diagnostic = start_diagnostic(organisation=organisation, by=admin)
        theme = diagnostic.questionnaire.themes.prefetch_related("statements").first()
        save_theme(
            diagnostic=diagnostic,
            theme=theme,
            scores={s.pk: 2 for s in theme.statements.all()},
            is_priority=True,
            by=admin,
        )
    # Sent, with a session booked next week.
    organisation, admin = admin_of("Braunstone Youth Project")
    if not Diagnostic.objects.filter(organisation=organisation).exists():
        diagnostic = start_diagnostic(organisation=organisation, by=admin)
        _self_assess(diagnostic, admin, {"volunteer roles": 1, "bid writing": 2}, 3)
        submit_self_assessment(diagnostic=diagnostic, by=admin)
        book_session(
            diagnostic=diagnostic,
            by=officer,
            date=timezone.localdate() + timedelta(days=7),
            time=time(14, 30),
            place="https://meet.example.org/braunstone",
            online=True,
        )
    # Completed with recommendations, one added by the officer.
    organisation, admin = admin_of("Highfields Community Association")
    if not Diagnostic.objects.filter(organisation=organisation).exists():
        diagnostic = _completed(
            organisation,
            admin,
            officer,
            {"budget monitoring": 2, "full cost recovery": 1, "fundraising plan": 2},
            3,
            ("financial-management",),
        )
        from packages.models import Package

        add_recommendation(
            diagnostic=diagnostic,
            package=Package.objects.get(slug="outcomes-and-values"),
            reason="Funders are asking for evidence of impact.",
            by=officer,
        )
    # Two completed diagnostics a year apart: distance travelled.
    organisation, admin = admin_of("Belgrave Neighbourhood Centre")
    if not Diagnostic.objects.filter(organisation=organisation).exists():
        _completed(
            organisation, admin, officer, {}, 1, (), when=timezone.now() - timedelta(days=380)
        )
        _completed(organisation, admin, officer, {"bid writing": 2}, 3, ("fundraising",))

    stdout.write("\nEligibility and diagnostics:")
    for email, _, org_name, _, stage in APPLICANTS:
        stdout.write(f"  {email:<24} admin of {org_name}: application {stage.replace('_', ' ')}")
    stdout.write("  Aylestone Meadows Friends: self-assessment in progress")
    stdout.write("  Braunstone Youth Project: session booked")
    stdout.write("  Highfields Community Association: diagnostic completed, recommendations")
    stdout.write("  Belgrave Neighbourhood Centre: two diagnostics, distance travelled")
