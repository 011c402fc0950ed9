from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.api"
    label = "api"
    verbose_name = "API des partenaires"

    def ready(self):
        # La fusion de deux partenaires de l'annuaire reporte aussi jetons et réceptions.
        from parcours.api.models import ApiToken, ReceivedReferral
        from parcours.partners.services import register_partner_reference

        register_partner_reference(ApiToken, "partner")
        register_partner_reference(ReceivedReferral, "partner")
