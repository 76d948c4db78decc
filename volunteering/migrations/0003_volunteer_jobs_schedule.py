"""Beat's schedule for section C's volunteer jobs (volunteering.tasks.run_volunteer_jobs):
every day at 06:20 London time, remind organisations of interest unanswered in 5 working
days, and warn, then delete, volunteer accounts two years without activity."""

from django.db import migrations

JOB = (
    "Volunteering: remind organisations of unanswered interest; delete inactive volunteers",
    "volunteering.tasks.run_volunteer_jobs",
)


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="20",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    name, task = JOB
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": daily, "enabled": True}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=JOB[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0002_volunteers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
