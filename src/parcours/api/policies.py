"""Les droits de l'API : ce qu'un jeton voit et fait, et qui administre les jetons.

Un jeton voit les données de **son** organisme : de ses signalements ceux que **son**
partenaire (ou organisme) a envoyés, de ses orientations et évaluations partagées celles
adressées à ce partenaire (ou organisme) sous un partage qui tient encore ; le reste répond 404,
comme l'application web.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from parcours.api.models import ApiToken, ReceivedReferral
from parcours.core import policies as core_policies
from parcours.groups.models import Session
from parcours.outreach.models import Referral
from parcours.sharing import queries as sharing_queries
from parcours.sharing.models import EvaluationShare, Orientation

if TYPE_CHECKING:
    from parcours.core.models import User


def can_use(token: ApiToken, scope: str) -> bool:
    """Le jeton porte la portée ``scope``."""
    return scope in token.scopes


def visible_sent_referrals(token: ApiToken) -> QuerySet[Referral]:
    """Les signalements de l'organisme du jeton envoyés par son partenaire (ou organisme),
    quel que soit le jeton qui les a postés."""
    received = ReceivedReferral.objects.filter(organisation_id=token.organisation_id)
    if token.partner_id:
        received = received.filter(partner_id=token.partner_id)
    else:
        received = received.filter(peer_id=token.peer_id)
    return Referral.objects.filter(
        organisation_id=token.organisation_id, pk__in=received.values("referral_id")
    )


def get_sent_referral_or_404(token: ApiToken, reference: str) -> Referral:
    found = visible_sent_referrals(token).filter(reference=reference).first()
    if found is None:
        raise Http404("Introuvable.")
    return found


def visible_orientations(token: ApiToken, today: datetime.date) -> QuerySet[Orientation]:
    """Les orientations de l'organisme du jeton adressées à son partenaire (ou organisme), dont
    le partage tient encore ``today`` : un consentement retiré ferme l'accès, comme la page du
    lien (« accès retiré »)."""
    found = Orientation.objects.filter(organisation_id=token.organisation_id)
    if token.partner_id:
        found = found.filter(partner_id=token.partner_id)
    else:
        found = found.filter(recipient_organisation_id=token.peer_id)
    return found.filter(sharing_queries.basis_in_force(today))


def get_orientation_or_404(token: ApiToken, reference: str, today: datetime.date) -> Orientation:
    found = visible_orientations(token, today).filter(reference=reference).first()
    if found is None:
        raise Http404("Introuvable.")
    return found


def visible_evaluation_shares(token: ApiToken, today: datetime.date) -> QuerySet[EvaluationShare]:
    """Les évaluations de l'organisme du jeton partagées avec son partenaire (ou organisme),
    sous une base qui tient encore ``today`` (mission légale, consentement en vigueur)."""
    found = EvaluationShare.objects.filter(evaluation__organisation_id=token.organisation_id)
    if token.partner_id:
        found = found.filter(partner_id=token.partner_id)
    else:
        found = found.filter(recipient_organisation_id=token.peer_id)
    return found.filter(sharing_queries.basis_in_force(today))


def get_evaluation_share_or_404(
    token: ApiToken, reference: str, today: datetime.date
) -> EvaluationShare:
    found = (
        visible_evaluation_shares(token, today)
        .select_related("evaluation__organisation")
        .filter(reference=reference)
        .first()
    )
    if found is None:
        raise Http404("Introuvable.")
    return found


def visible_sessions(token: ApiToken) -> QuerySet[Session]:
    """Les séances collectives de l'organisme du jeton."""
    return Session.objects.filter(organisation_id=token.organisation_id)


def can_manage_tokens(user: User) -> bool:
    """Un administrateur de l'organisme émet, liste et révoque les jetons de son organisme."""
    return bool(user.is_authenticated and user.organisation_id and user.is_org_admin)


def visible_tokens(user: User) -> QuerySet[ApiToken]:
    if not can_manage_tokens(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(organisation_id=user.organisation_id or 0)


def get_token_or_404(user: User, pk: int) -> ApiToken:
    return core_policies.get_or_404(visible_tokens(user), pk)
