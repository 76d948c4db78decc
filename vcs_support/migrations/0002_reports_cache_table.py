"""Create the report figures' cache table (CACHES["reports"]) beside the first.

`createcachetable` creates every database cache's table that is missing, so
this runs the first migration's command again, for databases that already ran it.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("vcs_support", "0001_cache_table")]
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
