"""The yearly verdict where people read it: the representative's public page (numbers once
closed, never comments), the officer's monitoring view of the grant (counts so far, the
result, the threshold, the review, the approved comments); and the round's settings for
the community's say on the manager's form and page."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.consultation_services import close_ended
from grants.models import GrantRound, Voice

from ..conftest import client_for, count_queries
from .concern_support import awarded
from .factories import cohesion_strand, draft_round
from .test_views import form_data
from .voice_support import counted, verdict

pytestmark = pytest.mark.django_db

APPROVED = "They held a meeting at the gurdwara and reported back the week after."
WAITING = "My neighbour Harjit Singh at 4 Elm Road says they never call back."


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def decision(world):
    return awarded(world.manager, world.org_a_admin)


def rated(consultation, ratings, **fields):
    return [
        counted(consultation, email=f"p{n}@example.org", rating=rating, **fields)
        for n, rating in enumerate(ratings)
    ]


def approve(voice):
    Voice.objects.filter(pk=voice.pk).update(comment_status="approved")


def public_page(decision):
    return text(client_for(None).get(reverse("grants:representative", args=[decision.pk])))


def monitoring_page(world, decision):
    response = client_for(world.officer).get(reverse("grants:grant_monitoring", args=[decision.pk]))
    assert response.status_code == 200
    return text(response)


# --------------------------------------------------------------- the public page


def test_before_any_verdict_the_public_page_says_the_community_has_not_been_asked(decision):
    page = public_page(decision)
    assert "What the community says of it" in page
    assert "The community has not been asked yet." in page


def test_while_a_verdict_is_open_the_public_sees_until_when_and_no_counts(decision):
    consultation = verdict(decision, open_for=timedelta(days=3))
    rated(consultation, [5, 5, 1], comment=APPROVED)
    page = public_page(decision)
    last_day = timezone.localtime(consultation.closes_at - timedelta(seconds=1))
    assert (
        f"The verdict for year 1 of the grant is open now, until 11:59pm on "
        f"{last_day.day} {last_day:%B %Y}." in page
    )
    assert "people responded" not in page
    assert "Very well (5)" not in page
    assert APPROVED not in page


def test_once_closed_the_public_sees_the_numbers_and_never_a_comment(decision):
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    voices = rated(consultation, [5, 4, 4, 2], comment=APPROVED)
    approve(voices[0])
    close_ended(timezone.now() + timedelta(minutes=10))
    page = public_page(decision)
    assert "Year 1 of the grant" in page
    assert "4 people responded; the average was 3.75 out of 5." in page
    assert "Very well (5) 1 Well (4) 2 Neither well nor badly (3) 0 Badly (2) 1" in page
    assert "Very badly (1) 0" in page
    assert APPROVED not in page
    assert "p0@example.org" not in page


def test_the_public_page_s_queries_do_not_grow_with_the_years(decision):
    url = reverse("grants:representative", args=[decision.pk])
    client = client_for(None)
    one = verdict(decision, year=1, open_for=timedelta(minutes=5))
    rated(one, [3, 4])
    close_ended(timezone.now() + timedelta(minutes=10))
    with count_queries() as first:
        client.get(url)
    for year in (2, 3):
        later = verdict(decision, year=year, open_for=timedelta(minutes=5))
        rated(later, [1, 2, 5])
    close_ended(timezone.now() + timedelta(minutes=10))
    with count_queries() as third:
        assert "Year 3 of the grant" in text(client.get(url))
    assert len(third) == len(first)


# --------------------------------------------------------------- the officer's view


def test_the_officer_sees_an_open_verdict_s_counts_so_far(world, decision):
    consultation = verdict(decision, open_for=timedelta(days=2))
    rated(consultation, [2, 3, 3])
    page = monitoring_page(world, decision)
    assert "The community's verdicts" in page
    assert "Year 1: open until 11:59pm on" in page
    assert "So far: 3 people responded; the average was 2.67 out of 5." in page
    assert "Neither well nor badly (3) 2" in page


def test_the_officer_sees_a_closed_verdict_s_result_threshold_and_review(world, decision):
    GrantRound.objects.filter(pk=decision.round_community.round_id).update(
        verdict_threshold=Decimal("3.00")
    )
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    voices = rated(consultation, [1, 2, 4], comment=APPROVED)
    approve(voices[2])
    Voice.objects.filter(pk=voices[1].pk).update(comment=WAITING)  # still waiting
    close_ended(timezone.now() + timedelta(minutes=10))
    consultation.refresh_from_db()
    page = monitoring_page(world, decision)
    assert "3 people responded; the average was 2.33 out of 5." in page
    assert "Threshold 3.00" in page
    assert "Review opened: see the concern" in page
    response = client_for(world.officer).get(reverse("grants:grant_monitoring", args=[decision.pk]))
    assert reverse("grants:concern_review", args=[consultation.review_id]) in (
        response.content.decode()
    )
    # Approved comments only, with their year and rating; a waiting one is not shown.
    assert "Latest comments an officer has approved" in page
    assert f"Year 1, 4 / 5 {APPROVED}" in page
    assert WAITING not in page


def test_the_review_a_verdict_opened_says_nobody_raised_it_and_tells_nobody(world, decision):
    from grants.models import Concern
    from notifications.models import Notification

    GrantRound.objects.filter(pk=decision.round_community.round_id).update(
        verdict_threshold=Decimal("3.00")
    )
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    rated(consultation, [1, 2])
    close_ended(timezone.now() + timedelta(minutes=10))
    consultation.refresh_from_db()
    Concern.objects.filter(pk=consultation.review_id).update(
        respond_by=timezone.localdate() - timedelta(days=1)
    )
    client = client_for(world.officer)
    url = reverse("grants:concern_review", args=[consultation.review_id])
    page = text(client.get(url))
    assert "Nobody: the community's verdict in year 1 of the grant opened this review" in page
    assert "name and email address have been deleted" not in page
    sent = Notification.objects.count()
    response = client.post(
        url, {"outcome": "advice", "reasons": "Advice given on reporting back."}, follow=True
    )
    said = text(response)
    assert "Outcome recorded for" in said and "has been told" not in said
    assert Notification.objects.count() == sent


def test_a_closed_verdict_above_the_threshold_says_no_review(world, decision):
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    rated(consultation, [4, 5])
    close_ended(timezone.now() + timedelta(minutes=10))
    page = monitoring_page(world, decision)
    assert "Threshold 2.50" in page
    assert "None: the average was not under the threshold" in page
    assert "Latest comments" not in page


def test_only_the_latest_ten_approved_comments_are_shown(world, decision):
    consultation = verdict(decision, open_for=timedelta(days=2))
    now = timezone.now()
    for n in range(12):
        voice = counted(
            consultation,
            email=f"c{n}@example.org",
            rating=4,
            comment=f"Comment number {n:02d}.",
            confirmed_at=now - timedelta(minutes=n),
        )
        approve(voice)
    page = monitoring_page(world, decision)
    assert "Comment number 00." in page and "Comment number 09." in page
    assert "Comment number 10." not in page and "Comment number 11." not in page


# --------------------------------------------------------------- the round's settings


@pytest.fixture
def manager_client(world):
    return client_for(world.manager)


def test_a_new_round_offers_the_usual_settings(manager_client):
    cohesion_strand()
    page = text(manager_client.get(reverse("grants:round_create")))
    assert "The community's say" in page
    form = manager_client.get(reverse("grants:round_create")).context["form"]
    assert form["backing_days"].value() == 21
    assert form["verdict_after_months"].value() == 9
    assert form["verdict_threshold"].value() == Decimal("2.50")


def test_the_manager_sets_the_community_s_say_for_a_draft(world, manager_client):
    grant_round = draft_round(by=world.manager)
    url = reverse("grants:round_edit", args=[grant_round.pk])
    form = manager_client.get(url).context["form"]
    assert (form.initial["backing_days"], form.initial["verdict_threshold"]) == (
        21,
        Decimal("2.50"),
    )
    opens = grant_round.opens_at.date()
    data = form_data(
        grant_round.strand,
        **dated(grant_round),
        backing_days="28",
        verdict_after_months="6",
        verdict_threshold="3.25",
    )
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    grant_round.refresh_from_db()
    assert (grant_round.backing_days, grant_round.verdict_after_months) == (28, 6)
    assert grant_round.verdict_threshold == Decimal("3.25")
    assert opens == grant_round.opens_at.date()
    page = text(manager_client.get(reverse("grants:round_detail", args=[grant_round.pk])))
    assert "Backing an applicant Open for 28 days after the round closes" in page
    assert "Asked 6 months into each year of the grant" in page
    assert "An average rating under 3.25 out of 5 opens a review" in page


def dated(grant_round) -> dict:
    """The round's own dates, as the form's fields."""
    fields = {}
    opens, closes = (
        timezone.localtime(grant_round.opens_at),
        timezone.localtime(grant_round.closes_at),
    )
    for name, day in (
        ("opens_on", opens.date()),
        ("closes_on", closes.date()),
        ("period_starts_on", grant_round.period_starts_on),
        ("period_ends_on", grant_round.period_ends_on),
    ):
        fields |= {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
    return fields


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("backing_days", "", "Enter how many days the community has to back an applicant"),
        ("backing_days", "0", "The number of days must be 1 or more"),
        ("backing_days", "91", "The number of days must be 90 or fewer"),
        ("backing_days", "three", "Enter the number of days as a whole number, like 21"),
        ("verdict_after_months", "13", "The number of months must be 12 or fewer"),
        ("verdict_after_months", "0", "The number of months must be 1 or more"),
        (
            "verdict_after_months",
            "",
            "Enter how many months into each year the community gives its verdict",
        ),
        ("verdict_threshold", "0.5", "The average rating must be 1.00 or more"),
        ("verdict_threshold", "5.5", "The average rating must be 5.00 or less"),
        ("verdict_threshold", "half", "Enter the average rating as a number, like 2.5"),
        (
            "verdict_threshold",
            "2.125",
            "Enter the average rating to no more than 2 decimal places, like 2.25",
        ),
        ("verdict_threshold", "", "Enter the average rating under which a review opens"),
    ],
)
def test_a_bad_setting_is_named_and_nothing_typed_is_lost(manager_client, field, typed, message):
    strand = cohesion_strand()
    data = form_data(strand, name="Kept as typed", **{field: typed})
    response = manager_client.post(reverse("grants:round_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="Kept as typed"' in page
    if typed:
        assert f'value="{typed}"' in page
    assert not GrantRound.objects.exists()


def test_the_service_refuses_settings_outside_the_ranges(world):
    from grants import services
    from grants.services import RoundInvalid

    from .factories import round_data

    with pytest.raises(RoundInvalid) as refused:
        services.create_round(by=world.manager, data=round_data(backing_days=0))
    assert refused.value.problems == {"backing_days": "The number of days must be between 1 and 90"}
    assert not GrantRound.objects.exists()
