"""factory-boy factories that default to a valid object."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from organisations.models import Invitation, Membership, Organisation, PriorityTheme, User
from providers.models import Provider, ProviderMembership

PASSWORD = "correct-horse-battery-staple"
# A fixed TOTP secret for staff in tests, so a test can compute the current code.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = User.Role.PUBLIC

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        # allauth requires a verified address before sign-in.
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    """A council officer with an authenticator app set up, as staff must have."""

    role = User.Role.OFFICER

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, STAFF_TOTP_SECRET)


class ManagerFactory(StaffFactory):
    role = User.Role.MANAGER


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = Organisation.LegalForm.REGISTERED_CHARITY
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Leicester"
    postcode = "LE1 6ZG"
    contact_name = factory.Faker("name", locale="en_GB")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    main_activities = "Advice sessions and a weekly lunch club."
    beneficiaries = "Older people in the neighbourhood."
    income_band = Organisation.IncomeBand.TO_100K
    staff_count = 2
    volunteer_count = 12

    @factory.post_generation
    def priority_themes(obj, create, extracted, **kwargs):
        if create:
            obj.priority_themes.set(extracted or PriorityTheme.objects.all()[:1])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Training Provider {n}")
    provider_type = Provider.Type.COMPANY
    company_number = factory.Sequence(lambda n: f"{9000000 + n:08d}")
    description = "Finance and governance training for small charities."
    contact_email = factory.Sequence(lambda n: f"provider{n}@example.org")


class ProviderMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderMembership

    user = factory.SubFactory(UserFactory)
    provider = factory.SubFactory(ProviderFactory)
