"""Staff pages of the community's voice, in each state: the moderator's page of a consultation
and of one response (set aside, count again), the officers' comment queue and check, the
assisted response, the links from the ranking and the officer's home. Bad input keeps what was
typed and changes nothing; pages read the same queries however many voices there are."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse

from grants.decision_services import make_no_award
from grants.models import Voice
from grants.voice_moderation_services import set_aside_voice

from ..conftest import assert_constant_queries, client_for
from .voice_support import COMMENT, RESIDENT, backing, counted, ended, verdict

pytestmark = pytest.mark.django_db

FLAG = "5 responses from one network within an hour"
REASON = "One of 40 responses from one network within ten minutes."


def _page(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _checked(html, value):
    """Whether the radio with this value is ticked (its attributes in any order)."""
    return any(
        f'value="{value}"' in tag and " checked" in tag for tag in re.findall(r"<input[^>]*>", html)
    )


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


@pytest.fixture
def backed(world):
    consultation, sent = backing(world, applications=2)
    return consultation, sent


# --------------------------------------------------------------- the moderator's page


def test_the_moderators_page_shows_totals_population_and_flagged_voices(world, backed):
    consultation, (first, second) = backed
    community = consultation.round_community.community
    community.population, community.population_source = 1800, "Census 2021, table TS030"
    community.save()
    flagged = counted(consultation, application=first, flag=FLAG)
    counted(consultation, email="b@example.org", application=first)
    counted(consultation, email="n@example.org")
    aside = counted(consultation, email="aside@example.org", application=second)
    set_aside_voice(voice=aside, by=world.manager, reason=REASON)
    response = client_for(world.manager).get(_url("consultation_moderation", consultation.pk))
    page = _page(response)
    assert "About 1,800 people (Census 2021, table TS030)" in page
    assert "not a sample of the community. It is not a poll." in page
    rows = {first.organisation.name: (2, 0, 1), second.organisation.name: (0, 1, 0)}
    for name, (n, aside_n, flagged_n) in [*rows.items(), ("None of these", (1, 0, 0))]:
        assert f"{name} Counted {n} Set aside {aside_n} Flagged {flagged_n}" in page
    assert FLAG in page and f"Set aside because: {REASON}" in page
    html = response.content.decode()
    assert _url("voice_moderate", flagged.pk) in html and _url("voice_moderate", aside.pk) in html
    assert RESIDENT not in html  # staff never see the address


def test_population_not_known(world, backed):
    consultation, _sent = backed
    community = consultation.round_community.community
    community.population, community.population_source = None, ""
    community.save()
    page = _page(client_for(world.manager).get(_url("consultation_moderation", consultation.pk)))
    assert "Not known: the round has no figure for this community." in page
    assert "No response has been flagged or set aside." in page


def test_after_the_decision_the_page_offers_no_moves(world, backed):
    consultation, (first, _second) = backed
    flagged = counted(consultation, application=first, flag=FLAG)
    ended(consultation)  # decided once the backing has closed
    make_no_award(
        round_community=consultation.round_community, reasons="None ready.", by=world.manager
    )
    client = client_for(world.manager)
    response = client.get(_url("consultation_moderation", consultation.pk))
    assert "The decision for this community has been made" in _page(response)
    assert _url("voice_moderate", flagged.pk) not in response.content.decode()
    response = client.post(_url("voice_moderate", flagged.pk), {"reason": REASON})
    assert "The decision for this community has been made" in _page(response)
    flagged.refresh_from_db()
    assert flagged.status == "counted"


def test_a_verdicts_page_shows_its_result(world):
    from .concern_support import awarded

    consultation = verdict(awarded(world.manager, world.org_a_admin))
    counted(consultation, rating=2)
    counted(consultation, email="two@example.org", rating=5, flag=FLAG)
    page = _page(client_for(world.manager).get(_url("consultation_moderation", consultation.pk)))
    assert "2 people responded; the average was 3.50 out of 5." in page
    assert FLAG in page and "Rated 5 out of 5" in page


def test_the_moderators_page_reads_the_same_queries_however_many_voices(world, backed):
    consultation, (first, second) = backed
    client = client_for(world.manager)
    url = _url("consultation_moderation", consultation.pk)

    def more(n):
        start = Voice.objects.count()
        for i in range(n):
            counted(consultation, email=f"f{start + i}@example.org", application=first, flag=FLAG)
            counted(consultation, email=f"s{start + i}@example.org", application=second)

    count = assert_constant_queries(more, lambda: client.get(url), small=1, large=30)
    # The session, the manager, their authenticators; the consultation with its community
    # and round; the manager's conflicts; whether decided; the count and page of flagged
    # voices; the applicants, the grouped counts, the latest comments.
    assert count == 11


def test_the_ranking_links_to_the_communitys_backing(world, backed):
    consultation, _sent = backed
    response = client_for(world.manager).get(
        _url("round_ranking", consultation.round_community.round_id)
    )
    assert _url("consultation_moderation", consultation.pk) in response.content.decode()
    consultation.delete()
    response = client_for(world.manager).get(
        _url("round_ranking", consultation.round_community.round_id)
    )
    assert "grant-consultations" not in response.content.decode()


def test_the_full_list_of_approved_comments_is_paginated(world, backed):
    consultation, (first, _second) = backed
    for i in range(25):
        counted(
            consultation,
            email=f"c{i}@example.org",
            application=first,
            comment=f"Comment number {i}.",
        )
    Voice.objects.update(comment_status="approved")
    client = client_for(world.manager)
    url = _url("consultation_comments", consultation.pk) + f"?applicant={first.pk}"
    page = _page(client.get(url))
    assert "25 approved comments" in page and "Page 1 of 2" in page
    assert "Comment number 24." in page and "Comment number 0." not in page
    assert "Comment number 0." in _page(client.get(url + "&page=2"))
    assert "No approved comments." in _page(
        client.get(_url("consultation_comments", consultation.pk) + "?applicant=none")
    )
    bad = _url("consultation_comments", consultation.pk) + "?applicant=999999"
    assert client.get(bad).status_code == 404


# --------------------------------------------------------------- one response


def test_setting_a_response_aside_and_counting_it_again(world, backed):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first, flag=FLAG)
    client = client_for(world.manager)
    url = _url("voice_moderate", voice.pk)
    page = _page(client.get(url))
    assert "Set this response aside" in page and FLAG in page and RESIDENT not in page
    response = client.post(url, {"reason": ""})
    assert "Enter why the response is set aside" in _page(response)
    too_long = "x" * 2001
    response = client.post(url, {"reason": too_long})
    assert "The reason must be 2,000 characters or fewer" in _page(response)
    assert too_long in response.content.decode()  # nothing typed is lost
    voice.refresh_from_db()
    assert voice.status == "counted"
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    assert response.url == _url("consultation_moderation", consultation.pk)
    voice.refresh_from_db()
    assert voice.status == "set_aside"
    page = _page(client.get(url))
    assert "Count this response again" in page and REASON in page
    response = client.post(url, {"reason": ""})
    assert "Enter why the response is counted again" in _page(response)
    assert client.post(url, {"reason": "A mistake."}).status_code == 302
    voice.refresh_from_db()
    assert voice.status == "counted"


def test_unconfirmed_voices_are_not_found(world, backed):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first)
    Voice.objects.filter(pk=voice.pk).update(
        status="unconfirmed", confirmed_at=None, token_hash="q" * 64
    )
    client = client_for(world.manager)
    assert client.get(_url("voice_moderate", voice.pk)).status_code == 404


# --------------------------------------------------------------- comments


def test_the_officers_queue_and_home_list_the_comments_waiting(world, backed):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first, comment=COMMENT)
    counted(consultation, email="plain@example.org", application=first)
    client = client_for(world.officer)
    response = client.get(_url("voice_comments"))
    page = _page(response)
    assert "1 comment to check" in page and f"Backs {first.organisation.name}" in page
    assert _url("voice_comment_check", voice.pk) in response.content.decode()
    assert _url("assisted_response", consultation.pk) in response.content.decode()
    home = client.get(reverse("home"))
    assert "Comments from communities to check (1)" in _page(home)
    assert _url("voice_comments") in home.content.decode()
    assert client.post(_url("voice_comments")).status_code == 405


def test_the_queue_reads_the_same_queries_however_many_comments(world, backed):
    consultation, (first, _second) = backed
    client = client_for(world.officer)

    def more(n):
        start = Voice.objects.count()
        for i in range(n):
            counted(
                consultation, email=f"q{start + i}@example.org", application=first, comment=COMMENT
            )

    assert_constant_queries(more, lambda: client.get(_url("voice_comments")), small=1, large=30)


def test_checking_a_comment(world, backed):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first, comment=COMMENT)
    client = client_for(world.officer)
    url = _url("voice_comment_check", voice.pk)
    page = _page(client.get(url))
    assert COMMENT in page and RESIDENT not in page
    assert "Select whether to approve or withhold the comment" in _page(client.post(url, {}))
    response = client.post(url, {"decision": "withhold", "reason": ""})
    assert "Enter why the comment is withheld" in _page(response)
    assert _checked(response.content.decode(), "withhold")
    voice.refresh_from_db()
    assert voice.comment_status == "waiting"
    response = client.post(url, {"decision": "withhold", "reason": "Names a neighbour."})
    assert response.status_code == 302 and response.url == _url("voice_comments")
    voice.refresh_from_db()
    assert voice.comment_status == "withheld"
    # Once withheld, only approving is offered.
    response = client.get(url)
    assert 'value="approve"' in response.content.decode()
    assert 'value="withhold"' not in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    voice.refresh_from_db()
    assert voice.comment_status == "approved"


def test_a_response_without_a_comment_has_no_check_page(world, backed):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first)
    assert client_for(world.officer).get(_url("voice_comment_check", voice.pk)).status_code == 404


# --------------------------------------------------------------- assisted responses


ASSISTED = {
    "how": "phone",
    "comment": "They came to our food bank every week.",
    "postcode": "LE1 6ZG",
    "email": "",
    "name": "Grace Adeyemi",
}


def test_an_officer_records_an_assisted_response(world, backed):
    consultation, (first, second) = backed
    client = client_for(world.officer)
    url = _url("assisted_response", consultation.pk)
    page = _page(client.get(url))
    assert first.organisation.name in page and second.organisation.name in page
    assert "None of these" in page
    response = client.post(url, {**ASSISTED, "choice": str(first.pk)})
    assert response.status_code == 302 and response.url == url
    voice = Voice.objects.get(consultation=consultation)
    assert (voice.status, voice.assisted_how, voice.recorded_by) == (
        "counted",
        "phone",
        world.officer,
    )
    assert voice.application == first and voice.comment_status == "waiting"
    assert voice.email == "" and "Grace" not in str(vars(voice))
    # The same person again (by name and postcode) replaces their choice.
    client.post(url, {**ASSISTED, "choice": "none", "how": "event"})
    voice = Voice.objects.get(consultation=consultation)
    assert voice.application is None and voice.assisted_how == "event"


def test_bad_input_is_explained_and_kept(world, backed):
    consultation, (first, _second) = backed
    client = client_for(world.officer)
    url = _url("assisted_response", consultation.pk)
    page = _page(client.post(url, {}))
    for message in (
        "Select how the response was taken",
        "Select the applicant the person backs, or none of these",
        "Enter the postcode where the person lives, works or studies",
        "Enter the person's email address, or their name if they have none",
    ):
        assert message in page, message
    data = {**ASSISTED, "choice": str(first.pk), "postcode": "SW1A 1AA"}
    response = client.post(url, data)
    page = _page(response)
    assert "SW1A 1AA is not in" in page
    html = response.content.decode()
    assert ASSISTED["comment"] in html and 'value="Grace Adeyemi"' in html
    assert _checked(html, first.pk) and _checked(html, "phone")
    response = client.post(url, {**data, "postcode": "LE1 6ZG", "comment": "word " * 201})
    assert "200 words" in _page(response)
    assert not Voice.objects.exists()


def test_no_assisted_response_once_the_window_has_closed(world):
    consultation, (first, _second) = backing(world, open_for=-timedelta(hours=1))
    client = client_for(world.officer)
    url = _url("assisted_response", consultation.pk)
    page = _page(client.get(url))
    assert "This closed on" in page and "Record the response" not in page
    page = _page(client.post(url, {**ASSISTED, "choice": str(first.pk)}))
    assert "This closed on" in page
    assert not Voice.objects.exists()


def test_an_assisted_verdict_asks_for_the_rating(world):
    from .concern_support import awarded

    consultation = verdict(awarded(world.manager, world.org_a_admin))
    client = client_for(world.officer)
    url = _url("assisted_response", consultation.pk)
    page = _page(client.get(url))
    assert "Very well" in page and "Very badly" in page
    assert "Select how well the person says" in _page(client.post(url, ASSISTED))
    assert client.post(url, {**ASSISTED, "rating": "4"}).status_code == 302
    voice = Voice.objects.get(consultation=consultation)
    assert voice.rating == 4 and voice.application is None


@pytest.mark.parametrize("role", ["org_a_admin", "provider_user", "outsider"])
def test_no_staff_page_for_anyone_else(world, backed, role):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first, comment=COMMENT)
    client = client_for(getattr(world, role))
    for url in (
        _url("consultation_moderation", consultation.pk),
        _url("consultation_comments", consultation.pk),
        _url("voice_moderate", voice.pk),
        _url("voice_comments"),
        _url("voice_comment_check", voice.pk),
        _url("assisted_response", consultation.pk),
        _url("application_comments", first.pk),
    ):
        assert client.get(url).status_code == 404, url


def test_officers_may_not_moderate(world, backed):
    consultation, (first, _second) = backed
    voice = counted(consultation, application=first)
    client = client_for(world.officer)
    assert client.get(_url("consultation_moderation", consultation.pk)).status_code == 403
    assert client.post(_url("voice_moderate", voice.pk), {"reason": REASON}).status_code == 403
    voice.refresh_from_db()
    assert voice.status == "counted"


def test_staff_without_the_second_factor_are_sent_to_give_it(world, backed):
    consultation, _sent = backed
    client = client_for(world.manager, second_factor=False)
    response = client.get(_url("consultation_moderation", consultation.pk))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/")


# --------------------------------------------------------------- conflicts of interest


def _declare_conflict(application, user):
    from grants.assessment_models import Assessment

    Assessment.objects.create(
        application=application,
        assessor=user,
        has_conflict=True,
        conflict_details="Sister chairs it.",
    )


def test_an_officer_with_a_conflict_neither_records_responses_nor_checks_comments(world, backed):
    consultation, (first, _second) = backed
    waiting = counted(consultation, application=first, comment=COMMENT)
    _declare_conflict(first, world.officer)
    client = client_for(world.officer)
    url = _url("assisted_response", consultation.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {**ASSISTED, "choice": str(first.pk)}).status_code == 403
    check = _url("voice_comment_check", waiting.pk)
    assert client.get(check).status_code == 403
    assert client.post(check, {"decision": "withhold", "reason": REASON}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.comment_status == "waiting"
    assert Voice.objects.filter(consultation=consultation).count() == 1
    # Another officer, with no conflict, may.
    assert client_for(world.manager).get(url).status_code == 200
