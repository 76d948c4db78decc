"""Cross-cutting request rules: staff two-factor and no caching of private pages."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from organisations import second_factor


class StaffTwoFactorMiddleware:
    """No staff page opens unless this session gave a code from an authenticator.

    Checking that an authenticator exists is not enough: a session signed in by
    any route that skipped the code step (Django's own login(), a session from
    before the code step existed) would pass. So, for staff:
    - with no authenticator yet, only the account pages open, to set one up;
    - with one, until this session has given a code, only the page that asks
      for it and signing out open; everything else sends them there.
    """

    ALWAYS_OPEN_PREFIXES = ("/static/", "/healthz")
    SETUP_PREFIXES = ("/accounts/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.must_use_two_factor
            and not request.path.startswith(self.ALWAYS_OPEN_PREFIXES)
        ):
            refusal = self._refusal(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request, user):
        if not is_mfa_enabled(user, ["totp"]):
            if request.path.startswith(self.SETUP_PREFIXES):
                return None
            return redirect(reverse("mfa_activate_totp"))
        if second_factor.completed_in_session(request):
            return None
        ask_for_code = reverse("mfa_reauthenticate")
        if request.path in (ask_for_code, reverse("account_logout")):
            return None
        return redirect(
            f"{ask_for_code}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        )


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
