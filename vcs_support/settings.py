"""Settings for the VCS Support Marketplace, read from the environment.

Defaults suit the quick start (`make run`): an SQLite file and Celery's
file-system transport, so nothing but Python is needed. Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL.
"""

import hashlib
import hmac
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_decimal, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".run"

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a long random value in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram search on the officers' lists (organisations.listing); inert on SQLite.
    "django.contrib.postgres",
    # Third-party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    "django_filters",
    "django_celery_beat",
    # Ours, lowest layer first (see DESIGN.md §8)
    "audit",
    "notifications",
    "organisations",
    "packages",
    "diagnostics",
    "allowances",
    "providers",
    "delivery",
    "grants",
    "volunteering",
    "reports",
    "vcs_support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "vcs_support.middleware.StaffTwoFactorMiddleware",
    "vcs_support.middleware.NoStoreForSignedInMiddleware",
    # Axes last, as its documentation asks, so it sees the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vcs_support.urls"
WSGI_APPLICATION = "vcs_support.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vcs_support.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{RUN_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    RUN_DIR.mkdir(exist_ok=True)
    # SQLite serialises writers; wait for the lock rather than failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    # A hung database must not hang a request forever.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked account/IP pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes and WhiteNoise serves from (scripts/collect_static.sh);
# the production smoke test points both at a temporary folder.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads live outside the web root and are only ever served through an
# authorised view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(RUN_DIR / "uploads")))
# The open-data files the background task builds (reports.open_data_files),
# also outside the web root: served only through the download views, which
# check who is asking and answer If-None-Match.
STORAGES["open_data"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": env_str("OPEN_DATA_ROOT", str(MEDIA_ROOT / "open-data"))},
}

# --- Sign-in: django-allauth (accounts and TOTP) and django-axes (throttling)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "start"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "organisations.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "organisations.forms.SignupExtraForm"
ACCOUNT_FORMS = {
    "login": "organisations.account_forms.SignInForm",
    "signup": "organisations.account_forms.SignUpForm",
    "reset_password": "organisations.account_forms.ResetPasswordForm",
    "reset_password_from_key": "organisations.account_forms.ResetPasswordKeyForm",
    "change_password": "organisations.account_forms.ChangePasswordForm",
    "add_email": "organisations.account_forms.AddEmailForm",
}
MFA_FORMS = {
    "authenticate": "organisations.account_forms.AuthenticateForm",
    "reauthenticate": "organisations.account_forms.ReauthenticateForm",
    "activate_totp": "organisations.account_forms.ActivateTOTPForm",
}
# Password throttling is django-axes' job (lock an account/IP pair). Turning
# allauth's "login_failed" off also turns off its limit on wrong codes, so
# organisations.second_factor limits those. allauth's per-IP limits stay on for
# the other actions (signup, password reset mails).
ACCOUNT_RATE_LIMITS = {"login_failed": False}
# A pending sign-in (password given, code not yet) lasts 15 minutes, the same
# window in which organisations.second_factor counts wrong codes.
ACCOUNT_LOGIN_TIMEOUT = 15 * 60
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "VCS Support Marketplace"
MFA_ADAPTER = "organisations.adapters.MFAAdapter"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "organisations.throttling.username_from_attempt"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False
# Who is signing in, by address. Behind reverse proxies every request comes
# from the last proxy's address, so axes would lock everyone out together.
# TRUSTED_PROXY_COUNT says how many proxies, each appending the address it
# saw to X-Forwarded-For, stand in front of gunicorn (organisations.throttling).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "organisations.throttling.client_address"

# --- Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every page's script is a vendored file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Email
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(RUN_DIR / "emails"))
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "VCS Support <vcs-support@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the service is reached from outside: links in emails are built on it.
# In production it defaults to https:// and the first host the service answers
# to, so an email never carries a loopback address; set it where that is wrong.
_PUBLIC_HOSTS = [h.lstrip(".") for h in ALLOWED_HOSTS if h not in ("*", "")]
if DEBUG or not _PUBLIC_HOSTS:
    _SITE_URL_DEFAULT = "http://127.0.0.1:8000"
else:
    _SITE_URL_DEFAULT = f"https://{_PUBLIC_HOSTS[0]}"
SITE_URL = env_str("SITE_URL", _SITE_URL_DEFAULT).rstrip("/")

# --- Celery: Redis in production; Celery's file-system transport for the quick
# start, so a worker and beat run with nothing else installed.
_default_broker = "filesystem://"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", env_str("REDIS_URL", _default_broker))
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = RUN_DIR / "broker"
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        # The worker's remote-control table: under .run/, not the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Short socket timeouts and no publish retries: a hung or stopped Redis must
    # never hang a web request. Work not queued is found again by the sweep.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
        "max_retries": 0,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_table",
    },
    # Report figures kept until the data changes (reports/figures_cache.py): a
    # table of their own, so they never push out the sign-in rate limits.
    "reports": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "reports_cache_table",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# The longest a report's figures are kept, whatever happens (0: never kept).
REPORT_FIGURES_SECONDS = env_int("REPORT_FIGURES_SECONDS", 600)

# --- Forms: GOV.UK Frontend through crispy-forms-gds
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- The council running the scheme
COUNCIL_NAME = env_str("COUNCIL_NAME", "Leicester City Council")
SERVICE_NAME = "VCS Support Marketplace"
SERVICE_PHASE = env_str("SERVICE_PHASE", "Beta")
SERVICE_CONTACT_EMAIL = env_str("SERVICE_CONTACT_EMAIL", "vcs-support@example.org")
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
# The scheme's budget limits (DESIGN.md §4): a year's total at most the
# ceiling, each strand at least the floor. Whole pounds.
BUDGET_CEILING = env_int("BUDGET_CEILING", 450_000)
BUDGET_STRAND_FLOOR = env_int("BUDGET_STRAND_FLOOR", 50_000)
ELIGIBILITY_VALID_YEARS = env_int("ELIGIBILITY_VALID_YEARS", 3)
# Which rows of the postcode table (organisations.PostcodePrefix) make up the
# council's area: checked at registration and by the "based in or mainly
# working in the city" eligibility question. The name is how pages say it.
ELIGIBILITY_AREA = env_str("ELIGIBILITY_AREA", "leicester")
COUNCIL_AREA_NAME = env_str("COUNCIL_AREA_NAME", "Leicester")
# The key of the hash that stands for a person who backed an applicant or gave a verdict
# (grants.voice_rules.person_hash). Its own secret, so that it can be kept apart from
# SECRET_KEY; without it, one is derived from SECRET_KEY.
VOICE_HASH_KEY = (
    env_str("VOICE_HASH_KEY", "")
    or hmac.new(SECRET_KEY.encode(), b"community-voices", hashlib.sha256).hexdigest()
)
# Evidence uploads: the largest file accepted, and the virus scanner, a dotted
# path to a function taking an open file and returning the threat's name or
# None. The default scans nothing; production points it at a real scanner.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# A DOCX (a zip) may open to at most this many bytes, at most this many times
# its own size (judged once 1MB is unzipped): refuses "zip bombs".
EVIDENCE_MAX_UNZIPPED_BYTES = env_int("EVIDENCE_MAX_UNZIPPED_BYTES", 20 * 1024 * 1024)
EVIDENCE_MAX_ZIP_RATIO = env_int("EVIDENCE_MAX_ZIP_RATIO", 100)
EVIDENCE_VIRUS_SCANNER = env_str("EVIDENCE_VIRUS_SCANNER", "diagnostics.uploads.no_scan")
# Open data (reports): the council's 360Giving identifier prefix, its own
# org-id (GB-LAE-<code> from the register of local authorities in England) and
# the department named as awarding the grants.
OPEN_DATA_PREFIX = env_str("OPEN_DATA_PREFIX", "360G-LeicesterCC")
COUNCIL_ORG_ID = env_str("COUNCIL_ORG_ID", "GB-LAE-LCE")
COUNCIL_DEPARTMENT = env_str("COUNCIL_DEPARTMENT", "Voluntary and community sector support")
# The licence the public open-data page publishes the files under, and whom to ask about them.
OPEN_DATA_LICENCE_NAME = env_str("OPEN_DATA_LICENCE_NAME", "Open Government Licence v3.0")
OPEN_DATA_LICENCE_URL = env_str(
    "OPEN_DATA_LICENCE_URL",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
OPEN_DATA_CONTACT_EMAIL = env_str("OPEN_DATA_CONTACT_EMAIL", SERVICE_CONTACT_EMAIL)
# The council's own local-authority code (ONS GSS code; Leicester is E06000016):
# the geocode of grants when the ONS postcode lookup has no better answer, and
# the authority `load_postcode_lookup --only-area` keeps.
COUNCIL_LOCAL_AUTHORITY_CODE = env_str("COUNCIL_LOCAL_AUTHORITY_CODE", "E06000016").strip().upper()
if not re.fullmatch(r"[ENSW]\d{8}", COUNCIL_LOCAL_AUTHORITY_CODE):
    raise ImproperlyConfigured(
        "COUNCIL_LOCAL_AUTHORITY_CODE must be an ONS local-authority code, a letter "
        f"and 8 digits like E06000016, not {COUNCIL_LOCAL_AUTHORITY_CODE!r}."
    )
# The defaults above are Leicester's, for the demo. A council in production says
# who it is: the public open data names the publisher and places every grant by them.
_UNSET_IN_PRODUCTION = [
    name for name in ("COUNCIL_ORG_ID", "COUNCIL_LOCAL_AUTHORITY_CODE") if not env_str(name, "")
]
if not DEBUG and _UNSET_IN_PRODUCTION:
    raise ImproperlyConfigured(
        f"Set {' and '.join(_UNSET_IN_PRODUCTION)} in production: the council's org-id "
        "(GB-LAE-…) and its ONS local-authority code (E06…) name it as the publisher of "
        "its open data."
    )
# The register of providers: the least insurance cover accepted, in whole pounds
# (professional indemnity, public liability, employer's liability), and where
# news of an application to assess is sent (the council's provider team).
PROVIDER_MIN_COVER_PI = env_int("PROVIDER_MIN_COVER_PI", 1_000_000)
PROVIDER_MIN_COVER_PL = env_int("PROVIDER_MIN_COVER_PL", 5_000_000)
PROVIDER_MIN_COVER_EL = env_int("PROVIDER_MIN_COVER_EL", 5_000_000)
PROVIDER_ASSESSORS_EMAIL = env_str("PROVIDER_ASSESSORS_EMAIL", SERVICE_CONTACT_EMAIL)
# Section B grants (grants): a representative organisation's community of
# interest must make up more than this percentage of the city's population,
# counted at the census named here (1% of 329,839 in 2011: more than 3,298 people).
GRANTS_CITY_POPULATION = env_int("GRANTS_CITY_POPULATION", 329_839)
GRANTS_CITY_POPULATION_SOURCE = env_str("GRANTS_CITY_POPULATION_SOURCE", "the 2011 census")
GRANTS_COMMUNITY_THRESHOLD_PERCENT = env_decimal("GRANTS_COMMUNITY_THRESHOLD_PERCENT", "1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
