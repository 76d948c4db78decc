"""The bench's people: PEOPLE_PER_ROLE managers, officers, organisation administrators
and provider users (bench-manager-01@example.org …), one password for all, the staff with
a TOTP authenticator. `seed_bench` makes them; `bench_pages` and `bench_sessions` sign in
as them."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from organisations.models import User

ROLES = ("manager", "officer", "organisation", "provider")
PEOPLE_PER_ROLE = 15
BENCH_PASSWORD = "bench-only-password"
BENCH_TOTP_SECRET = "BENCHTOTPSECRETAAAAAAAAAAAAAAAAA"  # base32; bench data only


def bench_email(role: str, number: int) -> str:
    return f"bench-{role}-{number:02d}@example.org"


def make_people() -> dict[str, list]:
    """PEOPLE_PER_ROLE of each role, with one password hash for all (hashing is slow)."""
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(BENCH_PASSWORD, hasher.salt())
    staff_roles = {"manager": User.Role.MANAGER, "officer": User.Role.OFFICER}
    users = User.objects.bulk_create(
        User(
            email=bench_email(role, number),
            full_name=f"Bench {role.title()} {number}",
            role=staff_roles.get(role, User.Role.PUBLIC),
            password=password,
        )
        for role in ROLES
        for number in range(1, PEOPLE_PER_ROLE + 1)
    )
    people = {
        role: users[i * PEOPLE_PER_ROLE : (i + 1) * PEOPLE_PER_ROLE] for i, role in enumerate(ROLES)
    }
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    secret = encrypt(BENCH_TOTP_SECRET)
    Authenticator.objects.bulk_create(
        Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": secret})
        for u in people["manager"] + people["officer"]
    )
    return people
