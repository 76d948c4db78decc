from django.urls import path

from .views import broker, manager, organisation, search

app_name = "volunteering"

urlpatterns = [
    # The organisation's opportunities: drafted, checked, sent, withdrawn.
    path("organisation/volunteering/", organisation.opportunity_list, name="opportunities"),
    path(
        "organisation/volunteering/new/",
        organisation.opportunity_create,
        name="opportunity_create",
    ),
    path(
        "organisation/volunteering/<int:pk>/",
        organisation.opportunity_detail,
        name="opportunity",
    ),
    path(
        "organisation/volunteering/<int:pk>/edit/",
        organisation.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "organisation/volunteering/<int:pk>/submit/",
        organisation.opportunity_submit,
        name="opportunity_submit",
    ),
    path(
        "organisation/volunteering/<int:pk>/sent/",
        organisation.opportunity_sent,
        name="opportunity_sent",
    ),
    path(
        "organisation/volunteering/<int:pk>/withdraw/",
        organisation.opportunity_withdraw,
        name="opportunity_withdraw",
    ),
    path(
        "organisation/volunteering/<int:pk>/filled/",
        organisation.opportunity_filled,
        name="opportunity_filled",
    ),
    # Brokers at the volunteer centre check each opportunity before it is published.
    path("broker/opportunities/", broker.queue, name="broker_queue"),
    path("broker/opportunities/<int:pk>/", broker.check, name="broker_check"),
    # Managers grant and revoke the broker role.
    path("manager/brokers/", manager.brokers, name="brokers"),
    path("manager/brokers/<int:pk>/revoke/", manager.broker_revoke, name="broker_revoke"),
    # The public search of published opportunities, and one opportunity's public page.
    path("volunteering/", search.search, name="search"),
    path("volunteering/<int:pk>/", search.opportunity, name="public_opportunity"),
]
