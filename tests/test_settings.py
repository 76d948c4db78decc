"""Settings from the environment fail loudly on bad values, and production is locked down."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from vcs_support.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false, not 'ture'"):
        env_bool("FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="PORT must be a whole number"):
        env_int("PORT", 25)


def test_env_str_without_a_default_is_required(monkeypatch):
    monkeypatch.delenv("NEEDED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the NEEDED environment variable"):
        env_str("NEEDED")


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, b.example.org ,,")
    assert env_list("HOSTS", []) == ["a.example.org", "b.example.org"]


# What the test settings and the browser harness (which lets Django's ORM run beside
# Playwright's event loop) put in the environment: never part of a production one.
HARNESS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SITE_URL",
    "REPORT_FIGURES_SECONDS",
    "COUNCIL_ORG_ID",
    "COUNCIL_LOCAL_AUTHORITY_CODE",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _django_check(env, *args):
    # Start from the machine's environment without what the test harness set.
    base = {k: v for k, v in os.environ.items() if k not in HARNESS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "vcs_support.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Production says which council it is (the open data's publisher).
COUNCIL = {"COUNCIL_ORG_ID": "GB-LAE-LCE", "COUNCIL_LOCAL_AUTHORITY_CODE": "E06000016"}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 30 + "r0duct10n-s3cr3t-k3y-th4t-is-l0ng-3n0ugh",
    "ALLOWED_HOSTS": "vcs.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    **COUNCIL,
}


def test_production_settings_pass_the_deployment_checklist():
    result = _django_check(PRODUCTION, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unset", ["COUNCIL_ORG_ID", "COUNCIL_LOCAL_AUTHORITY_CODE"])
def test_production_refuses_to_start_without_the_councils_identifiers(unset):
    result = _django_check({k: v for k, v in PRODUCTION.items() if k != unset})
    assert result.returncode != 0
    assert f"Set {unset} in production" in result.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _django_check({**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a long random value in production" in result.stderr


def _manage(env, *args):
    base = {
        k: v for k, v in os.environ.items() if k not in HARNESS_VARIABLES and k != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unconfigured_shell_gets_the_quick_start_defaults():
    result = _manage({}, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_a_secret_key_alone_means_production():
    result = _manage(
        {"SECRET_KEY": PRODUCTION["SECRET_KEY"], "ALLOWED_HOSTS": "vcs.example.org", **COUNCIL},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({"ALLOWED_HOSTS": "vcs.example.org,.example.org"}, "https://vcs.example.org"),
        (
            {"ALLOWED_HOSTS": "vcs.example.org", "SITE_URL": "https://support.leicester.gov.uk/"},
            "https://support.leicester.gov.uk",
        ),
    ],
)
def test_in_production_email_links_never_default_to_a_loopback_address(env, site_url):
    result = _manage(
        {"SECRET_KEY": PRODUCTION["SECRET_KEY"], **COUNCIL, **env},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == site_url
