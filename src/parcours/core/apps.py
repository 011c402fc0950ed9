from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from django.db.backends.signals import connection_created

        from parcours.core import audit_guard, checks, lockout  # noqa: F401 (enregistrements)

        connection_created.connect(audit_guard.register_sqlite_function)
