from django.urls import path

from .views import (
    appeals,
    applications_staff,
    applying,
    assessing,
    collective,
    communities,
    concerns,
    consortium,
    criteria,
    deciding,
    monitoring,
    offers,
    public,
    representatives,
    round_report,
    rounds,
    sending,
    voices_public,
    voices_staff,
)

app_name = "grants"

urlpatterns = [
    # The public: no account needed
    path("representation-grants/", public.public_rounds, name="public_rounds"),
    path("representation-grants/<int:pk>/", public.public_round, name="public_round"),
    # The community's voice: back an applicant or give the yearly verdict, no account;
    # counted once confirmed from the emailed link.
    path("representation-grants/have-your-say/", voices_public.consultation_list, name="voices"),
    path(
        "representation-grants/have-your-say/privacy/",
        voices_public.voice_privacy,
        name="voice_privacy",
    ),
    path(
        "representation-grants/have-your-say/confirm/<str:token>/",
        voices_public.voice_confirm,
        name="voice_confirm",
    ),
    path("representation-grants/have-your-say/<int:pk>/", voices_public.voice, name="voice"),
    path(
        "representation-grants/have-your-say/<int:pk>/check-your-email/",
        voices_public.voice_sent,
        name="voice_sent",
    ),
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
    path(
        "manager/grant-applications/<int:pk>/add-community/",
        deciding.recognise_community,
        name="recognise_community",
    ),
    # Organisations: answering an offer
    path("grant-applications/<int:pk>/offer/", offers.offer, name="offer"),
    path("grant-applications/<int:pk>/offer/decline/", offers.offer_decline, name="offer_decline"),
    # Appeals: the unsuccessful applicant appeals; a manager who took no part reviews it
    path("grant-applications/<int:pk>/appeal/", appeals.appeal, name="appeal"),
    path("manager/grant-appeals/", appeals.appeal_list, name="appeals"),
    path("manager/grant-appeals/<int:pk>/", appeals.appeal_review, name="appeal_review"),
    # Collective issues: officers record them; representatives read them all
    path("officer/collective-issues/", collective.issue_list, name="collective_issues"),
    path("officer/collective-issues/new/", collective.issue_add, name="collective_issue_add"),
    path(
        "officer/collective-issues/<int:pk>/respond/",
        collective.issue_respond,
        name="collective_issue_respond",
    ),
    path("officer/collective-meetings/", collective.meeting_list, name="collective_meetings"),
    path(
        "officer/collective-meetings/new/",
        collective.meeting_add,
        name="collective_meeting_add",
    ),
    path(
        "representation-grants/collective-issues/",
        collective.issues_for_representatives,
        name="collective_issues_for_representatives",
    ),
    # The round's report (managers)
    path("manager/grant-rounds/<int:pk>/report/", round_report.round_report, name="round_report"),
    path(
        "manager/grant-rounds/<int:pk>/report.csv",
        round_report.round_report_csv,
        name="round_report_csv",
    ),
    # Representatives and concerns: the public read each representative's page and raise a
    # concern without an account, confirmed from the emailed link; the organisation responds;
    # officers record the outcome.
    path(
        "representation-grants/representatives/",
        representatives.representative_list,
        name="representatives",
    ),
    path(
        "representation-grants/representatives/<int:pk>/",
        representatives.representative,
        name="representative",
    ),
    path(
        "representation-grants/representatives/<int:pk>/concern/",
        representatives.concern_raise,
        name="concern_raise",
    ),
    path(
        "representation-grants/representatives/<int:pk>/concern/check-your-email/",
        representatives.concern_sent,
        name="concern_sent",
    ),
    path("concerns/confirm/<str:token>/", representatives.concern_confirm, name="concern_confirm"),
    path("grant-concerns/", concerns.my_concerns, name="my_concerns"),
    path("grant-concerns/<int:pk>/respond/", concerns.concern_respond, name="concern_respond"),
    path("officer/grant-concerns/", concerns.concern_queue, name="concern_queue"),
    path("officer/grant-concerns/<int:pk>/", concerns.concern_review, name="concern_review"),
    # Monitoring: the representative's grant and reports; officers' review (and payment)
    path("grants/<int:pk>/", monitoring.grant, name="grant"),
    path("grant-reports/<int:pk>/", monitoring.grant_report, name="grant_report"),
    path("officer/grant-reports/", monitoring.grant_reports, name="grant_reports"),
    path(
        "officer/grant-reports/<int:pk>/",
        monitoring.grant_report_review,
        name="grant_report_review",
    ),
    path("officer/grants/<int:pk>/", monitoring.grant_monitoring, name="grant_monitoring"),
    # The community's voice, for staff: the moderator's page of a consultation; officers check
    # comments and record assisted responses; assessors read the approved comments
    path(
        "manager/grant-consultations/<int:pk>/",
        voices_staff.consultation_moderation,
        name="consultation_moderation",
    ),
    path(
        "manager/grant-consultations/<int:pk>/comments/",
        voices_staff.consultation_comments,
        name="consultation_comments",
    ),
    path("manager/grant-voices/<int:pk>/", voices_staff.voice_moderate, name="voice_moderate"),
    path("officer/voice-comments/", voices_staff.comment_queue, name="voice_comments"),
    path(
        "officer/voice-comments/<int:pk>/",
        voices_staff.comment_check,
        name="voice_comment_check",
    ),
    path(
        "officer/grant-consultations/<int:pk>/assisted/",
        voices_staff.assisted_response,
        name="assisted_response",
    ),
    path(
        "officer/grant-applications/<int:pk>/community-comments/",
        voices_staff.application_comments,
        name="application_comments",
    ),
]
