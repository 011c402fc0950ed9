from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.privacy"
    label = "privacy"
    verbose_name = "protection des données"

    def ready(self) -> None:
        # La purge quotidienne s'enregistre auprès du travailleur (core.worker.daily).
        from parcours.privacy import tasks  # noqa: F401
