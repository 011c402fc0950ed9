from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.observatory"
    label = "observatory"
    verbose_name = "observatoire des fragilités"
