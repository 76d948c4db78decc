from django.urls import path

from . import manager_views, override_views, views

app_name = "allowances"

urlpatterns = [
    # The organisation's own
    path("organisation/packages/", views.organisation_packages, name="organisation_packages"),
    path("agreed-packages/<int:pk>/", views.agreed_package_detail, name="agreed_package_detail"),
    # Council officers
    path(
        "officer/organisations/<int:pk>/packages/", views.officer_packages, name="officer_packages"
    ),
    path("officer/organisations/<int:pk>/packages/agree/", views.agree_choose, name="agree_choose"),
    path(
        "officer/organisations/<int:pk>/packages/agree/<int:package_pk>/",
        views.agree_confirm,
        name="agree_confirm",
    ),
    path(
        "officer/agreed-packages/<int:pk>/agreed/",
        views.agreed_confirmation,
        name="agreed_confirmation",
    ),
    path(
        "officer/agreed-packages/<int:pk>/cancel/",
        views.agreed_package_cancel,
        name="agreed_package_cancel",
    ),
    # Managers
    path("manager/budget/", manager_views.budget_years, name="budget_years"),
    path("manager/budget/new/", manager_views.budget_year_create, name="budget_year_create"),
    path("manager/budget/<int:pk>/edit/", manager_views.budget_year_edit, name="budget_year_edit"),
    path("manager/budget/strands/<int:pk>/", manager_views.strand_ledger, name="strand_ledger"),
    path("manager/caps/", manager_views.cap_policy, name="cap_policy"),
    path("manager/overrides/", manager_views.overrides_list, name="overrides"),
    # Override requests: officers ask, managers decide
    path(
        "officer/organisations/<int:pk>/packages/agree/<int:package_pk>/ask-override/",
        override_views.override_request_new,
        name="override_request_new",
    ),
    path("officer/override-requests/", override_views.override_requests, name="override_requests"),
    path(
        "officer/override-requests/<int:pk>/",
        override_views.override_request,
        name="override_request",
    ),
    path(
        "officer/override-requests/<int:pk>/sent/",
        override_views.override_request_sent,
        name="override_request_sent",
    ),
    path(
        "officer/override-requests/<int:pk>/decided/",
        override_views.override_request_decided,
        name="override_request_decided",
    ),
]
