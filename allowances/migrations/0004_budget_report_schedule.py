"""Schedule the weekly budget report (Monday 07:00, London) in beat's database schedule.

Managers can change the day and time in the admin: this only sets the default.
"""

from django.db import migrations

TASK = "allowances.tasks.send_budget_report"


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    monday_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="1",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.get_or_create(
        name="Weekly budget report",
        defaults={"task": TASK, "crontab": monday_morning, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0003_budget_alert_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
