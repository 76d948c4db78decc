"""How django-axes names the account in a sign-in attempt."""


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
