from django.db import migrations

# Old rows may be removed only by `apply_retention`, which sets the transaction-local
# flag below, and only rows older than a year whatever the configured period says.
# UPDATE stays refused always.
FORWARD = """
CREATE OR REPLACE FUNCTION guardianship_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('pikassos.access_log_purge', true) = 'on'
       AND OLD.at < now() - interval '1 year' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'guardianship_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION guardianship_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'guardianship_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("guardianship", "0003_claims_support_trainings")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
