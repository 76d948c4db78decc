"""Section C's deadline (issue 14): when the volunteer centre sends each quarterly report.

The volunteering app's daily job (volunteering.tasks.run_volunteer_jobs) reads it.
get_or_create, as 0006 does, so replaying this never undoes a manager's change.
"""

from django.db import migrations

CODE = "centre_report"


def seed(apps, schema_editor):
    apps.get_model("notifications", "Deadline").objects.get_or_create(
        code=CODE,
        defaults={
            "name": "Volunteer centre sends a monitoring report",
            "description": "Counted from the last day of each period of the volunteer centre's "
            "funding agreement. The centre's brokers are reminded before the deadline; a report "
            "not sent by then is listed as overdue for managers, and its instalment is not paid "
            "until it is accepted.",
            "period": 10,
            "period_unit": "working_days",
            "remind_before": 5,
            "remind_unit": "working_days",
            "position": 30,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "Deadline").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_grant_deadlines")]
    operations = [migrations.RunPython(seed, unseed)]
