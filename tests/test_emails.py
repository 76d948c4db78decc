"""Every email the service can send reads as the council's, named from settings.

The templates are found by walking the template directories, so a new email
is checked without anyone adding it here: the service's own in `emails/`,
allauth's rewritten ones in `account/email/` and `mfa/email/`. Each is
rendered the way it is sent (notifications.emails.render_email, or the
account adapter), with a realistic context, in both branches of its
conditions. A variable missing from the context shows as "{{ MISSING name }}",
so an unfilled name cannot pass as an empty string.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import allauth
import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.template import engines
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from allowances.budget_report import Week
from allowances.models import AgreedPackage
from delivery.models import Claim, Dispute, ProviderRequest, Rating
from diagnostics.models import Diagnostic, EligibilityApplication
from grants.accountability_models import MonitoringReport
from grants.models import (
    Appeal,
    Application,
    CommunityDecision,
    CommunityOfInterest,
    ConsortiumMember,
    GrantRound,
    RoundCommunity,
)
from notifications.digest import DigestLine, DigestSection
from notifications.emails import render_email
from notifications.models import Notification
from organisations.adapters import AccountAdapter
from organisations.models import Invitation, Organisation, User
from packages.models import Package
from providers.models import Provider
from volunteering.models import CentreReport

SITE_URL = "https://vcs-support.example.gov.uk"
TEMPLATE_ROOT = Path(settings.BASE_DIR) / "templates"
# allauth's apps that send email, as installed here.
ALLAUTH_EMAIL_APPS = [a for a in ("account", "mfa") if apps.is_installed(f"allauth.{a}")]

HOSTS = re.compile(r"127\.0\.0\.1|localhost|testserver|example\.com", re.IGNORECASE)
# "Hello from !", "Dear ,", "(  )", "the  account": a name that came out empty.
EMPTY_NAME = re.compile(r"\s[,.!?:;]|\(\s*\)|\S {2,}\S")
LEFT_IN = re.compile(r"{{|}}|{%|%}|\bNone\b")
# An apostrophe or ampersand HTML-escaped in plain text: "St Mary&#x27;s".
ESCAPED = re.compile(r"&(amp|quot|lt|gt|#x?[0-9a-f]+);", re.IGNORECASE)
CALENDAR = {*(f"{date(2026, m, 1):%B}" for m in range(1, 13)), "Monday", "Tuesday"}


def at(path: str) -> str:
    return f"{SITE_URL}{path}"


amina = User(pk=7, email="amina.okafor@example.org", full_name="Amina Okafor")
officer = User(pk=8, email="dev.patel@leicester.example.org", full_name="Dev Patel")
nameless = User(pk=9, email="treasurer@stmarys.example.org", full_name="")
organisation = Organisation(
    pk=3, name="St Mary's Community & Youth Hub", contact_name="Grace O'Neill"
)
package = Package(pk=2, name="Governance health check")
provider = Provider(pk=5, name="Fosse Consulting & Training")
agreed = AgreedPackage(
    pk=11,
    organisation=organisation,
    package=package,
    value=Decimal("2500.00"),
    agreed_on=date(2026, 5, 14),
    ended_reason="No provider was chosen within 8 weeks.",
)
request = ProviderRequest(
    pk=21,
    agreed_package=agreed,
    provider=provider,
    message="We would like to start in June, on weekday evenings.",
    status="accepted",
    decline_reason="We have no one free before the autumn.",
    planned_start=date(2026, 6, 1),
    planned_end=date(2026, 7, 31),
    outcome_summary="Trustees reviewed the governing document and agreed a skills audit.",
)
override_request = SimpleNamespace(
    reference="VCS-OVR-000004",
    status="agreed",
    requested_by=officer,
    decided_by=officer,
    reason="The organisation lost its funding and needs this now.",
    decision_reason="Agreed: the need is urgent and the budget has room.",
    refusals="Highfields has used its 2 packages this financial year.",
)
week = Week(monday=date(2026, 6, 1))
grant_round = GrantRound(
    pk=4,
    name="Representation grants 2026",
    opens_at=timezone.make_aware(datetime(2026, 5, 1, 9, 0)),
    closes_at=timezone.make_aware(datetime(2026, 6, 12, 17, 0)),
    period_starts_on=date(2026, 10, 1),
    period_ends_on=date(2027, 9, 30),
    payment_schedule="quarterly",
)
lead = Organisation(pk=12, name="Leicester Sikh Alliance")
grant_application = Application(
    pk=31,
    round=grant_round,
    organisation=lead,
    round_community=RoundCommunity(
        pk=5,
        round=grant_round,
        community=CommunityOfInterest(
            pk=2, name="Sikh community", characteristic="religion_or_belief"
        ),
    ),
    status="submitted",
    submitted_by=amina,
    submitted_at=timezone.make_aware(datetime(2026, 6, 10, 15, 30)),
)
consortium_member = ConsortiumMember(
    application=grant_application, organisation=organisation, status="confirmed"
)

# One realistic world, by the names the senders use.
CONTEXT = {
    "recipient": amina,
    "waiting": False,
    "officer": officer,
    "invited_by": officer,
    "organisation": organisation,
    "package": package,
    "provider": provider,
    "agreed": agreed,
    "request": request,
    "claim": Claim(
        pk=42,
        request=request,
        amount=Decimal("2500.00"),
        amount_paid=Decimal("2400.00"),
        decision_reason="One session was cancelled and not made up.",
    ),
    "dispute": Dispute(
        request=request,
        reason="Only two of the four sessions took place.",
        outcome="back_to_delivery",
        resolution="The provider will hold the two missing sessions in July.",
    ),
    "rating": Rating(request=request, score=4, comment="Clear and patient with our trustees."),
    "diagnostic": Diagnostic(
        organisation=organisation,
        session_date=date(2026, 6, 9),
        session_time=time(14, 30),
        session_place="Highfields Centre, 96 Melbourne Road",
        session_online=False,
    ),
    "application": EligibilityApplication(
        organisation=organisation,
        submitted_by=amina,
        submitted_at=timezone.make_aware(datetime(2026, 4, 20, 10, 15)),
    ),
    "invitation": Invitation(
        email="new.colleague@example.org",
        expires_at=timezone.make_aware(datetime(2026, 6, 15, 9, 0)),
    ),
    "override_request": override_request,
    "grant_application": grant_application,
    "appeal": Appeal(
        application=grant_application,
        grounds="The panel did not read our letters of support.",
        lodged_at=timezone.make_aware(datetime(2026, 10, 5, 11, 0)),
        outcome="upheld",
        outcome_reasons="The letters of support were sent in time and were not considered.",
    ),
    "lead": lead,
    "member": consortium_member,
    "members": [consortium_member],
    "url": at("/invitations/abc123/"),
    "link": at("/packages/11/"),
    "change_password": at("/accounts/password/change/"),
    "reset_password": at("/accounts/password/reset/"),
    "last_day": "12 June 2026",
    "agreed_on": "14 May 2026",
    "requested_on": "1 June 2026",
    "delivered_on": "31 July 2026",
    "session_date": "9 June 2026",
    "valid_until": "19 April 2029",
    "lapses_on": "30 June 2026",
    "days_left": 3,
    "count": 3,
    "total": 2,
    "limit": 5,
    "minutes": 15,
    "when": timezone.make_aware(datetime(2026, 6, 2, 21, 4)),
    "period": "10 working days",
    "why": "6 months from agreement",
    "insurance": "public liability insurance",
    "message": "Please send your latest accounts, signed by two trustees.",
    "reason": "The organisation has closed.",
    "reasons": "Your governing document does not say the organisation is not for profit.",
    "resubmitted": False,
    "is_tomorrow": True,
    "strand_name": "VCS support packages",
    "year_label": "2026/27",
    "threshold": 75,
    "percent": 76,
    "amount": "£300,000.00",
    "committed": "£180,000.00",
    "spent": "£48,000.00",
    "available": "£72,000.00",
    "day": "Tuesday 2 June 2026",
    "sections": [
        DigestSection(
            title="Eligibility applications waiting more than 10 working days",
            total=3,
            lines=(
                DigestLine(
                    text="St Mary's Community & Youth Hub, sent 2 May 2026",
                    link=at("/officer/eligibility/4/"),
                ),
            ),
            link=at("/officer/eligibility/"),
        )
    ],
    "week": week,
    "strands": [
        {
            "name": "VCS support packages 2026/27",
            "total": "£300,000.00",
            "committed": "£180,000.00",
            "spent": "£48,000.00",
            "available": "£72,000.00",
            "percent": 76,
        }
    ],
    "cancelled": [agreed],
    "expired": [agreed],
    "spends": [SimpleNamespace(agreed_package=agreed, amount=Decimal("2400.00"))],
}
# The other branch of each email's conditions.
OTHER_BRANCH = {
    "recipient": nameless,
    "appeal": Appeal(
        application=grant_application,
        grounds="The panel did not read our letters of support.",
        lodged_at=timezone.make_aware(datetime(2026, 10, 5, 11, 0)),
        outcome="not_upheld",
        outcome_reasons="The panel read every letter; the scores reflect them.",
    ),
    "resubmitted": True,
    "is_tomorrow": False,
    "request": ProviderRequest(
        agreed_package=agreed,
        provider=provider,
        message="",
        status="declined",
        decline_reason="We have no one free before the autumn.",
        planned_start=date(2026, 9, 7),
        planned_end=date(2026, 10, 30),
    ),
    "rating": Rating(request=request, score=2, comment=""),
    "dispute": Dispute(request=request, reason="Nothing was delivered.", outcome="confirmed"),
    "diagnostic": Diagnostic(
        organisation=organisation, session_time=time(10, 0), session_online=True
    ),
    "override_request": SimpleNamespace(**{**vars(override_request), "status": "refused"}),
    "member": ConsortiumMember(
        application=grant_application,
        organisation=organisation,
        status="declined",
        decline_reason="Our trustees have not agreed to it.",
    ),
    "members": [],
    "message": "",
    "sections": [],
    "cancelled": [],
    "waiting": True,
}
# Where one name means something else in one email, or only one email has it.
OPPORTUNITY_TITLE = "Befriender for older people"
EVENT_TITLE = "Recruiting and keeping volunteers"

PER_EMAIL = {
    "budget_report": {"agreed": [agreed]},
    "grant_offer": {"decision": CommunityDecision(amount=Decimal("12000.00"))},
    # Monitoring a representation grant (grants.monitoring_services).
    **{
        f"grant_report_{kind}": {
            "grant_report": MonitoringReport(
                period=2,
                amount=Decimal("3000.00"),
                status="more_needed" if kind == "missed" else "due",
                more_needed="Say how many of the 120 people reached were new to you.",
            ),
            "community": "Sikh community",
            "due_on": "15 January 2027",
            "period_starts": "1 October 2026",
            "period_ends": "31 December 2026",
            "note": "Instalment 2 of 4 for VCS-GRA-000031",
        }
        for kind in ("accepted", "more_needed", "reminder", "missed")
    },
    # The volunteer centre's reports on its funding (volunteering.agreement_services).
    **{
        f"centre_report_{kind}": {
            "centre_report": CentreReport(
                period=2,
                amount=Decimal("15000.00"),
                status="more_needed" if kind == "missed" else "due",
                more_needed="Say how many of the new volunteers were under 25.",
            ),
            "provider": "Leicester Volunteer Centre",
            "reference": "VCS-VCA-0007-20260501",
            "due_on": "14 November 2026",
            "period_starts": "1 August 2026",
            "period_ends": "31 October 2026",
            "note": "Instalment 2 of 4 for VCS-VCA-0007-20260501",
        }
        for kind in ("accepted", "more_needed", "reminder", "missed")
    },
    "centre_agreement_ended": {
        "provider": "Leicester Volunteer Centre",
        "reference": "VCS-VCA-0007-20260501",
        "reason": "The centre has closed; its work moves to the new partnership.",
    },
    # Concerns about a representative (grants.concern_services): the person who raised it
    # and the representative's administrators (`organisation` is the representative).
    **{
        f"grant_concern_{kind}": {
            "community_name": "Sikh community",
            "reference": "VCS-CON-000123",
            "outcome": "Advice given to the representative",
            "responded": kind == "outcome",
        }
        for kind in ("confirm", "acknowledged", "to_respond", "reminder", "missed", "outcome")
    },
    # The review the yearly verdict opens (grants.concern_services.open_review).
    "grant_concern_review": {
        "community_name": "Sikh community",
        "reference": "VCS-CON-000124",
        "last_day": "12 June 2026",
        "link": "https://example.org/grant-concerns/124/respond/",
    },
    # A voice set aside by the moderator (grants.voice_moderation_services).
    "grant_voice_set_aside": {
        "community_name": "Sikh community",
        "is_backing": True,
        "reason": "One of 40 responses sent from one network within ten minutes.",
    },
    # The link that confirms a voice (grants.voice_services.send_voice); the verdict's
    # wording is checked in tests/grants/test_voice_services.py.
    "grant_voice_confirm": {
        "community_name": "Sikh community",
        "is_backing": True,
        "representative_name": organisation.name,
        "hours": 2,
        "url": "https://vcs-support.example.gov.uk/representation-grants/have-your-say/confirm/abc/",
    },
    # A broker's decision on a volunteering opportunity (volunteering.services).
    "opportunity_published": {"opportunity_title": OPPORTUNITY_TITLE},
    "opportunity_sent_back": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "reason": "Say which days of the week the volunteer is needed.",
    },
    # Volunteers' interest and its answer, and their data (volunteering.volunteer_services,
    # volunteer_privacy).
    "interest_sent": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "link": "https://example.org/organisation/volunteering/interest/1/",
        "answer_days": 5,
    },
    "interest_answered": {
        "organisation_name": "Highfields Community Association",
        "opportunity_title": OPPORTUNITY_TITLE,
        "link": "https://example.org/volunteer/interests/1/",
        "status": "declined",
        "reason": "Every place is taken for now.",
    },
    "interest_withdrawn": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "link": "https://example.org/organisation/volunteering/interest/1/",
    },
    "interest_reminder": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "sent_on": date(2026, 11, 27),
        "link": "https://example.org/organisation/volunteering/interest/1/",
    },
    "opportunity_suggested": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "organisation_name": "Highfields Community Association",
        "note": "You said you like gardening: this team meets on Saturdays.",
        "link": "https://example.org/volunteer/opportunities/1/interest/",
    },
    "volunteer_deletion_warning": {
        "delete_on": "4 January 2027",
        "link": "https://example.org/volunteer/",
    },
    # Closing dates (volunteering.lapse_services) and the brokers' check (check_notices).
    "opportunity_closing_soon": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "extend_link": at("/organisation/volunteering/7/extend/"),
    },
    "opportunity_lapsed": {
        "opportunity_title": OPPORTUNITY_TITLE,
        "post_link": at("/organisation/volunteering/new/"),
    },
    "opportunity_to_check": {"opportunity_title": OPPORTUNITY_TITLE},
    # Advice and guidance (volunteering.advice_services): to the brokers when asked, to the
    # asker when answered or closed without an answer.
    "advice_asked": {
        "reference": "VCS-ADV-000012",
        "topic": "Volunteers' expenses",
        "link": at("/broker/advice/12/"),
    },
    **{
        f"advice_{kind}": {
            "reference": "VCS-ADV-000012",
            "question": "How do we pay back volunteers' bus fares?",
            "answer": "Pay back the actual fare against a ticket; a flat rate can count as pay.",
            "reason": "It is the same question as VCS-ADV-000011, answered last week.",
            "by_phone": True,
            "link": at("/organisation/advice/12/"),
        }
        for kind in ("answered", "closed")
    },
    # The volunteer centre's events (volunteering.events_services): booked (a place or the
    # waiting list, `waiting` in the other branch), moved up from the waiting list, its
    # date, place or link changed, the event cancelled, the reminder the day before; online
    # or at a venue.
    **{
        template: {
            "event_title": EVENT_TITLE,
            "when": "Tuesday 9 June 2026, 10:00 to 12:30",
            "online": online,
            "venue": "9 Newarke Street, Leicester LE1 5SN",
            "joining_link": "https://meet.example.org/vcs-training",
            "link": "https://vcs-support.example.gov.uk/organisation/events/4/",
            "reason": "The trainer is ill; we will offer a new date soon.",
            "position": 3,
            "changes": [
                {
                    "label": "When",
                    "was": "Tuesday 9 June 2026, 10:00 to 12:30",
                    "now": "Thursday 11 June 2026, 14:00 to 16:30",
                },
                {"label": "Link to join", "was": "", "now": "https://meet.example.org/vcs-2"},
            ],
        }
        for template, online in (
            ("event_booked", True),
            ("event_moved_up", True),
            ("event_changed", False),
            ("event_cancelled", False),
            ("event_reminder", False),
        )
    },
    "account/email/login_code": {"code": "FKR4QZ"},
    "account/email/password_reset_code": {"code": "FKR4QZ"},
}

# What allauth passes its emails (links built, as allauth does, on the request's host).
ACCOUNT_CONTEXT = {
    "user": amina,
    "key": "MQ:1uTfXb:abc",
    "activate_url": "http://testserver/accounts/confirm-email/MQ:1uTfXb:abc/",
    "password_reset_url": "http://testserver/accounts/password/reset/key/7-cv1c-abc/",
    "signup_url": "http://testserver/accounts/signup/",
    "timestamp": timezone.make_aware(datetime(2026, 6, 2, 21, 4)),
    "ip": "203.0.113.9",
    "user_agent": "Mozilla/5.0 (Android 14; Mobile) Firefox/126.0",
    "from_email": "amina.okafor@example.org",
    "to_email": "amina@stmarys.example.org",
    "deleted_email": "amina.old@example.org",
}
ACCOUNT_OTHER_BRANCH = {"code": "FKR4QZ", "ip": "", "user_agent": ""}

PROPER_NOUNS = [
    settings.SERVICE_NAME,
    settings.COUNCIL_NAME,
    organisation.name,
    package.name,
    provider.name,
    "Amina Okafor",
    "Dev Patel",
    "VCS support packages",
    lead.name,
    "Sikh community",
    OPPORTUNITY_TITLE,
    EVENT_TITLE,
]


def email_templates(folder_pattern: str) -> list[str]:
    """Every email under templates/ whose folder matches: its name without `_subject.txt`."""
    return sorted(
        path.relative_to(TEMPLATE_ROOT).as_posix().removesuffix("_subject.txt")
        for path in TEMPLATE_ROOT.glob(f"{folder_pattern}/*_subject.txt")
    )


SERVICE_EMAILS = [name.removeprefix("emails/") for name in email_templates("emails")]
ACCOUNT_EMAILS = [n for app in ALLAUTH_EMAIL_APPS for n in email_templates(f"{app}/email")]


def title_case_words(subject: str) -> list[str]:
    """Capitalised words after the first that are not names, dates or acronyms."""
    for noun in sorted(PROPER_NOUNS, key=len, reverse=True):
        subject = subject.replace(noun, " ")
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", subject)[1:]
    return [w for w in words if w[0].isupper() and not w.isupper() and w not in CALENDAR]


def words_of(html: str) -> str:
    return " ".join(unescape(strip_tags(html.replace("<br>", " "))).split())


def problems(subject: str, text: str, html: str) -> list[str]:
    found = []
    plain = f"{subject}\n{text}"
    for name, pattern in [("host name", HOSTS), ("left-in template code or None", LEFT_IN)]:
        found += [f"{name}: {m!r}" for m in pattern.findall(plain + html)]
    found += [f"empty name: {m!r}" for m in EMPTY_NAME.findall(plain)]
    found += [f"HTML escaping in plain text: {m!r}" for m in ESCAPED.findall(plain)]
    if "\n" in subject or not subject or len(subject) > 250:
        found.append(f"subject is not one line of 1 to 250 characters: {subject!r}")
    if words := title_case_words(subject):
        found.append(f"subject not in sentence case: {words}")
    if settings.SERVICE_NAME not in text or settings.COUNCIL_NAME not in text:
        found.append("the text does not name the service and the council")
    if not html.startswith("<!DOCTYPE html>") or 'lang="en-GB"' not in html:
        found.append("no HTML version with a language")
    elif re.search(r"&amp;(amp|#)", html) or re.search(r"<(link|img|script)\b", html):
        found.append("HTML double-escaped or with external assets")
    elif " ".join(text.split()) not in words_of(html):
        found.append("the HTML does not say what the text says")
    return found


@pytest.fixture(autouse=True)
def strict_templates(settings, monkeypatch):
    settings.SITE_URL = SITE_URL
    monkeypatch.setattr(engines["django"].engine, "string_if_invalid", "{{ MISSING %s }}")


@pytest.mark.parametrize("branch", ["usual", "other branch"])
@pytest.mark.parametrize("template", SERVICE_EMAILS)
def test_every_service_email_names_the_service_and_leaves_nothing_unfilled(template, branch):
    context = {**CONTEXT, **(OTHER_BRANCH if branch != "usual" else {})}
    email = render_email(template, {**context, **PER_EMAIL.get(template, {})})
    assert problems(email.subject, email.text, email.html) == []


@pytest.mark.parametrize("branch", ["usual", "other branch"])
@pytest.mark.parametrize("template", ACCOUNT_EMAILS)
def test_every_account_email_names_the_service_and_leaves_nothing_unfilled(template, branch):
    context = {**ACCOUNT_CONTEXT, **(ACCOUNT_OTHER_BRANCH if branch != "usual" else {})}
    context |= PER_EMAIL.get(template, {})
    message = AccountAdapter().build_mail(template, "amina.okafor@example.org", context)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert problems(message.subject, message.body, html) == []
    assert settings.SERVICE_NAME in message.subject
    for link in re.findall(r"https?://\S+", message.body):
        assert link.startswith(f"{SITE_URL}/"), link


def test_the_walk_finds_the_emails():
    """The directory walk above is what covers a new email; it must find them all."""
    assert {"invitation", "package_agreed", "second_factor_locked"} <= set(SERVICE_EMAILS)
    assert "account/email/email_confirmation_signup" in ACCOUNT_EMAILS
    assert "account/email/password_reset_key" in ACCOUNT_EMAILS


@pytest.mark.parametrize("app", ALLAUTH_EMAIL_APPS)
def test_every_email_allauth_can_send_is_rewritten_here(app):
    """An allauth upgrade that adds an email fails here until it is written in our voice."""
    theirs = Path(allauth.__file__).parent / "templates" / app / "email"
    for path in sorted(theirs.glob("*.txt")):
        origin = Path(get_template(f"{app}/email/{path.name}").origin.name)
        assert origin.is_relative_to(TEMPLATE_ROOT), f"{app}/email/{path.name} is allauth's own"


SIGNUP = {
    "full_name": "Amina Okafor",
    "email": "amina@example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def test_the_sign_up_email_comes_from_the_service_not_the_host(
    db, django_capture_on_commit_callbacks
):
    """The reported bug: "Hello from !" and "[127.0.0.1:8022] Please Confirm Your Email Address"."""
    client = Client(HTTP_HOST="127.0.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    [message] = mail.outbox
    subject, body = message.subject, message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert subject == f"Confirm your email address for the {settings.SERVICE_NAME}"
    assert title_case_words(subject) == []
    assert not HOSTS.search(subject + body + html)
    assert f"{settings.SERVICE_NAME}\n{settings.COUNCIL_NAME}" in body
    assert " ".join(body.split()) in words_of(html)
    notification = Notification.objects.get(recipient="amina@example.org")
    assert notification.body_html == html

    # The link is on SITE_URL and works.
    link = re.search(rf"{re.escape(SITE_URL)}(/accounts/confirm-email/\S+/)", body).group(1)
    client.post(link)
    assert User.objects.get(email="amina@example.org").emailaddress_set.get().verified
