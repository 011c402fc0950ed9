from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.observatory"
    label = "observatory"
    verbose_name = "observatoire des fragilités"

    def ready(self):
        # le fichier des retraités s'inscrit parmi les lecteurs des ciblages (outreach)
        from parcours.observatory.services import targeting  # noqa: F401
