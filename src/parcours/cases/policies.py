"""Qui voit et modifie quels accompagnements.

- une AS voit les accompagnements de son organisme dans ses départements d'intervention (pour
  assurer la continuité en l'absence d'une collègue) ; elle enregistre des entretiens, la synthèse
  et les objectifs ;
- un responsable voit ceux de ses départements et les réaffecte ;
- ouvrir un accompagnement : une AS ou un responsable, pour une personne de son périmètre ;
- « Mon activité » : les AS ; « Mon équipe » et la liste des accompagnements : les
  responsables ;
- clore ou rouvrir : l'AS référente ou un responsable du département ;
- accueil, pilotage, administrateurs : aucun contenu d'accompagnement ;
- une note privée n'est visible que de son auteur, quel que soit son rôle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.cases.models import Case, Contact, PrivateNote
from parcours.core.policies import get_or_404
from parcours.core.roles import AgentContext, Role, agent_context

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User
    from parcours.people.models import Person


def visible_cases(user: User) -> QuerySet[Case]:
    ctx = agent_context(user)
    if not ctx.sees_cases or ctx.organisation_id is None:
        return Case.objects.none()
    return Case.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def visible_contacts(user: User) -> QuerySet[Contact]:
    ctx = agent_context(user)
    if not ctx.sees_cases or ctx.organisation_id is None:
        return Contact.objects.none()
    return Contact.objects.filter(
        organisation_id=ctx.organisation_id, case__departement_id__in=ctx.departements
    )


def get_case_or_404(user: User, pk: int | str) -> Case:
    return get_or_404(visible_cases(user).select_related("person", "referent", "departement"), pk)


def can_edit_case(user: User, case: Case) -> bool:
    """Entretiens, synthèse, objectifs : toute AS ou tout responsable qui voit l'accompagnement."""
    ctx = agent_context(user)
    return ctx.role in {Role.AS, Role.MANAGER} and _in_scope(ctx, case)


def can_close_case(user: User, case: Case) -> bool:
    """Clore ou rouvrir : l'AS référente, ou un responsable du département."""
    ctx = agent_context(user)
    if not _in_scope(ctx, case):
        return False
    return ctx.role == Role.MANAGER or (ctx.role == Role.AS and case.referent_id == ctx.user_id)


def can_reassign_case(user: User, case: Case) -> bool:
    """Réaffecter : un responsable du département de l'accompagnement."""
    ctx = agent_context(user)
    return ctx.role == Role.MANAGER and _in_scope(ctx, case)


def can_open_case(user: User, person: Person | None = None) -> bool:
    """Ouvrir un accompagnement : une AS ou un responsable ; avec ``person``, seulement pour une
    personne de son organisme et de ses départements d'intervention."""
    ctx = agent_context(user)
    return ctx.role in {Role.AS, Role.MANAGER} and (person is None or _in_scope(ctx, person))


def can_view_my_activity(user: User, obj: object | None = None) -> bool:
    """« Mon activité » (ses accompagnements, demandes, rendez-vous, chiffres du mois) : les AS."""
    return agent_context(user).role == Role.AS


def can_view_team(user: User, obj: object | None = None) -> bool:
    """« Mon équipe » (chiffres par AS et par département) : les responsables."""
    return agent_context(user).role == Role.MANAGER


def can_list_cases(user: User, obj: object | None = None) -> bool:
    """La liste des accompagnements de ses départements, à filtrer et réaffecter : les
    responsables."""
    return agent_context(user).role == Role.MANAGER


def visible_private_notes(user: User, case: Case) -> QuerySet[PrivateNote]:
    """Les notes privées de l'accompagnement écrites par ``user`` : jamais celles des autres."""
    return PrivateNote.objects.filter(case=case, author_id=agent_context(user).user_id)


def _in_scope(ctx: AgentContext, obj: Case | Person) -> bool:
    return obj.organisation_id == ctx.organisation_id and obj.departement_id in ctx.departements
