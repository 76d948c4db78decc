"""pg_trgm and the indexes behind the officers' list of organisations and its search.

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create
it without being a superuser. The extension, the GIN trigram index and the
pattern index are PostgreSQL's own and are skipped on SQLite.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from organisations.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_priority_themes")]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["name", "id"], name="organisation_name_order"),
        ),
        AddIndexOnPostgreSQL(
            model_name="organisation",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="organisation_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                django.db.models.functions.text.Upper("contact_email"),
                name="organisation_email_upper",
            ),
        ),
        AddIndexOnPostgreSQL(
            model_name="organisation",
            index=models.Index(
                fields=["postcode"],
                name="organisation_postcode_like",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
