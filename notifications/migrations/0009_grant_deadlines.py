"""Section B's deadlines (issue 13), and the daily job that reminds and lists what is late.

get_or_create, as 0006 does, so replaying this never undoes a manager's change.
"""

from django.db import migrations


POSITION = 20
# code, name, description, (period, unit) or None, (remind, unit) or None
DEADLINES = [
    (
        "grant_report",
        "Representative sends a monitoring report",
        "Counted from the last day of each period of a representation grant. The "
        "representative is reminded before the deadline; a report not sent by then is "
        "listed as overdue for officers, and its instalment is not paid until it is accepted.",
        (10, "working_days"),
        (5, "working_days"),
    ),
    (
        "concern_response",
        "Representative responds to a concern",
        "Counted from the day someone confirms a concern that they feel misrepresented. The "
        "representative is reminded before the deadline; after it, an officer reviews the "
        "concern with or without a response.",
        (10, "working_days"),
        (3, "working_days"),
    ),
    (
        "grant_appeal",
        "Applicant appeals a grant decision",
        "Counted from the day an unsuccessful applicant is told the final decision for its "
        "community. Appeals are not accepted after it.",
        (10, "working_days"),
        None,
    ),
]

JOB = (
    "Representation grants: remind about reports and concerns, list what is overdue",
    "grants.tasks.check_grant_deadlines",
    "7",
    "15",
)


def seed(apps, schema_editor):
    Deadline = apps.get_model("notifications", "Deadline")
    for position, (code, name, description, period, remind) in enumerate(
        DEADLINES, start=POSITION
    ):
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
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, hour, minute = JOB
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": daily, "enabled": True}
    )


def unseed(apps, schema_editor):
    codes = [code for code, *_ in DEADLINES]
    apps.get_model("notifications", "Deadline").objects.filter(code__in=codes).delete()
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0008_non_working_day"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
