"""Settings for the test suite: the real PostgreSQL and Redis on this machine."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 64)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vcs_support")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Links in emails: the quick start's address, which the email tests expect.
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
# Production settings want the council named; the tests' council is Leicester.
os.environ.setdefault("COUNCIL_ORG_ID", "GB-LAE-LCE")
os.environ.setdefault("COUNCIL_LOCAL_AUTHORITY_CODE", "E06000016")
# Report figures are worked out on every request: a test's transaction is
# rolled back, never committed, so the data version would never move.
# tests/reports/test_figures_cache.py turns the cache on and commits; the
# bench (scripts/bench.sh) turns it on as production has it.
os.environ.setdefault("REPORT_FIGURES_SECONDS", "0")

from .settings import *  # noqa: E402,F403

# Tests run tasks for real, in-process, when they are queued.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".run" / "test-uploads"  # noqa: F405
STORAGES["open_data"]["OPTIONS"]["location"] = str(MEDIA_ROOT / "open-data")  # noqa: F405
# Cookies marked Secure still travel with the test client; keep production values.
STATIC_ROOT = BASE_DIR / ".run" / "static-test"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Production gives up connecting after 5 seconds; a loaded 2-core test machine
# opening eight connections at once (the concurrency tests) may need longer.
DATABASES["default"]["OPTIONS"]["connect_timeout"] = 30  # noqa: F405
