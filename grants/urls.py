from django.urls import path

from .views import communities, criteria, public, rounds

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
]
