"""Schedule the nightly rebuild of out-of-date open-data files in Celery beat's database schedule.

The same shape as notifications/migrations/0007_deadline_job_schedules.py (London
time, get_or_create so replaying it never undoes a manager's change of time).
Early morning: after the day's changes, before anyone downloads.
"""

from django.db import migrations

JOBS = [
    # name, task, hour, minute
    (
        "Open data: build again every file the ledger or the awards have moved past",
        "reports.tasks.rebuild_open_data",
        "2",
        "30",
    ),
]


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour, minute in JOBS:
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


def remove_schedule(apps, schema_editor):
    tasks = [task for _, task, *_ in JOBS]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=tasks).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_open_data_builds"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
