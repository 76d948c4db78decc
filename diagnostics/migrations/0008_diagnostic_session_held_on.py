"""The day a diagnostic's session took place, which reports give the diagnostic (issue 12).

Diagnostics completed before this recorded nothing, so they take the booked
session's date when it had come by completion, else the day they were completed.
"""

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def backfill(apps, schema_editor):
    Diagnostic = apps.get_model("diagnostics", "Diagnostic")
    completed = Diagnostic.objects.filter(status="completed", session_held_on__isnull=True)
    for diagnostic in completed.only("pk", "session_date", "completed_at"):
        completed_on = timezone.localtime(diagnostic.completed_at).date()
        booked = diagnostic.session_date
        held_on = booked if booked and booked <= completed_on else completed_on
        Diagnostic.objects.filter(pk=diagnostic.pk).update(session_held_on=held_on)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0007_postcode_table_to_organisations")]

    operations = [
        migrations.AddField(
            model_name="diagnostic",
            name="session_held_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="diagnostic",
            constraint=models.CheckConstraint(
                condition=~Q(status="completed") | Q(session_held_on__isnull=False),
                name="diagnostic_completed_has_session_date",
            ),
        ),
    ]
