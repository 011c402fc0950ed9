"""Qui voit quelles personnes.

- AS, accueil (CSAM, secrétaires) et responsables voient les personnes de leur organisme
  résidant dans leurs départements d'intervention ; ils les cherchent et en créent ;
- l'accueil voit l'identité, les coordonnées et l'AS qui suit la personne, jamais le contenu
  des accompagnements ;
- pilotage et administrateurs ne voient aucune personne (ils ont les chiffres, pas les dossiers) ;
- hors périmètre, une personne répond 404, comme si elle n'existait pas ; une fiche fusionnée
  dans une autre n'est plus visible (seule la fiche conservée l'est) ;
- fusionner deux fiches en double : un responsable, pour deux personnes de son périmètre.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.people.models import Person

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User


def visible_people(user: User) -> QuerySet[Person]:
    ctx = agent_context(user)
    if not ctx.sees_people or ctx.organisation_id is None:
        return Person.objects.none()
    return Person.objects.filter(
        organisation_id=ctx.organisation_id,
        departement_id__in=ctx.departements,
        merged_into__isnull=True,
    )


def get_person_or_404(user: User, pk: int | str) -> Person:
    return get_or_404(visible_people(user), pk)


def can_search_people(user: User, obj: object | None = None) -> bool:
    """Chercher des personnes : AS, accueil et responsables (dans leur périmètre) ; pilotage et
    administrateurs, non."""
    return agent_context(user).sees_people


def can_create_person(user: User, obj: object | None = None) -> bool:
    """Créer une fiche : AS, accueil et responsables, dans leurs départements d'intervention ;
    pilotage et administrateurs, non."""
    return agent_context(user).sees_people


def can_see_case_contents(user: User) -> bool:
    """AS et responsables voient le contenu des accompagnements ; l'accueil, non."""
    return agent_context(user).sees_cases


def can_edit_person(user: User, person: Person) -> bool:
    """Toute personne qui voit la fiche peut corriger identité et coordonnées ; une fiche
    anonymisée ne se corrige plus (son identité ne revient pas)."""
    return person.anonymised_on is None and visible_people(user).filter(pk=person.pk).exists()


def can_reveal_nir(user: User, person: Person) -> bool:
    """Afficher le NIR en clair : AS et responsables, pour une personne de leur périmètre."""
    ctx = agent_context(user)
    return (
        ctx.role in {Role.AS, Role.MANAGER}
        and bool(person.nir_encrypted)
        and person.organisation_id == ctx.organisation_id
        and person.departement_id in ctx.departements
    )


def can_merge_people(user: User) -> bool:
    """Fusionner des doublons : les responsables (qualité des données de leurs départements)."""
    return agent_context(user).role == Role.MANAGER
