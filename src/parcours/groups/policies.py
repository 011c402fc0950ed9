"""Qui voit et gère quelles actions collectives.

- AS et responsables gèrent les actions de leur organisme dans leurs départements d'intervention
  (action, séances, invitations, présences, questionnaires saisis du papier, ouverture d'un
  accompagnement pour un participant) ;
- l'accueil (CSAM, secrétaires) voit ces actions et y inscrit des personnes, sans présences ni
  questionnaires ;
- pilotage, chargés de mission et administrateurs : aucune action ni participant (ils ont les
  chiffres agrégés, pas les listes de personnes) ;
- hors périmètre, tout répond 404 comme si l'objet n'existait pas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.policies import get_or_404
from parcours.core.roles import AgentContext, Role, agent_context
from parcours.groups.models import GroupAction, Invitation, Questionnaire, Registration, Session

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User

_SEE = {Role.AS, Role.MANAGER, Role.FRONT_LINE}
_MANAGE = {Role.AS, Role.MANAGER}


def visible_actions(user: User) -> QuerySet[GroupAction]:
    ctx = agent_context(user)
    if ctx.role not in _SEE or ctx.organisation_id is None:
        return GroupAction.objects.none()
    return GroupAction.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def visible_sessions(user: User) -> QuerySet[Session]:
    return Session.objects.filter(action__in=visible_actions(user))


def visible_registrations(user: User) -> QuerySet[Registration]:
    return Registration.objects.filter(session__action__in=visible_actions(user))


def visible_invitations(user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(action__in=visible_actions(user))


def visible_questionnaires(user: User) -> QuerySet[Questionnaire]:
    """Les questionnaires de l'organisme (des modèles, sans donnée personnelle)."""
    ctx = agent_context(user)
    if ctx.role not in _MANAGE or ctx.organisation_id is None:
        return Questionnaire.objects.none()
    return Questionnaire.objects.filter(organisation_id=ctx.organisation_id)


def get_action_or_404(user: User, pk: int) -> GroupAction:
    return get_or_404(visible_actions(user).select_related("departement"), pk)


def get_session_or_404(user: User, pk: int) -> Session:
    return get_or_404(visible_sessions(user).select_related("action", "site", "partner"), pk)


def get_registration_or_404(user: User, pk: int) -> Registration:
    return get_or_404(visible_registrations(user).select_related("session__action", "person"), pk)


def get_invitation_or_404(user: User, pk: int) -> Invitation:
    return get_or_404(visible_invitations(user).select_related("action", "person"), pk)


def get_questionnaire_or_404(user: User, pk: int) -> Questionnaire:
    return get_or_404(visible_questionnaires(user), pk)


def visible_registrations_by_link(invitation: Invitation) -> QuerySet[Registration]:
    """Par le lien personnel (sans connexion) : les inscriptions non annulées de la personne
    invitée aux séances de l'action de l'invitation, et rien d'autre."""
    return Registration.objects.filter(
        session__action_id=invitation.action_id, person_id=invitation.person_id
    ).exclude(status=Registration.Status.ANNULE)


def can_list_actions(user: User) -> bool:
    """La liste des actions collectives : AS, responsables et accueil (CSAM, secrétaires) ;
    pilotage, chargés de mission et administrateurs n'y ont pas accès (404)."""
    return agent_context(user).role in _SEE


def can_list_questionnaires(user: User) -> bool:
    """La liste des questionnaires (des modèles) : AS et responsables ; seuls les responsables
    les créent (``can_edit_questionnaires``)."""
    return agent_context(user).role in _MANAGE


def can_read_results(user: User) -> bool:
    """Les résultats des questionnaires : AS et responsables, sur leurs départements
    (``results_departements``)."""
    return agent_context(user).role in _MANAGE


def results_departements(user: User) -> frozenset[str]:
    """Les départements dont l'agent lit les résultats : ses départements d'intervention."""
    return agent_context(user).departements


def can_create_action(user: User) -> bool:
    """Créer une action : AS et responsables."""
    return agent_context(user).role in _MANAGE


def can_manage_action(user: User, action: GroupAction) -> bool:
    """Modifier, ajouter des séances, inviter, marquer les présences, saisir des questionnaires :
    AS et responsables du département de l'action."""
    ctx = agent_context(user)
    return ctx.role in _MANAGE and _in_scope(ctx, action)


def can_register(user: User, action: GroupAction) -> bool:
    """Inscrire ou désinscrire une personne : AS, responsables et accueil du département."""
    ctx = agent_context(user)
    return ctx.role in _SEE and _in_scope(ctx, action)


def can_open_case_from(user: User, action: GroupAction) -> bool:
    """Ouvrir un accompagnement pour un participant : AS et responsables du département."""
    return can_manage_action(user, action)


def can_edit_questionnaires(user: User) -> bool:
    """Créer un questionnaire ou y ajouter des questions : les responsables."""
    return agent_context(user).role == Role.MANAGER


def _in_scope(ctx: AgentContext, action: GroupAction) -> bool:
    return (
        action.organisation_id == ctx.organisation_id and action.departement_id in ctx.departements
    )
