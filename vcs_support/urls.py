from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from organisations import account_views

from . import deadline_pages, home_pages, organisation_pages, views, working_day_pages

# The admin has no sign-in of its own: it sends people to allauth's, with its
# code step, so no door to staff pages opens with a password alone.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.start, name="start"),
    path("home/", home_pages.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("accounts/", include("allauth.account.urls")),
    # allauth's code steps with wrong codes limited (organisations.second_factor).
    # Listed first, on allauth's own paths and without names, so they answer
    # those paths while reverse("mfa_authenticate") etc. still name them.
    path("accounts/two-factor/authenticate/", account_views.authenticate),
    path("accounts/two-factor/reauthenticate/", account_views.reauthenticate),
    path("accounts/two-factor/", include("allauth.mfa.urls")),
    path("organisation/", organisation_pages.organisation_home, name="organisation_home"),
    path(
        "officer/organisations/<int:pk>/",
        organisation_pages.officer_organisation_detail,
        name="officer_organisation_detail",
    ),
    # deadlines
    path("manager/deadlines/", deadline_pages.deadline_list, name="deadlines"),
    path("manager/deadlines/<slug:code>/", deadline_pages.deadline_edit, name="deadline_edit"),
    # working days: the bank holidays deadlines skip, and the managers' one-off days off
    path("manager/working-days/", working_day_pages.working_days, name="working_days"),
    path("manager/working-days/add/", working_day_pages.working_day_add, name="working_day_add"),
    path(
        "manager/working-days/<int:pk>/remove/",
        working_day_pages.working_day_remove,
        name="working_day_remove",
    ),
    path("", include("organisations.urls")),
    path("", include("notifications.urls")),
    path("", include("packages.urls")),
    path("", include("allowances.urls")),
    path("", include("diagnostics.urls")),
    path("provider/", include("providers.urls")),
    path("", include("delivery.urls")),
    path("", include("grants.urls")),
    path("", include("volunteering.urls")),
    path("", include("reports.urls")),  # /manager/…, and the brokers' two reports
    path("", include("reports.public_urls")),
    path("admin/", admin.site.urls),
]
