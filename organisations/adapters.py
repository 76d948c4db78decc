"""allauth hooks: account emails go through the outbox like every other email."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse

from notifications.emails import email_context, html_version, on_site, one_line, render_text
from notifications.services import absolute_url, queue_email

# The links allauth puts in its emails, built on whichever host the request
# came to; send_mail moves them to settings.SITE_URL.
ACCOUNT_EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    def get_reauthentication_methods(self, user):
        """Staff confirm it is them with a code from their authenticator, never a password alone.

        A password (or an emailed code) is what an attacker who got past the
        sign-in page would have; asking for it again would prove nothing. Until
        staff have an authenticator (their first sign-in), the password is all
        there is, and the middleware sends them to set one up.
        """
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and user.must_use_two_factor:
            codes = [m for m in methods if m["id"].startswith("mfa_reauthenticate")]
            return codes or methods
        return methods

    def format_email_subject(self, subject):
        """No "[host] " prefix: each subject names the service in its own words."""
        return subject

    def render_mail(self, template_prefix, email, context, headers=None):
        """`<prefix>_subject.txt` and `_message.txt`, with the HTML version built from the text."""
        body = render_text(f"{template_prefix}_message.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=self.format_email_subject(
                one_line(render_text(f"{template_prefix}_subject.txt", context))
            ),
            body=body,
            from_email=self.get_from_email(),
            to=[email] if isinstance(email, str) else email,
            headers=headers,
        )
        message.attach_alternative(html_version(body), "text/html")
        return message

    def build_mail(self, template_prefix, email, context):
        """An account email named and linked from settings, never from the request's host."""
        context = {
            "email": email,
            **context,
            **email_context(),
            # Any allauth template not rewritten in templates/ still names the
            # service, not the host ("Hello from 127.0.0.1:8000!").
            "current_site": SimpleNamespace(
                name=settings.SERVICE_NAME, domain=urlsplit(settings.SITE_URL).netloc
            ),
            "sign_in_url": absolute_url(reverse("account_login")),
            "reset_password_url": absolute_url(reverse("account_reset_password")),
            "confirmation_days": account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
        }
        for name in ACCOUNT_EMAIL_LINKS:
            if context.get(name):
                context[name] = on_site(context[name])
        return self.render_mail(template_prefix, email, context)

    def send_mail(self, template_prefix, email, context):
        message = self.build_mail(template_prefix, email, context)
        with transaction.atomic():
            for recipient in message.to:
                queue_email(
                    to=recipient,
                    subject=message.subject,
                    body_text=message.body,
                    body_html=message.alternatives[0].content,
                    kind=f"account:{template_prefix.rsplit('/', 1)[-1]}",
                )


# GOV.UK-style wording for allauth's own errors.
AccountAdapter.error_messages = {
    **DefaultAccountAdapter.error_messages,
    "email_password_mismatch": "Enter a correct email address and password",
    "email_taken": "An account already exists with this email address. Sign in instead",
    "enter_current_password": "Enter your current password",
    "incorrect_password": "The password is not correct",
    "invalid_password_reset": "This link to reset your password is no longer valid",
}


INCORRECT_CODE = "The code is not correct. Enter the code shown in your authenticator app now"


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {**DefaultMFAAdapter.error_messages, "incorrect_code": INCORRECT_CODE}
