"""The audit log and the security log refuse UPDATE and DELETE in PostgreSQL itself.

The admin already shows both read-only; this guards them from any other code path too (a bug, a
shell, a compromised app account cannot quietly rewrite who read or changed what). TRUNCATE is
left alone: only a database owner can run it, and test runs use it to reset tables.

SQLite (development only) gets no trigger: Django's test flush deletes rows one table at a time.
"""

from django.db import migrations

GUARDED_TABLES = ["auditlog_logentry", "accounts_securityevent"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_refuse_log_rewrite() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The % table is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)  # its % are PL/pgSQL placeholders
    for table in GUARDED_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_log_rewrite()"
        )


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in GUARDED_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_refuse_log_rewrite()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_security_events"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(guard, unguard)]
