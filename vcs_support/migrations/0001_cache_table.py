"""Create the database cache table with the schema, so `migrate` alone sets up a server.

The cache holds allauth's used TOTP codes and rate-limit counters; it lives in
the database so a Redis failure cannot break signing in.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
