"""No axe-core violation where the yearly verdict is shown, in each state, at the usual
width and at 320 px (where nothing may scroll the page sideways): the representative's
public page (not asked yet, a verdict open, a verdict closed with its numbers); the
officer's monitoring view of the grant (open with counts so far, closed with a review and
approved comments; its tables scroll in their own boxes); and the round's page and form
with the community's say (and the form's errors).
"""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from ..conftest import build_world
from ..grants.concern_support import awarded
from ..grants.factories import draft_round
from ..grants.voice_support import counted, verdict
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import send_with_error
from .test_voice_accessibility import both

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def test_the_verdict_s_places_in_each_state_pass_axe(new_context, live_server):
    from grants.consultation_services import close_ended
    from grants.models import GrantRound, Voice

    world = build_world()
    decision = awarded(world.manager, world.org_a_admin)
    public_url = _url("representative", decision.pk)
    officer_url = _url("grant_monitoring", decision.pk)

    public = new_context()
    load_axe(public)
    page = public.new_page()
    problems = both(page, public_url, "public, not asked yet:")

    officer = new_context()
    load_axe(officer)
    sign_in(officer, live_server, world.officer)
    staff = officer.new_page()
    problems += both(staff, officer_url, "officer, not asked yet:")

    open_one = verdict(decision, open_for=timedelta(days=3))
    for n, rating in enumerate([2, 4, 5]):
        counted(open_one, email=f"o{n}@example.org", rating=rating)
    problems += both(page, public_url, "public, a verdict open:")
    problems += both(staff, officer_url, "officer, a verdict open:")

    # Close it under a raised threshold: a review opens; a comment approved.
    GrantRound.objects.filter(pk=decision.round_community.round_id).update(
        verdict_threshold=Decimal("4.00")
    )
    voice = Voice.objects.filter(consultation=open_one).first()
    Voice.objects.filter(pk=voice.pk).update(
        comment="They came to our meeting and reported back.", comment_status="approved"
    )
    close_ended(timezone.now() + timedelta(days=4))
    problems += both(page, public_url, "public, a verdict closed:")
    problems += both(staff, officer_url, "officer, a verdict closed with a review:")

    manager = new_context()
    load_axe(manager)
    sign_in(manager, live_server, world.manager)
    round_page = manager.new_page()
    grant_round = draft_round(by=world.manager)
    problems += both(round_page, _url("round_detail", grant_round.pk), "manager, the round:")
    problems += both(round_page, _url("round_edit", grant_round.pk), "manager, the form:")
    round_page.get_by_label("Days the community has to back an applicant").fill("0")
    problems += send_with_error(
        round_page, "Save changes", "The number of days must be 1 or more", "manager, the form:"
    )
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
