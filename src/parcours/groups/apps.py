from django.apps import AppConfig


class Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parcours.groups"
    label = "groups"

    def ready(self) -> None:
        # L'annuaire (couche du dessous) n'importe pas les actions collectives : la page d'un
        # bilan annuel demande à ses sources ce que Parcours a enregistré pour les actions que
        # finance la subvention.
        from parcours.groups import queries
        from parcours.partners.queries import add_activity_source

        add_activity_source(queries.grant_activity)
        # L'annuaire (couche du dessous) ignore les actions collectives : on lui dit quels
        # champs désignent un partenaire, pour qu'une fusion les reporte.
        from parcours.groups.models import GroupAction, Session
        from parcours.partners.services import register_partner_reference

        register_partner_reference(GroupAction, "directory_partners")
        register_partner_reference(GroupAction, "facilitator_partners")
        register_partner_reference(Session, "partner")
