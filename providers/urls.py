from django.urls import path

from .views import applications, essentials, officer, provider

app_name = "providers"

urlpatterns = [
    # The provider's own pages
    path("", provider.provider_home, name="home"),
    path("register/", provider.provider_register, name="register"),
    path("profile/", provider.profile_edit, name="profile_edit"),
    path("people/", provider.people, name="people"),
    path(
        "invitations/<int:pk>/withdraw/",
        provider.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("join/<str:token>/", provider.invitation_accept, name="invitation_accept"),
    # Essentials and joining the register
    path("insurance/<str:kind>/", essentials.insurance, name="insurance"),
    path("policies/<str:kind>/", essentials.policy, name="policy"),
    path("declarations/exclusions/", essentials.exclusions, name="exclusions"),
    path("declarations/conflicts/", essentials.conflicts, name="conflicts"),
    path("register/check/", essentials.register_check, name="register_check"),
    path(
        "certificates/<int:pk>/download/",
        essentials.certificate_download,
        name="certificate_download",
    ),
    path("documents/<int:pk>/download/", essentials.policy_download, name="policy_download"),
    # Package applications
    path(
        "applications/start/<int:package_pk>/",
        applications.application_start,
        name="application_start",
    ),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/submit/",
        applications.application_submit,
        name="application_submit",
    ),
    # Council officers
    path("officer/applications/", officer.officer_queue, name="officer_queue"),
    path("officer/applications/<int:pk>/", officer.officer_application, name="officer_application"),
    path(
        "officer/applications/<int:pk>/approval/",
        officer.officer_approval_change,
        name="officer_approval_change",
    ),
    path("officer/register/", officer.officer_register, name="officer_register"),
    path("officer/providers/<int:pk>/", officer.officer_provider, name="officer_provider"),
]
