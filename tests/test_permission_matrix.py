"""Every named URL, every role: what they get is what the matrix says."""

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .conftest import build_world, client_for
from .permission_matrix import LOGIN, MATRIX, ROLES, Redirect
from .urls import named_urls

APP_URLS = sorted(name for name, _ in named_urls() if not name.startswith("admin:"))


def url_for(name, world):
    row = MATRIX[name]
    return reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)


def _is_page(url: str, name: str) -> bool:
    """Whether `url` is the page called `name`: its address, or for a page of one object (a
    name that needs the object's id), any address that resolves to that name."""
    path = url.split("?")[0]
    try:
        return path == reverse(name)
    except NoReverseMatch:
        pass
    try:
        return resolve(path).view_name == name
    except Resolver404:
        return False


def mismatch(response, expected):
    """None when the response is what the matrix expects, else a description."""
    if expected == LOGIN:
        ok = response.status_code == 302 and response.url.startswith(reverse("account_login"))
    elif isinstance(expected, Redirect):
        ok = response.status_code == 302 and _is_page(response.url, expected.to)
    else:
        ok = response.status_code == expected
    if ok:
        return None
    where = f" to {response.url}" if response.status_code in (301, 302) else ""
    return f"got {response.status_code}{where}, expected {expected}"


def test_every_named_url_has_a_row_and_every_row_a_url():
    assert sorted(MATRIX) == APP_URLS, (
        "Add a row to tests/permission_matrix.py for each new URL (and remove rows for "
        f"removed ones). Missing: {sorted(set(APP_URLS) - set(MATRIX))}; "
        f"stale: {sorted(set(MATRIX) - set(APP_URLS))}"
    )


def test_anonymous_is_sent_to_sign_in_on_everything_not_public():
    leaks = [
        name for name, row in MATRIX.items() if not row.public and row.get["anonymous"] != LOGIN
    ]
    assert leaks == []


def test_every_row_names_every_role():
    incomplete = {
        name: sorted(set(ROLES) - set(expect))
        for name, row in MATRIX.items()
        for expect in filter(None, (row.get, row.post))
        if set(expect) != set(ROLES)
    }
    assert incomplete == {}


@pytest.mark.parametrize("name", APP_URLS)
def test_get_answers_each_role_as_the_matrix_says(world, name):
    url = url_for(name, world)
    problems = {}
    for role, expected in MATRIX[name].get.items():
        problem = mismatch(client_for(world.user_for(role)).get(url), expected)
        if problem:
            problems[role] = problem
    assert problems == {}, f"GET {url}"


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row.post))
def test_post_answers_each_role_as_the_matrix_says(db, name):
    problems = {}
    for role, expected in MATRIX[name].post.items():
        # A fresh world per role, rolled back after: a POST that succeeds must
        # not change what the next role sees.
        with transaction.atomic():
            w = build_world()
            url = url_for(name, w)
            data = MATRIX[name].post_data(w) if MATRIX[name].post_data else {}
            problem = mismatch(client_for(w.user_for(role)).post(url, data), expected)
            if problem:
                problems[role] = problem
            transaction.set_rollback(True)
    assert problems == {}, f"POST to {name}"


def test_admin_is_for_superusers_only(world):
    """The Django admin is outside the matrix: nobody in the cast may use it."""
    admin_index = reverse("admin:index")
    for role in ROLES:
        response = client_for(world.user_for(role)).get(admin_index)
        assert response.status_code == 302, role
        assert response.url.startswith(reverse("admin:login")), role
