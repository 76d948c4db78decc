"""allauth's forms, with GOV.UK labels and a specific message for each mistake."""

from allauth.account import forms as account_forms
from allauth.core import context
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from . import second_factor


class GovukMessagesMixin:
    """Plain labels, no placeholders, and 'Enter your …' when a field is left empty."""

    labels: dict[str, str] = {}
    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            label = str(field.label or "").lower().removeprefix("your ")
            default = f"Enter your {label}" if label else ""
            field.error_messages["required"] = self.required_messages.get(name, default)
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = (
                    "Enter an email address in the correct format, like name@example.org"
                )


class SignInForm(GovukMessagesMixin, account_forms.LoginForm):
    labels = {"login": "Email address", "password": "Password"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The sign-in page links to password reset itself, below the button.
        self.fields["password"].help_text = ""


class SignUpForm(GovukMessagesMixin, account_forms.SignupForm):
    labels = {
        "email": "Email address",
        "password1": "Create a password",
        "password2": "Confirm password",
    }
    required_messages = {
        "password1": "Create a password",
        "password2": "Enter the password again to confirm it",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = "Use at least 12 characters. Do not use a common password."


class AddEmailForm(GovukMessagesMixin, account_forms.AddEmailForm):
    labels = {"email": "Email address"}
    required_messages = {"email": "Enter the email address to add"}


class ResetPasswordForm(GovukMessagesMixin, account_forms.ResetPasswordForm):
    labels = {"email": "Email address"}


class ResetPasswordKeyForm(GovukMessagesMixin, account_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm new password"}
    required_messages = {
        "password1": "Enter a new password",
        "password2": "Enter the new password again to confirm it",
    }


class ChangePasswordForm(GovukMessagesMixin, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Confirm new password",
    }
    required_messages = {
        "password1": "Enter a new password",
        "password2": "Enter the new password again to confirm it",
    }


class LimitedCodeMixin:
    """Wrong codes count against the account: too many, and `locked` is set.

    allauth's own limit is off (ACCOUNT_RATE_LIMITS leaves password throttling
    to axes, and allauth shares that switch with codes), so this is the limit.
    The view ends the sign-in, or the session, when `locked` is set.
    """

    reauthentication = False
    locked = False

    def clean_code(self):
        outcome = {}

        def validate() -> bool:
            try:
                outcome["code"] = super(LimitedCodeMixin, self).clean_code()
            except forms.ValidationError as error:
                outcome["error"] = error
                return False
            return True

        check = second_factor.check_code(
            context.request, self.user, validate, reauthentication=self.reauthentication
        )
        if check.accepted:
            return outcome["code"]
        if check.locked:
            self.locked = True
            raise forms.ValidationError(second_factor.LOCKED_MESSAGE, code="locked")
        raise outcome["error"]


class AuthenticateForm(GovukMessagesMixin, LimitedCodeMixin, mfa_base_forms.AuthenticateForm):
    labels = {"code": "Code from your authenticator app"}
    required_messages = {"code": "Enter the 6-digit code from your authenticator app"}


class ReauthenticateForm(GovukMessagesMixin, LimitedCodeMixin, mfa_base_forms.ReauthenticateForm):
    labels = {"code": "Code from your authenticator app"}
    required_messages = {"code": "Enter the 6-digit code from your authenticator app"}
    reauthentication = True


class ActivateTOTPForm(GovukMessagesMixin, totp_forms.ActivateTOTPForm):
    labels = {"code": "Code from your authenticator app"}
    required_messages = {"code": "Enter the 6-digit code from your authenticator app"}
