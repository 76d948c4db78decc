"""allauth's code pages, ending the sign-in when an account has given too many wrong codes."""

from allauth.account.internal.stagekit import clear_login
from allauth.mfa.base import views as mfa_views
from django.contrib.auth import logout
from django.shortcuts import render

LOCKED_TEMPLATE = "account/second_factor_locked.html"


def _locked(request):
    return render(request, LOCKED_TEMPLATE, status=429)


class AuthenticateView(mfa_views.AuthenticateView):
    """The sign-in's code step. Once locked, the pending sign-in is ended: start again."""

    def form_invalid(self, form):
        if getattr(form, "locked", False):
            clear_login(self.request)
            return _locked(self.request)
        return super().form_invalid(form)


class ReauthenticateView(mfa_views.ReauthenticateView):
    """Confirming it is you with a code. Once locked, the session is signed out."""

    def form_invalid(self, form):
        if getattr(form, "locked", False):
            logout(self.request)
            return _locked(self.request)
        return super().form_invalid(form)


authenticate = AuthenticateView.as_view()
reauthenticate = ReauthenticateView.as_view()
