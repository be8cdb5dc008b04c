"""The access log as one row per page view, partitioned by month (issue 18).

A list page wrote one row per child shown (~50 a view, ~150 000 a day in the modelled
region, 650 million over the 12 years the log is kept). Now a view writes one row per
basis naming its children in an array (GIN-indexed for the child's access report), in a
table partitioned by month of `at` so that retention drops whole months (DETACH, DROP:
no DELETE, no bloat) instead of deleting a hundred thousand rows a day.

The partitions live in their own schema, `accesslog_partitions`, on which the
application's role has no USAGE: it reaches the rows only through the parent table,
whose grants (`common.dbroles`) allow INSERT and SELECT only, however the grants of the
public schema's tables are renewed.

The existing rows are copied one to one (children = ARRAY[child_id]): a list view's rows
cannot be told apart from a neighbouring view's (each row took its own clock_timestamp()),
and the log is evidence, so none is merged. They retire with their months.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations, models

SCHEMA = "accesslog_partitions"

# Partitions ahead of time so that an insert always has its month, and a default
# partition in case the worker's daily job has not run: its rows are moved into their
# month the next time partitions are added (no DELETE: the stray table is dropped).
FUNCTIONS = f"""
CREATE FUNCTION guardianship_accesslog_add_partitions(months_ahead integer DEFAULT 3,
                                                      since timestamptz DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    month timestamptz;
    last_month timestamptz;
    name text;
    added integer := 0;
    stray boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('guardianship_accesslog_add_partitions'));
    -- Months are UTC months, whatever the session's time zone.
    month := date_trunc('month', coalesce(since, now()) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    last_month := date_trunc('month', (now() AT TIME ZONE 'UTC'))
                  + make_interval(months => months_ahead);
    last_month := last_month AT TIME ZONE 'UTC';
    stray := EXISTS (SELECT 1 FROM {SCHEMA}.guardianship_accesslog_default);
    IF stray THEN
        ALTER TABLE guardianship_accesslog
            DETACH PARTITION {SCHEMA}.guardianship_accesslog_default;
        ALTER TABLE {SCHEMA}.guardianship_accesslog_default
            RENAME TO guardianship_accesslog_stray;
        month := least(month, (SELECT date_trunc('month', min(at) AT TIME ZONE 'UTC')
                                      AT TIME ZONE 'UTC'
                               FROM {SCHEMA}.guardianship_accesslog_stray));
        last_month := greatest(last_month,
                               (SELECT date_trunc('month', max(at) AT TIME ZONE 'UTC')
                                       AT TIME ZONE 'UTC'
                                FROM {SCHEMA}.guardianship_accesslog_stray));
    END IF;
    WHILE month <= last_month LOOP
        name := 'guardianship_accesslog_' || to_char(month AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
        IF to_regclass(format('{SCHEMA}.%I', name)) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE {SCHEMA}.%I PARTITION OF guardianship_accesslog '
                'FOR VALUES FROM (%L) TO (%L)',
                name, month, month + interval '1 month');
            added := added + 1;
        END IF;
        month := (month AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
    END LOOP;
    IF stray THEN
        CREATE TABLE {SCHEMA}.guardianship_accesslog_default
            PARTITION OF guardianship_accesslog DEFAULT;
        INSERT INTO guardianship_accesslog
            (id, at, user_id, username, role, action, outcome, path, basis, recipient,
             request_id, children)
        SELECT id, at, user_id, username, role, action, outcome, path, basis, recipient,
               request_id, children
        FROM {SCHEMA}.guardianship_accesslog_stray;
        DROP TABLE {SCHEMA}.guardianship_accesslog_stray;
    END IF;
    RETURN added;
END;
$$;

-- Retention: detach and drop every month wholly older than `older_than`, and never a
-- month younger than a year, whatever the caller asks (the client-data act's floor).
-- Only the owner may call it (EXECUTE is revoked from PUBLIC below).
CREATE FUNCTION guardianship_accesslog_retire(older_than timestamptz)
RETURNS TABLE (partition text, rows bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    part record;
    floor timestamptz := now() - interval '1 year';
BEGIN
    IF older_than > floor THEN
        RAISE EXCEPTION 'guardianship_accesslog: rows younger than a year (%) may not be retired',
            floor USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR part IN
        SELECT c.relname AS name,
               substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')
                   ::timestamptz AS upper_bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'guardianship_accesslog'::regclass
          AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
        ORDER BY 2
    LOOP
        CONTINUE WHEN part.upper_bound > older_than OR part.upper_bound > floor;
        partition := part.name;
        EXECUTE format('SELECT count(*) FROM {SCHEMA}.%I', part.name) INTO rows;
        EXECUTE format('ALTER TABLE guardianship_accesslog DETACH PARTITION {SCHEMA}.%I',
                       part.name);
        EXECUTE format('DROP TABLE {SCHEMA}.%I', part.name);
        RETURN NEXT;
    END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION guardianship_accesslog_retire(timestamptz) FROM PUBLIC;
"""

FORWARD = f"""
CREATE SCHEMA {SCHEMA};
REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC;
ALTER TABLE guardianship_accesslog RENAME TO guardianship_accesslog_unpartitioned;
ALTER TABLE guardianship_accesslog_unpartitioned
    RENAME CONSTRAINT guardianship_accesslog_pkey TO guardianship_accesslog_unpartitioned_pkey;
ALTER SEQUENCE guardianship_accesslog_id_seq RENAME TO guardianship_accesslog_unpartitioned_seq;
DROP INDEX guardianship_accesslog_at_2377ca19, accesslog_child_idx, accesslog_request_idx,
    accesslog_user_idx;
CREATE TABLE guardianship_accesslog (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    at timestamp with time zone NOT NULL,
    user_id bigint NULL,
    username varchar(150) NOT NULL,
    role varchar(40) NOT NULL,
    action varchar(10) NOT NULL,
    outcome varchar(10) NOT NULL,
    path varchar(300) NOT NULL,
    basis varchar(200) NOT NULL,
    recipient varchar(254) NOT NULL DEFAULT '',
    request_id bigint NULL,
    children bigint[] NOT NULL DEFAULT '{{}}',
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
-- Checked at once, not deferred to the commit: a pending check would stop retention's
-- DETACH in the transaction that wrote rows ("pending trigger events").
ALTER TABLE guardianship_accesslog
    ADD CONSTRAINT guardianship_accesslog_user_id_fk_accounts_user_id
        FOREIGN KEY (user_id) REFERENCES accounts_user (id),
    ADD CONSTRAINT guardianship_accesslog_request_id_fk_guardianshiprequest_id
        FOREIGN KEY (request_id) REFERENCES guardianship_guardianshiprequest (id);
CREATE INDEX guardianship_accesslog_at_2377ca19 ON guardianship_accesslog (at);
CREATE INDEX accesslog_user_idx ON guardianship_accesslog (user_id, at);
CREATE INDEX accesslog_request_idx ON guardianship_accesslog (request_id, at);
CREATE INDEX accesslog_children_idx ON guardianship_accesslog USING gin (children);
CREATE TRIGGER guardianship_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON guardianship_accesslog
    FOR EACH ROW EXECUTE FUNCTION guardianship_accesslog_append_only();
CREATE TABLE {SCHEMA}.guardianship_accesslog_default
    PARTITION OF guardianship_accesslog DEFAULT;
{FUNCTIONS}
SELECT guardianship_accesslog_add_partitions(
    3, (SELECT min(at) FROM guardianship_accesslog_unpartitioned));
INSERT INTO guardianship_accesslog
    (id, at, user_id, username, role, action, outcome, path, basis, recipient,
     request_id, children)
SELECT id, at, user_id, username, role, action, outcome, path, basis, recipient,
       request_id, CASE WHEN child_id IS NULL THEN '{{}}'::bigint[] ELSE ARRAY[child_id] END
FROM guardianship_accesslog_unpartitioned;
SELECT setval(pg_get_serial_sequence('guardianship_accesslog', 'id'),
              coalesce((SELECT max(id) FROM guardianship_accesslog), 0) + 1, false);
DROP TABLE guardianship_accesslog_unpartitioned;
"""

# Back to one row per child (a row naming several children becomes several rows with
# new ids; one naming none stays one row).
REVERSE = f"""
DROP FUNCTION guardianship_accesslog_retire(timestamptz);
DROP FUNCTION guardianship_accesslog_add_partitions(integer, timestamptz);
ALTER TABLE guardianship_accesslog RENAME TO guardianship_accesslog_partitioned;
ALTER TABLE guardianship_accesslog_partitioned
    RENAME CONSTRAINT guardianship_accesslog_pkey TO guardianship_accesslog_partitioned_pkey;
ALTER SEQUENCE guardianship_accesslog_id_seq RENAME TO guardianship_accesslog_partitioned_seq;
DROP INDEX guardianship_accesslog_at_2377ca19, accesslog_children_idx, accesslog_request_idx,
    accesslog_user_idx;
CREATE TABLE guardianship_accesslog (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at timestamp with time zone NOT NULL,
    username varchar(150) NOT NULL,
    role varchar(40) NOT NULL,
    action varchar(10) NOT NULL,
    outcome varchar(10) NOT NULL,
    path varchar(300) NOT NULL,
    basis varchar(200) NOT NULL,
    user_id bigint NULL REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED,
    child_id bigint NULL REFERENCES guardianship_child (id) DEFERRABLE INITIALLY DEFERRED,
    request_id bigint NULL
        REFERENCES guardianship_guardianshiprequest (id) DEFERRABLE INITIALLY DEFERRED,
    recipient varchar(254) NOT NULL DEFAULT ''
);
INSERT INTO guardianship_accesslog
    (at, username, role, action, outcome, path, basis, user_id, child_id, request_id,
     recipient)
SELECT p.at, p.username, p.role, p.action, p.outcome, p.path, p.basis, p.user_id, c.child,
       coalesce(p.request_id, (SELECT request_id FROM guardianship_child WHERE id = c.child)),
       p.recipient
FROM guardianship_accesslog_partitioned p
LEFT JOIN LATERAL unnest(p.children) AS c(child) ON true
ORDER BY p.id;
CREATE INDEX guardianship_accesslog_at_2377ca19 ON guardianship_accesslog (at);
CREATE INDEX accesslog_child_idx ON guardianship_accesslog (child_id, at);
CREATE INDEX accesslog_request_idx ON guardianship_accesslog (request_id, at);
CREATE INDEX accesslog_user_idx ON guardianship_accesslog (user_id, at);
CREATE TRIGGER guardianship_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON guardianship_accesslog
    FOR EACH ROW EXECUTE FUNCTION guardianship_accesslog_append_only();
DROP TABLE guardianship_accesslog_partitioned;
DROP SCHEMA {SCHEMA} CASCADE;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("guardianship", "0021_record_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="accesslog", name="accesslog_child_idx"),
                migrations.RemoveField(model_name="accesslog", name="child"),
                migrations.AddField(
                    model_name="accesslog",
                    name="children",
                    field=django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="children",
                    ),
                ),
                migrations.AddIndex(
                    model_name="accesslog",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["children"], name="accesslog_children_idx"
                    ),
                ),
            ],
            database_operations=[migrations.RunSQL(FORWARD, REVERSE)],
        ),
    ]
