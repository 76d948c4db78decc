from django.urls import path

from .views import broker, events_broker, events_member, events_report, manager, organisation

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
    # Events for volunteer managers: members of organisations book, brokers run them.
    path("organisation/events/", events_member.event_list, name="events"),
    path("organisation/events/<int:pk>/", events_member.event_detail, name="event"),
    path("organisation/events/<int:pk>/book/", events_member.event_book, name="event_book"),
    path("organisation/events/bookings/", events_member.booking_list, name="event_bookings"),
    path(
        "organisation/events/bookings/<int:pk>/cancel/",
        events_member.booking_cancel,
        name="event_booking_cancel",
    ),
    path(
        "organisation/events/bookings/<int:pk>/feedback/",
        events_member.booking_feedback,
        name="event_feedback",
    ),
    path("broker/events/", events_broker.event_list, name="broker_events"),
    path("broker/events/new/", events_broker.event_create, name="broker_event_create"),
    path("broker/events/report/", events_report.events_report, name="events_report"),
    path(
        "broker/events/report/download/",
        events_report.events_report_csv,
        name="events_report_csv",
    ),
    path("broker/events/<int:pk>/", events_broker.event_detail, name="broker_event"),
    path("broker/events/<int:pk>/edit/", events_broker.event_edit, name="broker_event_edit"),
    path(
        "broker/events/<int:pk>/publish/",
        events_broker.event_publish,
        name="broker_event_publish",
    ),
    path("broker/events/<int:pk>/cancel/", events_broker.event_cancel, name="broker_event_cancel"),
    path(
        "broker/events/<int:pk>/attendance/",
        events_broker.event_attendance,
        name="broker_event_attendance",
    ),
]
