from django.db import transaction

from audit.services import record

from .models import Provider, ProviderMembership


class ProviderError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def register_provider(*, user, data: dict) -> Provider:
    """Create a provider with `user` as the first person acting for it."""
    if ProviderMembership.objects.filter(user=user).exists():
        raise ProviderError("You already act for a provider.")
    provider = Provider.objects.create(**data)
    ProviderMembership.objects.create(user=user, provider=provider)
    record(actor=user, action="provider.registered", obj=provider)
    return provider
