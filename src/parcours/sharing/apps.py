from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.sharing"
    label = "sharing"
    verbose_name = "partages"

    def ready(self) -> None:
        # L'annuaire ignore les partages : consentements, partages faits, parcours partagés et
        # évaluations partagées désignent des partenaires ; la fusion de deux partenaires les
        # reporte.
        from parcours.partners.services import register_partner_reference
        from parcours.sharing.models import (
            Consent,
            Disclosure,
            EvaluationShare,
            Orientation,
            SharedPathway,
        )

        register_partner_reference(Consent, "partners")
        register_partner_reference(Disclosure, "partner")
        register_partner_reference(SharedPathway, "partners")
        register_partner_reference(EvaluationShare, "partner")
        register_partner_reference(Orientation, "partner")

        # La détection (couche du dessous) n'importe pas le partage : elle appelle les crochets
        # qu'on lui a donnés. Un signalement né d'une orientation vers cet organisme fait
        # avancer l'orientation quand il change d'état.
        from parcours.outreach.services import add_referral_status_hook
        from parcours.sharing.services import orientations

        add_referral_status_hook(orientations.on_referral_status)
