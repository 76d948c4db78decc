from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("home/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/two-factor/", include("allauth.mfa.urls")),
    path("", include("organisations.urls")),
    path("", include("notifications.urls")),
    path("", include("packages.urls")),
    path("", include("allowances.urls")),
    path("", include("diagnostics.urls")),
    path("provider/", include("providers.urls")),
    path("manager/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
