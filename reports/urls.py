from django.urls import include, path

from . import (
    breakdown_views,
    finance_views,
    insight_views,
    open_data_views,
    views,
    volunteering_advice_views,
    volunteering_events_views,
    volunteering_views,
)
from . import open_data_release_views as release_views
from .breakdowns import DIMENSIONS

app_name = "reports"

# The managers' reports, under /manager/ (see urlpatterns at the end).
manager_urlpatterns = [
    path("", views.manager_overview, name="manager_overview"),
    path("reports/dashboard/", views.budget_dashboard, name="budget_dashboard"),
    path("reports/ledger/", breakdown_views.ledger_entries, name="ledger"),
    # One named URL per breakdown (reports:breakdown_package …), so each is in
    # the permission matrix and the accessibility crawl.
    *(
        path(
            f"reports/breakdowns/{slug.replace('_', '-')}/",
            breakdown_views.breakdown_view,
            {"dimension": slug},
            name=f"breakdown_{slug}",
        )
        for slug in DIMENSIONS
    ),
    path("reports/caps-in-practice/", insight_views.caps, name="caps"),
    path("reports/reach/", insight_views.reach_and_impact, name="reach"),
    path("reports/providers/", insight_views.providers, name="providers"),
    path("reports/operations/", insight_views.operations_view, name="operations"),
    path("reports/volunteering/", volunteering_views.volunteering, name="volunteering"),
    path(
        "reports/volunteering/equality/", volunteering_views.equality, name="volunteering_equality"
    ),
    path("reports/volunteering/hour-value/", volunteering_views.hour_value, name="hour_value"),
    path("reports/approved-claims.csv", finance_views.claims_csv, name="claims_csv"),
    path("reports/open-data/", open_data_views.open_data, name="open_data"),
    path("reports/open-data/build/", open_data_views.build_file, name="open_data_build"),
    path(
        "reports/open-data/360giving.json", open_data_views.grants_360_json, name="grants_360_json"
    ),
    path("reports/open-data/360giving.csv", open_data_views.grants_360_csv, name="grants_360_csv"),
    path(
        "reports/open-data/360giving.xlsx", open_data_views.grants_360_xlsx, name="grants_360_xlsx"
    ),
    # Publishing open data: releases (the public page and files: reports/public_urls.py)
    path("reports/open-data/releases/", release_views.releases, name="open_data_releases"),
    path(
        "reports/open-data/releases/prepare/",
        release_views.prepare,
        name="open_data_release_prepare",
    ),
    path("reports/open-data/releases/<int:pk>/", release_views.release, name="open_data_release"),
    path(
        "reports/open-data/releases/<int:pk>/publish/",
        release_views.publish,
        name="open_data_release_publish",
    ),
    path(
        "reports/open-data/releases/<int:pk>/discard/",
        release_views.discard,
        name="open_data_release_discard",
    ),
    path(
        "reports/open-data/releases/<int:pk>/<str:filename>",
        release_views.release_file,
        name="open_data_release_file",
    ),
    path(
        "reports/open-data/transparency-code-grants.csv",
        open_data_views.transparency_csv,
        name="transparency_csv",
    ),
]

# Section C's events and advice reports keep the brokers' addresses they have always had
# (people bookmark them), so this app is included at the root.
broker_urlpatterns = [
    path(
        "broker/events/report/",
        volunteering_events_views.events_report,
        name="volunteering_events",
    ),
    path(
        "broker/events/report/download/",
        volunteering_events_views.events_report_download,
        name="volunteering_events_download",
    ),
    path(
        "broker/advice/report/",
        volunteering_advice_views.advice_report,
        name="volunteering_advice",
    ),
    path(
        "broker/advice/report/download/",
        volunteering_advice_views.advice_report_download,
        name="volunteering_advice_download",
    ),
]

urlpatterns = [path("manager/", include(manager_urlpatterns)), *broker_urlpatterns]
