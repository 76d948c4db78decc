"""What staff read of the community's backing: the counts (counted voices only, assisted among
them; set-aside and unconfirmed ones nowhere; a withdrawn applicant's kept), the latest
approved comments, and the block assessors and the moderator see beside the criterion that
shows it. Conflicted assessors and applicants never see it. Queries do not grow with voices."""

import re
from html import unescape

import pytest
from django.urls import reverse

from grants import voice_selectors
from grants.application_services import withdraw_application
from grants.models import Voice
from grants.voice_moderation_services import approve_comment

from ..conftest import assert_constant_queries, client_for, count_queries
from .assessing import declared, on_panel, sent_marks
from .voice_support import backing, counted

pytestmark = pytest.mark.django_db

NOTE = "Backing is self-selected: the people who chose to respond, not a sample of the community"


def _page(response):
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _people(consultation, application, n, *, start=0, **fields):
    return [
        counted(consultation, email=f"p{start + i}@example.org", application=application, **fields)
        for i in range(n)
    ]


def _approved(consultation, application, officer, texts, *, start=100):
    voices = []
    for i, text in enumerate(texts):
        voice = counted(
            consultation, email=f"c{start + i}@example.org", application=application, comment=text
        )
        voices.append(approve_comment(voice=voice, by=officer))
    return voices


@pytest.fixture
def backed(world):
    consultation, sent = backing(world, applications=2)
    return consultation, sent


def test_only_counted_voices_count_and_assisted_ones_are_among_them(world, backed):
    consultation, (first, second) = backed
    _people(consultation, first, 3)
    _people(consultation, first, 2, start=10, assisted_how="phone", recorded_by=world.officer)
    _people(consultation, second, 1, start=20)
    _people(consultation, None, 2, start=30)
    set_aside = counted(consultation, email="aside@example.org", application=first)
    Voice.objects.filter(pk=set_aside.pk).update(
        status="set_aside",
        set_aside_at=set_aside.confirmed_at,
        set_aside_by=world.manager,
        set_aside_reason="A burst.",
    )
    unconfirmed = counted(consultation, email="later@example.org", application=second)
    Voice.objects.filter(pk=unconfirmed.pk).update(
        status="unconfirmed", confirmed_at=None, token_hash="z" * 64
    )
    counted(consultation, email="flag@example.org", application=second, flag="A throwaway")

    totals = {t.application: t for t in voice_selectors.staff_totals(consultation)}
    assert list(totals) == [*sorted([first, second], key=lambda a: a.organisation.name), None]
    assert (totals[first].counted, totals[first].assisted, totals[first].set_aside) == (5, 2, 1)
    assert (totals[second].counted, totals[second].flagged) == (2, 1)
    assert (totals[None].counted, totals[None].assisted) == (2, 0)


def test_a_withdrawn_applicants_voices_stay_counted_under_it(world, backed):
    consultation, (first, second) = backed
    _people(consultation, second, 2)
    withdraw_application(application=second, by=second.submitted_by, reason="We merged.")
    totals = voice_selectors.staff_totals(consultation)
    assert [t.application for t in totals] == [first, second, None]
    assert totals[1].counted == 2
    assert voice_selectors.applicants(consultation).count() == 1


def test_the_latest_approved_comments_per_applicant_and_no_others(world, backed):
    consultation, (first, second) = backed
    _approved(consultation, first, world.officer, [f"First {n}" for n in range(5)])
    _approved(consultation, None, world.officer, ["Neither"], start=200)
    counted(consultation, email="w@example.org", application=first, comment="Still waiting")
    withheld = counted(consultation, email="h@example.org", application=first, comment="Withheld")
    Voice.objects.filter(pk=withheld.pk).update(comment_status="withheld")
    totals = {t.application: t for t in voice_selectors.staff_totals(consultation)}
    assert totals[first].comments == 5
    assert [v.comment for v in totals[first].latest] == ["First 4", "First 3", "First 2"]
    assert totals[second].latest == () and totals[second].comments == 0
    assert [v.comment for v in totals[None].latest] == ["Neither"]
    listed = list(voice_selectors.approved_comments(consultation, first.pk))
    assert [v.comment for v in listed] == [f"First {n}" for n in (4, 3, 2, 1, 0)]


def test_a_set_aside_voices_comment_is_not_shown(world, backed):
    consultation, (first, _second) = backed
    [voice] = _approved(consultation, first, world.officer, ["Set aside later"])
    Voice.objects.filter(pk=voice.pk).update(
        status="set_aside",
        set_aside_at=voice.confirmed_at,
        set_aside_by=world.manager,
        set_aside_reason="A burst.",
    )
    [total] = [t for t in voice_selectors.staff_totals(consultation) if t.application == first]
    assert (total.comments, total.latest) == (0, ())
    assert not voice_selectors.approved_comments(consultation, first.pk).exists()


def test_the_totals_read_the_same_queries_however_many_voices(world, backed):
    consultation, (first, second) = backed

    def more(n):
        start = Voice.objects.count()
        _people(consultation, first, n, start=start)
        _approved(consultation, second, world.officer, ["Yes"] * n, start=start + 1000)

    more(1)
    with count_queries() as one:
        voice_selectors.staff_totals(consultation)
    more(20)
    with count_queries() as many:
        totals = voice_selectors.staff_totals(consultation)
    # The applicants; the grouped counts; the latest comments of every applicant at once.
    assert len(one) == len(many) == 3
    assert totals[0].counted + totals[1].counted == 42  # 21 backers, 21 with comments


# --------------------------------------------------------------- beside the criterion


@pytest.fixture
def marking(world, backed):
    """The officer on the panel, the first application declared, with backing and comments."""
    consultation, (first, second) = backed
    on_panel(consultation.round_community.round, world)
    declared(first, world.officer)
    _people(consultation, first, 4)
    _people(consultation, first, 1, start=10, assisted_how="event", recorded_by=world.officer)
    _people(consultation, second, 2, start=20)
    _people(consultation, None, 3, start=30)
    _approved(consultation, first, world.officer, [f"Comment {n}" for n in range(4)])
    counted(consultation, email="waits@example.org", application=first, comment="Not checked yet")
    return consultation, first, second


def test_the_assessor_sees_the_backing_beside_the_criterion(world, marking):
    consultation, first, second = marking
    response = client_for(world.officer).get(reverse("grants:assess", args=[first.pk]))
    page = _page(response)
    backing_at = page.index("The community's backing")
    criterion_at = page.index("Support of the majority of the community")
    assert criterion_at < backing_at  # beside the criterion, not at the top
    # 4 online, 1 assisted, 4 with approved comments, 1 with a comment not checked yet.
    assert "Back this applicant 10 people (of whom 1 assisted by an officer)" in page
    assert f"{second.organisation.name} 2 people" in page
    assert "None of these 3 people" in page
    assert NOTE in page
    community = consultation.round_community.community
    if community.population is not None:
        assert f"About {community.population:,} people" in page
    else:
        assert "Not known" in page
    assert "Comment 3" in page and "Comment 1" in page and "Comment 0" not in page
    assert "Not checked yet" not in page
    assert "Read all 4 approved comments" in page
    link = reverse("grants:application_comments", args=[first.pk])
    assert link in response.content.decode()
    listed = _page(client_for(world.officer).get(link))
    assert "Comment 0" in listed and "Not checked yet" not in listed


def test_without_a_criterion_that_shows_it_the_backing_is_at_the_top(world, marking):
    consultation, first, _second = marking
    consultation.round_community.round.criteria.update(shows_backing=False)
    page = _page(client_for(world.officer).get(reverse("grants:assess", args=[first.pk])))
    assert page.count("The community's backing") == 1
    assert page.index("The community's backing") < page.index(
        "Support of the majority of the community"
    )


def test_the_moderator_sees_it_too(world, marking):
    consultation, first, _second = marking
    sent_marks(first, world.officer)
    page = _page(client_for(world.manager).get(reverse("grants:moderate", args=[first.pk])))
    assert "Back this applicant 10 people" in page and NOTE in page


def test_a_conflicted_assessor_never_sees_it(world, marking):
    consultation, first, second = marking
    declared(second, world.officer, conflict=True)
    response = client_for(world.officer).get(reverse("grants:assess", args=[second.pk]))
    page = _page(response)
    assert "The community's backing" not in page and "Comment 3" not in page
    link = reverse("grants:application_comments", args=[second.pk])
    assert client_for(world.officer).get(link).status_code == 403


def test_no_block_when_the_community_was_not_asked(world):
    from .assessing import closed_round

    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    declared(application, world.officer)
    page = _page(client_for(world.officer).get(reverse("grants:assess", args=[application.pk])))
    assert "The community's backing" not in page


def test_applicants_never_see_the_counts_or_comments(world, marking):
    consultation, first, _second = marking
    client = client_for(first.submitted_by)
    for url in (
        reverse("grants:application", args=[first.pk]),
        reverse("grants:application_comments", args=[first.pk]),
        reverse("grants:consultation_moderation", args=[consultation.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = response.content.decode()
        assert "Comment 3" not in text and "The community's backing" not in text


def test_the_marking_page_reads_the_same_queries_however_many_voices(world, marking):
    consultation, first, second = marking
    client = client_for(world.officer)

    def more(n):
        start = Voice.objects.count() + 500
        _people(consultation, second, n, start=start)
        _approved(consultation, first, world.officer, ["More"] * n, start=start + 1000)

    assert_constant_queries(
        more, lambda: client.get(reverse("grants:assess", args=[first.pk])), small=1, large=20
    )
