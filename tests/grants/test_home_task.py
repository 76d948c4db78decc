"""The organisation's home page asks it to finish a draft before the round closes."""

import pytest
from django.urls import reverse

from vcs_support.next_steps import TO_DO, WAITING, GrantDraftFacts, organisation_tasks

from ..conftest import client_for
from .factories import close, open_round, start

pytestmark = pytest.mark.django_db


def test_a_draft_in_an_open_round_is_a_task_with_its_closing_time(world):
    grant_round = open_round(by=world.manager)
    application = start(grant_round, world.org_a_admin)
    page = client_for(world.org_a_admin).get(reverse("home")).content.decode()
    name = (
        f"Finish your application for the {application.community_name} by "
        f"{grant_round.closes_words}"
    )
    assert name in page
    assert reverse("grants:application", args=[application.pk]) in page
    # A plain member sees who does it; after the closing time the task goes.
    assert "An administrator of your organisation finishes and sends it." in (
        client_for(world.org_a_member).get(reverse("home")).content.decode()
    )
    close(grant_round)
    assert name not in client_for(world.org_a_admin).get(reverse("home")).content.decode()


def test_the_task_is_the_administrators_to_do_and_a_members_to_wait_for():
    from datetime import date

    from ..home.test_next_steps import facts

    draft = GrantDraftFacts(pk=3, community="Sikh community", closes_words="5pm on Friday")
    for is_admin, status in ((True, TO_DO), (False, WAITING)):
        sections = organisation_tasks(
            facts(is_admin=is_admin, grant_drafts=(draft,)), date(2026, 6, 1)
        )
        [task] = sections[-1].tasks
        assert task.name == "Finish your application for the Sikh community by 5pm on Friday"
        assert task.status == status
    assert len(organisation_tasks(facts(), date(2026, 6, 1))) == 2
