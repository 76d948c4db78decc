"""No axe-core violation on the staff pages of the community's voice, in each state, at a
desktop width and on a 320 px wide screen (where nothing may scroll sideways).

The moderator's page of a consultation with totals, flagged and set-aside responses, and once
the decision is made; one response to set aside (with its error) and to count again; the full
list of approved comments; the officers' queue, a comment to check (with its error); the
assisted response (with its errors) and once the window has closed; and the assessor's
marking page and the moderator's page with the community's backing beside the criterion.
"""

from datetime import timedelta

from django.urls import reverse

from ..conftest import build_world
from ..grants.assessing import declared, on_panel, sent_marks
from ..grants.voice_support import COMMENT, backing, counted, ended
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST

FLAG = "5 responses from one network within an hour"
NARROW = {"width": 320, "height": 800}
SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def _narrow(page, url, where):
    """The page on a 320 px wide screen: axe, and nothing wider than the screen."""
    page.set_viewport_size(NARROW)
    problems = check(page, url, f"{where} (320 px)")
    if page.evaluate(SIDEWAYS):
        problems.append(f"{where} (320 px) {url}: the page scrolls sideways")
    page.set_viewport_size({"width": 1280, "height": 800})
    return problems


def _world_with_voices():
    from grants.voice_moderation_services import approve_comment, set_aside_voice

    world = build_world()
    consultation, (first, second) = backing(world, applications=2)
    on_panel(consultation.round_community.round, world)
    for i in range(4):
        counted(consultation, email=f"p{i}@example.org", application=first)
    counted(
        consultation,
        email="phone@example.org",
        application=first,
        assisted_how="phone",
        recorded_by=world.officer,
    )
    counted(consultation, email="none@example.org")
    flagged = counted(consultation, email="flag@example.org", application=second, flag=FLAG)
    aside = counted(consultation, email="aside@example.org", application=second, flag=FLAG)
    set_aside_voice(voice=aside, by=world.manager, reason="A burst from one network.")
    for i in range(5):
        voice = counted(
            consultation, email=f"c{i}@example.org", application=first, comment=f"{COMMENT} {i}"
        )
        approve_comment(voice=voice, by=world.officer)
    waiting = counted(consultation, email="wait@example.org", application=first, comment=COMMENT)
    closed, _ = backing(world, open_for=-timedelta(hours=1))
    return world, consultation, first, flagged, aside, waiting, closed


def test_the_staff_voice_pages_in_each_state_pass_axe(new_context, live_server):
    from grants.decision_services import make_no_award

    world, consultation, first, flagged, aside, waiting, closed = _world_with_voices()

    manager = new_context()
    sign_in(manager, live_server, world.manager)
    load_axe(manager)
    page = manager.new_page()
    moderation = _url("consultation_moderation", consultation.pk)
    problems = check(page, moderation, "moderator, the consultation:")
    problems += _narrow(page, moderation, "moderator, the consultation:")
    problems += check(page, _url("voice_moderate", flagged.pk), "moderator, to set aside:")
    problems += send_with_error(
        page, "Set it aside", "Enter why the response is set aside", "moderator:"
    )
    problems += _narrow(page, _url("voice_moderate", flagged.pk), "moderator, to set aside:")
    problems += check(page, _url("voice_moderate", aside.pk), "moderator, to count again:")
    comments = _url("consultation_comments", consultation.pk) + f"?applicant={first.pk}"
    problems += check(page, comments, "moderator, the comments:")

    officer = new_context()
    sign_in(officer, live_server, world.officer)
    load_axe(officer)
    page = officer.new_page()
    problems += check(page, _url("voice_comments"), "officer, the queue:")
    problems += _narrow(page, _url("voice_comments"), "officer, the queue:")
    problems += check(page, _url("voice_comment_check", waiting.pk), "officer, a comment:")
    page.get_by_label("Withhold: nobody outside the council's officers sees it").check()
    problems += send_with_error(page, "Save", "Enter why the comment is withheld", "officer:")
    assisted = _url("assisted_response", consultation.pk)
    problems += check(page, assisted, "officer, assisted:")
    page.get_by_label("Postcode where they live, work or study").fill("SW1A 1AA")
    problems += send_with_error(
        page, "Record the response", "Select how the response was taken", "officer, assisted:"
    )
    page.set_viewport_size(NARROW)
    problems += axe_violations(page, "officer, assisted with errors (320 px)")
    if page.evaluate(SIDEWAYS):
        problems.append("officer, assisted with errors (320 px): the page scrolls sideways")
    page.set_viewport_size({"width": 1280, "height": 800})
    problems += check(page, _url("assisted_response", closed.pk), "officer, window closed:")

    # The assessor's marking page with the backing beside the criterion, and its comments.
    declared(first, world.officer)
    problems += check(page, _url("assess", first.pk), "assessor, with backing:")
    problems += _narrow(page, _url("assess", first.pk), "assessor, with backing:")
    problems += check(page, _url("application_comments", first.pk), "assessor, comments:")

    # The moderator's page of the application, then the consultation once decided.
    sent_marks(first, world.officer)
    page = manager.new_page()
    problems += check(page, _url("moderate", first.pk), "moderator, with backing:")
    ended(consultation)  # decided once the backing has closed
    make_no_award(
        round_community=consultation.round_community, reasons="None ready.", by=world.manager
    )
    problems += check(page, moderation, "moderator, decided:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
