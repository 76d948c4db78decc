"""Mark the version new diagnostics start on, and allow one draft at a time.

Until now the current questionnaire was the latest published one; that one
becomes `is_current`, so publishing a draft can move the mark under a lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_current(apps, schema_editor):
    Questionnaire = apps.get_model("diagnostics", "Questionnaire")
    if Questionnaire.objects.filter(is_current=True).exists():
        return  # replayed (tests/reference_data.py) over a database that has one
    latest = Questionnaire.objects.filter(published_at__isnull=False).order_by("-number").first()
    if latest:
        Questionnaire.objects.filter(pk=latest.pk).update(is_current=True)


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0003_seed_criteria_area_questionnaire"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="questionnaire",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="is_current",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_current, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="questionnaire",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("is_current",),
                name="one_current_questionnaire",
            ),
        ),
        migrations.AddConstraint(
            model_name="questionnaire",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_current", False), ("published_at__isnull", False), _connector="OR"
                ),
                name="current_questionnaire_is_published",
            ),
        ),
        migrations.AddConstraint(
            model_name="questionnaire",
            constraint=models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(("published_at__isnull", True)),
                name="one_draft_questionnaire",
            ),
        ),
    ]
