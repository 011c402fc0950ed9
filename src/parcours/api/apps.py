from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.api"
    label = "api"
    verbose_name = "API des partenaires"
