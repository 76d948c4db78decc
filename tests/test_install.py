"""The lock file alone installs a working application, every version and file pinned."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
UV = ROOT / ".tools" / "bin" / "uv"


def _lock():
    return tomllib.loads((ROOT / "uv.lock").read_text())


def test_every_locked_package_has_an_exact_version_and_hashes():
    unpinned = []
    for package in _lock()["package"]:
        if package["source"].get("virtual"):
            continue  # the application itself, run from its folder
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        if "version" not in package or not files or not all(f.get("hash") for f in files):
            unpinned.append(package["name"])
    assert unpinned == []


def test_the_lock_matches_pyproject():
    # What `make install` runs: refuses a lock that no longer matches pyproject.toml.
    result = subprocess.run(
        [str(UV), "lock", "--check", "--offline"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    assert result.returncode == 0, result.stderr


def test_the_runtime_lock_alone_gives_an_app_that_starts(tmp_path):
    """Install the runtime packages only (as the Dockerfile does) into a new venv, and start Django.

    Catches a package the app imports that only the dev extra brought in, and
    a lock that misses one of a package's own dependencies.
    """
    venv = tmp_path / "venv"
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(venv),
        "UV_PYTHON": sys.executable,
        "UV_PYTHON_DOWNLOADS": "never",
    }
    subprocess.run(
        [str(UV), "sync", "--locked", "--no-dev", "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    production = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "vcs_support.settings",
        "DEBUG": "false",
        "SECRET_KEY": "lock-check-" + "k" * 50,
        "ALLOWED_HOSTS": "vcs.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "COUNCIL_ORG_ID": "GB-LAE-LCE",
        "COUNCIL_LOCAL_AUTHORITY_CODE": "E06000016",
    }
    result = subprocess.run(
        [str(venv / "bin" / "python"), "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=production,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    pytest_there = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pytest"], capture_output=True
    )
    assert pytest_there.returncode != 0, "dev packages must not reach the runtime install"
