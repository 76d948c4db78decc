"""A volunteer asks the volunteer centre for advice and reads their own questions; nobody
else reads them; deleting the volunteer's data forgets their words but keeps the count."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from volunteering.advice_services import answer_advice
from volunteering.models import AdviceRequest
from volunteering.volunteer_privacy import delete_volunteer

from . import matrix

pytestmark = pytest.mark.django_db

ASK = reverse("volunteering:volunteer_advice_ask")


def test_a_volunteer_asks_and_reads_the_answer(world):
    matrix.volunteer(world)
    client = client_for(world.org_b_admin)
    response = client.post(
        ASK,
        {"question": "Are my bus fares paid?", "topic": "expenses", "reply_by": "email"},
    )
    advice = AdviceRequest.objects.get()
    assert advice.organisation is None and advice.asked_by == world.org_b_admin
    assert response.url == reverse("volunteering:volunteer_advice", args=[advice.pk])
    answer_advice(
        advice=advice,
        by=matrix.broker(world).user,
        fields={"answer": "Yes: keep your tickets.", "topic": "expenses", "minutes": "10"},
    )
    page = client.get(response.url).content.decode()
    assert "Yes: keep your tickets." in page
    listed = client.get(reverse("volunteering:volunteer_advice_list")).content.decode()
    assert advice.reference in listed


def test_a_question_with_a_problem_keeps_what_was_typed(world):
    matrix.volunteer(world)
    response = client_for(world.org_b_admin).post(
        ASK, {"question": "Can I volunteer at 15?", "reply_by": "email"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Can I volunteer at 15?" in page
    assert not AdviceRequest.objects.exists()


def test_nobody_else_reads_a_volunteers_question(world):
    advice = matrix.volunteer_advice(world)
    url = reverse("volunteering:volunteer_advice", args=[advice.pk])
    for person in (world.org_a_admin, world.provider_user, world.outsider):
        assert client_for(person).get(url).status_code == 404
    # and an organisation's question is not on the volunteer's pages
    organisations = matrix.advice(world)
    other = reverse("volunteering:volunteer_advice", args=[organisations.pk])
    assert client_for(world.org_a_admin).get(other).status_code == 404


def test_deleting_a_volunteer_forgets_their_question_and_keeps_it_counted(world):
    user = world.outsider  # a volunteer whose account serves nothing else
    from volunteering.volunteer_services import save_profile

    volunteer = save_profile(
        user=user,
        name="Pat",
        fields={"postcode_district": "LE4", "age_band": "50-64", "contact_by": "email"},
        themes=[],
    )
    client_for(user).post(
        ASK, {"question": "Where can I drive?", "topic": "finding_a_role", "reply_by": "email"}
    )
    delete_volunteer(volunteer=volunteer, by=user)
    advice = AdviceRequest.objects.get()
    assert "Where can I drive?" not in advice.question
    assert advice.topic == "finding_a_role"
