"""The journey's deadlines with the scheme's defaults (issue 6); managers change them later.

get_or_create, so replaying this (tests/reference_data.py) never undoes a
manager's change.
"""

from django.db import migrations

# code, name, description, (period, unit) or None, (remind, unit) or None
DEADLINES = [
    (
        "choose_provider",
        "Organisation chooses a provider",
        "Counted from the day a package is agreed. The organisation is reminded before "
        "the deadline; if it has not asked a provider by then, the package expires and "
        "its place in the limits and its budget are released.",
        (8, "weeks"),
        (2, "weeks"),
    ),
    (
        "provider_respond",
        "Provider responds to a request",
        "Counted from the day an organisation asks a provider to deliver a package.",
        (10, "working_days"),
        (3, "working_days"),
    ),
    (
        "complete_delivery",
        "Provider completes delivery",
        "Delivery must end by its planned end date, and at the latest this long after "
        "the package was agreed.",
        (6, "months"),
        (2, "weeks"),
    ),
    (
        "confirm_delivery",
        "Organisation confirms delivery and rates the provider",
        "Counted from the day the provider marks the package delivered.",
        (4, "weeks"),
        (1, "weeks"),
    ),
    (
        "officer_review",
        "Officers review applications and claims",
        "Eligibility applications and payment claims waiting longer than this are listed "
        "in the officers' daily email.",
        (10, "working_days"),
        None,
    ),
    (
        "eligibility_expiring_first",
        "Eligibility ending: first reminder",
        "The organisation is reminded this long before its eligibility ends.",
        None,
        (60, "days"),
    ),
    (
        "eligibility_expiring_final",
        "Eligibility ending: last reminder",
        "The organisation is reminded again this long before its eligibility ends.",
        None,
        (14, "days"),
    ),
    (
        "insurance_expiring",
        "Provider's insurance expiring",
        "The provider is reminded this long before an insurance certificate expires; its "
        "approval lapses when it does.",
        None,
        (30, "days"),
    ),
    (
        "diagnostic_session",
        "Diagnostic session",
        "The organisation is reminded this long before its diagnostic session.",
        None,
        (1, "days"),
    ),
]


def seed(apps, schema_editor):
    Deadline = apps.get_model("notifications", "Deadline")
    for position, (code, name, description, period, remind) in enumerate(DEADLINES, start=1):
        period_amount, period_unit = period or (None, "")
        remind_amount, remind_unit = remind or (None, "")
        Deadline.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "period": period_amount,
                "period_unit": period_unit,
                "remind_before": remind_amount,
                "remind_unit": remind_unit,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    codes = [code for code, *_ in DEADLINES]
    apps.get_model("notifications", "Deadline").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_deadline")]
    operations = [migrations.RunPython(seed, unseed)]
