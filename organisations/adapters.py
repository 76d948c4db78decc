"""allauth hooks: account emails go through the outbox like every other email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import transaction

from notifications.services import queue_email


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

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        with transaction.atomic():
            for recipient in message.to:
                queue_email(
                    to=recipient,
                    subject=message.subject,
                    body_text=message.body,
                    body_html=html,
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
