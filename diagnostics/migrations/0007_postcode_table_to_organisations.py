"""The council's postcode table has moved to organisations (its 0004), which
registration needs and may not import diagnostics for. Rows managers added or
changed here are copied over, then this app's table goes."""

from django.db import migrations


def copy_to_organisations(apps, schema_editor):
    old = apps.get_model("diagnostics", "PostcodePrefix")
    new = apps.get_model("organisations", "PostcodePrefix")
    for row in old.objects.all():
        new.objects.update_or_create(
            area=row.area, prefix=row.prefix, defaults={"in_area": row.in_area, "note": row.note}
        )


def copy_back(apps, schema_editor):
    old = apps.get_model("diagnostics", "PostcodePrefix")
    new = apps.get_model("organisations", "PostcodePrefix")
    for row in new.objects.all():
        old.objects.update_or_create(
            area=row.area, prefix=row.prefix, defaults={"in_area": row.in_area, "note": row.note}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0006_diagnostic_completed_index"),
        ("organisations", "0004_postcode_area"),
    ]

    operations = [
        migrations.RunPython(copy_to_organisations, copy_back),
        migrations.DeleteModel(name="PostcodePrefix"),
    ]
