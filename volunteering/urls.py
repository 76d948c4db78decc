from django.urls import path

from .views import advice, broker, manager, organisation

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
    # Advice and guidance: organisations ask, brokers answer; the report for brokers and
    # managers.
    path("organisation/advice/", advice.advice_list, name="advice_list"),
    path("organisation/advice/new/", advice.advice_ask, name="advice_ask"),
    path("organisation/advice/<int:pk>/", advice.advice_detail, name="advice"),
    path("broker/advice/", advice.broker_advice_queue, name="broker_advice_queue"),
    path("broker/advice/report/", advice.advice_report, name="advice_report"),
    path("broker/advice/<int:pk>/", advice.broker_advice, name="broker_advice"),
]
