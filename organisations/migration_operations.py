"""Migration operations for what only PostgreSQL has (the quick demo runs on SQLite)."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """An index that exists on PostgreSQL only: a GIN trigram index or a pattern
    opclass means nothing to SQLite, which searches without one.

    The index is kept out of Django's model state (and so out of the models'
    Meta): were it in the state, SQLite would try to build it again each time it
    remakes the table for a later migration, and fail on "gin_trgm_ops".
    `test_officer_list` checks that PostgreSQL's planner uses it."""

    def state_forwards(self, app_label, state):
        return None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{super().describe()} (PostgreSQL only, not in the model state)"
