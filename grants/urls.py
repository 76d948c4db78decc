from django.urls import path

from .views import (
    applications_staff,
    applying,
    assessing,
    communities,
    consortium,
    criteria,
    deciding,
    offers,
    public,
    rounds,
    sending,
)

app_name = "grants"

urlpatterns = [
    # The public: no account needed
    path("representation-grants/", public.public_rounds, name="public_rounds"),
    path("representation-grants/<int:pk>/", public.public_round, name="public_round"),
    # Managers: rounds
    path("manager/grant-rounds/", rounds.round_list, name="rounds"),
    path("manager/grant-rounds/new/", rounds.round_create, name="round_create"),
    path("manager/grant-rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("manager/grant-rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path(
        "manager/grant-rounds/<int:pk>/communities/",
        rounds.round_communities,
        name="round_communities",
    ),
    path("manager/grant-rounds/<int:pk>/scale/", rounds.round_scale, name="round_scale"),
    path("manager/grant-rounds/<int:pk>/publish/", rounds.round_publish, name="round_publish"),
    path(
        "manager/grant-rounds/<int:pk>/return-to-draft/",
        rounds.round_return_to_draft,
        name="round_return_to_draft",
    ),
    path("manager/grant-rounds/<int:pk>/withdraw/", rounds.round_withdraw, name="round_withdraw"),
    # Managers: a draft round's criteria
    path(
        "manager/grant-rounds/<int:pk>/criteria/new/", criteria.criterion_add, name="criterion_add"
    ),
    path("manager/grant-criteria/<int:pk>/", criteria.criterion_edit, name="criterion_edit"),
    path(
        "manager/grant-criteria/<int:pk>/remove/",
        criteria.criterion_remove,
        name="criterion_remove",
    ),
    # Managers: communities of interest
    path("manager/communities-of-interest/", communities.community_list, name="communities"),
    path("manager/communities-of-interest/new/", communities.community_add, name="community_add"),
    path(
        "manager/communities-of-interest/<int:pk>/",
        communities.community_edit,
        name="community_edit",
    ),
    # Organisations: applying to a round
    path("grant-applications/", applying.my_applications, name="my_applications"),
    path("representation-grants/<int:pk>/apply/", applying.apply_start, name="apply_start"),
    path("grant-applications/<int:pk>/", applying.application_detail, name="application"),
    path(
        "grant-applications/<int:pk>/community-size/",
        applying.application_size,
        name="application_size",
    ),
    path(
        "grant-applications/<int:pk>/questions/<int:criterion_pk>/",
        applying.application_question,
        name="application_question",
    ),
    path(
        "grant-applications/<int:pk>/evidence/<slug:kind>/",
        applying.application_evidence,
        name="application_evidence",
    ),
    path(
        "grant-applications/<int:pk>/check-answers/",
        sending.application_check,
        name="application_check",
    ),
    path("grant-applications/<int:pk>/sent/", sending.application_sent, name="application_sent"),
    path(
        "grant-applications/<int:pk>/withdraw/",
        sending.application_withdraw,
        name="application_withdraw",
    ),
    path("grant-evidence/<int:pk>/", applying.evidence_download, name="evidence_download"),
    # Organisations: the consortium (the lead's side, then the named organisation's)
    path("grant-applications/<int:pk>/consortium/", consortium.consortium, name="consortium"),
    path(
        "grant-applications/<int:pk>/consortium/add/",
        consortium.consortium_add,
        name="consortium_add",
    ),
    path(
        "consortium-members/<int:pk>/remove/",
        consortium.consortium_remove,
        name="consortium_remove",
    ),
    path("consortium-requests/<int:pk>/", consortium.consortium_request, name="consortium_request"),
    path(
        "consortium-requests/<int:pk>/confirm/",
        consortium.consortium_confirm,
        name="consortium_confirm",
    ),
    path(
        "consortium-requests/<int:pk>/decline/",
        consortium.consortium_decline,
        name="consortium_decline",
    ),
    # Officers and managers: sent applications
    path(
        "manager/grant-rounds/<int:pk>/applications/",
        applications_staff.round_applications,
        name="round_applications",
    ),
    path(
        "officer/grant-applications/<int:pk>/",
        applications_staff.staff_application,
        name="staff_application",
    ),
    # Assessing: the panel (managers), assessors' declarations and scores (officers),
    # moderation, ranking and the decision per community (managers)
    path("manager/grant-rounds/<int:pk>/panel/", assessing.round_panel, name="round_panel"),
    path("manager/grant-panel/<int:pk>/remove/", assessing.panel_remove, name="panel_remove"),
    path("officer/grant-assessments/", assessing.my_assessments, name="my_assessments"),
    path("officer/grant-applications/<int:pk>/assess/", assessing.assess, name="assess"),
    path(
        "manager/grant-applications/<int:pk>/moderate/",
        deciding.moderate_application,
        name="moderate",
    ),
    path("manager/grant-rounds/<int:pk>/ranking/", deciding.round_ranking, name="round_ranking"),
    path("manager/grant-round-communities/<int:pk>/decide/", deciding.decide, name="decide"),
    # Organisations: answering an offer
    path("grant-applications/<int:pk>/offer/", offers.offer, name="offer"),
    path("grant-applications/<int:pk>/offer/decline/", offers.offer_decline, name="offer_decline"),
]
