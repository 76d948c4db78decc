"""Cross-cutting request rules: staff two-factor and no caching of private pages."""

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


class StaffTwoFactorMiddleware:
    """Council staff must set up an authenticator app before doing anything else.

    allauth asks for the code at every sign-in once a TOTP authenticator exists;
    this closes the gap before one exists, by sending staff to set one up.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.must_use_two_factor
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not is_mfa_enabled(user, ["totp"])
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
