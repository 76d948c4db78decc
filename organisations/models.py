"""People, organisations and who belongs to which."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The ONS postcode lookup's models live with what reads them (geography.py);
# imported here so Django finds them.
from .geography import PostcodeLookup, PostcodeLookupFile  # noqa: F401
from .listing import (
    identifier_matches,
    name_contains,
    ranked,
    similar,
    upper_index,
)
from .rules import published_postcode
from .validators import DISTRICT, SECTOR, normalise_postcode, postcode_district


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        extra.setdefault("is_staff", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_superuser=True, is_staff=True)
        return self._create_user(email, password, **extra)

    def managers(self):
        """Active managers, who hold the budget and hear about it (alerts, reports)."""
        return self.filter(role=User.Role.MANAGER, is_active=True).order_by("pk")

    def officers(self):
        """Active council officers, who hear about work waiting for them.

        Officers only: managers may do an officer's work but are told about the
        budget, not the daily queue.
        """
        return self.filter(role=User.Role.OFFICER, is_active=True).order_by("pk")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    `role` says whether they are council staff. Members of the public belong to
    an organisation or a provider through a membership instead.
    """

    class Role(models.TextChoices):
        PUBLIC = "public", "Organisation or provider user"
        OFFICER = "officer", "Council officer"
        MANAGER = "manager", "Manager (budget holder)"

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PUBLIC)
    is_active = models.BooleanField(default=True)
    # Django admin access: superusers only.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["public", "officer", "manager"]), name="user_role_valid"
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER or self.is_superuser

    @property
    def is_officer(self) -> bool:
        """Officers, and managers, who may do everything an officer does."""
        return self.role in (self.Role.OFFICER, self.Role.MANAGER) or self.is_superuser

    @property
    def must_use_two_factor(self) -> bool:
        """Council staff, and anyone the admin site would let in."""
        return self.is_officer or self.is_staff


class PriorityTheme(models.Model):
    """One of the City Mayor's priority themes that the VCS contributes to."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_officer:
            return self
        return self.filter(memberships__user=user)

    def search(self, term: str):
        """Organisations matching what an officer typed, best first (listing.ranked).

        Exact: the charity or company number, the contact email, the postcode
        or its district. Then names containing the term, closest first.
        """
        exact = identifier_matches(term)
        contains = name_contains(term, "name")
        upper = " ".join(term.split()).upper()
        try:
            exact |= Q(postcode=normalise_postcode(term))
        except ValidationError:
            if DISTRICT.match(upper):
                exact |= Q(postcode_district=upper)
            elif SECTOR.match(upper):
                contains |= Q(postcode__startswith=upper)
        return ranked(self, term, exact=exact, contains=contains)

    def similar_to(self, term: str):
        """Organisations whose name resembles the term, for when nothing matches it."""
        return similar(self, term)


class LegalForm(models.TextChoices):
    REGISTERED_CHARITY = "registered_charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CHARITABLE_COMPANY = "charitable_company", "Charitable company limited by guarantee"
    CIC = "cic", "Community interest company (CIC)"
    SOCIETY = "society", "Co-operative or community benefit society"
    UNINCORPORATED = "unincorporated", "Unincorporated association"
    FAITH_GROUP = "faith_group", "Faith group"
    OTHER = "other", "Other"


class IncomeBand(models.TextChoices):
    UNDER_10K = "under_10k", "Under £10,000"
    TO_100K = "10k_100k", "£10,000 to £100,000"
    TO_1M = "100k_1m", "£100,000 to £1 million"
    OVER_1M = "over_1m", "Over £1 million"


class PostcodePrefixQuerySet(models.QuerySet):
    def table(self, area: str | None = None) -> dict[str, bool]:
        """The area's table for rules.postcode_in_area: {"LE2": True, "LE2 4": False, ...}.

        One query. `area` defaults to the council's (settings.ELIGIBILITY_AREA).
        """
        rows = self.filter(area=area or settings.ELIGIBILITY_AREA).order_by()
        return dict(rows.values_list("prefix", "in_area"))


class PostcodePrefix(models.Model):
    """One row of a council area's postcode table: a district (LE1) or sector (LE2 4).

    The longest matching prefix decides, so a whole district can be in the area
    while one of its sectors is out (LE2 is the city; LE2 4 and LE2 5 are Oadby).
    Registration checks an organisation's address against it, and the
    eligibility question about where it is based (diagnostics) does too.
    """

    area = models.SlugField(max_length=40)
    prefix = models.CharField(max_length=6, help_text="A district (LE1) or a sector (LE2 4).")
    in_area = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)

    objects = PostcodePrefixQuerySet.as_manager()

    class Meta:
        ordering = ["area", "prefix"]
        verbose_name_plural = "postcode prefixes"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "prefix"], name="organisation_postcode_prefix_unique"
            )
        ]

    def __str__(self):
        return f"{self.prefix} ({'in' if self.in_area else 'outside'} {self.area})"


class OrganisationOwnedQuerySet(models.QuerySet):
    """For models with an `organisation` foreign key: what each person may see."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_officer:
            return self
        return self.filter(organisation__memberships__user=user)


class Organisation(models.Model):
    LegalForm = LegalForm
    IncomeBand = IncomeBand

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=32, choices=LegalForm.choices)
    # NULL, not blank, when absent, so uniqueness applies only to real numbers:
    # a second login can never create a second organisation with the same number.
    charity_number = models.CharField(max_length=12, null=True, blank=True, unique=True)
    company_number = models.CharField(max_length=8, null=True, blank=True, unique=True)
    address_line_1 = models.CharField("address line 1", max_length=200)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, default="Leicester")
    postcode = models.CharField(max_length=8)
    postcode_district = models.CharField(max_length=4, editable=False, db_index=True)
    # Asked at registration. Open data gives only the postcode district of a
    # home address (rules.published_postcode). True unless told otherwise: an
    # unknown answer must never publish someone's home.
    address_is_home = models.BooleanField("the address is someone's home", default=True)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    main_activities = models.TextField()
    beneficiaries = models.TextField("who the organisation serves")
    income_band = models.CharField(max_length=16, choices=IncomeBand.choices)
    staff_count = models.PositiveIntegerField("number of paid staff")
    volunteer_count = models.PositiveIntegerField("number of volunteers")
    priority_themes = models.ManyToManyField(PriorityTheme, related_name="organisations")
    # Why an organisation whose address is outside the council's area should be
    # registered (rules.registered_address_decision); empty when it is inside.
    # Officers see it flagged on their list and when they decide eligibility.
    outside_area_note = models.TextField("why registered outside the area", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The officers' list, a page at a time by name, and its search
        # (OrganisationQuerySet.search). Two more are PostgreSQL's own and so
        # not declared here (AddIndexOnPostgreSQL in migrations/0003): a GIN
        # trigram index on UPPER(name) and a pattern index on the postcode.
        indexes = [
            models.Index(fields=["name", "id"], name="organisation_name_order"),
            upper_index("contact_email", "organisation_email_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_form__in=LegalForm.values),
                name="organisation_legal_form_valid",
            ),
            models.CheckConstraint(
                condition=Q(income_band__in=IncomeBand.values),
                name="organisation_income_band_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.postcode_district = postcode_district(self.postcode)
        if kwargs.get("update_fields") is not None and "postcode" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "postcode_district"}
        super().save(*args, **kwargs)

    @property
    def is_outside_area(self) -> bool:
        return bool(self.outside_area_note)

    @property
    def published_postcode(self) -> str:
        """The postcode as open data gives it: only the district (LE2) of a home."""
        return published_postcode(self.postcode, is_home=self.address_is_home)


class MembershipQuerySet(models.QuerySet):
    def admin_users(self, organisation) -> list:
        """The organisation's administrators as users, oldest first: whom to email."""
        return [membership.user for membership in self.admins_of(organisation)]

    def is_admin(self, organisation, user) -> bool:
        """Whether `user` is an administrator of `organisation`: one query."""
        return self.filter(
            organisation=organisation, user=user, role=Membership.Role.ADMIN
        ).exists()

    def admins_of(self, organisation):
        """The organisation's administrators, with their users, oldest first."""
        return (
            self.filter(organisation=organisation, role=Membership.Role.ADMIN)
            .select_related("user")
            .order_by("pk")
        )


class Membership(models.Model):
    """A person's place in an organisation. One organisation per person."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        MEMBER = "member", "Member"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["admin", "member"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) of {self.organisation}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now)


def not_both_accepted_and_cancelled(name: str) -> models.CheckConstraint:
    """The constraint every invitation table carries, under its own table's name."""
    return models.CheckConstraint(
        condition=Q(accepted_at__isnull=True) | Q(cancelled_at__isnull=True), name=name
    )


class InvitationBase(models.Model):
    """An invitation to join something, usable only by the invited address.

    Organisations and providers invite people the same way and accept them under
    the same rule (rules.can_accept_invitation). Each keeps its own table, with a
    foreign key to what it invites into, named by `owner_field`; this lower app
    never learns about providers.
    """

    owner_field: str  # "organisation", "provider": the foreign key each subclass adds

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.owner}"

    @property
    def owner(self):
        """The organisation or provider the invitation is into."""
        return getattr(self, self.owner_field)

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return "Withdrawn"
        if self.accepted_at:
            return "Accepted"
        if timezone.now() >= self.expires_at:
            return "Expired"
        return "Pending"


class Invitation(InvitationBase):
    """An invitation to join an organisation."""

    owner_field = "organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(InvitationBase.Meta):
        constraints = [
            not_both_accepted_and_cancelled("invitation_not_both_accepted_and_cancelled")
        ]
