"""The demo world: logins that work, staff with TOTP, and no running in production."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from allowances.models import LedgerEntry
from grants.models import Appeal, Assessment, CommunityDecision, GrantRound
from organisations.models import Membership, Organisation, User
from reports.invariants import check_ledger
from vcs_support.management.commands.seed_demo import DEMO_PASSWORD, STAFF, current_code

DEMO_LOGINS = [
    "officer@example.org",
    "manager@example.org",
    "org@example.org",
    "org2@example.org",
    "provider@example.org",
    "provider2@example.org",
    "volunteer@example.org",
    "volunteer2@example.org",
]


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG=False"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_it_prints_working_logins_and_can_run_twice(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # make run calls it every time: no duplicates
    output = capsys.readouterr().out
    for email in DEMO_LOGINS:
        assert email in output
    assert DEMO_PASSWORD in output
    for _, _, _, secret in STAFF:
        assert secret in output
    assert Organisation.objects.filter(name="Highfields Community Association").count() == 1
    # An unregistered group run from a home: open data gives only its district.
    # Registered organisations have premises.
    assert Organisation.objects.get(name="Aylestone Meadows Friends").published_postcode == "LE2"
    registered = Organisation.objects.exclude(charity_number=None, company_number=None)
    assert registered.exists()
    assert not registered.filter(address_is_home=True).exists()
    assert Membership.objects.get(user__email="org@example.org").role == "admin"
    assert Membership.objects.get(user__email="org2@example.org").organisation.name == (
        "Braunstone Youth Project"
    )
    for email in ("officer@example.org", "manager@example.org"):
        assert Authenticator.objects.filter(user__email=email, type="totp").count() == 1
    # Section B: a closed round being assessed, one open for applications, one draft.
    rounds = {r.name: r for r in GrantRound.objects.all()}
    assert sorted(rounds) == [
        "Representation grants 2025",
        "Representation grants 2026",
        "Representation grants 2026: spring",  # the community backing an applicant
        "Representation grants 2027",
    ]
    assert rounds["Representation grants 2026"].is_open
    assert rounds["Representation grants 2026"].communities.count() == 4
    assert rounds["Representation grants 2027"].is_draft
    # Its applications: a draft, one sent, a consortium waiting for a member.
    applications = rounds["Representation grants 2026"].applications
    assert sorted(applications.values_list("status", flat=True)) == [
        "draft",
        "draft",
        "submitted",
    ]
    assert applications.filter(members__status="invited").count() == 1
    assert "Section B grants" in output
    # The closed round: a conflict declared, a disagreement moderated, an award accepted
    # and committed on the ledger, another community waiting for moderation.
    closed = rounds["Representation grants 2025"]
    assert closed.phase() == "closed"
    assert Assessment.objects.filter(application__round=closed, has_conflict=True).count() == 1
    decision = CommunityDecision.objects.get(round_community__round=closed)
    assert decision.outcome == "accepted" and decision.application.organisation.name == (
        "Highfields Community Association"
    )
    commitment = LedgerEntry.objects.get(award=decision.award, kind="commitment")
    assert commitment.amount == decision.amount
    # Monitored: report 1 accepted and its instalment paid, report 2 sent; concerns at
    # each step; the unsuccessful applicant's appeal waiting.
    assert list(decision.reports.order_by("period").values_list("status", flat=True)[:2]) == [
        "accepted",
        "sent",
    ]
    [paid] = LedgerEntry.objects.filter(award=decision.award, kind="spend")
    assert paid.amount == decision.reports.get(period=1).amount
    assert sorted(decision.concerns.values_list("status", flat=True)) == [
        "awaiting_response",
        "awaiting_review",
        "closed",
    ]
    assert Appeal.objects.filter(decision=decision, outcome="").count() == 1
    assert check_ledger().clean
    # Section C: the volunteer centre's broker, and an opportunity in each state so far.
    from volunteering.models import Broker, Opportunity
    from volunteering.selectors import is_broker

    assert is_broker(Broker.objects.get().user)
    assert Broker.objects.get().user.email == "provider2@example.org"
    states = Opportunity.objects.values_list("status", "close_reason")
    assert sorted(states) == [
        ("changes_requested", ""),
        ("closed", "filled"),
        ("draft", ""),
        ("published", ""),
        ("published", ""),
        ("published", ""),
        *[("published", "")] * 8,  # the public search's (volunteering/demo_search.py)
        ("submitted", ""),
    ]
    assert Opportunity.objects.filter(minimum_age=16, status="published").exists()
    assert "Volunteering: provider2@example.org is the volunteer centre's broker" in output
    # Volunteers: a placement with hours in each state, interest waiting and talking.
    from volunteering.models import HourEntry, Interest

    assert sorted(Interest.objects.values_list("status", flat=True)) == [
        "accepted",
        "sent",
        "talking",
    ]
    assert sorted(HourEntry.objects.values_list("status", "by_volunteer")) == [
        ("confirmed", True),
        ("logged", False),
        ("logged", True),
    ]
    assert "Volunteers: volunteer@example.org (Sam) is placed" in output
    # Closing dates: one published opportunity closes within the week, and the one-off
    # closes before its day.
    from volunteering.lapse_rules import closes_in

    soon = Opportunity.objects.get(title="Food bank packer")
    assert closes_in(status=soon.status, ends_on=soon.ends_on, today=timezone.localdate()) == 5
    one_offs = Opportunity.objects.filter(schedule="one_off")
    assert one_offs and all(o.ends_on <= o.one_off_date for o in one_offs)
    assert "Volunteering: 8 more published opportunities to find at /volunteering/" in output
    # Section C, advice: requests in each state, made through the services, over months.
    from volunteering.advice_selectors import advice_report
    from volunteering.models import AdviceRequest

    answers = AdviceRequest.objects.values_list("status", "answered_at")
    assert sorted((status, at is None) for status, at in answers) == [
        ("answered", False),
        ("closed", False),
        ("closed", True),
        ("open", True),
        ("open", True),
    ]
    assert AdviceRequest.objects.filter(reply_by="phone").exists()
    assert len(advice_report().by_month) >= 2
    assert "Advice: Highfields has two questions waiting" in output
    # Section C's events: a full one with a waiting list, a past one with attendance and feedback.
    from volunteering.models import Booking, Event, Feedback

    full = Event.objects.get(title="Recruiting and keeping volunteers")
    assert full.status == "published" and full.starts_at > timezone.now()
    assert sorted(full.bookings.values_list("status", flat=True)) == ["booked", "booked", "waiting"]
    assert full.bookings.get(status="waiting").user.email == "member@example.org"
    held = Event.objects.get(title="Safeguarding for volunteer managers")
    assert held.ends_at < timezone.now()
    assert sorted(held.bookings.values_list("status", flat=True)) == [
        "attended",
        "attended",
        "no_show",
    ]
    assert Feedback.objects.get().booking.user.email == "org@example.org"
    assert Event.objects.filter(status="draft").count() == 1
    assert Booking.objects.count() == 6
    assert "Events: a full training event" in output


def test_every_demo_login_signs_in_including_staff_with_their_code(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    secrets = {email: secret for email, _, _, secret in STAFF}
    for email in DEMO_LOGINS:
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}
        )
        if email in secrets:
            assert response.url == reverse("mfa_authenticate"), email
            response = client.post(
                reverse("mfa_authenticate"), {"code": current_code(secrets[email])}
            )
        assert response.status_code == 302, email
        assert response.url == reverse("home"), email
        home = client.get(reverse("home"))  # the role's own task list
        if email.startswith("volunteer"):  # a volunteer's home is their volunteering page
            assert home.url == reverse("volunteering:volunteer_home"), email
            home = client.get(home.url)
            assert home.status_code == 200, email
            assert "Roles you are interested in" in home.content.decode(), email
            continue
        assert home.status_code == 200, email
        assert "govuk-task-list" in home.content.decode(), email
