"""The indexes behind the officers' register of providers and its search.

The GIN trigram index needs pg_trgm, which organisations' 0003 creates; it is
PostgreSQL's own and skipped on SQLite.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

from organisations.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_search_indexes"),
        ("providers", "0004_insurance_reminder_schedule"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="provider",
            index=models.Index(fields=["name", "id"], name="provider_name_order"),
        ),
        AddIndexOnPostgreSQL(
            model_name="provider",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="provider_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="provider",
            index=models.Index(
                django.db.models.functions.text.Upper("contact_email"),
                name="provider_email_upper",
            ),
        ),
    ]
