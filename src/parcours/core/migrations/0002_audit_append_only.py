"""Le journal d'audit ne se modifie pas : la base refuse toute mise à jour d'une entrée.

La suppression reste possible au niveau SQL pour la purge réglementaire (durée de conservation)
et le vidage des bases de test ; aucune vue ni service de l'application ne supprime d'entrée.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'Le journal d''audit ne peut pas être modifié.'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_update;"]

POSTGRES = [
    """CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'Le journal d''audit ne peut pas être modifié.'; END;
       $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE ON core_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_append_only ON core_auditentry;",
    "DROP FUNCTION audit_append_only();",
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
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
