"""Defects found in review of the provider register, each pinned by a test that failed first."""

import pytest

from organisations.models import Membership
from organisations.services import OrganisationError, accept_invitation

from ..factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_a_person_acting_for_a_provider_cannot_join_an_organisation_by_invitation(world):
    """A person acts for one organisation or one provider, never both: otherwise the
    provider's own person could sit inside an organisation that chooses it."""
    invitation = InvitationFactory(organisation=world.org_a, email=world.provider_user.email)

    with pytest.raises(OrganisationError, match="provider"):
        accept_invitation(invitation=invitation, user=world.provider_user)

    assert not Membership.objects.filter(user=world.provider_user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
