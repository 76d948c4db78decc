"""Insurance running out: a reminder before a certificate ends, and notice of the lapse after.

How long before is the managers' `insurance_expiring` deadline (default: 30
days before the certificate's last day of cover). From the day after that last
day the provider's approvals have lapsed: computed from the certificate's date
wherever it matters (`selectors.lapsed_on`, `Provider.objects.not_lapsed_on`),
never stored, so this job only tells the provider's people. Only certificates
the provider must hold count: employer's liability for a provider with no staff
changes nothing when it ends.

A renewed certificate replaces the row (a new id and a later date), so an old
certificate's reminder or notice is never sent once it has been replaced. Each
email carries an idempotency key per kind, certificate, end date and recipient,
unique in the outbox: the job can run twice, or on two workers at once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse

from diagnostics.rules import long_date
from notifications.deadlines import INSURANCE_EXPIRING, deadline
from notifications.rules import DeadlineRule
from notifications.services import absolute_url, queue_for_each

from .models import InsuranceCertificate, ProviderMembership, required_insurance
from .selectors import insurance_expiring_between, lapsed_on

# How late a missed run may still send the lapse notice. The lapse itself needs
# no job; this only stops certificates that ended long before this job existed
# (or ran) from sending a surprise notice about old news.
LAPSE_NOTICE_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class InsuranceRun:
    reminded: int = 0  # certificates whose reminder this run found due
    lapsed: int = 0  # certificates whose lapse notice this run found due


def certificates_due(rule: DeadlineRule, today: date) -> tuple[list[int], list[int]]:
    """Ids of certificates of providers on the register: (to remind, lapsed), soonest first."""
    remind = []
    if rule.remind_before is not None:
        horizon = today + timedelta(days=rule.longest_reminder_in_days())
        remind = [
            certificate.pk
            for certificate in insurance_expiring_between(today, horizon)
            if rule.reminder_due(certificate.expires_on, today)
        ]
    ended = insurance_expiring_between(today - LAPSE_NOTICE_WITHIN, today - timedelta(days=1))
    return remind, list(ended.values_list("pk", flat=True))


def _load(certificate_id: int) -> InsuranceCertificate | None:
    """The certificate, if it has not been replaced since, with its provider's certificates."""
    return (
        InsuranceCertificate.objects.filter(pk=certificate_id)
        .select_related("provider")
        .prefetch_related("provider__certificates")
        .first()
    )


def _is_required(certificate: InsuranceCertificate) -> bool:
    return certificate.kind in required_insurance(certificate.provider.employs_staff)


def _people(provider):
    return [
        m.user
        for m in ProviderMembership.objects.filter(provider=provider)
        .select_related("user")
        .order_by("pk")
    ]


def _context(certificate: InsuranceCertificate, today: date) -> dict:
    return {
        "provider": certificate.provider,
        "insurance": certificate.get_kind_display().lower(),
        "last_day": long_date(certificate.expires_on),
        "lapses_on": long_date(certificate.expires_on + timedelta(days=1)),
        "days_left": (certificate.expires_on - today).days,
        "link": absolute_url(reverse("providers:insurance", args=[certificate.kind])),
    }


def remind_insurance_expiring(certificate_id: int, rule: DeadlineRule, today: date) -> bool:
    """Tell everyone acting for the provider that a required certificate ends soon."""
    certificate = _load(certificate_id)
    if (
        certificate is None
        or not _is_required(certificate)
        or not rule.reminder_due(certificate.expires_on, today)
    ):
        return False
    queue_for_each(
        _people(certificate.provider),
        template="insurance_expiring",
        context=_context(certificate, today),
        kind="providers:insurance_expiring",
        key=f"insurance-expiring:{certificate.pk}:{certificate.expires_on.isoformat()}",
    )
    return True


def tell_approvals_lapsed(certificate_id: int, today: date) -> bool:
    """Tell everyone acting for the provider that its approvals lapsed when the certificate
    ended, and that it cannot be chosen until it uploads a current one."""
    certificate = _load(certificate_id)
    if (
        certificate is None
        or not _is_required(certificate)
        or certificate.expires_on >= today
        or not lapsed_on(certificate.provider, today)
    ):
        return False
    queue_for_each(
        _people(certificate.provider),
        template="insurance_lapsed",
        context=_context(certificate, today),
        kind="providers:insurance_lapsed",
        key=f"insurance-lapsed:{certificate.pk}:{certificate.expires_on.isoformat()}",
    )
    return True


def run_insurance_reminders(today: date) -> InsuranceRun:
    """Remind of certificates ending soon, and tell of approvals lapsed. One transaction each."""
    rule = deadline(INSURANCE_EXPIRING)
    remind, ended = certificates_due(rule, today)
    return InsuranceRun(
        reminded=sum(remind_insurance_expiring(pk, rule, today) for pk in remind),
        lapsed=sum(tell_approvals_lapsed(pk, today) for pk in ended),
    )
