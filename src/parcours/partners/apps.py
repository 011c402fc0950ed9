from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.partners"
    label = "partners"
    verbose_name = "partenaires"
