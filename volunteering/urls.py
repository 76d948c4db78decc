from django.urls import path

from .views import (
    advice,
    agreements,
    broker,
    broker_volunteers,
    events_broker,
    events_member,
    interest,
    lapse,
    manager,
    organisation,
    search,
    volunteer,
    volunteer_advice,
    volunteer_data,
)

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
        "organisation/volunteering/<int:pk>/copy/",
        organisation.opportunity_copy,
        name="opportunity_copy",
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
    # Volunteers (members of the public with a volunteer profile): sign-up, suggestions,
    # interest and what became of it, hours, their record and their data.
    path("volunteer/", volunteer.home, name="volunteer_home"),
    path("volunteer/profile/", volunteer.profile, name="volunteer_profile"),
    path("volunteer/equality/", volunteer.equality, name="volunteer_equality"),
    path(
        "volunteer/opportunities/<int:pk>/interest/",
        volunteer.interest_create,
        name="interest_create",
    ),
    path("volunteer/interests/<int:pk>/", volunteer.my_interest, name="my_interest"),
    path(
        "volunteer/interests/<int:pk>/withdraw/",
        volunteer.interest_withdraw,
        name="interest_withdraw",
    ),
    path("volunteer/record/", volunteer_data.record, name="volunteer_record"),
    path("volunteer/record.csv", volunteer_data.record_csv, name="volunteer_record_csv"),
    path("volunteer/my-data/", volunteer_data.my_data, name="volunteer_data"),
    path("volunteer/my-data.json", volunteer_data.my_data_json, name="volunteer_data_json"),
    path("volunteer/delete/", volunteer_data.delete, name="volunteer_delete"),
    path("volunteering/privacy/", volunteer_data.privacy, name="volunteer_privacy"),
    path("volunteer/advice/", volunteer_advice.advice_list, name="volunteer_advice_list"),
    path("volunteer/advice/new/", volunteer_advice.advice_ask, name="volunteer_advice_ask"),
    path("volunteer/advice/<int:pk>/", volunteer_advice.advice_detail, name="volunteer_advice"),
    # The organisation's side of interest and placements; hours from either side.
    path(
        "organisation/volunteering/<int:pk>/interest/",
        interest.opportunity_interests,
        name="opportunity_interests",
    ),
    path("organisation/volunteering/interest/<int:pk>/", interest.interest, name="interest"),
    path("volunteering/placements/<int:pk>/end/", interest.placement_end, name="placement_end"),
    path("volunteering/hours/<int:pk>/", interest.hours_answer, name="hours_answer"),
    # Brokers see every volunteer and suggest roles to them.
    path("broker/volunteers/", broker_volunteers.volunteers, name="broker_volunteers"),
    path("broker/volunteers/<int:pk>/", broker_volunteers.volunteer, name="broker_volunteer"),
    path(
        "broker/opportunities/<int:pk>/volunteers/",
        broker_volunteers.opportunity_volunteers,
        name="broker_opportunity_volunteers",
    ),
    path("broker/interest/", interest.broker_interest, name="broker_interest"),
    # The organisation extends a published opportunity's closing date (lapse).
    path(
        "organisation/volunteering/<int:pk>/extend/",
        lapse.opportunity_extend,
        name="opportunity_extend",
    ),
    # The public search of published opportunities, and one opportunity's public page.
    path("volunteering/", search.search, name="search"),
    path("volunteering/<int:pk>/", search.opportunity, name="public_opportunity"),
    # Advice and guidance: organisations ask, brokers answer (the report for brokers and
    # managers, at broker/advice/report/, is in reports.urls).
    path("organisation/advice/", advice.advice_list, name="advice_list"),
    path("organisation/advice/new/", advice.advice_ask, name="advice_ask"),
    path("organisation/advice/<int:pk>/", advice.advice_detail, name="advice"),
    path("broker/advice/", advice.broker_advice_queue, name="broker_advice_queue"),
    path("broker/advice/<int:pk>/", advice.broker_advice, name="broker_advice"),
    # Events for volunteer managers: members of organisations book, brokers run them (the
    # events and attendance report, at broker/events/report/, is in reports.urls).
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
    # The volunteer centre's funding agreement and its reports (staff; the centre's brokers).
    path("volunteering/agreements/", agreements.agreement_list, name="agreements"),
    path("volunteering/agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("volunteering/agreements/<int:pk>/", agreements.agreement, name="agreement"),
    path("volunteering/agreements/<int:pk>/end/", agreements.agreement_end, name="agreement_end"),
    path("volunteering/agreements/reports/", agreements.review_queue, name="agreement_reviews"),
    path(
        "volunteering/agreements/reports/<int:pk>/",
        agreements.report_review,
        name="agreement_report_review",
    ),
    path("broker/agreement/reports/", agreements.centre_reports, name="centre_reports"),
    path("broker/agreement/reports/<int:pk>/", agreements.centre_report, name="centre_report"),
]
