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

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from parcours.aid.models import (
    Aid,
    AidRequest,
    CommissionSession,
    Evaluation,
    Instalment,
    Overpayment,
    Regulation,
)
from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.partners.models import Convention
from parcours.rules import aid_workflow as wf

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from parcours.core.models import User
    from parcours.core.roles import AgentContext

    AnyUser = User | AnonymousUser


def _sees_files(ctx: AgentContext) -> bool:
    return ctx.role in {Role.AS, Role.MANAGER}


def visible_evaluations(user: AnyUser) -> QuerySet[Evaluation]:
    ctx = agent_context(user)
    if not _sees_files(ctx) or ctx.organisation_id is None:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(
        organisation_id=ctx.organisation_id,
        departement_id__in=ctx.departements,
        person__merged_into__isnull=True,
    )


def get_evaluation_or_404(user: AnyUser, pk: object) -> Evaluation:
    return get_or_404(
        visible_evaluations(user).select_related("person", "evaluator", "convention__partner"), pk
    )


def visible_requests(user: AnyUser) -> QuerySet[AidRequest]:
    ctx = agent_context(user)
    if not _sees_files(ctx) or ctx.organisation_id is None:
        return AidRequest.objects.none()
    return AidRequest.objects.filter(
        organisation_id=ctx.organisation_id,
        departement_id__in=ctx.departements,
        person__merged_into__isnull=True,
    )


def get_request_or_404(user: AnyUser, pk: object) -> AidRequest:
    return get_or_404(
        visible_requests(user).select_related("person", "aid", "aid__regulation", "session"), pk
    )


def visible_instalments(user: AnyUser, request: AidRequest) -> QuerySet[Instalment]:
    return Instalment.objects.filter(request__in=visible_requests(user).filter(pk=request.pk))


def can_work_on_files(user: AnyUser) -> bool:
    """Évaluer, enregistrer une demande : les AS et les responsables."""
    return _sees_files(agent_context(user))


def can_give_opinion(user: AnyUser, request: AidRequest) -> bool:
    """L'avis social : une AS (ou un responsable) qui voit la demande, une fois complète."""
    return _sees_files(agent_context(user)) and request.state == wf.COMPLETE


def can_instruct(user: AnyUser, request: AidRequest) -> bool:
    """Complétude (pièces manquantes, dossier complet) : AS et responsables."""
    return _sees_files(agent_context(user)) and request.state in {wf.RECUE, wf.A_COMPLETER}


def is_manager(user: AnyUser) -> bool:
    return agent_context(user).role == Role.MANAGER


def can_decide_delegated(user: AnyUser, request: AidRequest) -> bool:
    """Décision déléguée : un responsable du département, avis rendu, circuit « délégation »."""
    return is_manager(user) and request.state == wf.AVIS_RENDU and request.route == wf.DELEGATION


def can_send_to_commission(user: AnyUser, request: AidRequest) -> bool:
    """Inscrire à l'ordre du jour d'une commission : un responsable, une fois l'avis rendu."""
    return is_manager(user) and request.state == wf.AVIS_RENDU


def can_pay(user: AnyUser, request: AidRequest) -> bool:
    """Paiement et suivi des remboursements : un responsable, pour une aide accordée."""
    return is_manager(user) and request.state in {wf.ACCORDEE, wf.PAYEE}


def visible_sessions(user: AnyUser) -> QuerySet[CommissionSession]:
    ctx = agent_context(user)
    if ctx.role != Role.MANAGER or ctx.organisation_id is None:
        return CommissionSession.objects.none()
    return CommissionSession.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def get_session_or_404(user: AnyUser, pk: object) -> CommissionSession:
    return get_or_404(visible_sessions(user), pk)


def get_session_request_or_404(user: AnyUser, session: CommissionSession, pk: object) -> AidRequest:
    """Une demande visible, à l'ordre du jour de la séance et en attente de sa décision."""
    aid_request = get_request_or_404(user, pk)
    if aid_request.session_id != session.pk or aid_request.state != wf.EN_COMMISSION:
        raise Http404("Introuvable.")
    return aid_request


def visible_regulations(user: AnyUser) -> QuerySet[Regulation]:
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Regulation.objects.none()
    return Regulation.objects.filter(organisation_id=ctx.organisation_id)


def visible_aids(user: AnyUser) -> QuerySet[Aid]:
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Aid.objects.none()
    return Aid.objects.filter(organisation_id=ctx.organisation_id)


def get_aid_or_404(user: AnyUser, pk: object) -> Aid:
    return get_or_404(visible_aids(user).select_related("regulation"), pk)


def get_regulation_or_404(user: AnyUser, pk: object) -> Regulation:
    return get_or_404(visible_regulations(user), pk)


def can_edit_catalogue(user: AnyUser) -> bool:
    """Règlement et aides : l'administrateur de l'organisme."""
    return agent_context(user).is_org_admin


def can_export_payments(user: AnyUser) -> bool:
    """Exporter les paiements pour la comptabilité : un responsable (ses départements)."""
    return is_manager(user)


def can_see_figures(user: AnyUser) -> bool:
    """Budgets, délais, conventions (chiffres agrégés) : responsables, pilotage, administrateur."""
    ctx = agent_context(user)
    return ctx.role in {Role.MANAGER, Role.STEERING} or ctx.is_org_admin


def visible_conventions(user: AnyUser) -> QuerySet[Convention]:
    """Les conventions d'évaluation : celles de l'annuaire de l'organisme qui ont un prix
    unitaire (prestations payées à l'acte), pour qui voit les dossiers ou les chiffres."""
    ctx = agent_context(user)
    if ctx.organisation_id is None or not (can_see_figures(user) or _sees_files(ctx)):
        return Convention.objects.none()
    return Convention.objects.filter(
        partner__organisation_id=ctx.organisation_id, unit_price__isnull=False
    ).select_related("partner")


def can_use_simulator(user: AnyUser) -> bool:
    """Le simulateur ne lit aucune donnée personnelle : tout agent du service social d'un
    organisme, et ses administrateurs ; pas un compte sans autre rôle que DPO."""
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.role != Role.NONE or ctx.is_org_admin)


def visible_overpayments(user: AnyUser, request: AidRequest) -> QuerySet[Overpayment]:
    return Overpayment.objects.filter(request__in=visible_requests(user).filter(pk=request.pk))
