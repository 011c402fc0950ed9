from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django_tasks.signals import task_finished

        from parcours.core import audit_guard, checks, lockout, worker  # noqa: F401

        connection_created.connect(audit_guard.register_sqlite_function)
        task_finished.connect(worker.on_task_finished)
