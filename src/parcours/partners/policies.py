"""Qui lit et tient l'annuaire des partenaires.

- L'annuaire est celui de l'organisme : AS, accueil (CSAM, secrétaires), responsables, pilotage
  et chargés de mission le lisent (il ne contient aucune donnée sur les personnes aidées) ;
- les responsables et l'administrateur de l'organisme créent et modifient partenaires,
  contacts et conventions (comme l'administrateur tient lieux et secteurs) ;
- les mêmes vérifient les partenaires repris des textes libres (« à vérifier ») : confirmer, ou
  fusionner dans un autre partenaire du même organisme ;
- le partenaire d'un autre organisme répond 404 partout, comme s'il n'existait pas ;
- les subventions (appels à projets, candidatures, montants accordés, versements, bilans) :
  responsables et administrateur les tiennent, le pilotage les lit (montants compris) ; AS et
  accueil ne les voient pas (404), l'annuaire leur reste ouvert.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.partners.models import (
    Application,
    Convention,
    Grant,
    Partner,
    PartnerContact,
    Payment,
    ProjectCall,
    YearlyReport,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.policies import AnyUser

_READ = {Role.AS, Role.FRONT_LINE, Role.MANAGER, Role.STEERING}


def can_read_directory(user: AnyUser) -> bool:
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.role in _READ or ctx.is_org_admin)


def can_manage_directory(user: AnyUser) -> bool:
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.role == Role.MANAGER or ctx.is_org_admin)


def can_review_partner(user: AnyUser, partner: Partner) -> bool:
    """Confirmer un partenaire repris d'un texte libre, ou le fusionner dans un autre : qui
    tient l'annuaire (responsables, administrateur), pour un partenaire de son organisme."""
    ctx = agent_context(user)
    return can_manage_directory(user) and partner.organisation_id == ctx.organisation_id


def sees_orientations_link(user: AnyUser) -> bool:
    """Le lien vers les orientations envoyées aux partenaires (pages du partage, qui décident
    elles-mêmes) : les responsables, comme ``sharing.policies.can_list_orientations``."""
    return agent_context(user).role == Role.MANAGER


def sees_expiring_conventions(user: AnyUser) -> bool:
    """Les conventions qui arrivent à échéance, sur la page du responsable."""
    return can_manage_directory(user)


def visible_partners(user: AnyUser) -> QuerySet[Partner]:
    ctx = agent_context(user)
    if not can_read_directory(user) or ctx.organisation_id is None:
        return Partner.objects.none()
    return Partner.objects.filter(organisation_id=ctx.organisation_id)


def visible_contacts(user: AnyUser) -> QuerySet[PartnerContact]:
    return PartnerContact.objects.filter(partner__in=visible_partners(user))


def visible_conventions(user: AnyUser) -> QuerySet[Convention]:
    return Convention.objects.filter(partner__in=visible_partners(user))


def get_partner_or_404(user: AnyUser, pk: object) -> Partner:
    return get_or_404(visible_partners(user).select_related("commune"), pk)


def get_contact_or_404(user: AnyUser, pk: object) -> PartnerContact:
    return get_or_404(visible_contacts(user).select_related("partner"), pk)


def get_convention_or_404(user: AnyUser, pk: object) -> Convention:
    return get_or_404(visible_conventions(user).select_related("partner"), pk)


# ---------------------------------------------------------------- subventions


def can_read_subsidies(user: AnyUser) -> bool:
    """Responsables, pilotage et administrateur de l'organisme lisent les subventions."""
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (
        ctx.role in {Role.MANAGER, Role.STEERING} or ctx.is_org_admin
    )


def can_manage_subsidies(user: AnyUser) -> bool:
    """Responsables et administrateur ouvrent les appels, instruisent, accordent, versent."""
    return can_manage_directory(user)


def visible_calls(user: AnyUser) -> QuerySet[ProjectCall]:
    ctx = agent_context(user)
    if not can_read_subsidies(user) or ctx.organisation_id is None:
        return ProjectCall.objects.none()
    return ProjectCall.objects.filter(organisation_id=ctx.organisation_id)


def visible_applications(user: AnyUser) -> QuerySet[Application]:
    return Application.objects.filter(call__in=visible_calls(user))


def visible_grants(user: AnyUser) -> QuerySet[Grant]:
    return Grant.objects.filter(application__call__in=visible_calls(user))


def visible_payments(user: AnyUser) -> QuerySet[Payment]:
    return Payment.objects.filter(grant__in=visible_grants(user))


def visible_reports(user: AnyUser) -> QuerySet[YearlyReport]:
    return YearlyReport.objects.filter(grant__in=visible_grants(user))


def get_call_or_404(user: AnyUser, pk: object) -> ProjectCall:
    return get_or_404(visible_calls(user), pk)


def get_application_or_404(user: AnyUser, pk: object) -> Application:
    return get_or_404(visible_applications(user).select_related("call", "partner"), pk)


def get_grant_or_404(user: AnyUser, pk: object) -> Grant:
    return get_or_404(
        visible_grants(user).select_related(
            "application", "application__call", "application__partner", "convention"
        ),
        pk,
    )
