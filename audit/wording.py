"""How each recorded action reads in a history: words, never the event's code.

`WORDING` maps every action that `audit.services.record` is given anywhere in
the code to a short sentence in the passive voice, so that "by <who>" and
": <what>" can follow it: "Package agreed by Priya Officer: Fund raising".
`tests/audit/test_wording.py` finds every action written in the source and fails
when one has no sentence here, so a new event cannot ship showing its code.
An action missing all the same (an old row) still reads as words (`fallback`).
"""

WORDING: dict[str, str] = {
    # organisations: accounts, organisations, invitations
    "organisation.registered": "Organisation registered",
    "organisation.updated": "Organisation's details changed",
    "invitation.sent": "Invitation to join sent",
    "invitation.withdrawn": "Invitation to join withdrawn",
    "invitation.accepted": "Invitation to join accepted",
    "second_factor_wrong_code": "Wrong sign-in code entered",
    "second_factor_locked": "Sign-in codes locked after too many wrong ones",
    "second_factor_refused_while_locked": "Sign-in code refused while codes were locked",
    # packages: the menu
    "package.created": "Package added to the menu",
    "package.updated": "Package on the menu changed",
    "package.withdrawn": "Package withdrawn from the menu",
    "package.reinstated": "Package put back on the menu",
    # diagnostics: eligibility
    "criteria.drafted": "Draft of the eligibility criteria started",
    "criteria.criterion_changed": "Eligibility criterion changed",
    "criteria.published": "Eligibility criteria published",
    "eligibility_application.started": "Eligibility application started",
    "eligibility_application.submitted": "Eligibility application sent",
    "evidence.uploaded": "Evidence uploaded",
    "eligibility_application.find_eligible": "Organisation found eligible",
    "eligibility_application.find_not_eligible": "Organisation found not eligible",
    "eligibility_application.ask_for_more_information": (
        "More information asked for on the eligibility application"
    ),
    "eligibility.decided": "Eligibility decision recorded",
    # diagnostics: the questionnaire and the diagnostic
    "questionnaire.drafted": "Draft of the questionnaire started",
    "questionnaire.theme_changed": "Questionnaire theme changed",
    "questionnaire.statement_added": "Questionnaire statement added",
    "questionnaire.statement_changed": "Questionnaire statement changed",
    "questionnaire.statement_removed": "Questionnaire statement removed",
    "questionnaire.published": "Questionnaire published",
    "diagnostic.started": "Diagnostic started",
    "diagnostic.self_assessment_submitted": "Self-assessment sent",
    "diagnostic.session_booked": "Diagnostic session booked",
    "diagnostic.score_adjusted": "Diagnostic score adjusted",
    "diagnostic.completed": "Diagnostic completed",
    "diagnostic.recommendation_added": "Package recommended",
    "diagnostic.recommendation_removed": "Recommendation removed",
    # allowances: the budget, the caps and agreed packages
    "budget_year.created": "Budget year set up",
    "budget_year.updated": "Budget year changed",
    "cap_policy.set": "Package caps changed",
    "override_request.sent": "Override asked for",
    "override_request.agreed": "Override request agreed",
    "override_request.refused": "Override request refused",
    "agreed_package.agreed": "Package agreed",
    "agreed_package.provider_requested": "Request sent to a provider",
    "agreed_package.request_withdrawn": "Request to the provider withdrawn",
    "agreed_package.declined": "Request declined",
    "agreed_package.accepted": "Request accepted",
    "agreed_package.delivery_started": "Delivery started",
    "agreed_package.delivered": "Package marked delivered",
    "agreed_package.confirmed": "Delivery confirmed",
    "agreed_package.disputed": "Delivery disputed",
    "agreed_package.dispute_resolved": "Dispute about delivery resolved",
    "agreed_package.claimed": "Payment claimed",
    "agreed_package.claim_rejected": "Payment claim rejected",
    "agreed_package.paid": "Payment approved",
    "agreed_package.cancelled": "Package cancelled",
    "agreed_package.expired": "Package expired",
    # providers: the register
    "provider.registered": "Provider registered",
    "provider.updated": "Provider's details changed",
    "provider.certificate_uploaded": "Insurance certificate uploaded",
    "provider.policy_uploaded": "Policy uploaded",
    "provider.exclusions_declared": "Exclusion grounds declared",
    "provider.conflicts_declared": "Conflicts of interest declared",
    "provider.register_submitted": "Application to join the register sent",
    "provider_invitation.sent": "Invitation to act for the provider sent",
    "provider_invitation.withdrawn": "Invitation to act for the provider withdrawn",
    "provider_invitation.accepted": "Invitation to act for the provider accepted",
    "package_application.started": "Application to deliver a package started",
    "package_application.submit": "Application to deliver a package sent",
    "package_application.resubmit": "Application to deliver a package sent again",
    "package_application.approve": "Application to deliver a package approved",
    "package_application.reject": "Application to deliver a package rejected",
    "package_application.ask_for_more_information": (
        "More information asked for on the application to deliver a package"
    ),
    "package_application.suspend": "Approval to deliver a package suspended",
    "package_application.reinstate": "Approval to deliver a package reinstated",
    "package_application.remove": "Approval to deliver a package removed",
    # delivery: requests, sessions, ratings, disputes, claims
    "provider_request.sent": "Request sent to the provider",
    "provider_request.accepted": "Request accepted",
    "provider_request.declined": "Request declined",
    "provider_request.withdrawn": "Request withdrawn",
    "delivery_session.logged": "Delivery session logged",
    "rating.given": "Provider rated",
    "rating.replied": "Reply to a rating added",
    "rating.comment_hidden": "Rating comment hidden",
    "dispute.raised": "Dispute about delivery raised",
    "dispute.resolved": "Dispute about delivery resolved",
    "claim.submitted": "Payment claim sent",
    "claim.approved": "Payment claim approved",
    "claim.rejected": "Payment claim rejected",
    # grants: section B's rounds and communities of interest
    "grant_round.created": "Grant round set up as a draft",
    "grant_round.changed": "Grant round's details changed",
    "grant_round.communities_changed": "Communities open in the grant round changed",
    "grant_round.proposed_community_added": "Community proposed by an applicant added to the round",
    "grant_round.criterion_added": "Criterion added to the grant round",
    "grant_round.criterion_changed": "Grant round's criterion changed",
    "grant_round.criterion_removed": "Criterion removed from the grant round",
    "grant_round.scale_changed": "Grant round's scoring scale changed",
    "grant_round.published": "Grant round published",
    "grant_round.returned_to_draft": "Grant round taken back to draft",
    "grant_round.withdrawn": "Grant round withdrawn",
    # grants: applications to a round, and consortium members
    "grant_application.started": "Application for a representation grant started",
    "grant_application.size_given": "Community's size given on the application",
    "grant_application.evidence_uploaded": "Evidence uploaded to the application",
    "grant_application.member_invited": "Organisation asked to join the consortium",
    "grant_application.member_removed": "Organisation removed from the consortium",
    "consortium_member.confirmed": "Place in the consortium confirmed",
    "consortium_member.declined": "Place in the consortium declined",
    "grant_application.submitted": "Application for a representation grant sent",
    "grant_application.withdrawn": "Application for a representation grant withdrawn",
    # grants: assessing, moderating and deciding
    "grant_round.panel_member_added": "Assessor added to the grant round's panel",
    "grant_round.panel_member_removed": "Assessor taken off the grant round's panel",
    "grant_assessment.conflict_declared": "Assessor declared a conflict of interest",
    "grant_assessment.no_conflict": "Assessor declared no conflict of interest",
    "grant_assessment.submitted": "Assessor's scores sent",
    "grant_application.moderated": "Application's scores moderated",
    "grant_round.award_offered": "Representation grant offered",
    "grant_round.no_award": "No representation grant made for a community",
    "grant_offer.accepted": "Offer of a representation grant accepted",
    "grant_offer.declined": "Offer of a representation grant declined",
    # grants: appeals, and issues raised across communities
    "grant_appeal.lodged": "Appeal against a grant decision lodged",
    "grant_appeal.upheld": "Appeal against a grant decision upheld",
    "grant_appeal.not_upheld": "Appeal against a grant decision not upheld",
    "collective_meeting.recorded": "Meeting of representatives recorded",
    "collective_issue.recorded": "Issue raised across communities recorded",
    "collective_issue.responded": "Council's response to an issue raised across communities given",
    # grants: monitoring reports on an awarded grant
    "grant_report.sent": "Monitoring report sent to the council",
    "grant_report.accepted": "Monitoring report accepted and its instalment paid",
    "grant_report.more_needed": "More information asked for on the monitoring report",
    # grants: concerns about representatives ("I feel misrepresented")
    "grant_concern.raised": "Concern about a representative raised, not yet confirmed",
    "grant_concern.confirmed": "Concern about a representative confirmed by email",
    "grant_concern.responded": "Representative responded to a concern",
    "grant_concern.decided": "Outcome of a concern about a representative recorded",
    # grants: the community's voice sent, confirmed and assisted (voice_services)
    "grant_voice.sent": "Community response sent, email address not yet confirmed",
    "grant_voice.confirmed": "Community response confirmed by email and counted",
    "grant_voice.replaced": "Community response replaced by the same person's newer one",
    "grant_voice.flagged": "Community response flagged to the moderator",
    "grant_voice.assisted": "Community response recorded by an officer (phone or event)",
    # grants: the moderator and officers on the community's voice (voice_moderation_services)
    "grant_voice.set_aside": "Community response set aside",
    "grant_voice.reinstated": "Community response counted again",
    "grant_voice.comment_approved": "Comment from the community approved for assessors",
    "grant_voice.comment_withheld": "Comment from the community withheld from assessors",
    "grant_concern.review_opened": "Review of a representative opened by the community's verdict",
    "grant_consultation.opened": "Community's say opened (backing or yearly verdict)",
    "grant_consultation.closed": "Community's say closed: raw email addresses deleted",
    "grant_consultation.forgotten": "Community's say kept a year past the grant: counts only now",
    # volunteering: opportunities and the brokers who check them (section C)
    "opportunity.drafted": "Volunteering opportunity drafted",
    "opportunity.changed": "Volunteering opportunity changed",
    "opportunity.submitted": "Volunteering opportunity sent to the volunteer centre",
    "opportunity.copied": "Volunteering opportunity drafted as a copy of another",
    "opportunity.published": "Volunteering opportunity approved and published",
    "opportunity.sent_back": "Volunteering opportunity sent back to change",
    "opportunity.closed": "Volunteering opportunity closed",
    "broker.granted": "Broker role granted",
    "broker.revoked": "Broker role revoked",
    "volunteer.registered": "Volunteer signed up",
    "volunteer.changed": "Volunteer changed their details",
    "volunteer.equality_given": "Volunteer gave equality answers, with consent",
    "volunteer.equality_removed": "Volunteer removed their equality answers",
    "volunteer.deletion_warned": "Volunteer warned their inactive account will be deleted",
    "volunteer.deleted": "Volunteer's data deleted",
    "interest.sent": "Volunteer said they are interested",
    "interest.talking": "Organisation asked the volunteer to talk",
    "interest.accepted": "Organisation accepted the volunteer: placement started",
    "interest.declined": "Organisation declined the volunteer",
    "interest.withdrawn": "Volunteer withdrew their interest",
    "placement.ended": "Placement ended",
    "hours.logged": "Volunteering hours logged",
    "hours.confirmed": "Volunteering hours confirmed",
    "hours.queried": "Volunteering hours queried",
    "suggestion.made": "Broker suggested a role to a volunteer",
    "volunteer_hour_value.set": "Value of an hour of volunteering set",
    # volunteering: closing dates (lapse_services)
    "opportunity.extended": "Volunteering opportunity's closing date extended",
    "opportunity.lapse_reminded": "Organisation reminded that its opportunity closes soon",
    # volunteering: advice and guidance from the volunteer centre (section C)
    "advice.asked": "Advice asked for",
    "advice.answered": "Advice request answered",
    "advice.closed": "Advice request closed",
    "advice.forgotten": "Advice request's personal details removed with the asker's account",
    # volunteering: the volunteer centre's events, bookings and feedback (section C)
    "event.created": "Event drafted",
    "event.changed": "Event changed",
    "event.published": "Event published for booking",
    "event.cancelled": "Event cancelled",
    "booking.booked": "Place on the event booked",
    "booking.waiting": "Joined the event's waiting list",
    "booking.moved_up": "Moved up from the waiting list to a place",
    "booking.cancelled": "Booking cancelled",
    "booking.attended": "Recorded as attended",
    "booking.no_show": "Recorded as not attended",
    "feedback.given": "Feedback on the event given",
    # volunteering: the volunteer centre's funding agreement and its reports (section C)
    "centre_agreement.made": "Volunteer centre's funding agreement made and committed",
    "centre_agreement.ended": "Volunteer centre's funding agreement ended early",
    "centre_report.sent": "Volunteer centre's monitoring report sent to the council",
    "centre_report.accepted": "Volunteer centre's monitoring report accepted and instalment paid",
    "centre_report.more_needed": "More information asked for on the volunteer centre's report",
    # allowances: awards (grants, the volunteer centre's agreement) on the ledger
    "award.committed": "Award committed on the budget",
    "award.instalment_paid": "Award instalment paid",
    "award.released": "Award's unpaid money released to the budget",
    # reports: open data published
    "open_data_release.published": "Open-data release published",
    "open_data_release.discarded": "Open-data release discarded unpublished",
    "community_of_interest.added": "Community of interest added",
    "community_of_interest.changed": "Community of interest changed",
    # notifications: deadlines, working days, the outbox
    "deadline.changed": "Deadline changed",
    "working_day.added": "Day off added",
    "working_day.removed": "Day off removed",
    "notification.retried": "Email sent again",
}


def fallback(action: str) -> str:
    """An action with no sentence, still as words: "thing.some_verb" reads "Thing: some verb"."""
    thing, _, verb = action.partition(".")
    words = thing.replace("_", " ").strip().capitalize() or "Something happened"
    return f"{words}: {verb.replace('_', ' ')}" if verb else words


def in_words(action: str, *, actor=None, subject: str = "") -> str:
    """The event as a sentence: what happened, by whom (if a person), to what (if given)."""
    sentence = WORDING.get(action) or fallback(action)
    if actor is not None:
        sentence = f"{sentence} by {actor}"
    if subject:
        sentence = f"{sentence}: {subject}"
    return sentence
