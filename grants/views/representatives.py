"""The public: the representatives the rounds chose, and raising a concern about one. No account.

A concern is raised, then confirmed from the link emailed to the person. The
link's page asks before confirming (GET shows a button, POST confirms): mail
scanners open links in emails, and opening one must not act on it.
"""

from axes.helpers import get_client_ip_address
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import submitted

from .. import concern_rules as moves
from .. import voice_rules
from ..concern_forms import ConcernForm
from ..concern_selectors import concern_counts, mandate, representatives
from ..concern_services import (
    ConcernError,
    LinkRefused,
    RateLimited,
    confirm_concern,
    find_by_token,
    raise_concern,
)
from ..monitoring_selectors import published_reports
from ..permissions import get_public_representative
from ..voice_selectors import verdicts_of

# The session remembers where the link went, for the "check your email" page.
SENT_TO = "concern_sent_to"


@require_GET
def representative_list(request):
    """Every awarded representative. Queries: the count, and the page with each one's
    organisation, community and round."""
    return render(
        request,
        "grants/representatives/list.html",
        {"page": page_of(request, representatives())},
    )


@require_GET
def representative(request, pk):
    """One representative's public page. Queries: the representative with its organisation,
    community and round; its mandate's answers; its accepted reports; the concern counts;
    each year's verdict (the one open now among them) and the ratings of the closed ones."""
    decision = get_public_representative(pk)
    verdicts = verdicts_of(decision, public=True)
    return render(
        request,
        "grants/representatives/detail.html",
        {
            "decision": decision,
            "organisation": decision.application.organisation,
            "community": decision.round_community.community,
            "round": decision.round_community.round,
            "mandate": mandate(decision),
            "reports": list(published_reports(decision)),
            "counts": concern_counts(decision),
            "verdict_open": _open_now(verdicts, timezone.now()),
            # Each year's verdict: results once closed, never comments.
            "verdicts": verdicts,
        },
    )


def _open_now(verdicts, now):
    """The verdict the community may give now, if any (from the verdicts already read)."""
    for verdict in verdicts:
        c = verdict.consultation
        if voice_rules.window_decision(
            opens_at=c.opens_at, closes_at=c.closes_at, closed=c.closed_at is not None, now=now
        ):
            return c
    return None


@require_http_methods(["GET", "POST"])
def concern_raise(request, pk):
    """The form; sending it saves the concern unconfirmed and emails the link, within the
    rate limits (over them: 429 and the form as typed, nothing saved)."""
    decision = get_public_representative(pk)
    form = ConcernForm(submitted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            raise_concern(
                representative=decision,
                what_happened=form.cleaned_data["what_happened"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                ip_address=get_client_ip_address(request) or "",
            )
        except RateLimited as exc:
            form.add_error(None, exc.reason)
            status = 429
        except ConcernError as exc:
            form.add_error(None, exc.reason)
        else:
            request.session[SENT_TO] = form.cleaned_data["email"]
            return redirect("grants:concern_sent", decision.pk)
    return render(
        request,
        "grants/concerns/raise.html",
        {
            "decision": decision,
            "organisation": decision.application.organisation,
            "community": decision.round_community.community,
            "form": form,
            "words": moves.WHAT_HAPPENED_WORDS,
        },
        status=status,
    )


@require_GET
def concern_sent(request, pk):
    """Check your email: nothing happens until the link in it is followed."""
    decision = get_public_representative(pk)
    return render(
        request,
        "grants/concerns/sent.html",
        {
            "decision": decision,
            "sent_to": request.session.get(SENT_TO, ""),
            "hours": int(moves.CONFIRM_WITHIN.total_seconds() // 3600),
        },
    )


@require_http_methods(["GET", "POST"])
def concern_confirm(request, token):
    """The link in the email. GET: the button (or why the link no longer works, or that the
    concern is confirmed, with its reference). POST: confirms, then back here to show it."""
    if request.method == "POST":
        try:
            confirm_concern(token=token)
        except LinkRefused as exc:
            if exc.concern is None or exc.concern.status == moves.UNCONFIRMED:
                return render(request, "grants/concerns/link_refused.html", {"reason": exc.reason})
        return redirect("grants:concern_confirm", token)
    concern = find_by_token(token)
    if concern is not None and concern.status != moves.UNCONFIRMED:
        return render(request, "grants/concerns/confirmed.html", {"concern": concern})
    link = moves.link_decision(
        status=concern.status if concern else None,
        created_at=concern.created_at if concern else None,
        now=timezone.now(),
    )
    if not link:
        return render(request, "grants/concerns/link_refused.html", {"reason": link.reason})
    return render(request, "grants/concerns/confirm.html", {"concern": concern, "token": token})
