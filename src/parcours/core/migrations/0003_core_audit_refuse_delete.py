"""Le journal d'audit ne s'efface pas non plus : la base refuse toute suppression d'une entrée.

Sur PostgreSQL, ``DELETE`` et ``TRUNCATE`` ; sur SQLite, ``DELETE`` (SQLite n'a pas de
``TRUNCATE``). Seul passage : ``parcours.core.audit_guard.allow_deletion()`` (vidage des bases de
test ; demain, la purge de conservation, un service unique et journalisé).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON core_auditentry
       WHEN parcours_audit_purge() IS NOT 1
       BEGIN SELECT RAISE(ABORT, 'Le journal d''audit ne peut pas être effacé.'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_delete;"]

POSTGRES = [
    """CREATE FUNCTION audit_no_delete() RETURNS trigger AS $$
       BEGIN
         IF current_setting('parcours.audit_purge', true) = 'on' THEN
           RETURN CASE WHEN TG_LEVEL = 'ROW' THEN OLD ELSE NULL END;
         END IF;
         RAISE EXCEPTION 'Le journal d''audit ne peut pas être effacé.';
       END;
       $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON core_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_no_delete();""",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON core_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_no_delete();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_no_truncate ON core_auditentry;",
    "DROP TRIGGER audit_no_delete ON core_auditentry;",
    "DROP FUNCTION audit_no_delete();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
