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

from .factories import (
    BudgetYearFactory,
    DiagnosticFactory,
    EligibilityApplicationFactory,
    EvidenceFactory,
    FailedNotificationFactory,
    PackageFactory,
    RecommendationFactory,
    agreed_package_of,
)

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


def _f():
    """The factories, imported when a row is built (this module loads before Django is set up)."""
    from tests import factories

    return factories


def _package_at(w, status):
    from tests.delivery.support import package_at

    return package_at(w, status)


def _provider_request(w, status):
    """The live request to the world's provider for organisation A's package at `status`."""
    return _package_at(w, status).provider_requests.get(status__in=["pending", "accepted"])


def _session_with_attachment(w):
    """A session with an attachment on the request being delivered (logged once per world)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from delivery.services import log_session
    from tests.delivery.support import session_data
    from tests.factories import PDF_BYTES

    request = _provider_request(w, "in_delivery")
    found = request.sessions.exclude(attachment_stored_name="").first()
    return found or log_session(
        request,
        by=w.provider_user,
        data=session_data(notes="The plan we wrote together is attached."),
        attachment=SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf"),
    )


def _claim_with_invoice(w):
    from tests.delivery.support import claim_with_invoice

    return claim_with_invoice(w)


def _open_data_in_every_state(w):
    """The page with a file up to date, one being built, one out of date whose rebuild failed."""
    from reports.models import OpenDataBuild
    from reports.open_data_files import build_here

    build_here("transparency_csv", None)
    w.org_a.save()  # a change the files show: the Transparency Code file is now out of date
    build_here("360giving_json", None)
    OpenDataBuild.objects.create(kind="360giving_csv", year=None)  # queued, not yet built
    OpenDataBuild.objects.create(kind="transparency_csv", year=None, status="failed")
    return {}


def _open_data_built(kind):
    """Builds the file for every year (no URL arguments), so its download has one to serve."""

    def build(w):
        from reports.open_data_files import queue_build

        queue_build(kind, None)  # Celery runs it at once in tests
        return {}

    return build


def _open_data_release(status):
    """A release for every year, prepared (Celery runs it at once in tests) and, for
    "published", published: what the public files and the manager's pages serve."""

    def release(w):
        from reports.open_data_releases import prepare_release, publish_release

        made = prepare_release(by=w.manager, year=None)
        made.refresh_from_db()
        assert made.status == "ready", made.error
        return publish_release(made, by=w.manager) if status == "published" else made

    return release


def _open_data_releases_in_every_state(w):
    """One release published, the next ready to check against it: the list and the check
    page, and a public file to download. (No package is agreed in between: rows are
    built again for every role and page in one world, and organisation A's caps would
    refuse one; what changed is tested in tests/reports/test_open_data_releases.py.)"""
    _open_data_release("published")(w)
    return _open_data_release("ready")(w)


def _open_data_published(w):
    """The pages with no URL arguments, with a release published and one ready."""
    _open_data_releases_in_every_state(w)
    return {}


def _published_file(w):
    """The 360Giving JSON for every year, in a published release."""
    _open_data_release("published")(w)
    return {"filename": "360giving.json"}


def _override_request(w, status="waiting"):
    """The world's officer's request to agree a package for organisation A past a cap."""
    from django.utils import timezone

    from allowances.models import OverrideRequest

    decided = status != "waiting"
    return OverrideRequest.objects.create(
        organisation=w.org_a,
        package=PackageFactory(),
        requested_by=w.officer,
        reason="They need it before their funding bid closes.",
        refusals="Organisation A already has 2 packages this year.",
        status=status,
        decided_by=w.manager if decided else None,
        decided_at=timezone.now() if decided else None,
        decision_reason="The budget is needed elsewhere." if decided else "",
    )


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


_SIGN_UP = Redirect("volunteering:volunteer_profile")


def _volunteers_page(not_html=False):
    """A volunteer's own page: theirs (org_b's, on these rows); anyone else signs up first."""
    return Row(
        get=signed_in(_SIGN_UP, org_b=200),
        kwargs=lambda w: _vm().as_volunteer(w),
        not_html=not_html,
    )


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
        get=signed_in(200),
        notes="Each role's own task list: what to do next (vcs_support.home_pages).",
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
    "account_reauthenticate": Row(
        get=signed_in(
            200,
            officer=Redirect("mfa_reauthenticate"),
            manager=Redirect("mfa_reauthenticate"),
        ),
        notes="Staff confirm it is them with a code, never with the password alone.",
    ),
    "account_request_reauthentication_code": Row(
        get=signed_in(
            200,
            officer=Redirect("mfa_reauthenticate"),
            manager=Redirect("mfa_reauthenticate"),
        ),
        notes="Others may confirm with a code sent to their verified address; staff may not.",
    ),
    "account_confirm_reauthentication_code": Row(
        get=signed_in(Redirect("account_request_reauthentication_code")),
        notes="Only after a code was sent; staff are then sent on to their authenticator.",
    ),
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
        get=signed_in(
            Redirect("account_reauthenticate"),
            officer=Redirect("mfa_reauthenticate"),
            manager=Redirect("mfa_reauthenticate"),
        ),
        notes="allauth asks who you are again before adding an authenticator; staff by code.",
    ),
    "mfa_deactivate_totp": Row(
        get=signed_in(
            404,
            officer=Redirect("mfa_reauthenticate"),
            manager=Redirect("mfa_reauthenticate"),
        ),
    ),
    "mfa_view_recovery_codes": Row(get=signed_in(404), notes="404 until codes are generated."),
    "mfa_generate_recovery_codes": Row(
        get=signed_in(
            Redirect("account_reauthenticate"),
            officer=Redirect("mfa_reauthenticate"),
            manager=Redirect("mfa_reauthenticate"),
        )
    ),
    "mfa_download_recovery_codes": Row(get=signed_in(404), not_html=True),
    # --- Organisations
    "organisation_home": Row(get=signed_in(404, org_a=200, org_b=200)),
    "organisations:register": Row(
        get=signed_in(
            404, org_a=Redirect("organisation_home"), org_b=Redirect("organisation_home")
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
    "officer_organisation_detail": Row(get=staff_only(), kwargs=lambda w: {"pk": w.org_a.pk}),
    # --- Notifications
    "notifications:mine": Row(get=signed_in(200)),
    "notifications:failed": Row(get=staff_only()),
    "notifications:retry": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": FailedNotificationFactory().pk},
        post=staff_only(
            officer=Redirect("notifications:failed"), manager=Redirect("notifications:failed")
        ),
    ),
    # deadlines
    "deadlines": Row(get=managers_only()),
    "deadline_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"code": "choose_provider"},
        post=managers_only(),
        notes="An empty POST re-shows the form with its errors.",
    ),
    # working days: bank holidays and the managers' one-off days off
    "working_days": Row(get=managers_only()),
    "working_day_add": Row(
        get=managers_only(),
        post=managers_only(),
        notes="An empty POST re-shows the form with its errors.",
    ),
    "working_day_remove": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _f().NonWorkingDayFactory().pk},
        post=signed_in(404, officer=403, manager=Redirect("working_days")),
        notes="The GET asks to confirm; the POST removes the day.",
    ),
    # --- Providers
    "providers:home": Row(get=signed_in(404, provider=200)),
    "providers:register": Row(get=signed_in(404, provider=Redirect("providers:home"))),
    # providers: register
    "providers:profile_edit": Row(
        get=signed_in(404, provider=200),
        post=signed_in(404, provider=200),
        notes="An empty POST re-shows the profile form with its errors.",
    ),
    "providers:people": Row(get=signed_in(404, provider=200), post=signed_in(404, provider=200)),
    "providers:invitation_withdraw": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _pm().invitation(w).pk},
        post=signed_in(404, provider=Redirect("providers:people")),
    ),
    "providers:invitation_accept": Row(
        get=signed_in(200),
        kwargs=lambda w: {"token": _pm().invitation(w).token},
        post=signed_in(409),
        notes="The token is the secret; only the invited address can accept (409 otherwise).",
    ),
    "providers:insurance": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"kind": "pl"},
        post=signed_in(404, provider=200),
    ),
    "providers:policy": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"kind": "safeguarding"},
        post=signed_in(404, provider=200),
    ),
    "providers:exclusions": Row(
        get=signed_in(404, provider=200), post=signed_in(404, provider=200)
    ),
    "providers:conflicts": Row(get=signed_in(404, provider=200), post=signed_in(404, provider=200)),
    "providers:register_check": Row(
        get=signed_in(404, provider=200),
        post=signed_in(404, provider=200),
        notes="Provider A meets no essentials, so the page shows what is missing.",
    ),
    "providers:certificate_download": Row(
        get=signed_in(404, provider=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": _pm().certificate(w).pk},
        not_html=True,
    ),
    "providers:policy_download": Row(
        get=signed_in(404, provider=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": _pm().policy(w).pk},
        not_html=True,
    ),
    "providers:application_start": Row(
        get=signed_in(405),
        kwargs=lambda w: {"package_pk": PackageFactory().pk},
        post=signed_in(404, provider=302),
        notes="The provider is sent to its new draft's page.",
    ),
    "providers:application_detail": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: {"pk": _pm().application(w).pk}
    ),
    "providers:application_edit": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _pm().application(w).pk},
        post=signed_in(404, provider=302),
        notes="A draft may be saved part-done; the provider goes on to check it.",
    ),
    "providers:application_submit": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _pm().application(w).pk},
        post=signed_in(404, provider=302),
        notes="Refused (A is not on the register): back to the application with why.",
    ),
    "providers:officer_queue": Row(get=staff_only()),
    "providers:officer_application": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _pm().application(w, "submitted").pk},
        post=staff_only(),
        notes="An empty POST re-shows the decision form with its error.",
    ),
    "providers:officer_approval_change": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _pm().application(w, "approved").pk},
        post=staff_only(),
    ),
    "providers:officer_register": Row(get=staff_only()),
    "providers:officer_provider": Row(get=staff_only(), kwargs=lambda w: {"pk": w.provider.pk}),
    # providers: register (end)
    # --- Reports
    "reports:manager_overview": Row(get=managers_only()),
    # reports: dashboards, breakdowns, the ledger behind them, open data (issue 7).
    # Officers see only the operational queues; the rest is for managers.
    "reports:budget_dashboard": Row(get=managers_only()),
    "reports:ledger": Row(get=managers_only()),
    **{
        f"reports:breakdown_{slug}": Row(get=managers_only())
        for slug in ("package", "provider", "district", "theme", "legal_form", "income_band")
    },
    "reports:breakdown_month": Row(get=managers_only()),
    "reports:caps": Row(get=managers_only()),
    # Section C's figures: managers and the volunteer centre's brokers (the world's
    # provider user, given the role); the value of an hour is the managers' to set.
    "reports:volunteering": Row(
        get=signed_in(404, officer=403, manager=200, provider=200),
        kwargs=lambda w: _vm().with_figures(w),
    ),
    # Equality monitoring: counts only, small numbers hidden; the same people.
    "reports:volunteering_equality": Row(
        get=signed_in(404, officer=403, manager=200, provider=200),
        kwargs=lambda w: _vm().with_equality_answers(w),
    ),
    "reports:hour_value": Row(
        get=managers_only(),
        post=managers_only(),
        notes="An empty POST asks for the value and its source; nothing is saved.",
    ),
    # Section C's events and advice reports, at the brokers' addresses (/broker/…/report/):
    # brokers and managers, officers 403, everyone else 404.
    "reports:volunteering_events": Row(
        get=signed_in(404, provider=200, officer=403, manager=200),
        kwargs=lambda w: _vm().as_broker(w),
    ),
    "reports:volunteering_events_download": Row(
        get=signed_in(404, provider=200, officer=403, manager=200),
        kwargs=lambda w: _vm().as_broker(w),
        not_html=True,
    ),
    "reports:volunteering_advice": Row(
        get=signed_in(404, provider=200, officer=403, manager=200),
        kwargs=lambda w: _vm().as_broker(w),
    ),
    "reports:volunteering_advice_download": Row(
        get=signed_in(404, provider=200, officer=403, manager=200),
        kwargs=lambda w: _vm().as_broker(w),
        not_html=True,
    ),
    "reports:reach": Row(get=managers_only()),
    "reports:providers": Row(get=managers_only()),
    "reports:operations": Row(get=staff_only()),
    "reports:open_data": Row(get=managers_only(), kwargs=_open_data_in_every_state),
    # Open data is built in the background (issue 15): the POST only queues a
    # build (run at once in tests); each download serves the file last built.
    "reports:open_data_build": Row(
        get=signed_in(405),
        post=signed_in(404, officer=403, manager=Redirect("reports:open_data")),
        post_data=lambda w: {"kind": "360giving_json"},
    ),
    **{
        name: Row(get=managers_only(), kwargs=_open_data_built(kind), not_html=True)
        for name, kind in [
            ("reports:grants_360_json", "360giving_json"),
            ("reports:grants_360_csv", "360giving_csv"),
            ("reports:grants_360_xlsx", "360giving_xlsx"),
            ("reports:transparency_csv", "transparency_csv"),
        ]
    },
    # Publishing open data (issue 17): a manager prepares a release (its files
    # written by a task, run at once in tests), checks what changed, publishes it.
    "reports:open_data_releases": Row(get=managers_only(), kwargs=_open_data_published),
    "reports:open_data_release_prepare": Row(
        get=signed_in(405),
        post=signed_in(404, officer=403, manager=302),
        post_data=lambda w: {"scope": "all"},
        notes="The manager is sent to the new release's page.",
    ),
    "reports:open_data_release": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _open_data_releases_in_every_state(w).pk}
    ),
    "reports:open_data_release_file": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _open_data_release("ready")(w).pk, "filename": "360giving.json"},
        not_html=True,
    ),
    **{
        name: Row(
            get=signed_in(405),
            kwargs=lambda w: {"pk": _open_data_release("ready")(w).pk},
            post=signed_in(404, officer=403, manager=302),
            notes="The manager is sent back to the release's page.",
        )
        for name in ("reports:open_data_release_publish", "reports:open_data_release_discard")
    },
    # The public open-data page and its files: no account needed (issue 17).
    "open_data:public": Row(get=everyone(200), kwargs=_open_data_published, public=True),
    "open_data:file": Row(get=everyone(200), kwargs=_published_file, public=True, not_html=True),
    # end reports
    # --- The package menu (issue 4)
    "packages:menu": PUBLIC_PAGE,
    "packages:detail": Row(
        get=everyone(200), kwargs=lambda w: {"slug": PackageFactory().slug}, public=True
    ),
    "packages:manage": Row(get=managers_only()),
    "packages:create": Row(get=managers_only(), post=managers_only()),
    "packages:edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": PackageFactory().pk},
        post=managers_only(),
    ),
    "packages:withdraw": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": PackageFactory().pk},
        post=signed_in(404, officer=403, manager=Redirect("packages:manage")),
    ),
    "packages:reinstate": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": PackageFactory(status="withdrawn").pk},
        post=signed_in(404, officer=403, manager=Redirect("packages:manage")),
    ),
    # --- Allowances: agreed packages, budget, caps (issue 4)
    "allowances:organisation_packages": Row(get=signed_in(404, org_a=200, org_b=200)),
    "allowances:agreed_package_detail": Row(
        get=signed_in(404, org_a=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": agreed_package_of(w.org_a).pk},
    ),
    "allowances:agreed_package_cancel": Row(
        get=signed_in(404, org_a=403, officer=200, manager=200),
        kwargs=lambda w: {"pk": agreed_package_of(w.org_a).pk},
        post=signed_in(404, org_a=403, officer=200, manager=200),
        notes="Members of the organisation may see the package but not cancel it. "
        "An empty POST re-shows the form with its error.",
    ),
    # delivery: organisation and officer (issue 5)
    "delivery:package": Row(
        get=signed_in(404, org_a=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": _package_at(w, "in_delivery").pk},
    ),
    "delivery:choose": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _package_at(w, "agreed").pk}
    ),
    "delivery:provider_profile": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _package_at(w, "agreed").pk, "provider_pk": w.provider.pk},
        post=signed_in(404, org_a=200),
        notes="An empty POST re-shows the form with its error.",
    ),
    "delivery:request_sent": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _package_at(w, "provider_requested").pk},
        notes="The confirmation after sending a request: the organisation's administrators.",
    ),
    "delivery:withdraw": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _package_at(w, "provider_requested").pk},
        post=signed_in(404, org_a=302),
        notes="Organisation A's administrator withdraws and is sent back to the package.",
    ),
    "delivery:confirm": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _package_at(w, "delivered").pk},
        post=signed_in(404, org_a=200),
    ),
    "delivery:confirmed": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _package_at(w, "confirmed").pk},
        notes="The confirmation after confirming delivery and rating the provider.",
    ),
    "delivery:dispute": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _package_at(w, "delivered").pk},
        post=signed_in(404, org_a=200),
    ),
    "delivery:claims": Row(get=staff_only()),
    "reports:claims_csv": Row(get=staff_only(), not_html=True),
    "delivery:claim_detail": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _package_at(w, "claimed").claims.get().pk}
    ),
    "delivery:approve_claim": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _package_at(w, "claimed").claims.get().pk},
        post=staff_only(),
        notes="An empty POST re-shows the claim with the form's error.",
    ),
    "delivery:claim_approved": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _package_at(w, "paid").claims.get().pk},
        notes="The confirmation after approving; a claim not approved redirects to its page.",
    ),
    "delivery:reject_claim": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _package_at(w, "claimed").claims.get().pk},
        post=staff_only(),
    ),
    "delivery:disputes": Row(get=staff_only()),
    "delivery:resolve_dispute": Row(
        get=staff_only(),
        kwargs=lambda w: {
            "pk": _package_at(w, "disputed")
            .provider_requests.get(status="accepted")
            .disputes.get()
            .pk
        },
        post=staff_only(),
    ),
    "delivery:hide_rating": Row(
        get=staff_only(),
        kwargs=lambda w: {
            "pk": _package_at(w, "confirmed").provider_requests.get(status="accepted").rating.pk
        },
        post=staff_only(),
    ),
    # delivery: provider (issue 5). Only the provider the request was sent to sees
    # it; organisations, staff and other providers get 404. Empty POSTs re-show
    # the form with its errors.
    "delivery:provider_requests": Row(get=signed_in(404, provider=200)),
    "delivery:provider_request": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "confirmed").pk},
    ),
    "delivery:accept": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "provider_requested").pk},
        post=signed_in(404, provider=200),
    ),
    "delivery:accepted": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "accepted").pk},
        notes="The confirmation after accepting a request.",
    ),
    "delivery:decline": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "provider_requested").pk},
        post=signed_in(404, provider=200),
    ),
    "delivery:log_session": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "in_delivery").pk},
        post=signed_in(404, provider=200),
    ),
    "delivery:mark_delivered": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "in_delivery").pk},
        post=signed_in(404, provider=200),
    ),
    "delivery:marked_delivered": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "delivered").pk},
        notes="The confirmation after marking the work delivered.",
    ),
    "delivery:reply": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "confirmed").pk},
        post=signed_in(404, provider=200),
    ),
    "delivery:claim": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _provider_request(w, "confirmed").pk},
        post=signed_in(404, provider=200),
    ),
    "delivery:claim_sent": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _package_at(w, "claimed").claims.get().pk},
        notes="The confirmation after sending a claim, for the claiming provider's people; "
        "once decided it redirects to the request.",
    ),
    "delivery:claim_invoice": Row(
        get=signed_in(404, provider=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": _claim_with_invoice(w).pk},
        not_html=True,
        notes="The claiming provider's people and staff; the organisation never sees it.",
    ),
    "delivery:session_attachment": Row(
        get=signed_in(404, org_a=200, provider=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": _session_with_attachment(w).pk},
        not_html=True,
        notes="The provider that logged it, the organisation's members and staff.",
    ),
    "allowances:officer_packages": Row(get=staff_only(), kwargs=lambda w: {"pk": w.org_a.pk}),
    "allowances:agree_choose": Row(
        get=staff_only(), kwargs=lambda w: {"pk": w.org_a.pk}, post=staff_only()
    ),
    "allowances:agree_confirm": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": w.org_a.pk, "package_pk": PackageFactory().pk},
        post=staff_only(),
        notes="Organisation A is not eligible, so a POST re-shows the page with the refusal.",
    ),
    "allowances:override_request_new": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": w.org_a.pk, "package_pk": PackageFactory().pk},
        post=staff_only(),
        notes="An empty POST re-shows the form with its error.",
    ),
    "allowances:override_requests": Row(
        get=staff_only(), notes="Managers see every request; an officer only their own."
    ),
    "allowances:override_request": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _override_request(w).pk},
        post=staff_only(officer=404),
        notes="Only a manager decides; an empty POST re-shows the form with its errors.",
    ),
    "allowances:override_request_sent": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _override_request(w).pk}
    ),
    "allowances:override_request_decided": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _override_request(w, "refused").pk}
    ),
    "allowances:agreed_confirmation": Row(
        get=signed_in(404, org_a=403, officer=200, manager=200),
        kwargs=lambda w: {"pk": agreed_package_of(w.org_a).pk},
        notes="Where an officer's agreement ends; members of the organisation may not see it.",
    ),
    "allowances:budget_years": Row(get=managers_only()),
    "allowances:budget_year_create": Row(get=managers_only(), post=managers_only()),
    "allowances:budget_year_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": BudgetYearFactory().pk},
        post=managers_only(),
    ),
    "allowances:strand_ledger": Row(
        get=managers_only(), kwargs=lambda w: {"pk": BudgetYearFactory().strands.first().pk}
    ),
    "allowances:cap_policy": Row(get=managers_only(), post=managers_only()),
    "allowances:overrides": Row(get=managers_only()),
    # --- Eligibility applications and diagnostics (issue 3). Organisation pages
    # act on the person's own organisation; B sees its own (empty) state.
    "diagnostics:eligibility": Row(get=signed_in(404, org_a=200, org_b=200)),
    "diagnostics:eligibility_start": Row(
        get=signed_in(405),
        post=signed_in(404, org_a=302, org_b=302),
        notes="Starts (or reopens) the application and goes to its first question.",
    ),
    "diagnostics:eligibility_question": Row(
        get=signed_in(404, org_a=200, org_b=Redirect("diagnostics:eligibility")),
        kwargs=lambda w: {"slug": _draft_application(w).criteria_version.criteria.first().slug},
        post=signed_in(404, org_a=200, org_b=Redirect("diagnostics:eligibility")),
        notes="B has no application in progress, so it is sent to its overview.",
    ),
    "diagnostics:eligibility_evidence": Row(
        get=signed_in(404, org_a=200, org_b=Redirect("diagnostics:eligibility")),
        kwargs=lambda w: _draft_application(w) and {"kind": "governing_document"},
        post=signed_in(404, org_a=200, org_b=Redirect("diagnostics:eligibility")),
    ),
    "diagnostics:eligibility_check": Row(
        get=signed_in(404, org_a=200, org_b=Redirect("diagnostics:eligibility")),
        kwargs=lambda w: _draft_application(w) and {},
        post=signed_in(404, org_a=200, org_b=Redirect("diagnostics:eligibility")),
    ),
    "diagnostics:eligibility_sent": Row(
        get=signed_in(404, org_a=Redirect("diagnostics:eligibility"), org_b=200),
        kwargs=lambda w: _sent_application_of_b(w) and {},
        notes="The confirmation shows while the application waits for a decision: B's has "
        "been sent; A's is a draft (or none), so A is sent to its overview.",
    ),
    "diagnostics:evidence_download": Row(
        get=signed_in(404, org_a=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": EvidenceFactory(application=_draft_application(w)).pk},
        not_html=True,
    ),
    "diagnostics:officer_applications": Row(get=staff_only()),
    "diagnostics:officer_application_detail": Row(
        get=staff_only(),
        kwargs=lambda w: {
            # Its own organisation: A may already have a draft open in this world.
            "pk": EligibilityApplicationFactory(status="submitted", answered=True).pk
        },
        post=staff_only(),
        notes="An empty POST re-shows the decision form with its error.",
    ),
    "diagnostics:criteria_versions": Row(get=managers_only()),
    "diagnostics:criteria_draft": Row(
        get=signed_in(405),
        post=signed_in(404, officer=403, manager=Redirect("diagnostics:criteria_versions")),
    ),
    "diagnostics:criterion_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _draft_criteria(w).criteria.first().pk},
        post=managers_only(),
    ),
    "diagnostics:criteria_publish": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _draft_criteria(w).pk},
        post=signed_in(404, officer=403, manager=Redirect("diagnostics:criteria_versions")),
    ),
    "diagnostics:questionnaire_versions": Row(get=managers_only()),
    "diagnostics:questionnaire_draft": Row(
        get=signed_in(405),
        post=signed_in(404, officer=403, manager=302),
        notes="The manager is sent to the new draft's page.",
    ),
    "diagnostics:questionnaire_detail": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _draft_questionnaire(w).pk}
    ),
    "diagnostics:questionnaire_publish": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _draft_questionnaire(w).pk},
        post=signed_in(404, officer=403, manager=Redirect("diagnostics:questionnaire_versions")),
    ),
    "diagnostics:questionnaire_theme_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _draft_questionnaire(w).themes.first().pk},
        post=managers_only(),
        notes="An empty POST re-shows the form with its errors.",
    ),
    "diagnostics:questionnaire_statement_add": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _draft_questionnaire(w).themes.first().pk},
        post=managers_only(),
    ),
    "diagnostics:questionnaire_statement_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _draft_statement(w).pk},
        post=managers_only(),
    ),
    "diagnostics:questionnaire_statement_remove": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _draft_statement(w).pk},
        post=signed_in(404, officer=403, manager=302),
        notes="The manager is sent back to the draft's page.",
    ),
    "diagnostics:diagnostic": Row(get=signed_in(404, org_a=200, org_b=200)),
    "diagnostics:diagnostic_start": Row(
        get=signed_in(405),
        post=signed_in(
            404,
            org_a=Redirect("diagnostics:diagnostic"),
            org_b=Redirect("diagnostics:diagnostic"),
        ),
        notes="Neither is eligible in the world, so each is told why on its overview.",
    ),
    "diagnostics:diagnostic_theme": Row(
        get=signed_in(404, org_a=200, org_b=Redirect("diagnostics:diagnostic")),
        kwargs=lambda w: (
            _diagnostic(w, status="self_assessment", score=None) and {"slug": "governance"}
        ),
        post=signed_in(404, org_a=200, org_b=Redirect("diagnostics:diagnostic")),
    ),
    "diagnostics:diagnostic_summary": Row(
        get=signed_in(404, org_a=200, org_b=Redirect("diagnostics:diagnostic")),
        kwargs=lambda w: _diagnostic(w, status="self_assessment", score=None) and {},
        post=signed_in(404, org_a=409, org_b=Redirect("diagnostics:diagnostic")),
        notes="A's self-assessment is unscored, so sending it is refused (409).",
    ),
    "diagnostics:self_assessment_sent": Row(
        get=signed_in(404, org_a=Redirect("diagnostics:diagnostic"), org_b=200),
        kwargs=lambda w: _sent_self_assessment_of_b(w) and {},
        notes="The confirmation shows once the self-assessment is sent, until the diagnostic "
        "is completed: B's is waiting for a session; A has none sent.",
    ),
    "diagnostics:diagnostic_compare": Row(get=signed_in(404, org_a=200, org_b=200)),
    "diagnostics:diagnostic_report": Row(
        get=signed_in(404, org_a=200, officer=200, manager=200),
        kwargs=lambda w: {"pk": _diagnostic(w, status="completed").pk},
    ),
    "diagnostics:officer_diagnostics": Row(get=staff_only()),
    "diagnostics:officer_diagnostic": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _staff_diagnostic("awaiting_session").pk}
    ),
    "diagnostics:officer_diagnostic_session": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _staff_diagnostic("awaiting_session").pk},
        post=staff_only(),
    ),
    "diagnostics:officer_diagnostic_theme": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _staff_diagnostic("awaiting_session").pk, "slug": "ict"},
        post=staff_only(),
    ),
    "diagnostics:officer_diagnostic_complete": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _staff_diagnostic("session_booked").pk},
        post=staff_only(),
    ),
    "diagnostics:officer_recommendation_add": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _staff_diagnostic("completed").pk},
        post=staff_only(),
    ),
    "diagnostics:officer_recommendation_remove": Row(
        get=staff_only(),
        kwargs=lambda w: {
            "pk": RecommendationFactory(diagnostic=_staff_diagnostic("completed")).pk
        },
        post=staff_only(),
    ),
    "diagnostics:distance_travelled": Row(get=managers_only()),
    # --- Grants: section B's rounds (issue 13). The public read a published
    # round without an account; managers set rounds up; other staff 403.
    "grants:public_rounds": PUBLIC_PAGE,
    "grants:public_round": Row(
        get=everyone(200), kwargs=lambda w: {"pk": _gm().published_round(w).pk}, public=True
    ),
    "grants:rounds": Row(get=managers_only()),
    "grants:round_create": Row(
        get=managers_only(),
        post=managers_only(),
        notes="An empty POST re-shows the form with its errors.",
    ),
    "grants:round_detail": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _gm().draft_round(w).pk}
    ),
    **{
        f"grants:{name}": Row(
            get=managers_only(),
            kwargs=lambda w: {"pk": _gm().draft_round(w).pk},
            post=managers_only(),
            notes="An empty POST re-shows the form with its errors.",
        )
        for name in ("round_edit", "round_communities", "round_scale", "criterion_add")
    },
    "grants:round_publish": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _gm().draft_round(w).pk},
        post=managers_only(),
        notes="The draft is open to no community yet: the check page says why (200).",
    ),
    "grants:round_return_to_draft": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _gm().published_round(w).pk},
        post=signed_in(404, officer=403, manager=302),
        notes="It opens tomorrow, so it may go back to draft: to its page.",
    ),
    "grants:round_withdraw": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().published_round(w).pk},
        post=managers_only(),
        notes="An empty POST re-shows the form with its error.",
    ),
    "grants:criterion_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().criterion(w).pk},
        post=managers_only(),
    ),
    "grants:criterion_remove": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().criterion(w).pk},
        post=signed_in(404, officer=403, manager=302),
        notes="The GET asks to confirm; the POST removes it and goes back to the round.",
    ),
    "grants:communities": Row(get=managers_only()),
    "grants:community_add": Row(get=managers_only(), post=managers_only()),
    "grants:community_edit": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().community(w).pk},
        post=managers_only(),
    ),
    # --- Grants: applying (issue 13). An application is its organisation's: its
    # administrators change it, everyone else gets 404 (org_b included); staff
    # read it only once sent. A consortium request is the named organisation's.
    "grants:my_applications": Row(get=signed_in(404, org_a=200, org_b=200)),
    "grants:apply_start": Row(
        get=signed_in(404, org_a=200, org_b=200),
        kwargs=lambda w: {"pk": _gm().open_round(w).pk},
        post=signed_in(404, org_a=200, org_b=200),
        notes="An empty POST re-shows the form with its error.",
    ),
    "grants:application": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _gm().draft_application(w).pk}
    ),
    **{
        f"grants:{name}": Row(
            get=signed_in(404, org_a=200),
            kwargs=lambda w: {"pk": _gm().draft_application(w).pk},
            post=signed_in(404, org_a=200),
            notes="An empty POST re-shows the form with its errors.",
        )
        for name in ("application_size", "application_check", "application_withdraw")
    },
    "grants:application_question": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {
            "pk": _gm().draft_application(w).pk,
            "criterion_pk": _gm().question(w).pk,
        },
        post=signed_in(404, org_a=200),
        notes="An empty answer sent onwards is asked for (200); a draft may be empty.",
    ),
    "grants:application_evidence": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _gm().draft_application(w).pk, "kind": "governing_document"},
        post=signed_in(404, org_a=302),
        notes="A file is uploaded already, so an empty POST keeps it and goes on.",
    ),
    "grants:application_sent": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _gm().sent_application(w).pk}
    ),
    "grants:evidence_download": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _gm().evidence(w).pk},
        not_html=True,
        notes="A draft's file: staff read files only once the application is sent.",
    ),
    "grants:consortium": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _gm().draft_application(w).pk}
    ),
    "grants:consortium_add": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _gm().draft_application(w).pk},
        post=signed_in(404, org_a=302),
        post_data=lambda w: {"organisation": w.org_b.pk},
        notes="B is named already: A is told so, back on the consortium page.",
    ),
    "grants:consortium_remove": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _gm().consortium_member(w).pk},
        post=signed_in(404, org_a=302),
    ),
    "grants:consortium_request": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _gm().consortium_request(w).pk}
    ),
    "grants:consortium_confirm": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _gm().consortium_request(w).pk},
        post=signed_in(404, org_a=302),
    ),
    "grants:consortium_decline": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _gm().consortium_request(w).pk},
        post=signed_in(404, org_a=200),
        notes="An empty POST asks for the reason.",
    ),
    "grants:round_applications": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _gm().open_round(w).pk}
    ),
    "grants:staff_application": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _gm().sent_application(w).pk}
    ),
    # --- Grants: assessing and deciding (issue 13). Managers name the panel,
    # moderate, rank and decide (other staff 403, everyone else 404); staff see
    # their list to assess; only the round's panel opens an application to score
    # it (other staff 403). The world's manager is on the panel, its officer is not.
    "grants:round_panel": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().assessed_round(w).pk},
        post=managers_only(),
        notes="An empty POST re-shows the form with its error.",
    ),
    "grants:panel_remove": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _gm().spare_panel_member(w).pk},
        post=signed_in(404, officer=403, manager=302),
        notes="The spare assessor has not begun: taken off, back to the panel page.",
    ),
    "grants:my_assessments": Row(get=staff_only()),
    "grants:assess": Row(
        get=signed_in(404, officer=403, manager=200),
        kwargs=lambda w: {"pk": _gm().assessed_application(w).pk},
        post=signed_in(404, officer=403, manager=200),
        notes="The manager has sent their scores: they see everyone's; a POST changes nothing.",
    ),
    "grants:moderate": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().assessed_application(w).pk},
        post=managers_only(),
        notes="An empty POST re-shows the form with a score asked for on each criterion.",
    ),
    "grants:round_ranking": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _gm().assessed_round(w).pk}
    ),
    "grants:recognise_community": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().sent_proposal(w).pk},
        post=signed_in(404, officer=403, manager=Redirect("grants:round_ranking")),
        notes="The manager's POST adds the proposed community to the round (no fields).",
    ),
    "grants:decide": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().assessed_community(w).pk},
        post=managers_only(),
        notes="An empty POST re-shows the form with its errors; nothing is decided.",
    ),
    **{
        f"grants:{name}": Row(
            get=signed_in(404),
            kwargs=lambda w: {"pk": _gm().assessed_application(w).pk},
            post=signed_in(404),
            notes="No offer waits on this application, so 404 even for organisation B, whose "
            "it is: an offer page exists only while its offer does. Who may answer one "
            "(its administrators; a member 403; anyone else 404) is in "
            "tests/grants/test_offer_views.py, and axe opens it in "
            "tests/browser/test_assessing_accessibility.py.",
        )
        for name in ("offer", "offer_decline")
    },
    # --- Grants: appeals, collective issues and the round report (issue 13). Organisation B
    # lost the matrix's appeal round and has appealed: its page shows the appeal (a POST is
    # told it has already appealed); anyone else's 404. Managers list and review appeals
    # (the world's manager took no part in that round). Staff record collective issues;
    # representatives (A holds an award there) and staff read them, other organisations 404.
    "grants:appeal": Row(
        get=signed_in(404, org_b=200),
        kwargs=lambda w: {"pk": _gm().appealed_application(w).pk},
        post=signed_in(404, org_b=200),
        notes="B has appealed already: the POST is refused with the reason; nothing changes.",
    ),
    "grants:appeals": Row(get=managers_only()),
    "grants:appeal_review": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().appeal(w).pk},
        post=managers_only(),
        notes="An empty POST re-shows the form with its errors; nothing is recorded.",
    ),
    "grants:collective_issues": Row(get=staff_only()),
    "grants:collective_meetings": Row(get=staff_only()),
    **{
        f"grants:{name}": Row(
            get=staff_only(),
            kwargs=lambda w: _gm().with_representatives(w),
            post=staff_only(),
            notes="An empty POST re-shows the form with its errors.",
        )
        for name in ("collective_meeting_add", "collective_issue_add")
    },
    "grants:collective_issue_respond": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _gm().collective_issue(w).pk},
        post=staff_only(),
        notes="An empty POST asks for the response.",
    ),
    "grants:collective_issues_for_representatives": Row(
        get=signed_in(404, org_a=200, officer=200, manager=200),
        kwargs=lambda w: _gm().with_representatives(w),
        notes="For the members of an organisation holding an award (A, in the appeal round).",
    ),
    "grants:round_report": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _gm().assessed_round(w).pk}
    ),
    "grants:round_report_csv": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().assessed_round(w).pk},
        not_html=True,
    ),
    # --- Grants: monitoring reports (issue 13). The awarded organisation's members read its
    # grant and reports, its administrators write and send them (everyone else 404); staff
    # see the queue, review a sent report (accept and pay, or ask for more), and a grant.
    "grants:grant": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _gm().monitored(w).pk}
    ),
    "grants:grant_report": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _gm().report_in_progress(w).pk},
        post=signed_in(404, org_a=302),
        notes="Its period is under way: an empty POST saves a draft and goes to the grant.",
    ),
    "grants:grant_reports": Row(get=staff_only()),
    "grants:grant_report_review": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _gm().report_sent(w).pk},
        post=staff_only(),
        notes="An empty POST asks for the decision; nothing is paid.",
    ),
    "grants:grant_monitoring": Row(
        get=staff_only(), kwargs=lambda w: {"pk": _gm().monitored(w).pk}
    ),
    # --- Grants: representatives and concerns (issue 13). Anyone reads a representative's
    # page and raises a concern without an account; the link's token is the secret. The
    # representative organisation's administrators respond (404 for anyone else); staff
    # review and decide.
    "grants:representatives": PUBLIC_PAGE,
    "grants:representative": Row(
        get=everyone(200), kwargs=lambda w: {"pk": _gm().representative(w).pk}, public=True
    ),
    "grants:concern_raise": Row(
        get=everyone(200),
        kwargs=lambda w: {"pk": _gm().representative(w).pk},
        post=everyone(200),
        public=True,
        notes="An empty POST re-shows the form with its errors; nothing is saved.",
    ),
    "grants:concern_sent": Row(
        get=everyone(200), kwargs=lambda w: {"pk": _gm().representative(w).pk}, public=True
    ),
    "grants:concern_confirm": Row(
        get=everyone(200),
        kwargs=lambda w: {"token": "not-a-real-token"},
        post=everyone(200),
        public=True,
        notes="An unknown token shows the 'link does not work' page and changes nothing; "
        "a real one in each state: tests/grants/test_concern_views.py.",
    ),
    "grants:my_concerns": Row(get=signed_in(404, org_a=200, org_b=200)),
    "grants:concern_respond": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _gm().concern_to_respond(w).pk},
        post=signed_in(404, org_a=200),
        notes="An empty POST asks for the response.",
    ),
    "grants:concern_queue": Row(get=staff_only()),
    "grants:concern_review": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _gm().concern_to_review(w).pk},
        post=staff_only(),
        notes="An empty POST asks for the outcome and its reasons.",
    ),
    # --- Grants: the community's voice, public side (issue 18). Anyone backs an applicant or
    # gives the yearly verdict without an account; the link's token is the secret. A
    # consultation in a round the public cannot see is 404 for everyone
    # (tests/grants/test_voice_public_views.py).
    "grants:voices": PUBLIC_PAGE,
    "grants:voice": Row(
        get=everyone(200),
        kwargs=lambda w: {"pk": _gm().backing_consultation(w).pk},
        post=everyone(200),
        public=True,
        notes="An empty POST re-shows the form with its errors; nothing is saved.",
    ),
    "grants:voice_sent": Row(
        get=everyone(200),
        kwargs=lambda w: {"pk": _gm().backing_consultation(w).pk},
        public=True,
    ),
    "grants:voice_confirm": Row(
        get=everyone(200),
        kwargs=lambda w: {"token": "not-a-real-token"},
        post=everyone(200),
        public=True,
        notes="An unknown token shows the 'link does not work' page and changes nothing; "
        "a real one in each state: tests/grants/test_voice_public_views.py.",
    ),
    "grants:voice_privacy": PUBLIC_PAGE,
    # --- Grants: the community's voice, for staff (issue 18). Managers moderate a
    # consultation (other staff 403); officers check comments and record assisted responses;
    # the approved comments are for the moderator and the application's assessors (the
    # world's officer is not on its panel: 403). Never the public or an organisation (404).
    "grants:consultation_moderation": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _gm().backing_consultation(w).pk}
    ),
    "grants:consultation_comments": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().backing_consultation(w).pk},
        notes="Without ?applicant= it lists the comments of those who backed none of these.",
    ),
    "grants:voice_moderate": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _gm().flagged_voice(w).pk},
        post=managers_only(),
        notes="An empty POST asks for the reason; nothing is set aside.",
    ),
    "grants:voice_comments": Row(get=staff_only()),
    "grants:voice_comment_check": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _gm().voice_comment(w).pk},
        post=staff_only(),
        notes="An empty POST asks whether to approve or withhold.",
    ),
    "grants:assisted_response": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _gm().backing_consultation(w).pk},
        post=staff_only(),
        notes="An empty POST asks for each answer; nothing is recorded.",
    ),
    "grants:application_comments": Row(
        get=managers_only(), kwargs=lambda w: {"pk": _gm().backed_application(w).pk}
    ),
    # --- Volunteering (issue 14). An organisation's opportunities are its members' (any
    # member, not only administrators; everyone else 404). Brokers check them: on those
    # rows the world's provider user holds a live broker grant (tests/volunteering/matrix.py),
    # and nobody else may see the brokers' pages (404). Managers grant and revoke the role.
    "volunteering:opportunities": Row(get=signed_in(404, org_a=200, org_b=200)),
    "volunteering:opportunity_create": Row(
        get=signed_in(404, org_a=200, org_b=200),
        post=signed_in(404, org_a=200, org_b=200),
        notes="An empty POST is refused for want of a title; nothing is saved.",
    ),
    "volunteering:opportunity": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _vm().draft(w).pk}
    ),
    "volunteering:opportunity_edit": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().draft(w).pk},
        post=signed_in(404, org_a=200),
        notes="An empty POST is refused for want of a title; nothing is changed.",
    ),
    "volunteering:opportunity_submit": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _vm().draft(w).pk},
        post=signed_in(404, org_a=Redirect("volunteering:opportunity_sent")),
    ),
    "volunteering:opportunity_copy": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _vm().submitted(w).pk},
        post=signed_in(404, org_a=Redirect("volunteering:opportunity_edit")),
        notes="A copy of any of the organisation's opportunities, as a new draft.",
    ),
    "volunteering:opportunity_sent": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _vm().draft(w).pk}
    ),
    "volunteering:opportunity_withdraw": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().draft(w).pk},
        post=signed_in(404, org_a=Redirect("volunteering:opportunities")),
    ),
    "volunteering:opportunity_filled": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().published(w).pk},
        post=signed_in(404, org_a=Redirect("volunteering:opportunities")),
    ),
    "volunteering:broker_queue": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: _vm().as_broker(w)
    ),
    "volunteering:broker_check": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().submitted(w).pk},
        post=signed_in(404, provider=200),
        notes="An empty POST asks for the decision; nothing is decided.",
    ),
    "volunteering:brokers": Row(
        get=managers_only(),
        post=managers_only(),
        notes="An empty POST asks for the person's email address.",
    ),
    "volunteering:broker_revoke": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _vm().broker(w).pk},
        post=signed_in(404, officer=403, manager=Redirect("volunteering:brokers")),
    ),
    # Volunteers: organisation B's administrator is also a volunteer on these rows
    # (tests/volunteering/matrix.py), interested in organisation A's opportunities. A person
    # who is not a volunteer is sent to sign up as one; a volunteer's interest, placement
    # and hours are theirs and the organisation's only (everyone else 404); the privacy
    # notice is public.
    "volunteering:volunteer_home": _volunteers_page(),
    "volunteering:volunteer_profile": Row(
        get=signed_in(200),
        kwargs=lambda w: _vm().as_volunteer(w),
        post=signed_in(200),
        notes="An empty POST asks for the name, district, age and how to be contacted.",
    ),
    "volunteering:volunteer_equality": Row(
        get=signed_in(_SIGN_UP, org_b=200),
        kwargs=lambda w: _vm().as_volunteer(w),
        post=signed_in(_SIGN_UP, org_b=Redirect("volunteering:volunteer_home")),
        notes="An empty POST gives no consent: nothing is kept.",
    ),
    "volunteering:interest_create": Row(
        get=signed_in(_SIGN_UP, org_b=200),
        kwargs=lambda w: {"pk": _vm().open_to_interest(w).pk},
        post=signed_in(_SIGN_UP, org_b=Redirect("volunteering:my_interest")),
    ),
    "volunteering:my_interest": Row(
        get=signed_in(404, org_b=200),
        kwargs=lambda w: {"pk": _vm().placed(w).pk},
        post=signed_in(404, org_b=200),
        notes="An empty POST asks for the date and hours; nothing is logged.",
    ),
    "volunteering:interest_withdraw": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _vm().interest(w).pk},
        post=signed_in(404, org_b=Redirect("volunteering:my_interest")),
    ),
    "volunteering:volunteer_record": _volunteers_page(),
    "volunteering:volunteer_record_csv": _volunteers_page(not_html=True),
    "volunteering:volunteer_data": _volunteers_page(),
    "volunteering:volunteer_data_json": _volunteers_page(not_html=True),
    "volunteering:volunteer_delete": Row(
        get=signed_in(Redirect("start"), org_b=200),
        kwargs=lambda w: _vm().as_volunteer(w),
        post=signed_in(Redirect("start")),
        notes="Someone who is not a volunteer is told they have nothing to delete.",
    ),
    "volunteering:volunteer_privacy": PUBLIC_PAGE,
    "volunteering:volunteer_advice_list": _volunteers_page(),
    "volunteering:volunteer_advice_ask": Row(
        get=signed_in(_SIGN_UP, org_b=200),
        kwargs=lambda w: _vm().as_volunteer(w),
        post=signed_in(_SIGN_UP, org_b=200),
        notes="An empty POST asks for the question; nothing is sent.",
    ),
    "volunteering:volunteer_advice": Row(
        get=signed_in(404, org_b=200), kwargs=lambda w: {"pk": _vm().volunteer_advice(w).pk}
    ),
    "volunteering:opportunity_interests": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _vm().interest(w).opportunity_id}
    ),
    "volunteering:interest": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().interest(w).pk},
        post=signed_in(404, org_a=200),
        notes="A POST with neither form's button changes nothing.",
    ),
    "volunteering:placement_end": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _vm().placed(w).pk},
        post=signed_in(
            404,
            org_a=Redirect("volunteering:interest"),
            org_b=Redirect("volunteering:my_interest"),
        ),
    ),
    "volunteering:hours_answer": Row(
        get=signed_in(404, org_a=200, org_b=200),
        kwargs=lambda w: {"pk": _vm().hour_entry(w).pk},
        post=signed_in(404, org_a=200, org_b=200),
        notes="An empty POST asks whether the hours are right; the side that logged them "
        "has nothing to answer.",
    ),
    "volunteering:broker_volunteers": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: _vm().as_broker(w)
    ),
    "volunteering:broker_volunteer": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().suggestible(w)[0].pk},
        post=signed_in(404, provider=200),
        notes="An empty POST asks which role to suggest; nothing is sent.",
    ),
    "volunteering:broker_opportunity_volunteers": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().suggestible(w)[1].pk},
        post=signed_in(404, provider=200),
        notes="An empty POST asks which volunteer; nothing is sent.",
    ),
    "volunteering:broker_interest": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: _vm().as_broker(w)
    ),
    "volunteering:opportunity_extend": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().published(w).pk},
        post=signed_in(404, org_a=200),
        notes="An empty POST asks for the new closing date; nothing is changed.",
    ),
    # The public search of published opportunities and one's public page: everyone, signed
    # in or not. Drafts, submitted, sent back and closed ones are 404 for everyone
    # (tests/volunteering/test_search_views.py).
    "volunteering:search": PUBLIC_PAGE,
    "volunteering:public_opportunity": Row(
        get=everyone(200), kwargs=lambda w: {"pk": _vm().published(w).pk}, public=True
    ),
    # --- Volunteering: advice and guidance. An organisation's requests are its members'
    # (everyone else 404); brokers (the world's provider user, given a live grant) read and
    # answer every one on their own pages (everyone else 404); the report is
    # reports:volunteering_advice.
    "volunteering:advice_list": Row(get=signed_in(404, org_a=200, org_b=200)),
    "volunteering:advice_ask": Row(
        get=signed_in(404, org_a=200, org_b=200),
        post=signed_in(404, org_a=200, org_b=200),
        notes="An empty POST asks for the question, its topic and how to answer; nothing sent.",
    ),
    "volunteering:advice": Row(
        get=signed_in(404, org_a=200), kwargs=lambda w: {"pk": _vm().advice(w).pk}
    ),
    "volunteering:broker_advice_queue": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: _vm().as_broker(w)
    ),
    "volunteering:broker_advice": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().advice(w).pk},
        post=signed_in(404, provider=200),
        notes="An empty POST names no form (answer or close): the page again, nothing changed.",
    ),
    # --- Volunteering events (issue 14). Members of any organisation see published events,
    # book, and see, cancel and give feedback on their own bookings (others 404). Brokers run
    # events (the world's provider user holds a live grant on these rows, everyone else 404);
    # the events and attendance report is reports:volunteering_events.
    "volunteering:events": Row(get=signed_in(404, org_a=200, org_b=200)),
    "volunteering:event": Row(
        get=signed_in(404, org_a=200, org_b=200),
        kwargs=lambda w: {"pk": _vm().event_published(w).pk},
    ),
    "volunteering:event_book": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _vm().event_published(w).pk},
        post=signed_in(
            404,
            org_a=Redirect("volunteering:event"),
            org_b=Redirect("volunteering:event"),
        ),
    ),
    "volunteering:event_bookings": Row(get=signed_in(404, org_a=200, org_b=200)),
    "volunteering:event_booking_cancel": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().booking_a(w).pk},
        post=signed_in(404, org_a=Redirect("volunteering:event_bookings")),
    ),
    "volunteering:event_feedback": Row(
        get=signed_in(404, org_a=200),
        kwargs=lambda w: {"pk": _vm().attended_booking_a(w).pk},
        post=signed_in(404, org_a=200),
        notes="An empty POST asks for a rating; nothing is saved.",
    ),
    # The volunteer centre's funding agreement: staff read it (managers make it); officers
    # review its reports; the centre's brokers write them (everyone else 404).
    "volunteering:agreements": Row(get=staff_only()),
    "volunteering:agreement_new": Row(
        get=managers_only(),
        post=managers_only(),
        notes="An empty POST asks for each answer; nothing is committed.",
    ),
    "volunteering:agreement": Row(get=staff_only(), kwargs=lambda w: {"pk": _vm().agreement(w).pk}),
    "volunteering:agreement_end": Row(
        get=managers_only(),
        kwargs=lambda w: {"pk": _vm().agreement(w).pk},
        post=managers_only(),
        notes="An empty POST asks why; nothing is ended or released.",
    ),
    "volunteering:agreement_reviews": Row(get=staff_only()),
    "volunteering:agreement_report_review": Row(
        get=staff_only(),
        kwargs=lambda w: {"pk": _vm().report_sent(w).pk},
        post=staff_only(),
        notes="An empty POST asks for the decision; nothing is paid.",
    ),
    "volunteering:centre_reports": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: _vm().as_broker(w)
    ),
    "volunteering:centre_report": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().report_in_progress(w).pk},
        post=signed_in(404, provider=Redirect("volunteering:centre_reports")),
        notes="Its period is under way: an empty POST saves a draft.",
    ),
    "volunteering:broker_events": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: _vm().as_broker(w)
    ),
    "volunteering:broker_event_create": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: _vm().as_broker(w),
        post=signed_in(404, provider=200),
        notes="An empty POST asks for each answer; nothing is saved.",
    ),
    "volunteering:broker_event": Row(
        get=signed_in(404, provider=200), kwargs=lambda w: {"pk": _vm().event_draft(w).pk}
    ),
    "volunteering:broker_event_edit": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().event_draft(w).pk},
        post=signed_in(404, provider=200),
        notes="An empty POST asks for each answer; nothing is changed.",
    ),
    "volunteering:broker_event_publish": Row(
        get=signed_in(405),
        kwargs=lambda w: {"pk": _vm().event_draft(w).pk},
        post=signed_in(404, provider=Redirect("volunteering:broker_event")),
    ),
    "volunteering:broker_event_cancel": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().event_published(w).pk},
        post=signed_in(404, provider=200),
        notes="An empty POST asks for the reason; nothing is cancelled.",
    ),
    "volunteering:broker_event_attendance": Row(
        get=signed_in(404, provider=200),
        kwargs=lambda w: {"pk": _vm().past_event(w).pk},
        post=signed_in(404, provider=Redirect("volunteering:broker_event")),
        notes="An empty POST records that nobody came.",
    ),
}


def _gm():
    """The grants rows' object makers (# --- Grants)."""
    from tests.grants import matrix

    return matrix


def _vm():
    """The volunteering rows' object makers (# --- Volunteering)."""
    from tests.volunteering import matrix

    return matrix


def _pm():
    """The provider rows' object makers (# providers: register)."""
    from tests.providers import matrix

    return matrix


def _draft_application(w):
    """Organisation A's application in progress (made once per world)."""
    from diagnostics.models import EligibilityApplication

    existing = EligibilityApplication.objects.open().filter(organisation=w.org_a).first()
    return existing or EligibilityApplicationFactory(organisation=w.org_a, answered=True)


def _sent_application_of_b(w):
    """Organisation B's application, sent and waiting for a decision (made once per world).

    B, not A: A's draft stays editable for its own pages when one world builds every URL.
    """
    from diagnostics.models import EligibilityApplication

    existing = EligibilityApplication.objects.open().filter(organisation=w.org_b).first()
    return existing or EligibilityApplicationFactory(
        organisation=w.org_b, status="submitted", answered=True
    )


def _sent_self_assessment_of_b(w):
    """Organisation B's diagnostic waiting for a session (made once per world); see above."""
    from diagnostics.models import Diagnostic

    existing = Diagnostic.objects.filter(
        organisation=w.org_b, status__in=Diagnostic.OPEN_STATUSES
    ).first()
    return existing or DiagnosticFactory(organisation=w.org_b, status="awaiting_session")


def _draft_criteria(w):
    from diagnostics.criteria_services import draft_criteria_version

    return draft_criteria_version(by=w.manager)


def _draft_questionnaire(w):
    """The draft questionnaire version: the one there is, else a copy of the current one."""
    from diagnostics.questionnaire_services import draft_questionnaire

    return draft_questionnaire(by=w.manager)


def _draft_statement(w):
    """A statement of the draft. The last of a theme with most left, so removing it in
    one world still leaves every theme with statements for the other rows."""
    from django.db.models import Count

    theme = (
        _draft_questionnaire(w)
        .themes.annotate(n=Count("statements"))
        .order_by("-n", "position")
        .first()
    )
    return theme.statements.last()


def _staff_diagnostic(status):
    """A diagnostic of its own organisation, for staff-only pages: organisation A's
    open diagnostic stays as its own pages need it when one world builds every URL."""
    return DiagnosticFactory(status=status, score=2)


def _diagnostic(w, *, status, score=2):
    """A diagnostic of organisation A in `status`, scored `score` throughout.

    An organisation has one open diagnostic at a time, and some tests build
    every URL from one world, so an open one is reused (moved to `status`).
    """
    from diagnostics.models import Diagnostic

    if status != "completed":
        existing = Diagnostic.objects.filter(
            organisation=w.org_a, status__in=Diagnostic.OPEN_STATUSES
        ).first()
        if existing:
            Diagnostic.objects.filter(pk=existing.pk).update(status=status)
            return existing
    return DiagnosticFactory(organisation=w.org_a, status=status, score=score)
