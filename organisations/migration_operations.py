"""Migration operations for what only PostgreSQL has (the quick demo runs on SQLite)."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """AddIndex that builds the index on PostgreSQL only: a GIN trigram index means
    nothing to SQLite, which searches without one. The model state gains the index
    everywhere, so makemigrations sees the models and the migrations agree."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
