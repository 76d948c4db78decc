"""The community's voice through the public pages (no account): the list, a consultation's
page in each state (open, not yet open, closed; backing and verdict; totals before and after
the decision), sending with errors and limits, the emailed link, and the privacy notice."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from grants import voice_rules
from grants.models import CommunityDecision, GrantRound, Voice
from grants.voice_services import confirm_voice, send_voice

from ..conftest import assert_constant_queries, client_for, count_queries
from .concern_support import awarded
from .voice_support import backing, counted, verdict

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def opened(world):
    return backing(world)


def url(name, *args):
    return reverse(f"grants:{name}", args=args)


def form(choice="none", **change):
    return {
        "choice": choice,
        "comment": "",
        "postcode": "LE1 6ZG",
        "lives_in_area": "on",
        "belongs": "on",
        "email": "resident@example.org",
        **change,
    }


def sent(consultation, **kwargs):
    kwargs.setdefault("none_of_these", True)
    return send_voice(
        consultation=consultation,
        email="resident@example.org",
        postcode="LE1 6ZG",
        lives_in_area=True,
        belongs=True,
        **kwargs,
    )


# --------------------------------------------------------------- the list


def test_the_list_shows_consultations_open_now_only(world, opened):
    consultation, _ = opened
    ended, _ = backing(world, open_for=timedelta(days=-1))
    response = client_for(None).get(url("voices"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [consultation.pk]
    page = text(response)
    assert "Which applicant should represent the community" in page
    assert url("voice", consultation.pk) in response.content.decode()
    assert url("voice", ended.pk) not in response.content.decode()
    assert url("voice_privacy") in response.content.decode()


def test_the_list_reads_the_same_queries_at_1_and_3_consultations(world, opened):
    client = client_for(None)
    client.get(url("voices"))
    with count_queries() as one:
        client.get(url("voices"))
    backing(world)
    backing(world)
    with count_queries() as many:
        response = client.get(url("voices"))
    assert response.context["page"].paginator.count == 3
    # The count, and the page with each one's community, round and representative.
    assert len(one) == len(many) == 2, "\n".join(q["sql"] for q in many.captured_queries)


def test_the_list_says_when_nothing_is_open(db):
    assert "Nothing is open for responses now" in text(client_for(None).get(url("voices")))


# --------------------------------------------------------------- a backing page


def test_an_open_backing_page_shows_the_applicants_mandates_and_the_form(opened):
    consultation, applications = opened
    response = client_for(None).get(url("voice", consultation.pk))
    page = text(response)
    community = consultation.round_community.community.name
    assert f"Who should represent the {community}?" in page
    assert "Open until" in page
    for application in applications:
        assert application.organisation.name in page
    answers = [a.text for a in applications[0].answers.filter(criterion__section="representation")]
    assert answers and all(" ".join(a.split()) in page for a in answers)
    assert "None of these" in page
    assert "I live, work or study in Leicester" in page
    assert f"I belong to the {community}" in page
    assert "You can enter up to 200 words" in page
    assert url("voice_privacy") in response.content.decode()
    # No totals before the decision.
    assert "The numbers are published here once the council has made its decision" in page


def test_the_totals_are_public_only_after_the_decision_and_the_close(world, opened):
    consultation, applications = opened
    counted(consultation, application=applications[0])
    counted(consultation, email="b@example.org", application=applications[0])
    counted(consultation, email="c@example.org")
    response = client_for(None).get(url("voice", consultation.pk))
    assert not response.context["show_totals"] and response.context["totals"] == []
    assert "Confirmed responses, by the applicant backed" not in text(response)
    CommunityDecision.objects.create(
        round_community=consultation.round_community,
        outcome="no_award",
        reasons="The panel decided to make no award.",
        decided_by=world.manager,
    )
    # Never while the window is open, even once decided.
    assert not client_for(None).get(url("voice", consultation.pk)).context["show_totals"]
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    response = client_for(None).get(url("voice", consultation.pk))
    page = text(response)
    assert response.context["show_totals"]
    assert f"{applications[0].organisation.name} 2" in page
    assert "None of these 1" in page


@pytest.mark.parametrize("decided", [False, True], ids=["open", "with the totals"])
def test_a_backing_page_reads_the_same_queries_however_many_voices(world, opened, decided):
    consultation, applications = opened
    if decided:
        CommunityDecision.objects.create(
            round_community=consultation.round_community,
            outcome="no_award",
            reasons="The panel decided to make no award.",
            decided_by=world.manager,
        )
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["closed_at"])
    made = []

    def more(n):
        for _ in range(n):
            made.append(
                counted(
                    consultation,
                    email=f"v{len(made)}@example.org",
                    application=applications[len(made) % 2],
                )
            )

    client = client_for(None)
    count = assert_constant_queries(
        more, lambda: client.get(url("voice", consultation.pk)), large=20
    )
    # The consultation with its community, round and representative; the applicants; their
    # mandates; whether the decision is final; and (after it) the totals in one grouped count.
    assert count == (5 if decided else 4)


def test_a_closed_backing_page_says_so_and_shows_no_form(world):
    consultation, _ = backing(world, open_for=timedelta(days=-1))
    response = client_for(None).get(url("voice", consultation.pk))
    page = text(response)
    assert "This closed at" in page and "No more responses are taken" in page
    assert "<form" not in response.content.decode().split('id="main-content"')[-1]
    # A POST to a closed page saves nothing.
    response = client_for(None).post(url("voice", consultation.pk), form())
    assert response.status_code == 200 and not Voice.objects.exists()


def test_sent_after_the_window_closed_the_page_shows_what_was_typed_not_who(world):
    consultation, applications = backing(world, open_for=timedelta(days=-1))
    data = form(
        choice=str(applications[1].pk),
        comment="They listen to us.\nAnd they turn up.",
        email="typed.person@example.org",
        postcode="LE1 6ZG",
    )
    response = client_for(None).post(url("voice", consultation.pk), data)
    assert response.status_code == 200
    page = text(response)
    assert "This closed at" in page and "No more responses are taken" in page
    assert "What you wrote, not saved" in page
    assert f"You back {applications[1].organisation.name}" in page
    assert "They listen to us. And they turn up." in page
    html = response.content.decode()
    assert "They listen to us.<br>And they turn up." in html
    # Never who they are: not the address, not the postcode.
    assert "typed.person" not in html and "LE1 6ZG" not in html and "LE1" not in page
    assert "<form" not in html.split('id="main-content"')[-1]
    assert not Voice.objects.exists()


def test_sent_before_a_verdict_opened_the_page_shows_the_rating_typed(world):
    decision = awarded(world.manager, world.org_a_admin)
    now = timezone.now()
    consultation = verdict(
        decision, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=21)
    )
    response = client_for(None).post(
        url("voice", consultation.pk),
        form(choice="", rating="5", comment="", email="early@example.org"),
    )
    page = text(response)
    assert "This opens at" in page and "What you wrote, not saved" in page
    assert "How well Organisation A represents you Very well" in page
    assert "Your comment None" in page
    assert "early@example.org" not in response.content.decode()
    assert not Voice.objects.exists()
    # A GET shows no such block.
    assert "What you wrote" not in text(client_for(None).get(url("voice", consultation.pk)))


def test_a_page_not_open_yet_says_when_it_opens(world):
    now = timezone.now()
    consultation, _ = backing(
        world, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=23)
    )
    page = text(client_for(None).get(url("voice", consultation.pk)))
    assert "This opens at" in page and "Send my response" not in page


def test_a_consultation_in_a_round_the_public_cannot_see_is_404(opened):
    consultation, _ = opened
    GrantRound.objects.filter(pk=consultation.round_community.round_id).update(
        published_at=None, status="draft"
    )
    for name in ("voice", "voice_sent"):
        assert client_for(None).get(url(name, consultation.pk)).status_code == 404
    assert client_for(None).post(url("voice", consultation.pk), form()).status_code == 404
    assert client_for(None).get(url("voice", 999999)).status_code == 404


# --------------------------------------------------------------- sending


def test_sending_emails_the_link_and_shows_check_your_email(opened):
    consultation, applications = opened
    client = client_for(None)
    response = client.post(
        url("voice", consultation.pk), form(choice=str(applications[1].pk), comment="Good.")
    )
    assert response.status_code == 302
    assert response["Location"] == url("voice_sent", consultation.pk)
    voice = Voice.objects.get()
    assert voice.status == "unconfirmed" and voice.application == applications[1]
    assert voice.comment == "Good." and voice.postcode_district == "LE1"
    page = text(client.get(response["Location"]))
    assert "We have sent a link to resident@example.org" in page
    assert "within 2 hours" in page


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        (
            {"choice": "", "postcode": "", "lives_in_area": "", "belongs": "", "email": ""},
            [
                "Select the applicant you back, or none of these",
                "Enter the postcode where you live, work or study",
                "Confirm that you live, work or study in Leicester",
                "Confirm that you belong to the",
                "Enter your email address",
            ],
        ),
        ({"choice": "999999"}, ["Select one of the applicants listed"]),
        ({"postcode": "LE2 4AB"}, ["LE2 4AB is not in Leicester"]),
        ({"email": "resident.example.org"}, ["Enter an email address in the correct format"]),
        ({"comment": " ".join(["word"] * 201)}, ["Your comment must be 200 words or fewer"]),
    ],
)
def test_bad_input_shows_each_error_keeps_what_was_typed_and_saves_nothing(
    opened, change, messages
):
    consultation, applications = opened
    data = {**form(choice=str(applications[0].pk), comment="Kept comment"), **change}
    response = client_for(None).post(url("voice", consultation.pk), data)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    for message in messages:
        assert message in page
    html = response.content.decode()
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    if data["comment"] == "Kept comment":
        assert "Kept comment" in html
    if data["postcode"]:
        assert data["postcode"] in html
    assert not Voice.objects.exists()


def test_past_the_network_limit_the_form_says_so_keeps_values_and_answers_429(opened):
    consultation, _ = opened
    for n in range(voice_rules.SOURCE_LIMIT):
        send_voice(
            consultation=consultation,
            email=f"p{n}@example.org",
            postcode="LE1 6ZG",
            lives_in_area=True,
            belongs=True,
            none_of_these=True,
            ip_address="127.0.0.1",
        )
    response = client_for(None).post(
        url("voice", consultation.pk), form(comment="Still here", email="late@example.org")
    )
    assert response.status_code == 429
    page = text(response)
    assert "responses have been sent from your network in the last hour" in page
    assert "Still here" in response.content.decode()
    assert 'value="late@example.org"' in response.content.decode()
    assert not Voice.objects.filter(email="late@example.org").exists()


def test_past_the_person_limit_the_page_reads_as_if_sent(opened):
    consultation, _ = opened
    client = client_for(None)
    for _ in range(voice_rules.PERSON_LIMIT):
        sent(consultation)
    response = client.post(url("voice", consultation.pk), form())
    assert response.status_code == 302
    assert response["Location"] == url("voice_sent", consultation.pk)
    assert Voice.objects.count() == voice_rules.PERSON_LIMIT


def test_a_verdict_page_asks_how_well_and_records_a_rating(world):
    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision)
    client = client_for(None)
    page = text(client.get(url("voice", consultation.pk)))
    assert "How well does Organisation A represent you?" in page
    for words in voice_rules.SCALE.values():
        assert words in page
    response = client.post(url("voice", consultation.pk), form(choice="", rating="2"))
    assert response.status_code == 302
    assert Voice.objects.get().rating == 2
    response = client.post(url("voice", consultation.pk), form(choice="", rating=""))
    assert "Select how well Organisation A represents you" in text(response)


def test_a_closed_verdict_points_to_the_representative_page(world):
    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision, open_for=timedelta(days=-1))
    response = client_for(None).get(url("voice", consultation.pk))
    assert "The result is on the representative's page." in text(response)
    assert url("representative", decision.pk) in response.content.decode()
    assert "Send my response" not in text(response)


# --------------------------------------------------------------- the link


def test_the_link_shows_the_choice_and_changes_nothing_until_confirmed(opened):
    consultation, applications = opened
    _, token = sent(consultation, application=applications[0], none_of_these=False)
    client = client_for(None)
    page = text(client.get(url("voice_confirm", token)))
    assert "Confirm your response" in page
    assert f"You back {applications[0].organisation.name}" in page
    assert Voice.objects.get().status == "unconfirmed"
    response = client.post(url("voice_confirm", token))
    assert response.status_code == 200
    page = text(response)
    assert "Your response is counted" in page
    assert "your new choice replaces this one" in page
    assert "A scheduled job then deletes it" in page
    assert Voice.objects.get().status == "counted"
    # Used: the link no longer works, and says nothing of the choice.
    for response in (
        client.get(url("voice_confirm", token)),
        client.post(url("voice_confirm", token)),
    ):
        page = text(response)
        assert response.status_code == 200 and "This link does not work" in page
        assert applications[0].organisation.name not in page


def test_a_response_that_stays_set_aside_is_not_called_counted(world, opened):
    consultation, applications = opened
    Voice.objects.filter(pk=counted(consultation).pk).update(
        status="set_aside",
        set_aside_at=timezone.now(),
        set_aside_by=world.manager,
        set_aside_reason="Sent from a throwaway address.",
    )
    _, token = sent(consultation, application=applications[0], none_of_these=False)
    response = client_for(None).post(url("voice_confirm", token))
    assert response.status_code == 200
    page = text(response)
    assert "Your response is counted" not in page
    assert "We have recorded your response" in page
    assert "Your earlier response was set aside by the council" in page
    assert "so this one is not counted either" in page
    assert f"If you think this is wrong, email {settings.SERVICE_CONTACT_EMAIL}" in page
    assert f'href="mailto:{settings.SERVICE_CONTACT_EMAIL}"' in response.content.decode()
    voice = Voice.objects.get()
    assert voice.status == "set_aside" and voice.application == applications[0]


def test_a_link_opened_again_after_confirming_says_the_response_is_recorded(opened):
    consultation, _ = opened
    _, token = sent(consultation)
    client = client_for(None)
    client.post(url("voice_confirm", token))
    for response in (
        client.get(url("voice_confirm", token)),
        client.post(url("voice_confirm", token)),
    ):
        page = text(response)
        assert "It may have been used already" in page
        assert "if you confirmed your response with it, your response is recorded" in page
        assert "to change it you can respond again" in page


def test_the_counted_page_says_what_the_code_kept_can_do(opened):
    consultation, _ = opened
    _, token = sent(consultation)
    page = text(client_for(None).post(url("voice_confirm", token)))
    assert "cannot be turned back into the address" not in page
    assert "a code made from your email address with a secret key" in page
    assert "If you give us your address, we can use the code to find your response" in page
    assert "A year after the end of the grant period this response is about" in page


def test_an_expired_link_says_so_and_changes_nothing(opened):
    consultation, _ = opened
    _, token = sent(consultation)
    Voice.objects.update(created_at=timezone.now() - voice_rules.CONFIRM_WITHIN)
    client = client_for(None)
    for response in (
        client.get(url("voice_confirm", token)),
        client.post(url("voice_confirm", token)),
    ):
        assert "This link has expired: links work for 2 hours." in text(response)
    assert Voice.objects.get().status == "unconfirmed"


def test_a_link_after_the_window_closed_says_so_and_counts_nothing(opened):
    consultation, _ = opened
    _, token = sent(consultation)
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    client = client_for(None)
    for response in (
        client.get(url("voice_confirm", token)),
        client.post(url("voice_confirm", token)),
    ):
        assert "This closed on" in text(response)
    assert Voice.objects.get().status == "unconfirmed"


def test_an_unknown_link_says_it_is_not_valid(db):
    response = client_for(None).get(url("voice_confirm", "not-a-token"))
    assert response.status_code == 200
    assert "This link is not valid." in text(response)


def test_a_verdict_link_shows_the_rating_in_words(world):
    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision)
    _, token = send_voice(
        consultation=consultation,
        email="r@example.org",
        postcode="LE1 6ZG",
        lives_in_area=True,
        belongs=True,
        rating=5,
    )
    page = text(client_for(None).get(url("voice_confirm", token)))
    assert "How well Organisation A represents you Very well" in page
    confirm_voice(token=token)


# --------------------------------------------------------------- links to the pages


def test_the_round_page_links_to_each_community_backing_now(opened):
    consultation, _ = opened
    html = client_for(None).get(url("public_round", consultation.round_community.round_id))
    assert url("voice", consultation.pk) in html.content.decode()
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    html = client_for(None).get(url("public_round", consultation.round_community.round_id))
    assert url("voice", consultation.pk) not in html.content.decode()


def test_the_representative_page_links_to_an_open_verdict(world):
    decision = awarded(world.manager, world.org_a_admin)
    assert (
        url("voices")
        not in client_for(None).get(url("representative", decision.pk)).content.decode()
    )
    consultation = verdict(decision)
    html = client_for(None).get(url("representative", decision.pk)).content.decode()
    assert url("voice", consultation.pk) in html
    assert "Say how well Organisation A represents you" in text_of(html)


def text_of(html):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_privacy_notice_states_the_lawful_basis_and_retention(db):
    page = text(client_for(None).get(url("voice_privacy")))
    for words in (
        "special category data",
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Schedule 1, paragraph 6",
        "deleted after 2 hours",
        "deleted when the time to respond closes",
        "one year after it",
        "postcode district",
    ):
        assert words in page, words


def test_the_privacy_notice_says_the_code_can_still_find_a_response(db):
    page = text(client_for(None).get(url("voice_privacy")))
    assert "we no longer know which response is yours" not in page
    assert "It cannot be turned back into your address" not in page
    assert "After that, we no longer hold your address" in page
    assert "if you give us your address, we can find your response" in page
    assert "until a year after the end of the grant period your response was about" in page
