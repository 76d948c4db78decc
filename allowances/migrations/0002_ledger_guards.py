"""Database guards for the ledger and strands (PostgreSQL only).

- Ledger rows are append-only: UPDATE and DELETE raise.
- A release can never exceed what the package still has committed; a spend can
  never exceed what the package committed unless marked as an override.
- A commitment can never take its strand's available below zero unless marked
  as an override.
- A strand's amount can never be cut below what is already committed and spent.

Each guard locks the strand row first, so it holds even for code that forgot
to: the sums it reads include every committed entry. SQLite (the quick start)
has none of this; the services enforce the same rules in Python.
"""

from django.db import migrations

FORWARDS = [
    """
    CREATE OR REPLACE FUNCTION allowances_ledger_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'Ledger entries are append-only: % of entry % refused', TG_OP, OLD.id
            USING ERRCODE = 'restrict_violation';
    END
    $$;
    """,
    """
    CREATE TRIGGER allowances_ledger_no_update_or_delete
        BEFORE UPDATE OR DELETE ON allowances_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION allowances_ledger_append_only();
    """,
    """
    CREATE OR REPLACE FUNCTION allowances_ledger_guard_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        strand_amount numeric;
        strand_used numeric;
        package_strand bigint;
        committed numeric;
        released numeric;
        spent numeric;
    BEGIN
        -- Queue behind anyone else writing to this strand, so the sums below
        -- (each statement takes a fresh snapshot) include every committed entry.
        SELECT amount INTO strand_amount
          FROM allowances_budgetstrand WHERE id = NEW.strand_id FOR UPDATE;
        SELECT strand_id INTO package_strand
          FROM allowances_agreedpackage WHERE id = NEW.agreed_package_id;
        IF package_strand IS DISTINCT FROM NEW.strand_id THEN
            RAISE EXCEPTION 'Entry is on strand % but agreed package % draws on strand %',
                NEW.strand_id, NEW.agreed_package_id, package_strand
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT COALESCE(SUM(amount) FILTER (WHERE kind = 'commitment'), 0),
               COALESCE(SUM(amount) FILTER (WHERE kind = 'release'), 0),
               COALESCE(SUM(amount) FILTER (WHERE kind = 'spend'), 0)
          INTO committed, released, spent
          FROM allowances_ledgerentry WHERE agreed_package_id = NEW.agreed_package_id;
        IF NEW.kind = 'release' AND NEW.amount > committed - released THEN
            RAISE EXCEPTION 'A release of % is more than the % agreed package % has committed',
                NEW.amount, committed - released, NEW.agreed_package_id
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.kind = 'spend' AND NOT NEW.is_override AND NEW.amount > committed - spent THEN
            RAISE EXCEPTION 'A spend of % is more than the % agreed package % committed',
                NEW.amount, committed - spent, NEW.agreed_package_id
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.kind = 'commitment' AND NOT NEW.is_override THEN
            SELECT COALESCE(SUM(CASE WHEN kind = 'release' THEN -amount ELSE amount END), 0)
              INTO strand_used
              FROM allowances_ledgerentry WHERE strand_id = NEW.strand_id;
            IF strand_amount - strand_used - NEW.amount < 0 THEN
                RAISE EXCEPTION 'A commitment of % would take strand % below zero (% available)',
                    NEW.amount, NEW.strand_id, strand_amount - strand_used
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    END
    $$;
    """,
    """
    CREATE TRIGGER allowances_ledger_guard
        BEFORE INSERT ON allowances_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION allowances_ledger_guard_insert();
    """,
    """
    CREATE OR REPLACE FUNCTION allowances_strand_guard_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        strand_used numeric;
    BEGIN
        IF NEW.amount < OLD.amount THEN
            SELECT COALESCE(SUM(CASE WHEN kind = 'release' THEN -amount ELSE amount END), 0)
              INTO strand_used
              FROM allowances_ledgerentry WHERE strand_id = NEW.id;
            IF NEW.amount < strand_used THEN
                RAISE EXCEPTION 'Strand % cannot be cut to %: % is already committed or spent',
                    NEW.id, NEW.amount, strand_used
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    END
    $$;
    """,
    """
    CREATE TRIGGER allowances_strand_guard
        BEFORE UPDATE OF amount ON allowances_budgetstrand
        FOR EACH ROW EXECUTE FUNCTION allowances_strand_guard_update();
    """,
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS allowances_strand_guard ON allowances_budgetstrand;",
    "DROP FUNCTION IF EXISTS allowances_strand_guard_update();",
    "DROP TRIGGER IF EXISTS allowances_ledger_guard ON allowances_ledgerentry;",
    "DROP FUNCTION IF EXISTS allowances_ledger_guard_insert();",
    "DROP TRIGGER IF EXISTS allowances_ledger_no_update_or_delete ON allowances_ledgerentry;",
    "DROP FUNCTION IF EXISTS allowances_ledger_append_only();",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                # No parameters: the % in RAISE messages must reach PostgreSQL as is.
                cursor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("allowances", "0001_initial")]
    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
