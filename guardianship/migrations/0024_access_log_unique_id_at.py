from django.db import migrations

# The access log's (id, at) as a unique index, not a PRIMARY KEY constraint:
# restore_database (pg_restore --clean over an existing database) stops at "cannot drop
# inherited constraint" on a partition's primary key. Django needs no key in the database.
FORWARD = """
ALTER TABLE guardianship_accesslog DROP CONSTRAINT guardianship_accesslog_pkey;
CREATE UNIQUE INDEX guardianship_accesslog_id_at ON guardianship_accesslog (id, at);
"""

REVERSE = """
DROP INDEX guardianship_accesslog_id_at;
ALTER TABLE guardianship_accesslog ADD PRIMARY KEY (id, at);
"""


class Migration(migrations.Migration):
    dependencies = [("guardianship", "0023_access_log_partitioned")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
