"""Lectures partagées de l'organisme : les agents par fonction et par territoire."""

from django.db.models import QuerySet

from parcours.core.models import User
from parcours.core.nomenclatures import Fonction


def social_workers(organisation_id: int, departement_code: str) -> QuerySet[User]:
    """Les AS actives de l'organisme qui interviennent dans le département."""
    return User.objects.filter(
        organisation_id=organisation_id,
        function=Fonction.AS,
        is_active=True,
        departements__code=departement_code,
    )
