"""Qui voit et modifie quels accompagnements.

- une AS voit les accompagnements de son organisme dans ses départements d'intervention (pour
  assurer la continuité en l'absence d'une collègue) ; elle enregistre des entretiens, la synthèse
  et les objectifs ;
- un responsable voit ceux de ses départements et les réaffecte ;
- clore ou rouvrir : l'AS référente ou un responsable du département ;
- accueil, pilotage, administrateurs : aucun contenu d'accompagnement ;
- une note privée n'est visible que de son auteur, quel que soit son rôle.
"""

from parcours.cases.models import Case, Contact, PrivateNote
from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context


def visible_cases(user):
    ctx = agent_context(user)
    if not ctx.sees_cases:
        return Case.objects.none()
    return Case.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def visible_contacts(user):
    ctx = agent_context(user)
    if not ctx.sees_cases:
        return Contact.objects.none()
    return Contact.objects.filter(
        organisation_id=ctx.organisation_id, case__departement_id__in=ctx.departements
    )


def get_case_or_404(user, pk) -> Case:
    return get_or_404(visible_cases(user).select_related("person", "referent", "departement"), pk)


def can_edit_case(user, case: Case) -> bool:
    """Entretiens, synthèse, objectifs : toute AS ou tout responsable qui voit l'accompagnement."""
    ctx = agent_context(user)
    return ctx.role in {Role.AS, Role.MANAGER} and _in_scope(ctx, case)


def can_close_case(user, case: Case) -> bool:
    """Clore ou rouvrir : l'AS référente, ou un responsable du département."""
    ctx = agent_context(user)
    if not _in_scope(ctx, case):
        return False
    return ctx.role == Role.MANAGER or (ctx.role == Role.AS and case.referent_id == ctx.user_id)


def can_reassign_case(user, case: Case) -> bool:
    """Réaffecter : un responsable du département de l'accompagnement."""
    ctx = agent_context(user)
    return ctx.role == Role.MANAGER and _in_scope(ctx, case)


def visible_private_notes(user, case: Case):
    """Les notes privées de l'accompagnement écrites par ``user`` : jamais celles des autres."""
    return PrivateNote.objects.filter(case=case, author_id=agent_context(user).user_id)


def _in_scope(ctx, case: Case) -> bool:
    return case.organisation_id == ctx.organisation_id and case.departement_id in ctx.departements
