"""No axe-core violation on the community's voice public pages, in each state, at the usual
width and at 320 px (where nothing may make the page scroll sideways).

The list (empty, then with consultations); a backing page open (before the decision) with
its errors and refused past the network's limit; "check your email"; the link's page, the
"counted" page after confirming, and a link refused (unknown, expired, window closed); a
backing page closed with its totals after the decision, and one not open yet; a verdict
page open and closed; the privacy notice. The runner and the error-summary checks are the
delivery test's.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ..conftest import build_world
from ..grants.concern_support import awarded
from ..grants.voice_support import backing, counted, verdict
from .conftest import BROWSER_TEST, axe_violations, load_axe
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST

NARROW = {"width": 320, "height": 900}
WIDE = {"width": 1280, "height": 900}
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def narrow_problems(page, where):
    """The page as it stands, at 320 px: axe, and no sideways scrolling."""
    page.set_viewport_size(NARROW)
    problems = axe_violations(page, f"{where} at 320 px")
    if page.evaluate(OVERFLOW):
        problems.append(f"{where} at 320 px: the page scrolls sideways")
    page.set_viewport_size(WIDE)
    return problems


def both(page, url, where):
    problems = check(page, url, where)
    return problems + narrow_problems(page, f"{where} {url}")


def sent(consultation, email, **kwargs):
    from grants.voice_services import send_voice

    kwargs.setdefault("none_of_these", consultation.is_backing and "application" not in kwargs)
    return send_voice(
        consultation=consultation,
        email=email,
        postcode="LE1 6ZG",
        lives_in_area=True,
        belongs=True,
        **kwargs,
    )


def fill(page, *, email):
    page.get_by_label("None of these").check()
    page.get_by_label("Comment (optional)").fill("They listen to us.")
    page.get_by_label("Postcode where you live, work or study").fill("LE1 6ZG")
    page.get_by_label("I live, work or study in Leicester").check()
    page.get_by_label("I belong to the").check()
    page.get_by_label("Your email address").fill(email)


def test_the_voice_pages_in_each_state_pass_axe_at_every_width(new_context, live_server):
    from grants import voice_rules
    from grants.models import CommunityDecision, Voice

    world = build_world()
    public = new_context()
    load_axe(public)
    page = public.new_page()
    page.set_viewport_size(WIDE)
    problems = both(page, _url("voices"), "the list, empty:")
    problems += both(page, _url("voice_privacy"), "the privacy notice:")

    consultation, applications = backing(world)
    problems += both(page, _url("voices"), "the list:")
    problems += both(page, _url("voice", consultation.pk), "backing, open:")
    problems += send_with_error(
        page, "Send my response", "Select the applicant you back, or none of these", "backing:"
    )
    problems += narrow_problems(page, "backing, errors:")
    fill(page, email="not-an-address")
    problems += send_with_error(
        page, "Send my response", "Enter an email address in the correct format", "backing:"
    )
    fill(page, email="resident@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my response").click()
    assert page.url.endswith(_url("voice_sent", consultation.pk)), page.url
    problems += axe_violations(page, "check your email:")
    problems += narrow_problems(page, "check your email:")

    # The browser's network (the live server sees 127.0.0.1) has had its limit for the hour:
    # the one above, and these.
    for n in range(voice_rules.SOURCE_LIMIT - 1):
        sent(consultation, f"limit{n}@example.org", ip_address="127.0.0.1")
    page.goto(_url("voice", consultation.pk))
    fill(page, email="late@example.org")
    problems += send_with_error(
        page, "Send my response", "from your network in the last hour", "backing, limit:"
    )

    _, token = sent(consultation, "confirm@example.org", application=applications[0])
    problems += both(page, _url("voice_confirm", token), "the link:")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my response").click()
    assert "Your response is counted" in page.content()
    problems += axe_violations(page, "counted:")
    problems += narrow_problems(page, "counted:")
    problems += both(page, _url("voice_confirm", "not-a-token"), "a bad link:")
    _, expired = sent(consultation, "expired@example.org")
    Voice.objects.filter(email="expired@example.org").update(
        created_at=timezone.now() - voice_rules.CONFIRM_WITHIN
    )
    problems += both(page, _url("voice_confirm", expired), "an expired link:")

    ended, ended_applications = backing(world, open_for=timedelta(days=-1))
    counted(ended, application=ended_applications[0])
    counted(ended, email="b@example.org")
    CommunityDecision.objects.create(
        round_community=ended.round_community,
        outcome="no_award",
        reasons="The panel decided to make no award.",
        decided_by=world.manager,
    )
    problems += both(page, _url("voice", ended.pk), "backing, closed, decided:")
    now = timezone.now()
    later, _ = backing(world, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=22))
    problems += both(page, _url("voice", later.pk), "backing, not open yet:")

    decision = awarded(world.manager, world.org_a_admin, name="Voice verdict round")
    rating = verdict(decision)
    problems += both(page, _url("voice", rating.pk), "verdict, open:")
    problems += send_with_error(page, "Send my response", "Select how well", "verdict:")
    problems += both(page, _url("representative", decision.pk), "representative, verdict open:")
    _, closing = sent(rating, "closing@example.org", rating=3)
    rating.closed_at = timezone.now()
    rating.save(update_fields=["closed_at"])
    problems += both(page, _url("voice_confirm", closing), "a link, window closed:")
    problems += both(page, _url("voice", rating.pk), "verdict, closed:")
    problems += both(
        page, _url("public_round", consultation.round_community.round_id), "round, backing:"
    )
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
