"""The manager's pages: set a round up from the template, change it, check it, publish it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from grants.models import CommunityOfInterest, GrantRound

from ..conftest import client_for
from ..factories import ManagerFactory, StaffFactory
from .factories import CommunityFactory, cohesion_strand, draft_round, published_round

pytestmark = pytest.mark.django_db

DOCUMENT_WORDS = "Big Mouth Forum (Disabled Young People), Older People’s Forum"


@pytest.fixture
def manager():
    return ManagerFactory(full_name="Mark Manager")


@pytest.fixture
def client(manager):
    return client_for(manager)


def form_data(strand, **overrides):
    data = {
        "name": "Representation 2027",
        "summary": "Grants to represent a community.",
        "strand": str(strand.pk),
        "opens_on_0": "1",
        "opens_on_1": "6",
        "opens_on_2": "2027",
        "opens_time": "9am",
        "closes_on_0": "31",
        "closes_on_1": "7",
        "closes_on_2": "2027",
        "closes_time": "5:30pm",
        "total": "£60,000",
        "amount_per_community": "12000",
        "period_starts_on_0": "1",
        "period_starts_on_1": "10",
        "period_starts_on_2": "2027",
        "period_ends_on_0": "30",
        "period_ends_on_1": "9",
        "period_ends_on_2": "2028",
        "payment_schedule": "quarterly",
        "backing_days": "21",
        "verdict_after_months": "9",
        "verdict_threshold": "2.5",
    }
    data.update(overrides)
    return data


@time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=UTC))
def test_a_manager_sets_up_a_round_in_london_time(manager):
    client = client_for(manager)  # signed in at the travelled-to time
    strand = cohesion_strand()
    response = client.post(reverse("grants:round_create"), form_data(strand))
    grant_round = GrantRound.objects.get()
    assert response.url == reverse("grants:round_detail", args=[grant_round.pk])
    # 9am and 5:30pm in British Summer Time are 8am and 4:30pm UTC.
    assert grant_round.opens_at == datetime(2027, 6, 1, 8, tzinfo=UTC)
    assert grant_round.closes_at == datetime(2027, 7, 31, 16, 30, tzinfo=UTC)
    assert grant_round.strand == strand
    page = client.get(response.url).content.decode()
    assert "9am on Tuesday 1 June 2027" in page
    assert "5:30pm on Saturday 31 July 2027" in page
    assert "Signed up to the Leicester Compact" in page


def test_the_form_offers_this_year_s_community_cohesion_strand(client):
    strand = cohesion_strand()
    form = client.get(reverse("grants:round_create")).context["form"]
    assert form.initial["strand"] == strand.pk


def test_nothing_typed_is_lost_and_each_problem_is_named(client):
    strand = cohesion_strand()
    data = form_data(
        strand,
        name="My round",
        closes_on_1="5",
        closes_time="25 o'clock",
        total="",
        amount_per_community="lots",
    )
    response = client.post(reverse("grants:round_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    errors = response.context["form"].errors
    assert errors["total"] == ["Enter the total for the round"]
    assert errors["amount_per_community"] == [
        "Enter the amount for each community in pounds and pence, like 2500 or 2500.00"
    ]
    assert errors["closes_time"] == [
        "Enter the time the round closes as a time of day, like 9am or 5:30pm"
    ]
    assert 'value="My round"' in page
    assert "25 o&#x27;clock" in page
    assert not GrantRound.objects.exists()


def test_a_round_closing_before_it_opens_is_refused_on_the_field(client):
    data = form_data(cohesion_strand(), closes_on_1="5")
    errors = client.post(reverse("grants:round_create"), data).context["form"].errors
    assert errors["closes_on"] == ["The round must close after it opens"]


def test_an_hour_the_clocks_skip_is_refused_on_the_time(client):
    data = form_data(cohesion_strand(), opens_on_0="28", opens_on_1="3", opens_time="1:30am")
    errors = client.post(reverse("grants:round_create"), data).context["form"].errors
    assert errors["opens_time"][0].startswith("1:30am on 28 March 2027 does not exist in the UK")


def test_without_a_budget_the_page_says_to_set_one_first(client):
    page = client.get(reverse("grants:round_create")).content.decode()
    assert "no budget has been set yet" in page


def test_the_check_page_lists_what_stops_publishing(client, manager):
    grant_round = draft_round(by=manager)
    page = client.get(reverse("grants:round_detail", args=[grant_round.pk])).content.decode()
    assert "Before you can publish the round:" in page
    assert 'href="#communities">Choose at least one community to open for applications' in page
    assert "Publish the round" not in page
    assert "Grant round set up as a draft by Mark Manager" in page


def test_publishing_from_the_check_page(client, manager):
    grant_round = draft_round(by=manager, communities=2)
    detail = reverse("grants:round_detail", args=[grant_round.pk])
    assert "Publish the round" in client.get(detail).content.decode()
    response = client.post(reverse("grants:round_publish", args=[grant_round.pk]))
    assert response.url == detail
    grant_round.refresh_from_db()
    assert grant_round.status == "published"
    page = client.get(detail).content.decode()
    assert "is published. It opens for applications at 9am on" in page
    assert reverse("grants:public_round", args=[grant_round.pk]) in page
    assert "Return the round to draft" in page


def test_a_refused_publish_shows_the_gov_uk_error_summary(client, manager):
    grant_round = draft_round(by=manager, communities=6)
    response = client.post(reverse("grants:round_publish", args=[grant_round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The round cannot be published yet." in page
    assert "£12,000.00 for each of 6 communities is £72,000.00" in page


def test_a_draft_s_details_are_changed_through_the_form(client, manager):
    grant_round = draft_round(by=manager)
    url = reverse("grants:round_edit", args=[grant_round.pk])
    form = client.get(url).context["form"]
    assert form.initial["opens_time"].hour == 9
    assert 'value="9am"' in client.get(url).content.decode()
    opens = timezone.localdate() + timedelta(days=1)
    closes = opens + timedelta(weeks=4)
    starts, ends = closes + timedelta(days=60), closes + timedelta(days=424)
    data = form_data(
        grant_round.strand,
        name="Renamed",
        opens_on_0=opens.day,
        opens_on_1=opens.month,
        opens_on_2=opens.year,
        closes_on_0=closes.day,
        closes_on_1=closes.month,
        closes_on_2=closes.year,
        period_starts_on_0=starts.day,
        period_starts_on_1=starts.month,
        period_starts_on_2=starts.year,
        period_ends_on_0=ends.day,
        period_ends_on_1=ends.month,
        period_ends_on_2=ends.year,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    grant_round.refresh_from_db()
    assert grant_round.name == "Renamed"


def test_a_published_round_s_change_pages_send_the_manager_back_with_why(client, manager):
    grant_round = published_round(by=manager)
    criterion = grant_round.criteria.first()
    for url in [
        reverse("grants:round_edit", args=[grant_round.pk]),
        reverse("grants:round_communities", args=[grant_round.pk]),
        reverse("grants:round_scale", args=[grant_round.pk]),
        reverse("grants:criterion_add", args=[grant_round.pk]),
        reverse("grants:criterion_edit", args=[criterion.pk]),
        reverse("grants:criterion_remove", args=[criterion.pk]),
    ]:
        response = client.post(url, {})
        assert response.url == reverse("grants:round_detail", args=[grant_round.pk]), url
    page = client.get(response.url).content.decode()
    assert "is published, so its criteria cannot be changed." in page
    assert grant_round.criteria.count() == 16


def test_criteria_are_added_changed_and_removed_from_the_check_page(client, manager):
    grant_round = draft_round(by=manager)
    added = client.post(
        reverse("grants:criterion_add", args=[grant_round.pk]),
        {
            "section": "representation",
            "kind": "scored",
            "title": "Working with other representatives",
            "question": "How will you work on issues that cut across communities?",
            "word_limit": "400",
            "weight": "2",
            "minimum_score": "",
        },
    )
    assert added.status_code == 302
    criterion = grant_round.criteria.get(title="Working with other representatives")
    assert (criterion.weight, criterion.minimum_score) == (2, None)
    edit = reverse("grants:criterion_edit", args=[criterion.pk])
    refused = client.post(
        edit,
        {
            "section": "eligibility",
            "kind": "scored",
            "title": "T",
            "question": "Q",
            "word_limit": "0",
            "weight": "",
        },
    )
    assert refused.context["form"].errors == {
        "word_limit": ["The word limit must be 1 or more"],
        "weight": ["Enter the weight of a scored criterion, like 1 or 2"],
    }
    page = client.get(reverse("grants:criterion_remove", args=[criterion.pk])).content.decode()
    assert "Remove Working with other representatives?" in page
    client.post(reverse("grants:criterion_remove", args=[criterion.pk]))
    assert not grant_round.criteria.filter(pk=criterion.pk).exists()
    history = client.get(reverse("grants:round_detail", args=[grant_round.pk])).content.decode()
    assert (
        "Criterion removed from the grant round by Mark Manager: Working with other "
        "representatives" in history
    )


def test_a_check_the_service_makes_offers_no_kind_or_weight(client, manager):
    based = draft_round(by=manager).criteria.get(automatic_check="based_in_area")
    form = client.get(reverse("grants:criterion_edit", args=[based.pk])).context["form"]
    assert set(form.fields) == {"section", "title", "question", "guidance", "word_limit"}


def test_the_scale_form_needs_every_descriptor(client, manager):
    grant_round = draft_round(by=manager)
    url = reverse("grants:round_scale", args=[grant_round.pk])
    data = {f"label_{s}": f"L{s}" for s in range(5)}
    data |= {f"descriptor_{s}": f"D{s}" for s in range(4)}
    errors = client.post(url, data).context["form"].errors
    assert errors == {"descriptor_4": ["Describe what a score of 4 means"]}
    data["descriptor_4"] = "D4"
    assert client.post(url, data).status_code == 302
    assert grant_round.scale.get(score=4).descriptor == "D4"


def test_communities_are_chosen_with_their_size_and_out_of_scope_explained(client, manager):
    grant_round = draft_round(by=manager)
    small = CommunityFactory(name="A small community", population=3298)
    big = CommunityFactory(name="A big community", population=3299)
    url = reverse("grants:round_communities", args=[grant_round.pk])
    page = client.get(url).content.decode()
    assert "not more than 3,298" in page
    assert DOCUMENT_WORDS in page
    errors = client.post(url, {}).context["form"].errors
    assert errors == {"communities": ["Select at least one community to open the round to"]}
    client.post(url, {"communities": [small.pk, big.pk]})
    assert set(grant_round.communities.all()) == {small, big}


def test_communities_of_interest_are_listed_added_and_changed(client):
    CommunityFactory(name="Hindu community", population=50087)
    page = client.get(reverse("grants:communities")).content.decode()
    assert "Hindu community" in page
    assert "more than 3,298" in page
    assert DOCUMENT_WORDS in page
    url = reverse("grants:community_add")
    refused = client.post(url, {"characteristic": "age", "name": "", "population": "3,300"})
    assert refused.context["form"].errors == {
        "characteristic": [
            "Select gender reassignment, race, religion or belief, or sexual orientation"
        ],
        "name": ["Enter the name of the community"],
        "population_source": ["Enter where the population figure comes from"],
    }
    added = client.post(
        url,
        {
            "characteristic": "gender_reassignment",
            "name": "Trans community",
            "population": "",
            "population_source": "",
        },
    )
    assert added.url == reverse("grants:communities")
    trans = CommunityOfInterest.objects.get(name="Trans community")
    assert trans.population is None
    too_many = client.post(
        reverse("grants:community_edit", args=[trans.pk]),
        {
            "characteristic": "gender_reassignment",
            "name": "Trans community",
            "population": "400,000",
            "population_source": "A guess",
        },
    )
    assert too_many.context["form"].errors == {
        "population": ["The number of people cannot be more than the city's population, 329,839"]
    }


def test_withdrawing_asks_why_and_the_public_page_says_so(client, manager):
    grant_round = published_round(by=manager)
    url = reverse("grants:round_withdraw", args=[grant_round.pk])
    errors = client.post(url, {"reason": ""}).context["form"].errors
    assert errors == {"reason": ["Enter why the round is being withdrawn"]}
    client.post(url, {"reason": "The budget was cut."})
    public = client_for(None).get(reverse("grants:public_round", args=[grant_round.pk]))
    assert "This round has been withdrawn" in public.content.decode()
    assert "The budget was cut." in public.content.decode()
    again = client.get(url).content.decode()
    assert "This round has been withdrawn." in again


def test_returning_to_draft_from_the_round_page(client, manager):
    grant_round = published_round(by=manager)
    client.post(reverse("grants:round_return_to_draft", args=[grant_round.pk]))
    grant_round.refresh_from_db()
    assert grant_round.status == "draft"
    assert AuditEvent.objects.filter(action="grant_round.returned_to_draft").exists()


def test_the_round_list_shows_each_round_s_phase_and_counts(client, manager):
    draft_round(by=manager, name="Next year's round")
    published_round(by=manager, name="This year's round", communities=3)
    page = client.get(reverse("grants:rounds")).content.decode()
    assert "2 rounds" in page
    assert "Published, not open yet" in page
    assert "Draft" in page


@pytest.mark.parametrize(
    "name", ["grants:rounds", "grants:round_create", "grants:communities", "grants:community_add"]
)
def test_officers_are_refused_and_staff_without_a_code_too(name):
    assert client_for(StaffFactory()).get(reverse(name)).status_code == 403
    unverified = client_for(ManagerFactory(), second_factor=False).get(reverse(name))
    assert unverified.status_code == 302
