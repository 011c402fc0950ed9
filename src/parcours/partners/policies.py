"""Qui lit et tient l'annuaire des partenaires.

- L'annuaire est celui de l'organisme : AS, accueil (CSAM, secrétaires), responsables, pilotage
  et chargés de mission le lisent (il ne contient aucune donnée sur les personnes aidées) ;
- les responsables et l'administrateur de l'organisme créent et modifient partenaires,
  contacts et conventions (comme l'administrateur tient lieux et secteurs) ;
- le partenaire d'un autre organisme répond 404 partout, comme s'il n'existait pas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.partners.models import Convention, Partner, PartnerContact

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
