"""Create a small, believable demo world and print how to sign in to it."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organisations.models import Invitation, Organisation, PriorityTheme, User
from organisations.services import accept_invitation, invite_member, register_organisation

DEMO_PASSWORD = "Leicester-demo-2026"

# Fixed base32 secrets so a person (or a script) can add them to an
# authenticator app from the printed value. Demo only: never in production.
STAFF = [
    ("officer@example.org", "Priya Officer", User.Role.OFFICER, "OFFICERDEMOTOTPSECRETAAAAAAAAAAA"),
    ("manager@example.org", "Mark Manager", User.Role.MANAGER, "MANAGERDEMOTOTPSECRETBBBBBBBBBBB"),
    # A second manager, not on the demo grant round's panel: may review its appeal.
    (
        "manager2@example.org",
        "Nadia Manager",
        User.Role.MANAGER,
        "MANAGERTWODEMOTOTPSECRETCCCCCCCC",
    ),
]

ORGANISATIONS = [
    {
        "admin": ("org@example.org", "Amina Okafor"),
        "themes": ["neighbours-and-communities", "healthy-and-active-city"],
        "data": {
            "name": "Highfields Community Association",
            "legal_form": Organisation.LegalForm.REGISTERED_CHARITY,
            "charity_number": "1123456",
            "address_line_1": "96 Melbourne Road",
            "postcode": "LE2 0DS",
            "address_is_home": False,
            "contact_name": "Amina Okafor",
            "contact_email": "org@example.org",
            "main_activities": "A community centre running advice sessions, a food bank and "
            "exercise classes for older people.",
            "beneficiaries": "Residents of Highfields, especially older people and new arrivals.",
            "income_band": Organisation.IncomeBand.TO_1M,
            "staff_count": 6,
            "volunteer_count": 40,
        },
    },
    {
        "admin": ("org2@example.org", "Dan Whitmore"),
        "themes": ["children-and-young-people"],
        "data": {
            "name": "Braunstone Youth Project",
            "legal_form": Organisation.LegalForm.CIO,
            "charity_number": "1187654",
            "address_line_1": "Braunstone Avenue",
            "postcode": "LE3 1LF",
            "address_is_home": False,
            "contact_name": "Dan Whitmore",
            "contact_email": "org2@example.org",
            "main_activities": "Youth clubs, mentoring and holiday activities.",
            "beneficiaries": "Young people aged 11 to 19 in Braunstone and Rowley Fields.",
            "income_band": Organisation.IncomeBand.TO_100K,
            "staff_count": 2,
            "volunteer_count": 15,
        },
    },
    {
        "admin": ("org3@example.org", "Grace Mensah"),
        "themes": ["built-and-natural-environment"],
        "data": {
            "name": "Aylestone Meadows Friends",
            "legal_form": Organisation.LegalForm.UNINCORPORATED,
            # An unregistered group run from its secretary's home: open data
            # gives only LE2 (organisations.rules.published_postcode).
            "address_line_1": "27 Canal Street",
            "postcode": "LE2 8LX",
            "address_is_home": True,
            "contact_name": "Grace Mensah",
            "contact_email": "org3@example.org",
            "main_activities": "Conservation volunteering and guided walks on the meadows.",
            "beneficiaries": "Local residents and schools.",
            "income_band": Organisation.IncomeBand.UNDER_10K,
            "staff_count": 0,
            "volunteer_count": 25,
        },
    },
]


def _person(email, name, role=User.Role.PUBLIC):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "role": role}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def current_code(secret: str) -> str:
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


class Command(BaseCommand):
    help = "Create demo organisations, providers and logins (refuses in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=False (never in production)."
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password. It refuses to run with "
                "DEBUG=False; pass --force if this really is a demo or test server."
            )
        for email, name, role, secret in STAFF:
            user = _person(email, name, role)
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, secret)

        for spec in ORGANISATIONS:
            admin = _person(*spec["admin"])
            if not Organisation.objects.filter(name=spec["data"]["name"]).exists():
                themes = PriorityTheme.objects.filter(slug__in=spec["themes"])
                register_organisation(user=admin, data=spec["data"], themes=themes)

        highfields = Organisation.objects.get(name="Highfields Community Association")
        highfields_admin = highfields.memberships.get(role="admin").user
        member = _person("member@example.org", "Jo Member")
        if not highfields.invitations.exists():
            joined = invite_member(
                organisation=highfields, email=member.email, by=highfields_admin, base_url=""
            )
            accept_invitation(invitation=joined, user=member)
            invite_member(
                organisation=highfields,
                email="volunteer@example.org",
                by=highfields_admin,
                base_url="http://127.0.0.1:8000",
            )
        _person("newcomer@example.org", "Nia Newcomer")  # signed up, no organisation yet

        # Budgets, eligibility and agreed packages (issue 4). Imported here: a
        # lower app's command reaching up only for demo data.
        from allowances.demo import seed_allowances

        seed_allowances(self.stdout, _person)

        # Eligibility applications and diagnostics at every stage (issue 3).
        from diagnostics.demo import seed_diagnostics

        seed_diagnostics(self.stdout, _person)

        # Every provider login and the register: profiles, essentials, package
        # applications (issue 5).
        from providers.demo import seed_providers

        seed_providers(self.stdout, _person)

        # The provider journey at every state, after the providers' register (issue 5).
        from delivery.demo import seed_delivery

        seed_delivery(self.stdout, _person)

        # Section B: communities of interest, a round open for applications and a
        # draft (issue 13), paid from this year's community cohesion strand.
        from grants.demo import seed_grants

        seed_grants(self.stdout, _person)

        # Section C: the volunteer centre's broker and opportunities in each state (issue 14).
        from volunteering.demo import seed_volunteering

        seed_volunteering(self.stdout, _person)

        # Section C's volunteers: a placement with hours, interest waiting and talking.
        from volunteering.demo_volunteers import seed_volunteers

        seed_volunteers(self.stdout, _person)

        # Open data: a published release of every year, after every grant above (issue 17).
        from reports.demo import seed_open_data

        seed_open_data(self.stdout, _person)

        self._print_logins()

    def _print_logins(self):
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                "\nDemo data is ready. Sign in at http://127.0.0.1:8000/accounts/login/"
            )
        )
        out.write(f"Every demo account's password: {DEMO_PASSWORD}\n")
        rows = [
            ("officer@example.org", "council officer (needs the TOTP code below)"),
            ("manager@example.org", "manager (needs the TOTP code below)"),
            ("manager2@example.org", "manager not on the grant panel: reviews appeals"),
            ("org@example.org", "admin of Highfields Community Association"),
            ("org2@example.org", "admin of Braunstone Youth Project"),
            ("org3@example.org", "admin of Aylestone Meadows Friends"),
            ("provider@example.org", "provider: Fosse Consulting"),
            (
                "provider2@example.org",
                "provider: Voluntary Action Leicestershire Training, the volunteering broker",
            ),
            ("provider3@example.org", "provider: Charnwood Digital Ltd (applications pending)"),
            ("provider4@example.org", "provider: Leicester College (approval lapsed)"),
            ("newcomer@example.org", "signed up, has no organisation or provider yet"),
            ("volunteer@example.org", "volunteer placed as a youth football coach, with hours"),
            ("volunteer2@example.org", "volunteer aged 16, asked to talk about a role"),
            ("member@example.org", "member (not admin) of Highfields Community Association"),
        ]
        for email, what in rows:
            out.write(f"  {email:<24} {what}")
        out.write(
            "\nTwo-factor secrets for staff (add to any authenticator app, or compute the code):"
        )
        for email, _, _, secret in STAFF:
            out.write(f"  {email:<24} secret {secret}  (code right now: {current_code(secret)})")
        pending = Invitation.objects.pending().count()
        out.write(f"\n{pending} invitation(s) waiting; emails go to the worker's console.\n")
