"""The public have their say (no account): back an applicant, or give the yearly verdict.

A voice is sent, then confirmed from the link emailed to the person. The
link's page asks before confirming (GET shows what they chose and a button,
POST confirms): mail scanners open links in emails, and opening one must not
act on it.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from .. import voice_rules, voice_selectors
from ..concern_selectors import mandates
from ..permissions import get_public_consultation
from ..rules import when_words
from ..voice_forms import NONE_OF_THESE, VoiceForm
from ..voice_services import (
    LinkRefused,
    RateLimited,
    VoiceError,
    confirm_voice,
    find_by_token,
    send_voice,
)

# Where the link went, for the "check your email" page: in a short-lived signed cookie
# read once, never in the server's session table, which would keep the address (and so
# who answered about which community) for hours after the person has moved on.
SENT_TO = "voice_sent_to"
SENT_TO_SALT = "grants.voice_sent_to"
SENT_TO_SECONDS = 15 * 60
HOURS = int(voice_rules.CONFIRM_WITHIN.total_seconds() // 3600)


class _Unlogged(str):
    """An email address shown on the page but never written to a log: the template engine's
    debug log of a missing variable prints the reprs of the whole context."""

    def __repr__(self):
        return "'(an email address)'"


@require_GET
def consultation_list(request):
    """Consultations open now, soonest to close first. Queries: the count, and the page with
    each one's community, round and (verdicts) representative."""
    page = page_of(request, voice_selectors.open_now(timezone.now()))
    for consultation in page:
        consultation.closes_words = when_words(consultation.closes_at)
    return render(request, "grants/voices/list.html", {"page": page})


def _window(consultation, now) -> str:
    """ "open", "not_open" (not yet) or "closed"."""
    if consultation.opens_at > now:
        return "not_open"
    allowed = voice_rules.window_decision(
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        closed=consultation.closed_at is not None,
        now=now,
    )
    return "open" if allowed else "closed"


def _page_context(consultation, now) -> dict:
    """What the page shows besides the form. Backing: the applicants with their mandates
    (one query each: applicants, answers) and the totals once the decision is made."""
    context = {
        "consultation": consultation,
        "community": consultation.round_community.community,
        "round": consultation.round_community.round,
        "window": _window(consultation, now),
        "opens_words": when_words(consultation.opens_at),
        "closes_words": when_words(consultation.closes_at),
    }
    if consultation.is_backing:
        applicants = list(voice_selectors.applicants(consultation))
        answers = mandates([a.pk for a in applicants])
        for applicant in applicants:
            applicant.mandate = answers[applicant.pk]
        decided = voice_selectors.is_decided(consultation.round_community_id)
        show_totals = voice_rules.totals_public(
            decided=decided, closed=context["window"] == "closed"
        )
        context |= {
            "applicants": applicants,
            "show_totals": show_totals,
            "totals": (
                voice_selectors.backing_totals(consultation, applicants) if show_totals else []
            ),
        }
    else:
        context["organisation"] = consultation.representative.application.organisation
    return context


def _typed(post, context) -> dict:
    """What a person sent to a page that is not open (it closed, or has not opened, while they
    typed), to show them so that they can copy it: their answer in words and their comment.
    Never their email address or postcode: the page must not echo who someone is."""
    said = ""
    if context["consultation"].is_backing:
        choice = post.get("choice", "")
        if choice == NONE_OF_THESE:
            said = _("None of these")
        else:
            names = {str(a.pk): a.organisation.name for a in context["applicants"]}
            said = names.get(choice, "")
    else:
        rating = post.get("rating", "")
        if rating.isdigit() and int(rating) in voice_rules.SCALE:
            said = voice_rules.rating_words(int(rating))
    return {"said": said, "comment": post.get("comment", "").strip()}


@require_http_methods(["GET", "POST"])
def voice(request, pk):
    """A consultation's page and, while its window is open, the form. Sending it saves the
    voice unconfirmed and emails the link, within the rate limits (over the network's:
    429 and the form as typed, nothing saved). Sent when the window is not open (it closed
    while they typed): the page says so and shows what they wrote, nothing saved."""
    consultation = get_public_consultation(pk)
    now = timezone.now()
    context = _page_context(consultation, now)
    form = VoiceForm(
        submitted(request) if context["window"] == "open" else None,
        consultation=consultation,
        applicants=context.get("applicants", ()),
        organisation=context.get("organisation"),
    )
    status = 200
    typed = None
    if request.method == "POST" and context["window"] != "open":
        typed = _typed(request.POST, context)
    if request.method == "POST" and context["window"] == "open" and form.is_valid():
        data = form.cleaned_data
        try:
            send_voice(
                consultation=consultation,
                email=data["email"],
                postcode=data["postcode"],
                lives_in_area=data["lives_in_area"],
                belongs=data["belongs"],
                comment=data["comment"],
                ip_address=get_client_ip_address(request) or "",
                **form.said(),
            )
        except RateLimited as exc:
            form.add_error(None, exc.reason)
            status = 429
        except VoiceError as exc:
            show_refusal(form, exc)
        else:
            # The same page whether sent or quietly not (voice_rules.PERSON_LIMIT).
            response = redirect("grants:voice_sent", consultation.pk)
            response.set_signed_cookie(
                SENT_TO,
                data["email"],
                salt=SENT_TO_SALT,
                max_age=SENT_TO_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    return render(
        request,
        "grants/voices/form.html",
        {**context, "form": form, "hours": HOURS, "typed": typed},
        status=status,
    )


@require_GET
def voice_sent(request, pk):
    """Check your email: nothing counts until the link in it is followed."""
    consultation = get_public_consultation(pk)
    sent_to = request.get_signed_cookie(
        SENT_TO, default="", salt=SENT_TO_SALT, max_age=SENT_TO_SECONDS
    )
    response = render(
        request,
        "grants/voices/sent.html",
        {
            "consultation": consultation,
            "community": consultation.round_community.community,
            "sent_to": _Unlogged(sent_to),
            "hours": HOURS,
        },
    )
    response.delete_cookie(SENT_TO, samesite="Lax")  # shown once
    return response


def _refused(request, reason, voice=None):
    consultation = voice.consultation if voice is not None else None
    return render(
        request,
        "grants/voices/link_refused.html",
        {"reason": reason, "consultation": consultation},
    )


def _said_words(voice) -> str:
    if voice.consultation.is_backing:
        return voice.application.organisation.name if voice.application else ""
    return voice_rules.rating_words(voice.rating)


@require_http_methods(["GET", "POST"])
def voice_confirm(request, token):
    """The link in the email. GET: what the person chose and the button (or why the link no
    longer works). POST: counts it and says so."""
    if request.method == "POST":
        try:
            counted = confirm_voice(token=token)
        except LinkRefused as exc:
            return _refused(request, exc.reason, exc.voice)
        except VoiceError as exc:
            return _refused(request, exc.reason)
        consultation = counted.consultation
        return render(
            request,
            "grants/voices/counted.html",
            {
                "voice": counted,
                "consultation": consultation,
                "community": consultation.round_community.community,
                "closes_words": when_words(consultation.closes_at),
            },
        )
    voice = find_by_token(token)
    now = timezone.now()
    link = voice_rules.link_decision(
        status=voice.status if voice else None,
        created_at=voice.created_at if voice else None,
        now=now,
    )
    if not link:
        return _refused(request, link.reason, voice)
    consultation = voice.consultation
    if _window(consultation, now) != "open":
        return _refused(
            request,
            voice_rules.window_decision(
                opens_at=consultation.opens_at,
                closes_at=consultation.closes_at,
                closed=consultation.closed_at is not None,
                now=now,
            ).reason,
            voice,
        )
    return render(
        request,
        "grants/voices/confirm.html",
        {
            "voice": voice,
            "consultation": consultation,
            "community": consultation.round_community.community,
            "said": _said_words(voice),
        },
    )


@require_GET
def voice_privacy(request):
    """The privacy notice for the community's voice: special category data."""
    return render(
        request,
        "grants/voices/privacy.html",
        {"hours": HOURS},
    )
