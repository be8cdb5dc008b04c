from django.db import migrations

# The access log is evidence for the client-data act's right of access: the database
# itself refuses to change or remove a row, whatever the application does.
FORWARD = """
CREATE FUNCTION guardianship_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'guardianship_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER guardianship_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON guardianship_accesslog
    FOR EACH ROW EXECUTE FUNCTION guardianship_accesslog_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS guardianship_accesslog_no_update_delete ON guardianship_accesslog;
DROP FUNCTION IF EXISTS guardianship_accesslog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("guardianship", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
