"""Qui voit et fait quoi dans les aides.

- évaluations et demandes d'aide : les AS et les responsables de l'organisme, pour les personnes
  de leurs départements d'intervention (contenu d'un dossier personnel) ;
- l'accueil (CSAM, secrétaires) ne voit ni les évaluations ni les demandes ; comme tout agent de
  l'organisme, il consulte le catalogue et le simulateur (sans données personnelles) ;
- pilotage et administrateurs ne voient aucun dossier : ils ont le catalogue, les budgets, les
  indicateurs et les comptes par convention ; l'administrateur de l'organisme édite le catalogue ;
- avis : une AS ; décision déléguée : un responsable du département, dans le plafond de
  délégation de l'aide ; commission (ordre du jour, décisions), paiements : un responsable ;
- hors périmètre : 404, comme si l'objet n'existait pas.
"""

from parcours.aid.models import (
    Aid,
    AidRequest,
    CommissionSession,
    Convention,
    Evaluation,
    Instalment,
    Overpayment,
    Regulation,
)
from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.rules import aid_workflow as wf


def _sees_files(ctx) -> bool:
    return ctx.role in {Role.AS, Role.MANAGER}


def visible_evaluations(user):
    ctx = agent_context(user)
    if not _sees_files(ctx):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(
        organisation_id=ctx.organisation_id,
        departement_id__in=ctx.departements,
        person__merged_into__isnull=True,
    )


def get_evaluation_or_404(user, pk) -> Evaluation:
    return get_or_404(
        visible_evaluations(user).select_related("person", "evaluator", "convention"), pk
    )


def visible_requests(user):
    ctx = agent_context(user)
    if not _sees_files(ctx):
        return AidRequest.objects.none()
    return AidRequest.objects.filter(
        organisation_id=ctx.organisation_id,
        departement_id__in=ctx.departements,
        person__merged_into__isnull=True,
    )


def get_request_or_404(user, pk) -> AidRequest:
    return get_or_404(
        visible_requests(user).select_related("person", "aid", "aid__regulation", "session"), pk
    )


def visible_instalments(user, request: AidRequest):
    return Instalment.objects.filter(request__in=visible_requests(user).filter(pk=request.pk))


def can_work_on_files(user) -> bool:
    """Évaluer, enregistrer une demande : les AS et les responsables."""
    return _sees_files(agent_context(user))


def can_give_opinion(user, request: AidRequest) -> bool:
    """L'avis social : une AS (ou un responsable) qui voit la demande, une fois complète."""
    return _sees_files(agent_context(user)) and request.state == wf.COMPLETE


def can_instruct(user, request: AidRequest) -> bool:
    """Complétude (pièces manquantes, dossier complet) : AS et responsables."""
    return _sees_files(agent_context(user)) and request.state in {wf.RECUE, wf.A_COMPLETER}


def is_manager(user) -> bool:
    return agent_context(user).role == Role.MANAGER


def can_decide_delegated(user, request: AidRequest) -> bool:
    """Décision déléguée : un responsable du département, avis rendu, circuit « délégation »."""
    return is_manager(user) and request.state == wf.AVIS_RENDU and request.route == wf.DELEGATION


def can_pay(user, request: AidRequest) -> bool:
    """Paiement et suivi des remboursements : un responsable, pour une aide accordée."""
    return is_manager(user) and request.state in {wf.ACCORDEE, wf.PAYEE}


def visible_sessions(user):
    ctx = agent_context(user)
    if ctx.role != Role.MANAGER:
        return CommissionSession.objects.none()
    return CommissionSession.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def get_session_or_404(user, pk) -> CommissionSession:
    return get_or_404(visible_sessions(user), pk)


def visible_regulations(user):
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Regulation.objects.none()
    return Regulation.objects.filter(organisation_id=ctx.organisation_id)


def visible_aids(user):
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Aid.objects.none()
    return Aid.objects.filter(organisation_id=ctx.organisation_id)


def get_aid_or_404(user, pk) -> Aid:
    return get_or_404(visible_aids(user).select_related("regulation"), pk)


def get_regulation_or_404(user, pk) -> Regulation:
    return get_or_404(visible_regulations(user), pk)


def can_edit_catalogue(user) -> bool:
    """Règlement et aides : l'administrateur de l'organisme."""
    return agent_context(user).is_org_admin


def can_see_figures(user) -> bool:
    """Budgets, délais, conventions (chiffres agrégés) : responsables, pilotage, administrateur."""
    ctx = agent_context(user)
    return ctx.role in {Role.MANAGER, Role.STEERING} or ctx.is_org_admin


def visible_conventions(user):
    ctx = agent_context(user)
    if ctx.organisation_id is None or not (can_see_figures(user) or _sees_files(ctx)):
        return Convention.objects.none()
    return Convention.objects.filter(organisation_id=ctx.organisation_id)


def can_use_simulator(user) -> bool:
    """Le simulateur ne lit aucune donnée personnelle : tout agent d'un organisme."""
    return agent_context(user).organisation_id is not None


def visible_overpayments(user, request: AidRequest):
    return Overpayment.objects.filter(request__in=visible_requests(user).filter(pk=request.pk))
