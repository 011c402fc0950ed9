from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.sharing"
    label = "sharing"
    verbose_name = "partages"

    def ready(self) -> None:
        # L'annuaire ignore les partages : consentements et partages faits désignent des
        # partenaires, la fusion de deux partenaires les reporte.
        from parcours.partners.services import register_partner_reference
        from parcours.sharing.models import Consent, Disclosure

        register_partner_reference(Consent, "partners")
        register_partner_reference(Disclosure, "partner")
