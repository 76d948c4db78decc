"""Providers who deliver support packages, and the people who act for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Provider(models.Model):
    class Type(models.TextChoices):
        VCS = "vcs", "Voluntary or community sector organisation"
        SOLE_TRADER = "sole_trader", "Sole trader or freelancer"
        COMPANY = "company", "Private company"
        PUBLIC_BODY = "public_body", "Public body"

    name = models.CharField(max_length=200)
    provider_type = models.CharField("type of provider", max_length=16, choices=Type.choices)
    charity_number = models.CharField(max_length=12, null=True, blank=True, unique=True)
    company_number = models.CharField(max_length=8, null=True, blank=True, unique=True)
    description = models.TextField("what you offer")
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    is_local_vcs = models.BooleanField(
        "a Leicester voluntary or community organisation", default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_type__in=["vcs", "sole_trader", "company", "public_body"]),
                name="provider_type_valid",
            ),
        ]

    def __str__(self):
        return self.name


class ProviderMembership(models.Model):
    """A person who acts for a provider. One provider per person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_membership"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} of {self.provider}"
