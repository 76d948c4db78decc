"""No state change without a CSRF token, and none by GET."""

import pytest
from django.urls import reverse

from .conftest import client_for
from .permission_matrix import MATRIX, ROLES

# Endpoints that only change state: every signed-in GET must be refused.
STATE_CHANGING = sorted(
    name
    for name, row in MATRIX.items()
    if row.post and all(row.get[role] == 405 for role in ROLES[1:])
)


def _url(name, world):
    row = MATRIX[name]
    return reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_post_without_a_token_is_refused_for_every_role(world, name):
    url = _url(name, world)
    answers = {}
    for role in ROLES:
        client = client_for(world.user_for(role), enforce_csrf_checks=True)
        answers[role] = client.post(url, {"anything": "x"}).status_code
    # 403: CSRF refused it. 405: the URL takes no POST at all. Nothing else.
    assert {role: code for role, code in answers.items() if code not in (403, 405)} == {}


@pytest.mark.parametrize("name", STATE_CHANGING)
def test_a_state_change_by_get_answers_405(world, name):
    assert STATE_CHANGING, "the matrix lists no post-only endpoint: this test would check nothing"
    url = _url(name, world)
    for role in ROLES[1:]:
        assert client_for(world.user_for(role)).get(url).status_code == 405, role


def test_the_refusal_really_is_csrf(world):
    """A POST with the token gets through the same door the tokenless one could not."""
    client = client_for(world.org_a_admin, enforce_csrf_checks=True)
    url = reverse("organisations:invitation_withdraw", args=[world.invitation_a.pk])
    assert client.post(url).status_code == 403
    client.get(reverse("organisations:people"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    world.invitation_a.refresh_from_db()
    assert world.invitation_a.cancelled_at is not None
