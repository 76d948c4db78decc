from django.urls import path

from .views import application, criteria, diagnostic, questionnaire, reports, review, session

app_name = "diagnostics"

urlpatterns = [
    # The organisation's eligibility application
    path("eligibility/", application.eligibility, name="eligibility"),
    path("eligibility/start/", application.eligibility_start, name="eligibility_start"),
    path(
        "eligibility/questions/<slug:slug>/",
        application.eligibility_question,
        name="eligibility_question",
    ),
    path(
        "eligibility/evidence/<slug:kind>/",
        application.eligibility_evidence,
        name="eligibility_evidence",
    ),
    path("eligibility/check-answers/", application.eligibility_check, name="eligibility_check"),
    path("eligibility/sent/", application.eligibility_sent, name="eligibility_sent"),
    path("evidence/<int:pk>/", application.evidence_download, name="evidence_download"),
    # Officers: the queue and decisions
    path("officer/eligibility/", review.officer_applications, name="officer_applications"),
    path(
        "officer/eligibility/<int:pk>/",
        review.officer_application_detail,
        name="officer_application_detail",
    ),
    # Managers: the criteria
    path("manager/eligibility-criteria/", criteria.criteria_versions, name="criteria_versions"),
    path("manager/eligibility-criteria/draft/", criteria.criteria_draft, name="criteria_draft"),
    path(
        "manager/eligibility-criteria/criteria/<int:pk>/",
        criteria.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "manager/eligibility-criteria/<int:pk>/publish/",
        criteria.criteria_publish,
        name="criteria_publish",
    ),
    # Managers: the diagnostic questionnaire
    path(
        "manager/questionnaire/",
        questionnaire.questionnaire_versions,
        name="questionnaire_versions",
    ),
    path(
        "manager/questionnaire/draft/",
        questionnaire.questionnaire_draft,
        name="questionnaire_draft",
    ),
    path(
        "manager/questionnaire/<int:pk>/",
        questionnaire.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "manager/questionnaire/<int:pk>/publish/",
        questionnaire.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        "manager/questionnaire/themes/<int:pk>/",
        questionnaire.questionnaire_theme_edit,
        name="questionnaire_theme_edit",
    ),
    path(
        "manager/questionnaire/themes/<int:pk>/statements/add/",
        questionnaire.questionnaire_statement_add,
        name="questionnaire_statement_add",
    ),
    path(
        "manager/questionnaire/statements/<int:pk>/",
        questionnaire.questionnaire_statement_edit,
        name="questionnaire_statement_edit",
    ),
    path(
        "manager/questionnaire/statements/<int:pk>/remove/",
        questionnaire.questionnaire_statement_remove,
        name="questionnaire_statement_remove",
    ),
    # The organisation's diagnostic
    path("diagnostic/", diagnostic.diagnostic, name="diagnostic"),
    path("diagnostic/start/", diagnostic.diagnostic_start, name="diagnostic_start"),
    path("diagnostic/themes/<slug:slug>/", diagnostic.diagnostic_theme, name="diagnostic_theme"),
    path("diagnostic/summary/", diagnostic.diagnostic_summary, name="diagnostic_summary"),
    path("diagnostic/sent/", diagnostic.self_assessment_sent, name="self_assessment_sent"),
    path(
        "diagnostic/distance-travelled/",
        reports.diagnostic_compare,
        name="diagnostic_compare",
    ),
    path("diagnostics/<int:pk>/report/", reports.diagnostic_report, name="diagnostic_report"),
    # Officers: running diagnostics
    path("officer/diagnostics/", session.officer_diagnostics, name="officer_diagnostics"),
    path("officer/diagnostics/<int:pk>/", session.officer_diagnostic, name="officer_diagnostic"),
    path(
        "officer/diagnostics/<int:pk>/session/",
        session.officer_diagnostic_session,
        name="officer_diagnostic_session",
    ),
    path(
        "officer/diagnostics/<int:pk>/themes/<slug:slug>/",
        session.officer_diagnostic_theme,
        name="officer_diagnostic_theme",
    ),
    path(
        "officer/diagnostics/<int:pk>/complete/",
        session.officer_diagnostic_complete,
        name="officer_diagnostic_complete",
    ),
    path(
        "officer/diagnostics/<int:pk>/recommendations/add/",
        session.officer_recommendation_add,
        name="officer_recommendation_add",
    ),
    path(
        "officer/recommendations/<int:pk>/remove/",
        session.officer_recommendation_remove,
        name="officer_recommendation_remove",
    ),
    # Managers: distance travelled
    path(
        "manager/distance-travelled/",
        reports.distance_travelled_list,
        name="distance_travelled",
    ),
]
