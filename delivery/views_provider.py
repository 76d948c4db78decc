"""The provider's side: answer requests, log delivery, mark it delivered, reply, claim.

Each view reads top to bottom: authorise and fetch, validate, change, redirect.
Every page fetches its request through `get_request_for_provider`, so a
provider only ever sees requests sent to it. A step that is not open (already
answered, already claimed…) sends the person back to the request with a
sentence saying why, so a double-submitted form changes nothing; the services
check the same moves again under a lock, for the submit that races past.
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from allowances.models import AgreedStatus
from allowances.services import AllowanceError
from diagnostics import uploads
from notifications.deadlines import (
    COMPLETE_DELIVERY,
    CONFIRM_DELIVERY,
    PROVIDER_RESPOND,
    deadline,
)
from packages.forms import submitted
from providers.permissions import get_own_provider

from . import confirmations, services
from .models import Claim, Dispute, ProviderRequest, RequestStatus
from .permissions import (
    can_claim,
    can_log_session,
    can_mark_delivered,
    can_reply,
    can_respond,
    get_request_for_provider,
    get_session_attachment_for_user,
    rating_of,
)
from .provider_forms import (
    AcceptForm,
    ClaimForm,
    DeclineForm,
    DeliveredForm,
    ReplyForm,
    SessionForm,
)
from .selectors import delivery_deadline, requests_for_provider

PAGE_SIZE = 25
CONFIRMATION = "includes/confirmation.html"
S = AgreedStatus

# The list's groups, in the order they are shown: (number, heading).
NEW, ACTIVE, DELIVERED, DONE, CLOSED = range(5)
GROUP_HEADINGS = {
    NEW: "New requests waiting for your answer",
    ACTIVE: "Accepted or being delivered",
    DELIVERED: "Delivered, waiting for the organisation to confirm",
    DONE: "Confirmed, claimed or paid",
    CLOSED: "Declined, withdrawn or cancelled",
}
ACCEPTED = Q(status=RequestStatus.ACCEPTED)
GROUP = Case(
    When(status=RequestStatus.PENDING, agreed_package__status=S.PROVIDER_REQUESTED, then=NEW),
    When(ACCEPTED, agreed_package__status__in=[S.ACCEPTED, S.IN_DELIVERY], then=ACTIVE),
    When(ACCEPTED, agreed_package__status__in=[S.DELIVERED, S.DISPUTED], then=DELIVERED),
    When(ACCEPTED, agreed_package__status__in=[S.CONFIRMED, S.CLAIMED, S.PAID], then=DONE),
    default=Value(CLOSED),
    output_field=IntegerField(),
)


def _grouped_requests(provider):
    """The provider's requests by group; new ones oldest first (the soonest answer first)."""
    return (
        requests_for_provider(provider)
        .annotate(group=GROUP)
        .order_by(
            "group",
            Case(When(group=NEW, then=F("requested_at"))).asc(nulls_last=True),
            "-requested_at",
            "-id",
        )
    )


def _respond_by(request, rule):
    return rule.due_on(timezone.localdate(request.requested_at))


@login_required
@require_GET
def requests_list(request):
    """Every request sent to the provider, grouped by what happens next; a fixed number of
    queries however many there are (the page, its count, the deadline, the waiting count)."""
    provider = get_own_provider(request.user)
    page = Paginator(_grouped_requests(provider), PAGE_SIZE).get_page(request.GET.get("page"))
    rule = deadline(PROVIDER_RESPOND)
    today = timezone.localdate()
    for row in page:
        if row.group == NEW:
            row.respond_by = _respond_by(row, rule)
            row.overdue = rule.is_missed(row.respond_by, today)
    groups = [
        (GROUP_HEADINGS[number], list(rows))
        for number, rows in groupby(page, key=lambda row: row.group)
    ]
    waiting = ProviderRequest.objects.filter(
        provider=provider, status=RequestStatus.PENDING, agreed_package__status=S.PROVIDER_REQUESTED
    ).count()
    return render(
        request,
        "delivery/provider/requests.html",
        {"provider": provider, "page": page, "groups": groups, "waiting": waiting},
    )


@login_required
@require_GET
def request_detail(request, pk):
    """One request: who sent it and why, then delivery, rating, disputes and claims."""
    provider_request = get_request_for_provider(request.user, pk)
    agreed = provider_request.agreed_package
    accepted = provider_request.status == RequestStatus.ACCEPTED
    pending = can_respond(provider_request)
    return render(
        request,
        "delivery/provider/request.html",
        {
            "provider_request": provider_request,
            "agreed": agreed,
            "organisation": agreed.organisation,
            "respond_by": _respond_by(provider_request, deadline(PROVIDER_RESPOND))
            if pending
            else None,
            "deliver_by": delivery_deadline(agreed) if accepted else None,
            "sessions": list(provider_request.sessions.all()) if accepted else [],
            "rating": rating_of(provider_request),
            "disputes": list(Dispute.objects.filter(request=provider_request)) if accepted else [],
            "claims": list(Claim.objects.filter(request=provider_request)) if accepted else [],
            "can_respond": pending,
            "can_log_session": can_log_session(provider_request),
            "can_mark_delivered": can_mark_delivered(provider_request),
            "can_reply": can_reply(provider_request),
            "can_claim": can_claim(provider_request),
        },
    )


def _not_now(request, provider_request, message: str):
    """Back to the request, saying why this step is not open (already done, or not yet)."""
    messages.info(request, message)
    return redirect("delivery:provider_request", pk=provider_request.pk)


def _already_answered(provider_request) -> str:
    """Why accept and decline are closed: a second submit lands here."""
    if provider_request.status == RequestStatus.ACCEPTED:
        return "You have already accepted this request."
    if provider_request.status == RequestStatus.DECLINED:
        return "You have already declined this request."
    if provider_request.status == RequestStatus.WITHDRAWN:
        return "The organisation has withdrawn this request, so there is nothing to answer."
    return f"{_state_sentence(provider_request)}, so the request cannot be answered now."


def _state_sentence(provider_request) -> str:
    if provider_request.status != RequestStatus.ACCEPTED:
        return f"This request has been {provider_request.get_status_display().lower()}"
    return f"This package is {provider_request.agreed_package.get_status_display().lower()}"


def _form_page(request, provider_request, template, form, **context):
    return render(
        request,
        f"delivery/provider/{template}",
        {
            "provider_request": provider_request,
            "agreed": provider_request.agreed_package,
            "form": form,
            **context,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept(request, pk):
    provider_request = get_request_for_provider(request.user, pk)
    if not can_respond(provider_request):
        return _not_now(request, provider_request, _already_answered(provider_request))
    latest_end = delivery_deadline(provider_request.agreed_package)
    form = AcceptForm(submitted(request), today=timezone.localdate(), latest_end=latest_end)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_request(provider_request, by=request.user, **form.cleaned_data)
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("delivery:accepted", pk=provider_request.pk)
    return _form_page(request, provider_request, "accept.html", form)


@login_required
@require_http_methods(["GET", "POST"])
def decline(request, pk):
    provider_request = get_request_for_provider(request.user, pk)
    if not can_respond(provider_request):
        return _not_now(request, provider_request, _already_answered(provider_request))
    form = DeclineForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_request(
                provider_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request,
                "You have declined the request. We have told "
                f"{provider_request.agreed_package.organisation.name}, so it can choose again.",
            )
            return redirect("delivery:provider_requests")
    return _form_page(request, provider_request, "decline.html", form)


@login_required
@require_http_methods(["GET", "POST"])
def log_session(request, pk):
    provider_request = get_request_for_provider(request.user, pk)
    if not can_log_session(provider_request):
        return _not_now(
            request,
            provider_request,
            f"{_state_sentence(provider_request)}, so delivery cannot be logged on it.",
        )
    form = SessionForm(
        submitted(request),
        request.FILES or None,
        today=timezone.localdate(),
        accepted_on=timezone.localdate(provider_request.responded_at),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_session(
                provider_request,
                by=request.user,
                data=form.session_data(),
                attachment=form.cleaned_data["attachment"],
            )
        except AllowanceError as exc:
            # A refused file is the attachment's problem; anything else, the form's.
            on_file = exc.reason.startswith("The selected file")
            form.add_error("attachment" if on_file else None, exc.reason)
        else:
            messages.success(request, "The session has been logged.")
            return redirect("delivery:provider_request", pk=provider_request.pk)
    return _form_page(request, provider_request, "log_session.html", form)


@login_required
@require_http_methods(["GET", "POST"])
def mark_delivered(request, pk):
    provider_request = get_request_for_provider(request.user, pk)
    if not can_mark_delivered(provider_request):
        return _not_now(
            request,
            provider_request,
            f"{_state_sentence(provider_request)}, so it cannot be marked as delivered now. "
            "You can mark the work delivered once you have logged a session.",
        )
    form = DeliveredForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_delivered(
                provider_request,
                by=request.user,
                outcome_summary=form.cleaned_data["outcome_summary"],
            )
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("delivery:marked_delivered", pk=provider_request.pk)
    return _form_page(request, provider_request, "mark_delivered.html", form)


@login_required
@require_GET
def accepted(request, pk):
    """After accepting: deliver, and mark the work delivered by its deadline. Once it is
    delivered (or the package moved on otherwise), the request's own page."""
    provider_request = get_request_for_provider(request.user, pk)
    if not can_log_session(provider_request):
        return redirect("delivery:provider_request", pk=provider_request.pk)
    next_steps = confirmations.request_accepted(
        provider_request, deadline(COMPLETE_DELIVERY), timezone.localdate()
    )
    return render(request, CONFIRMATION, next_steps)


@login_required
@require_GET
def marked_delivered(request, pk):
    """After marking delivered: the organisation confirms by its deadline, then the claim.
    Once it has confirmed or disputed, the request's own page."""
    provider_request = get_request_for_provider(request.user, pk)
    if provider_request.agreed_package.status != S.DELIVERED:
        return redirect("delivery:provider_request", pk=provider_request.pk)
    next_steps = confirmations.marked_delivered(
        provider_request, deadline(CONFIRM_DELIVERY), timezone.localdate()
    )
    return render(request, CONFIRMATION, next_steps)


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    provider_request = get_request_for_provider(request.user, pk)
    rating = rating_of(provider_request)
    if not can_reply(provider_request):
        message = (
            "There is no rating to reply to yet."
            if rating is None
            else "You have already replied to this rating. You can only reply once."
        )
        return _not_now(request, provider_request, message)
    form = ReplyForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_to_rating(rating, by=request.user, reply=form.cleaned_data["reply"])
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "Your reply has been published beside the rating.")
            return redirect("delivery:provider_request", pk=provider_request.pk)
    return _form_page(request, provider_request, "reply.html", form, rating=rating)


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, pk):
    provider_request = get_request_for_provider(request.user, pk)
    if not can_claim(provider_request):
        return _not_now(
            request,
            provider_request,
            f"{_state_sentence(provider_request)}, so payment cannot be claimed now. "
            "You can claim once the organisation has confirmed delivery.",
        )
    agreed = provider_request.agreed_package
    form = ClaimForm(submitted(request), request.FILES or None, value=agreed.value)
    if request.method == "POST" and form.is_valid():
        try:
            submitted_claim = services.submit_claim(agreed, by=request.user, **form.cleaned_data)
        except AllowanceError as exc:
            form.add_error(getattr(exc, "field", None), exc.reason)
        else:
            return redirect("delivery:claim_sent", pk=submitted_claim.pk)
    return _form_page(request, provider_request, "claim.html", form)


@login_required
@require_GET
def session_attachment(request, pk):
    """A session's attachment, served like eligibility evidence: as a download, never inline."""
    session = get_session_attachment_for_user(request.user, pk)
    try:
        handle = open(uploads.path_of(session.attachment_stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=session.attachment_name,
        content_type=session.attachment_content_type,
    )
