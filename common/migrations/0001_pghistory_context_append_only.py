from django.db import migrations

# django-pghistory's context table says who changed something and through which URL
# (`pgh_context` of every history row). pghistory writes it with
# `INSERT ... ON CONFLICT (id) DO UPDATE SET metadata = ...` (`_pgh_attach_context()`),
# so the application's role needs UPDATE for the upsert in the transaction that created
# the row; but a context written by an earlier transaction is evidence and stays as it is.
#
# Each row records the transaction that inserted it (`created_xact`, the top-level
# transaction id, so savepoints do not matter), stamped by a trigger whatever the INSERT
# says. (Not the row's xmin: a row written inside a savepoint carries the savepoint's own
# id, and nothing in SQL tells whether such an id is the current transaction's.) Rows from
# before this migration have no stamp and are final. UPDATE is allowed only from the
# stamped transaction and cannot change the stamp;
# DELETE is refused always, as for the history tables themselves. TRUNCATE, which fires
# no row trigger, is the application role's to lack (`manage.py database_grants`).
# A `pghistory.context()` spanning several transactions may add history to its row in
# each, but its metadata is what the first commit wrote: a later change is refused. The
# portal's history is written inside the view's one transaction (ATOMIC_REQUESTS).
# The functions fix their search_path, so a role that may create objects cannot slip in
# its own `pg_current_xact_id()` or `=`.
FORWARD = """
ALTER TABLE pghistory_context ADD COLUMN created_xact xid8;

CREATE FUNCTION pghistory_context_stamp() RETURNS trigger AS $$
BEGIN
    NEW.created_xact := pg_current_xact_id();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog;

CREATE TRIGGER pghistory_context_stamp
    BEFORE INSERT ON pghistory_context
    FOR EACH ROW EXECUTE FUNCTION pghistory_context_stamp();

CREATE FUNCTION pghistory_context_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'pghistory_context is append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.created_xact IS DISTINCT FROM pg_current_xact_id() THEN
        RAISE EXCEPTION 'pghistory_context is append-only: UPDATE of a context written by an '
            'earlier transaction refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.created_xact := OLD.created_xact;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog;

CREATE TRIGGER pghistory_context_append_only
    BEFORE UPDATE OR DELETE ON pghistory_context
    FOR EACH ROW EXECUTE FUNCTION pghistory_context_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS pghistory_context_append_only ON pghistory_context;
DROP TRIGGER IF EXISTS pghistory_context_stamp ON pghistory_context;
DROP FUNCTION IF EXISTS pghistory_context_append_only();
DROP FUNCTION IF EXISTS pghistory_context_stamp();
ALTER TABLE pghistory_context DROP COLUMN IF EXISTS created_xact;
"""


class Migration(migrations.Migration):
    dependencies = [("pghistory", "0007_auto_20250421_0444")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
