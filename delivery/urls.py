from django.urls import path

from . import views_claims, views_officer, views_organisation, views_provider

app_name = "delivery"

urlpatterns = [
    # The organisation: choose a provider, follow delivery, confirm and rate, or dispute
    path(
        "organisation/agreed-packages/<int:pk>/delivery/",
        views_organisation.package,
        name="package",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/providers/",
        views_organisation.choose,
        name="choose",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/providers/<int:provider_pk>/",
        views_organisation.provider_profile,
        name="provider_profile",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/request-sent/",
        views_organisation.request_sent,
        name="request_sent",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/withdraw/",
        views_organisation.withdraw,
        name="withdraw",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/confirm/",
        views_organisation.confirm,
        name="confirm",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/confirmed/",
        views_organisation.confirmed,
        name="confirmed",
    ),
    path(
        "organisation/agreed-packages/<int:pk>/dispute/",
        views_organisation.dispute,
        name="dispute",
    ),
    # The provider: requests, delivery, replies to ratings, claims
    path("provider/requests/", views_provider.requests_list, name="provider_requests"),
    path("provider/requests/<int:pk>/", views_provider.request_detail, name="provider_request"),
    path("provider/requests/<int:pk>/accept/", views_provider.accept, name="accept"),
    path("provider/requests/<int:pk>/accepted/", views_provider.accepted, name="accepted"),
    path("provider/requests/<int:pk>/decline/", views_provider.decline, name="decline"),
    path(
        "provider/requests/<int:pk>/sessions/new/", views_provider.log_session, name="log_session"
    ),
    path(
        "provider/requests/<int:pk>/delivered/",
        views_provider.mark_delivered,
        name="mark_delivered",
    ),
    path(
        "provider/requests/<int:pk>/marked-delivered/",
        views_provider.marked_delivered,
        name="marked_delivered",
    ),
    path("provider/requests/<int:pk>/reply/", views_provider.reply, name="reply"),
    path("provider/requests/<int:pk>/claim/", views_provider.claim, name="claim"),
    path("provider/claims/<int:pk>/sent/", views_claims.claim_sent, name="claim_sent"),
    # Anyone who may see the session: its provider, the organisation, council staff
    path(
        "delivery-sessions/<int:pk>/attachment/",
        views_provider.session_attachment,
        name="session_attachment",
    ),
    # The claiming provider's people and council staff
    path("claims/<int:pk>/invoice/", views_claims.claim_invoice, name="claim_invoice"),
    # Council officers
    path("officer/claims/", views_officer.claims, name="claims"),
    path("officer/claims/<int:pk>/", views_officer.claim_detail, name="claim_detail"),
    path("officer/claims/<int:pk>/approve/", views_officer.approve_claim, name="approve_claim"),
    path("officer/claims/<int:pk>/approved/", views_claims.claim_approved, name="claim_approved"),
    path("officer/claims/<int:pk>/reject/", views_officer.reject_claim, name="reject_claim"),
    path("officer/disputes/", views_officer.disputes, name="disputes"),
    path("officer/disputes/<int:pk>/", views_officer.resolve_dispute, name="resolve_dispute"),
    path("officer/ratings/<int:pk>/hide/", views_officer.hide_rating, name="hide_rating"),
]
