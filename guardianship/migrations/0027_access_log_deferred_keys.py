"""The access log's foreign keys checked at commit again, as before the partitioning
(0023 made them immediate).

An immediate check takes a KEY SHARE lock on the request's row as soon as a view logs the
request, while the same transaction then locks that row FOR UPDATE (the version check of
a draft, the workflow's steps): two people saving one draft at once each held the share
lock the other's FOR UPDATE waited for, a deadlock. Checked at commit, the share lock
comes after the row lock, as it did. The partition functions' DETACH, which a pending
check would stop, is preceded by SET CONSTRAINTS ALL IMMEDIATE (guardianship.retention).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE guardianship_accesslog
    DROP CONSTRAINT guardianship_accesslog_user_id_fk_accounts_user_id,
    DROP CONSTRAINT guardianship_accesslog_request_id_fk_guardianshiprequest_id;
ALTER TABLE guardianship_accesslog
    ADD CONSTRAINT guardianship_accesslog_user_id_fk_accounts_user_id
        FOREIGN KEY (user_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT guardianship_accesslog_request_id_fk_guardianshiprequest_id
        FOREIGN KEY (request_id) REFERENCES guardianship_guardianshiprequest (id)
        DEFERRABLE INITIALLY DEFERRED;
"""

REVERSE = """
ALTER TABLE guardianship_accesslog
    DROP CONSTRAINT guardianship_accesslog_user_id_fk_accounts_user_id,
    DROP CONSTRAINT guardianship_accesslog_request_id_fk_guardianshiprequest_id;
ALTER TABLE guardianship_accesslog
    ADD CONSTRAINT guardianship_accesslog_user_id_fk_accounts_user_id
        FOREIGN KEY (user_id) REFERENCES accounts_user (id),
    ADD CONSTRAINT guardianship_accesslog_request_id_fk_guardianshiprequest_id
        FOREIGN KEY (request_id) REFERENCES guardianship_guardianshiprequest (id);
"""


class Migration(migrations.Migration):
    dependencies = [("guardianship", "0026_drafts_saved_incomplete")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
