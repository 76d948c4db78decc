"""Schedule the daily deadline jobs in Celery beat's database schedule (London time).

Kept here, beside the deadlines they read, though the tasks live in the apps
whose objects they act on (allowances; the wiring layer for the officers'
digest, which gathers from several apps).
"""

from django.db import migrations

JOBS = [
    # name, task, hour, minute
    (
        "Package deadlines: remind to choose a provider, expire packages not taken up",
        "allowances.tasks.check_package_deadlines",
        "7",
        "0",
    ),
    ("Officers' daily email of work waiting", "vcs_support.tasks.send_officer_digest", "7", "30"),
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
        ("notifications", "0006_seed_deadlines"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
