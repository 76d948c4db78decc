"""Beat's schedule for the community's consultations (grants.tasks.run_consultations):
every hour, at five past, open the windows that are due and close the ones that ended
(deleting the raw email addresses they held)."""

from django.db import migrations

JOB = (
    "Representation grants: open and close the community's backing and verdict windows",
    "grants.tasks.run_consultations",
)


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="5",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    name, task = JOB
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": hourly, "enabled": True}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0006_community_voices"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
