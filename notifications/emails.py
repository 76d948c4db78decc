"""How every email the service sends is written, its own and allauth's alike.

The names in an email come from settings, never from the host a request
happened to arrive on (a development server's 127.0.0.1, a proxy's internal
name). The plain text is the email; the HTML version is built from the same
words, so the two never say different things.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_context() -> dict:
    """What every email template may use, whoever sends it."""
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_CONTACT_EMAIL": settings.SERVICE_CONTACT_EMAIL,
        "SITE_URL": settings.SITE_URL,
    }


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template, with nothing HTML-escaped.

    Rendered the ordinary way, "St Mary's" would arrive as "St Mary&#x27;s" in a
    subject line or a plain-text body.
    """
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def one_line(text: str) -> str:
    """A subject: the template's line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


# A web link in plain text, not counting punctuation that ends the sentence around it.
LINK = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]]")


def linked(text: str) -> str:
    """Plain text as HTML: every character escaped, each web link made clickable.

    Everything is escaped, even text the template engine marked safe (its output
    always is), so a name like "<b>Trust</b>" arrives as typed, not as markup.
    Django's urlize is not used: it drops the comma in "(a@example.org), then".
    """
    parts, end = [], 0
    for match in LINK.finditer(text):
        parts += [escape(text[end : match.start()]), format_html('<a href="{0}">{0}</a>', match[0])]
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def html_version(text: str) -> str:
    """The plain text as a simple, accessible HTML page: the same words, links clickable."""
    return render_to_string(
        "emails/_plain_as_html.html", {**email_context(), "body": linked(str(text).strip())}
    )


def render_email(template: str, context: dict) -> RenderedEmail:
    """`emails/<template>_subject.txt` and `_body.txt`, and the HTML version.

    An `emails/<template>_body.html` is used for the HTML version where one
    exists; otherwise it is built from the plain text.
    """
    context = {**context, **email_context()}
    text = render_text(f"emails/{template}_body.txt", context)
    try:
        html = render_to_string(f"emails/{template}_body.html", context)
    except TemplateDoesNotExist:
        html = html_version(text)
    return RenderedEmail(
        subject=one_line(render_text(f"emails/{template}_subject.txt", context)),
        text=text,
        html=html,
    )


def on_site(url: str) -> str:
    """The same link on settings.SITE_URL, whatever host it was built on."""
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return f"{settings.SITE_URL}{path}"
