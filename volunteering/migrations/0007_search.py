"""The public search's document and its GIN index (PostgreSQL only).

Each opportunity keeps its full-text document in `search_document` (a tsvector: the
title weighted A, what the volunteer will do B, the skills C), so that ranking the
matches reads a stored value instead of parsing every matching row's text again: at
30,000 opportunities, a word in 1,900 of them ranked from the text took 150 ms, from the
stored document a few. A trigger keeps it up to date on every insert and on any update
of those four columns, whatever writes the row (services, admin, a bulk insert); the
one function `volunteering_opportunity_document` computes it, for the trigger and for
anything that loads rows with triggers off (seed_bench). The GIN index covers published
opportunities only, the only ones the public searches.

The column is outside Django's model state (the search reads it by name:
search_selectors.DOCUMENT), so the models and every other migration stay the same on
SQLite, where the quick demo searches the text instead.
"""

from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
    || setweight(
        to_tsvector(
            'english'::regconfig, coalesce(skills_wanted, '') || ' ' || coalesce(skills_gained, '')
        ),
        'C'
    )
"""

FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION volunteering_opportunity_document(
        title text, description text, skills_wanted text, skills_gained text
    ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {DOCUMENT} $$;
    """,
    """
    CREATE OR REPLACE FUNCTION volunteering_opportunity_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := volunteering_opportunity_document(
            NEW.title, NEW.description, NEW.skills_wanted, NEW.skills_gained
        );
        RETURN NEW;
    END
    $$;
    """,
    "ALTER TABLE volunteering_opportunity ADD COLUMN search_document tsvector;",
    """
    CREATE TRIGGER volunteering_opportunity_search_document
        BEFORE INSERT OR UPDATE OF title, description, skills_wanted, skills_gained
        ON volunteering_opportunity
        FOR EACH ROW EXECUTE FUNCTION volunteering_opportunity_search_document();
    """,
    """
    UPDATE volunteering_opportunity SET search_document = volunteering_opportunity_document(
        title, description, skills_wanted, skills_gained
    );
    """,
    """
    CREATE INDEX opportunity_search ON volunteering_opportunity USING gin (search_document)
        WHERE status = 'published';
    """,
]

BACKWARDS = [
    "DROP INDEX IF EXISTS opportunity_search;",
    "DROP TRIGGER IF EXISTS volunteering_opportunity_search_document ON volunteering_opportunity;",
    "ALTER TABLE volunteering_opportunity DROP COLUMN IF EXISTS search_document;",
    "DROP FUNCTION IF EXISTS volunteering_opportunity_search_document();",
    "DROP FUNCTION IF EXISTS volunteering_opportunity_document(text, text, text, text);",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0006_lapse_schedule")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
