"""What each role gets at every named URL.

Every named URL must have a row here (test_permission_matrix fails otherwise),
so a new page cannot ship without someone deciding who may see it. Rows whose
URL needs arguments say how to build them from the `world` fixture, whose
objects belong to organisation A: organisation B asking for them must get 404.

Expectations:
- an int: that status code;
- LOGIN: redirected to sign-in (anything not public, for anonymous);
- Redirect("name"): redirected to that page.
`post` rows are state-changing endpoints: they answer 405 to GET for every
signed-in role, and say what each role gets from a POST.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "org_a", "org_b", "provider", "officer", "manager")
SIGNED_IN = ROLES[1:]
LOGIN = "login"


@dataclass(frozen=True)
class Redirect:
    to: str


@dataclass(frozen=True)
class Row:
    get: dict
    kwargs: Callable | None = None
    post: dict | None = None
    post_data: Callable | None = None
    public: bool = False
    # Pages the accessibility crawl should not open (file downloads).
    not_html: bool = False
    notes: str = ""
    extra: dict = field(default_factory=dict)


def everyone(expect):
    return dict.fromkeys(ROLES, expect)


def signed_in(default=200, **per_role):
    """Anonymous is sent to sign in; every signed-in role gets `default` unless named."""
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, default), **per_role}


def staff_only(default=404, officer=200, manager=200):
    return signed_in(default, officer=officer, manager=manager)


def managers_only():
    # Officers know the page exists but may not use it (403); the public get 404.
    return signed_in(404, officer=403, manager=200)


PUBLIC_PAGE = Row(get=everyone(200), public=True)
SIGNED_OUT_ONLY = Row(
    get={"anonymous": 200, **dict.fromkeys(SIGNED_IN, Redirect("home"))}, public=True
)

MATRIX: dict[str, Row] = {
    # --- Whole-service pages
    "start": PUBLIC_PAGE,
    "accessibility": PUBLIC_PAGE,
    "privacy": PUBLIC_PAGE,
    "cookies": PUBLIC_PAGE,
    "healthz": Row(get=everyone(200), public=True, not_html=True),
    "home": Row(
        get={
            "anonymous": LOGIN,
            "org_a": Redirect("organisations:home"),
            "org_b": Redirect("organisations:home"),
            "provider": Redirect("providers:home"),
            "officer": Redirect("organisations:officer_queue"),
            "manager": Redirect("reports:manager_overview"),
        }
    ),
    # --- Accounts (django-allauth)
    "account_login": SIGNED_OUT_ONLY,
    "account_signup": SIGNED_OUT_ONLY,
    "account_logout": Row(
        get={"anonymous": Redirect("start"), **dict.fromkeys(SIGNED_IN, 200)}, public=True
    ),
    "account_inactive": PUBLIC_PAGE,
    "account_email_verification_sent": PUBLIC_PAGE,
    "account_confirm_email": Row(
        get=everyone(200),
        kwargs=lambda w: {"key": "not-a-real-key"},
        public=True,
        notes="An unknown key shows the 'link expired or invalid' page.",
    ),
    "account_reset_password": PUBLIC_PAGE,
    "account_reset_password_done": PUBLIC_PAGE,
    "account_reset_password_from_key": Row(
        get=everyone(200),
        kwargs=lambda w: {"uidb36": "1", "key": "set-password"},
        public=True,
        notes="A bad token shows the 'link no longer valid' page.",
    ),
    "account_reset_password_from_key_done": PUBLIC_PAGE,
    "account_confirm_login_code": Row(
        get={"anonymous": Redirect("account_login"), **dict.fromkeys(SIGNED_IN, Redirect("home"))},
        public=True,
        notes="Sign-in by emailed code is switched off; allauth redirects.",
    ),
    "account_reauthenticate": Row(get=signed_in(200)),
    "account_email": Row(get=signed_in(200)),
    "account_change_password": Row(get=signed_in(200)),
    "account_set_password": Row(get=signed_in(Redirect("account_change_password"))),
    # --- Two-factor (allauth.mfa). Staff in tests already have a TOTP authenticator.
    "mfa_index": Row(get=signed_in(200)),
    "mfa_authenticate": Row(
        get={"anonymous": Redirect("account_login"), **dict.fromkeys(SIGNED_IN, Redirect("home"))},
        public=True,
        notes="Only meaningful mid-sign-in; otherwise allauth redirects.",
    ),
    "mfa_reauthenticate": Row(
        get=signed_in(Redirect("account_reauthenticate"), officer=200, manager=200),
        notes="Only people with an authenticator can reauthenticate with a code.",
    ),
    "mfa_activate_totp": Row(
        get=signed_in(Redirect("account_reauthenticate")),
        notes="allauth asks for the password again before adding an authenticator.",
    ),
    "mfa_deactivate_totp": Row(
        get=signed_in(
            404,
            officer=Redirect("account_reauthenticate"),
            manager=Redirect("account_reauthenticate"),
        ),
    ),
    "mfa_view_recovery_codes": Row(get=signed_in(404), notes="404 until codes are generated."),
    "mfa_generate_recovery_codes": Row(get=signed_in(Redirect("account_reauthenticate"))),
    "mfa_download_recovery_codes": Row(get=signed_in(404), not_html=True),
    # --- Organisations
    "organisations:home": Row(get=signed_in(404, org_a=200, org_b=200)),
    "organisations:register": Row(
        get=signed_in(
            404, org_a=Redirect("organisations:home"), org_b=Redirect("organisations:home")
        ),
        notes="Only for people who belong to nothing yet (see test_organisations).",
    ),
    "organisations:edit": Row(get=signed_in(404, org_a=200, org_b=200)),
    "organisations:people": Row(get=signed_in(404, org_a=200, org_b=200)),
    "organisations:invitation_withdraw": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": w.invitation_a.pk},
        post=signed_in(404, org_a=Redirect("organisations:people")),
    ),
    "organisations:invitation_accept": Row(
        get=signed_in(200),
        kwargs=lambda w: {"token": w.invitation_a.token},
        post=signed_in(409),
        notes="The token is the secret; only the invited address can accept (409 otherwise).",
    ),
    "organisations:officer_queue": Row(get=staff_only()),
    "organisations:officer_organisation_detail": Row(
        get=staff_only(), kwargs=lambda w: {"pk": w.org_a.pk}
    ),
    # --- Providers
    "providers:home": Row(get=signed_in(404, provider=200)),
    "providers:register": Row(get=signed_in(404, provider=Redirect("providers:home"))),
    # --- Reports
    "reports:manager_overview": Row(get=managers_only()),
}
