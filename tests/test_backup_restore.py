"""The restore drill: the demo world backed up, restored into a new database and checked there.

Runs what an operator runs: `manage.py migrate` and `seed_demo` into a scratch
database, `scripts/backup.sh`, `scripts/restore.sh` (which runs
`manage.py check_ledger` on the copy) and `check_ledger` itself, each as its
own process, so exit statuses are the real ones. Both scratch databases are
named after this run's DATABASE_URL and dropped however the test ends.
`make restore-drill` runs this file alone.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
# The money tables, and what must come back from a restore exactly as it went in.
FINGERPRINT = {
    "allowances_budgetstrand": "count(*), sum(id), sum(amount)",
    "allowances_agreedpackage": "count(*), sum(id), sum(value)",
    "allowances_ledgerentry": "count(*), sum(id), sum(amount), count(*) FILTER (WHERE is_override)",
    "delivery_claim": "count(*), sum(id), sum(amount_paid)",
    "audit_auditevent": "count(*), sum(id)",
}


def _url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _fingerprint(name: str) -> dict:
    with psycopg.connect(_url(name)) as conn:
        return {
            table: conn.execute(f"SELECT {columns} FROM {table}").fetchone()  # noqa: S608
            for table, columns in FINGERPRINT.items()
        }


def _run(*command: str, database: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": _url(database),
        "DJANGO_SETTINGS_MODULE": "vcs_support.settings_test",
        "BIN": str(Path(sys.executable).parent),
    }
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def scratch():
    """Two database names for this run: the demo's and the restored copy's."""
    live = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    source = f"{live}_drill_{secrets.token_hex(3)}"
    names = (source, f"{source}_restored")
    yield names
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_world_survives_backup_and_restore_with_its_ledger_intact(scratch, tmp_path):
    source, restored = scratch
    _admin(f'CREATE DATABASE "{source}"')
    python = sys.executable
    for step in (("migrate", "--verbosity", "0"), ("seed_demo", "--force")):
        done = _run(python, "manage.py", *step, database=source)
        assert done.returncode == 0, done.stderr[-3000:]
    dump = tmp_path / "demo.dump"

    backup = _run("bash", "scripts/backup.sh", str(dump), database=source)

    assert backup.returncode == 0, backup.stderr
    assert f"Backed up database {source} to {dump}" in backup.stdout
    assert dump.stat().st_size > 0
    assert not Path(f"{dump}.partial").exists()

    restore = _run("bash", "scripts/restore.sh", str(dump), restored, database=source)

    assert restore.returncode == 0, restore.stdout[-3000:] + restore.stderr[-3000:]
    assert f"into the new database {restored}" in restore.stdout
    assert "Result: every one of the 16 invariants holds" in restore.stdout
    before = _fingerprint(source)
    assert before["allowances_ledgerentry"][0] > 0 and before["delivery_claim"][0] > 0
    assert _fingerprint(restored) == before
    packages = before["allowances_agreedpackage"][0]
    assert f"agreed packages: {packages} (" in restore.stdout

    # Never over an existing database: the copy just made, or the live one.
    again = _run("bash", "scripts/restore.sh", str(dump), restored, database=source)
    assert again.returncode != 0
    assert f"database {restored} already exists; refusing" in again.stderr
    over_live = _run("bash", "scripts/restore.sh", str(dump), source, database=source)
    assert over_live.returncode != 0
    assert "is the live database" in over_live.stderr
    assert _fingerprint(restored) == before

    # The checker's exit status on the copy: 0 above, 1 once a spend row is lost.
    with psycopg.connect(_url(restored)) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("DELETE FROM allowances_ledgerentry WHERE kind = 'spend'")
    check = _run(python, "manage.py", "check_ledger", database=restored)
    assert check.returncode == 1
    assert "BROKEN" in check.stdout and "The ledger check found" in check.stderr
