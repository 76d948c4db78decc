"""How django-axes names the account and the address in a sign-in attempt."""

from django.conf import settings


def username_from_attempt(request, credentials=None) -> str:
    """The email being tried, lower-cased, whether or not an account has it.

    allauth authenticates with `email=`; the form field is `login`. Using the
    address as typed (known or not) is what makes the lock-out response the
    same for unknown and known emails.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login", "")
    return value.strip().lower()


def client_address(request) -> str:
    """The address of the person at the other end, as far as it can be trusted.

    Each of the TRUSTED_PROXY_COUNT proxies in front of gunicorn appends the
    address it saw to X-Forwarded-For, so the client is that many entries from
    the right; anything further left was written by the client and could be
    anything. With no proxy (0), only the connection's own address counts:
    trusting the header then would let anyone choose their address, and so
    never be locked out. A header shorter than the proxy count means a request
    that did not come through all the proxies: the connection's address again.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
