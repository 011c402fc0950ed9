from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.outreach"
    label = "outreach"

    def ready(self) -> None:
        # Les actions collectives (couche du dessous) n'importent pas la Détection : elles
        # appellent les crochets qu'on leur a donnés. S'inscrire à une réunion proposée par une
        # offre de service accepte l'offre, dans la transaction de l'inscription.
        from parcours.groups.services import add_registration_hook
        from parcours.outreach import services

        add_registration_hook(services.accept_offers_on_registration)

        # L'annuaire ignore la détection : signalements et contacts d'accueil désignent un
        # partenaire, la fusion les reporte.
        from parcours.outreach.models import FrontLineContact, Referral
        from parcours.partners.services import register_partner_reference

        register_partner_reference(Referral, "emitter_partner")
        register_partner_reference(FrontLineContact, "oriented_to")
