from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.aid"
    label = "aid"

    def ready(self) -> None:
        # L'annuaire ignore les aides : les transmissions désignent un partenaire, la fusion
        # les reporte (les conventions, elles, sont de l'annuaire).
        from parcours.aid.models import Transmission
        from parcours.partners.services import register_partner_reference

        register_partner_reference(Transmission, "recipient_partner")
