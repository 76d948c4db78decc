"""Security headers on every HTML page, for every role."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .conftest import client_for
from .permission_matrix import MATRIX, ROLES

HTML_PAGES = sorted(name for name, row in MATRIX.items() if not row.not_html)


def _pages_for(world, role):
    for name in HTML_PAGES:
        row = MATRIX[name]
        if row.get[role] == 200:
            yield reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)


@pytest.mark.parametrize("role", ROLES)
def test_every_html_page_sends_the_security_headers(world, role):
    client = client_for(world.user_for(role))
    checked = 0
    for url in _pages_for(world, role):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html"), url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        if role != "anonymous":
            assert "no-store" in response["Cache-Control"], url
        checked += 1
    assert checked >= 5, f"only {checked} pages checked for {role}"


def test_no_page_has_inline_script(world):
    """CSP forbids inline script; a page that used one would silently break."""
    for role in ROLES:
        client = client_for(world.user_for(role))
        for url in _pages_for(world, role):
            html = client.get(url).content.decode()
            for chunk in html.split("<script")[1:]:
                assert chunk.lstrip().startswith(("src=", 'type="module" src=')), (url, chunk[:80])


def test_signed_out_public_pages_may_be_cached_but_signed_in_pages_may_not(world):
    anonymous = Client().get(reverse("start"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    signed_in = client_for(world.org_a_admin).get(reverse("start"))
    assert "no-store" in signed_in["Cache-Control"]


def test_session_and_csrf_cookies_are_secure_and_http_only(world):
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": world.org_a_admin.email, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = Client().get(reverse("account_login")).cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True)
def test_production_sends_hsts_over_https_and_redirects_http(db):
    assert Client().get(reverse("start")).status_code == 301
    response = Client().get(reverse("start"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    # The load balancer's health check is allowed over plain HTTP.
    assert Client().get(reverse("healthz")).status_code == 200
