"""Section B's grant round end to end, in the browser, as the people involved drive it.

Issue 13's "Done when": a manager sets up a round from the template and publishes it;
an organisation's administrator applies for one community (one question answered,
one file uploaded, check answers, declaration, send); the round closes; the manager
names an officer on the panel; the officer declares no conflict and scores; the
manager moderates, and offers the award from the ranking; the organisation accepts
it, which commits it on the community cohesion strand (the manager's budget
dashboard shows it, from the ledger). The grant is monitored: the organisation sends
report 1, an officer accepts it, and its instalment is paid as spend. A member of
the public, without an account, raises a concern from the representative's page,
confirms it from the emailed link; the organisation responds; an officer records
the outcome, which is emailed to the person and counted on the public page.

Clicks and typing, as people do (the keyboard journeys prove the keyboard). Steps
that are set-up rather than the point use services or factories, each saying so:
the budget and the communities, most of the application's answers and files, the
clock (the round's close, the grant period moved back so report 1 is due), and
reading the emails (their links) from the notifications table.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from allowances.award_services import award_figures
from allowances.models import LedgerEntry, LedgerKind
from grants import application_rules as moves
from grants.models import Answer, Application, ApplicationEvidence, CommunityDecision, EvidenceKind
from notifications.models import Notification

from ..conftest import build_world
from ..factories import PASSWORD, PDF_BYTES
from ..grants.factories import CommunityFactory, close, cohesion_strand, quick_fill
from ..grants.monitoring import ANSWERS, move_grant_period
from .conftest import BROWSER_TEST, axe_violations
from .test_keyboard_journeys import current_totp_code

pytestmark = BROWSER_TEST

PER_COMMUNITY = Decimal("12000.00")
INSTALMENT = PER_COMMUNITY / 4  # paid quarterly
CHANNELS = "A monthly newsletter in Gujarati and English, and open meetings at the temple."
WHAT_HAPPENED = "They told the council our community supports the plan; nobody asked us."
RESPONSE = "We consulted the committee, not the whole community. We will hold an open meeting."
REASONS = "The representative should consult the whole community before speaking for it."
# The start of a concern's confirmation link (a token follows).
CONFIRM_LINK = reverse("grants:concern_confirm", args=["token"]).removesuffix("token/")


# --------------------------------------------------------------- helpers


def go(page, target):
    """Click a link or button (a locator) and wait for the page it loads."""
    with page.expect_navigation():
        target.click()


def main(page):
    return page.locator("main")


def success_banner(page):
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_have_count(1)
    return " ".join(banner.inner_text().split())


def fill_date(page, field, day):
    """A GOV.UK date input: day, month and year boxes."""
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def sign_in(page, user, *, staff=False):
    """The sign-in form, and for staff the authenticator code."""
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    go(page, page.locator("form[action='/accounts/login/'] button[type=submit]"))
    if staff:
        assert page.url.endswith("/accounts/two-factor/authenticate/"), page.url
        page.locator("#id_code").fill(current_totp_code())
        go(page, page.get_by_role("button", name="Sign In"))
    assert page.url.endswith(reverse("home")), page.url


def emailed_link(recipient, subject_start, path):
    """The link starting with `path` in the newest email to `recipient` whose subject starts
    so: its path, to open on the live server (read from the notifications table, as the
    email carries it)."""
    email = Notification.objects.filter(
        recipient=recipient, subject__startswith=subject_start
    ).first()
    assert email is not None, f"no email to {recipient} starting {subject_start!r}"
    found = re.search(re.escape(path) + r"\S*", email.body_text)
    assert found, f"no link to {path} in the email:\n{email.body_text}"
    return found.group(0)


def href(name, *args):
    return f"main a[href='{reverse(name, args=args)}']"


# --------------------------------------------------------------- the journey


def test_a_round_from_set_up_to_award_monitoring_payment_and_a_concern(new_context):
    world = build_world()
    # Set-up: this year's budget (community cohesion: £150,000) and two communities
    # of interest, which managers add on their own page (not the point here).
    strand = cohesion_strand()
    jain = CommunityFactory(name="Jain community", population=4500)
    CommunityFactory(name="Bahai community", population=3500)
    today = timezone.localdate()

    # --- 1. The manager sets up the round from the template and publishes it.
    manager = new_context().new_page()
    sign_in(manager, world.manager, staff=True)
    go(manager, manager.locator(href("grants:rounds")))
    go(manager, manager.get_by_role("link", name="Set up a new round"))
    manager.get_by_label("Name of the round").fill("Representation 2027")
    # The strand defaults to this year's community cohesion strand.
    expect(manager.locator(f"input[name=strand][value='{strand.pk}']")).to_be_checked()
    opens_on, closes_on = today - timedelta(days=1), today + timedelta(days=28)
    starts_on = closes_on + timedelta(days=30)
    fill_date(manager, "opens_on", opens_on)
    expect(manager.locator("#id_opens_time")).to_have_value("9am")
    fill_date(manager, "closes_on", closes_on)
    expect(manager.locator("#id_closes_time")).to_have_value("5pm")
    manager.get_by_label("Total for the round (£)").fill("24,000")
    manager.get_by_label("Amount available for each community (£)").fill("12000")
    fill_date(manager, "period_starts_on", starts_on)
    fill_date(manager, "period_ends_on", starts_on + timedelta(days=364))
    expect(manager.locator("input[name=payment_schedule][value=quarterly]")).to_be_checked()
    go(manager, manager.get_by_role("button", name="Create the draft round"))
    assert "is a draft with section B's criteria" in success_banner(manager)
    expect(manager.locator("h1")).to_have_text("Check Representation 2027 before publishing")
    assert "Choose at least one community" in main(manager).inner_text()

    go(manager, manager.get_by_role("link", name="Change the communities"))
    manager.get_by_label("Jain community").check()
    go(manager, manager.get_by_role("button", name="Save communities"))
    assert "The communities open for application have been saved" in success_banner(manager)
    details = main(manager).inner_text()
    assert "Jain community (Religion or belief): 4,500 people" in details
    assert "£3,000.00 for the period from" in details  # the quarterly instalments
    go(manager, manager.get_by_role("button", name="Publish the round"))
    assert "Representation 2027 is published" in success_banner(manager)
    grant_round = jain.round_entries.get().round
    assert grant_round.status == "published"

    # --- 2. Organisation A's administrator applies to represent the Jain community.
    org = new_context().new_page()
    sign_in(org, world.org_a_admin)
    # Nothing on the organisation's home page leads to the rounds (see the report):
    # the public list of rounds is where the council points people.
    org.goto(reverse("grants:public_rounds"))
    go(org, org.get_by_role("link", name="Representation 2027"))
    go(org, org.get_by_role("link", name="Apply for this round"))
    org.get_by_label("Jain community").check()
    go(org, org.get_by_role("button", name="Start your application"))
    assert "Your application for the Jain community has been started" in success_banner(org)
    application = Application.objects.get(organisation=world.org_a)

    # Set-up: every answer and file but two, written straight to the tables
    # (quick_fill). The browser answers the channels question and uploads the
    # governing document.
    quick_fill(application, world.org_a_admin)
    channels = next(
        c
        for c in grant_round.criteria.filter(section="representation").order_by("position")
        if moves.needs_answer(c.automatic_check) and "channel" in c.question.lower()
    )
    Answer.objects.filter(application=application, criterion=channels).delete()
    ApplicationEvidence.objects.filter(
        application=application, kind=EvidenceKind.GOVERNING_DOCUMENT
    ).delete()
    org.reload()
    question_url = reverse("grants:application_question", args=[application.pk, channels.pk])
    go(org, org.locator(f"main a[href='{question_url}']"))
    expect(org.locator("h1")).to_have_text(channels.question)
    org.locator("#id_answer").fill(CHANNELS)
    go(org, org.get_by_role("button", name="Save and continue"))
    go(org, org.get_by_role("link", name="Back to your application"))
    governing = reverse("grants:application_evidence", args=[application.pk, "governing_document"])
    go(org, org.locator(f"main a[href='{governing}']"))
    org.locator("#id_file").set_input_files(
        {"name": "constitution.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    go(org, org.get_by_role("button", name="Save and continue"))
    go(org, org.get_by_role("link", name="Back to your application"))
    go(org, org.get_by_role("link", name="Check your answers and send"))
    expect(org.locator("h1")).to_have_text("Check your answers before sending your application")
    check = main(org).inner_text()
    assert CHANNELS in check and "constitution.pdf" in check
    assert "cannot be sent yet" not in check
    org.get_by_label("I confirm that the information in this application is correct").check()
    org.get_by_label("Your full name").fill("Asha Patel")
    go(org, org.get_by_role("button", name="Accept and send"))
    application.refresh_from_db()
    assert application.status == "submitted"
    expect(org.locator(".govuk-panel")).to_contain_text("Application sent")
    expect(org.locator(".govuk-panel")).to_contain_text(application.reference)

    # --- 3. The round closes (set-up: the clock); the manager names the panel.
    close(grant_round)
    manager.goto(reverse("grants:rounds"))
    go(manager, manager.get_by_role("link", name="Representation 2027"))
    go(manager, manager.get_by_role("link", name="The assessment panel"))
    manager.get_by_label("Who should assess this round?").select_option(
        label=f"{world.officer.full_name or world.officer.email} "
        f"({world.officer.get_role_display()}, {world.officer.email})"
    )
    go(manager, manager.get_by_role("button", name="Add to the panel"))
    assert "added to the panel" in success_banner(manager)

    # The officer declares no conflict, then scores every criterion and sends.
    officer = new_context().new_page()
    sign_in(officer, world.officer, staff=True)
    go(officer, officer.locator(href("grants:my_assessments")))
    go(officer, officer.locator(href("grants:assess", application.pk)))
    expect(officer.locator("h1")).to_contain_text("Declare your interests")
    officer.locator("input[name=has_conflict][value=no]").check()
    go(officer, officer.get_by_role("button", name="Save the declaration"))
    expect(officer.locator("h1")).to_have_text(f"Score the application from {world.org_a.name}")
    marks = officer.locator("main input[type=radio][name^=mark_]")
    names = sorted({marks.nth(i).get_attribute("name") for i in range(marks.count())})
    assert len(names) > 5, names
    for name in names:
        pk = name.removeprefix("mark_")
        scored = officer.locator(f"input[name={name}][value='3']")
        (scored if scored.count() else officer.locator(f"input[name={name}][value='1']")).check()
        officer.locator(f"#id_comment_{pk}").fill("Clear evidence of reach into the community.")
    go(officer, officer.get_by_role("button", name="Send my scores"))
    assert "Your scores have been sent" in success_banner(officer)

    # The manager moderates (each score starts at the assessors' mean) and decides.
    manager.reload()
    go(manager, manager.get_by_role("link", name="Back to the round"))
    go(manager, manager.get_by_role("link", name="Moderation, ranking and decisions"))
    go(manager, manager.locator(href("grants:moderate", application.pk)))
    expect(manager.locator(f"input[name='{names[0]}']:checked")).to_have_count(1)
    go(manager, manager.get_by_role("button", name="Save the moderated scores"))
    assert f"Moderated scores saved for {application.reference}" in success_banner(manager)
    ranking = main(manager).inner_text()
    assert "1 application for the Jain community" in ranking
    go(manager, manager.get_by_role("link", name="Decide for the Jain community"))
    manager.get_by_label(f"Offer the award to {world.org_a.name}").check()
    manager.get_by_label("Reasons for the decision").fill(
        "Ranked first, and meets every must-have."
    )
    go(manager, manager.get_by_role("button", name="Record the decision"))
    assert "Decision recorded for the Jain community" in success_banner(manager)
    expect(manager.locator("main .govuk-inset-text")).to_contain_text(
        f"Award offered to {world.org_a.name} ({application.reference}), £12,000.00"
    )

    # --- 4. The organisation accepts the offer. Its email says to sign in and open the
    # application, but no page a signed-in organisation reaches links to its grant
    # applications once sent (see the report), so it goes to the list's address.
    assert Notification.objects.filter(
        recipient=world.org_a_admin.email, subject__startswith="You have been offered"
    ).exists()
    org.goto(reverse("grants:my_applications"))
    go(org, org.get_by_role("link", name="Jain community"))
    go(org, org.get_by_role("link", name="Read the terms and accept or decline the offer"))
    offer = main(org).inner_text()
    assert "£12,000.00" in offer and "£3,000.00" in offer
    org.get_by_label("I accept the grant and the grant agreement's terms").check()
    org.get_by_label("Your full name").fill("Asha Patel")
    go(org, org.get_by_role("button", name="Accept the grant"))
    assert "You have accepted the grant to represent the Jain community" in success_banner(org)
    decision = CommunityDecision.objects.get(application=application)
    assert decision.outcome == "accepted"
    assert award_figures(decision.award)["committed"] == PER_COMMUNITY

    # The manager's budget dashboard: the strand's commitment, from the ledger.
    go(manager, manager.get_by_role("link", name="Dashboard", exact=True))
    row = manager.locator("tr", has=manager.locator("th", has_text="Community cohesion"))
    expect(row.locator("td").nth(1)).to_contain_text("£12,000.00")  # committed
    expect(row.locator("td").nth(2)).to_contain_text("£0.00")  # spent

    # --- 5. Monitoring. Set-up: the grant period moved back so report 1 can be sent.
    move_grant_period(decision, today)
    org.reload()
    go(org, org.get_by_role("link", name="Your representation grant"))
    go(org, org.get_by_role("link", name="Report 1", exact=True))
    expect(org.locator("h1")).to_have_text("Monitoring report for period 1")
    org.get_by_label("Engagement activities").fill(ANSWERS["engagement_activities"])
    org.get_by_label("People reached").fill(str(ANSWERS["people_reached"]))
    org.get_by_label("Issues taken to the council").fill(ANSWERS["issues_raised"])
    org.get_by_label("Feedback given to the community").fill(ANSWERS["feedback_given"])
    org.get_by_label("Changes in the community's views").fill(ANSWERS["community_views"])
    problems = axe_violations(org, "the report form, filled in")
    go(org, org.get_by_role("button", name="Send the report"))
    assert "Your report for period 1 has been sent to the council" in success_banner(org)

    officer.goto(reverse("home"))
    go(officer, officer.locator(href("grants:grant_reports")))
    report = decision.reports.get(period=1)
    go(officer, officer.locator(href("grants:grant_report_review", report.pk)))
    officer.get_by_label("Accept the report and pay the instalment of £3,000.00").check()
    go(officer, officer.get_by_role("button", name="Save the decision"))
    banner = success_banner(officer)
    assert f"Report 1 accepted: £3,000.00 paid to {world.org_a.name}" in banner
    spend = LedgerEntry.objects.filter(award=decision.award, kind=LedgerKind.SPEND)
    assert list(spend.values_list("amount", flat=True)) == [INSTALMENT]
    assert award_figures(decision.award)["spent"] == INSTALMENT
    manager.reload()
    expect(row.locator("td").nth(2)).to_contain_text("£3,000.00")  # spent, on the dashboard

    # --- 6. A member of the public raises a concern, without an account.
    public = new_context().new_page()
    public.goto(reverse("grants:representatives"))
    go(public, public.get_by_role("link", name=world.org_a.name))
    expect(public.locator("h1")).to_have_text(world.org_a.name)
    page_text = main(public).inner_text()
    assert CHANNELS in page_text  # its mandate
    assert ANSWERS["engagement_activities"] in page_text  # its accepted report
    go(public, public.get_by_role("link", name="Raise a concern"))
    public.get_by_label("What happened?").fill(WHAT_HAPPENED)
    public.get_by_label("Your name (optional)").fill("Priya Shah")
    public.get_by_label("Your email address").fill("priya@example.org")
    go(public, public.get_by_role("button", name="Send", exact=True))
    expect(public.locator("h1")).to_have_text("Check your email")
    public.goto(emailed_link("priya@example.org", "Confirm your concern", CONFIRM_LINK))
    go(public, public.get_by_role("button", name="Confirm and send my concern"))
    expect(main(public)).to_contain_text("Concern confirmed")
    concern = decision.concerns.get()
    expect(main(public)).to_contain_text(concern.reference)

    # The organisation responds, from the link in its email.
    org.goto(
        emailed_link(
            world.org_a_admin.email,
            "A concern about your representation",
            reverse("grants:concern_respond", args=[concern.pk]),
        )
    )
    expect(main(org)).to_contain_text(WHAT_HAPPENED)
    assert "Priya" not in main(org).inner_text()
    org.get_by_label("Your response").fill(RESPONSE)
    go(org, org.get_by_role("button", name="Send the response"))
    assert f"Your response to {concern.reference} has been sent" in success_banner(org)

    # An officer records the outcome; the person is emailed it.
    officer.goto(reverse("home"))
    go(officer, officer.locator(href("grants:concern_queue")))
    go(officer, officer.get_by_role("link", name=concern.reference))
    expect(main(officer)).to_contain_text(RESPONSE)
    officer.get_by_label("Advice given to the representative").check()
    officer.get_by_label("Reasons for the outcome").fill(REASONS)
    go(officer, officer.get_by_role("button", name="Record the outcome"))
    assert f"Outcome recorded for {concern.reference}" in success_banner(officer)
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == ("closed", "advice")
    outcome = Notification.objects.get(
        recipient="priya@example.org", subject=f"The outcome of your concern {concern.reference}"
    )
    assert REASONS in outcome.body_text

    # The public page counts it, and says nothing of what it said or who raised it.
    public.goto(reverse("grants:representative", args=[decision.pk]))
    page_text = main(public).inner_text()
    assert "No concern is being looked into. 1 concern has an outcome:" in page_text
    counts = public.locator("table", has=public.locator("caption", has_text="Outcomes"))
    advice = counts.locator("tr", has=public.locator("td", has_text="Advice given"))
    expect(advice.locator("td").nth(1)).to_have_text("1")
    assert WHAT_HAPPENED not in page_text and "Priya" not in page_text
    problems += axe_violations(
        public, "the representative's public page, with a report and an outcome"
    )
    assert problems == [], "\n\n".join(problems)
