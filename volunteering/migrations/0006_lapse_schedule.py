"""The reminder before a published opportunity's closing date, and beat's schedule for the
daily job that sends it and closes opportunities past their date
(volunteering.tasks.check_closing_dates, 6:40 London time, editable by managers).

The schedule the same shape as providers/migrations/0004 (get_or_create, so replaying it
never undoes a manager's change of time).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

JOB = (
    "Volunteering: close opportunities past their closing date, remind a week before",
    "volunteering.tasks.check_closing_dates",
    "6",
    "40",
)


def add_schedule(apps, schema_editor):
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


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0005_suggestions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="LapseReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ends_on", models.DateField()),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "opportunity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lapse_reminders",
                        to="volunteering.opportunity",
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("opportunity", "ends_on"),
                        name="lapse_reminder_once_per_closing_date",
                    )
                ],
            },
        ),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
