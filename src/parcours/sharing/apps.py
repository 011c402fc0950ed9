from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.sharing"
    label = "sharing"
    verbose_name = "partages"
