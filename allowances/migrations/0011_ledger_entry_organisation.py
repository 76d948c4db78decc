"""Each ledger entry names its organisation: the package's (every entry so far) or the award's.

The ledger is append-only (0002's trigger refuses UPDATE), so on PostgreSQL
the one-off fill switches that trigger off for its own statement and back on,
inside this migration's transaction: no other writer can see the gap.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE allowances_ledgerentry
   SET organisation_id = (
       SELECT organisation_id FROM allowances_agreedpackage
        WHERE allowances_agreedpackage.id = allowances_ledgerentry.agreed_package_id
   )
 WHERE organisation_id IS NULL
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE allowances_ledgerentry "
                "DISABLE TRIGGER allowances_ledger_no_update_or_delete"
            )
            cursor.execute(FILL)
            cursor.execute(
                "ALTER TABLE allowances_ledgerentry "
                "ENABLE TRIGGER allowances_ledger_no_update_or_delete"
            )
        else:
            cursor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0010_grant_awards"),
        ("organisations", "0006_postcode_lookup"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ledger_entries",
                to="organisations.organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ledgerentry",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ledger_entries",
                to="organisations.organisation",
            ),
        ),
    ]
