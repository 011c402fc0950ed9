"""Qui voit et fait quoi dans l'observatoire des fragilités.

- les agrégats (cartes, listes, exports) : les responsables sur leurs départements, le pilotage
  et les chargés de mission sur tous ceux de l'organisme ; jamais une donnée personnelle : un
  fichier des retraités ne laisse que des totaux par territoire ;
- importer le fichier des retraités, régler les tranches d'âge : l'administrateur de
  l'organisme et le pilotage (le fichier couvre tout l'organisme) ;
- les personnes retenues par une règle de ciblage : ceux qui mènent les campagnes, comme pour
  tout ciblage (``outreach.policies``) ;
- AS, accueil, DPO sans autre rôle, autres organismes : rien (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.core.models import Organisation
from parcours.core.roles import Role, agent_context
from parcours.observatory.models import Aggregate, ObservatoryImport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from parcours.core.models import User

    AnyUser = User | AnonymousUser


def can_see_observatory(user: AnyUser) -> bool:
    """Responsables, pilotage et chargés de mission."""
    return agent_context(user).role in {Role.MANAGER, Role.STEERING}


def can_import_observatory(user: AnyUser) -> bool:
    """Importer le fichier des retraités, régler les tranches : administrateur ou pilotage."""
    ctx = agent_context(user)
    return ctx.organisation_id is not None and (ctx.is_org_admin or ctx.role == Role.STEERING)


def visible_departements(user: AnyUser) -> list[str]:
    """Les départements dont l'agent voit les agrégats, triés."""
    ctx = agent_context(user)
    if ctx.organisation_id is None or ctx.role not in {Role.MANAGER, Role.STEERING}:
        return []
    if ctx.role == Role.MANAGER:
        return sorted(ctx.departements)
    return sorted(
        Organisation.objects.get(pk=ctx.organisation_id).departements.values_list("code", flat=True)
    )


def visible_aggregates(user: AnyUser) -> QuerySet[Aggregate]:
    """Les agrégats de l'organisme de l'agent, sur les départements de son périmètre."""
    ctx = agent_context(user)
    departements = visible_departements(user)
    if not departements or ctx.organisation_id is None:
        return Aggregate.objects.none()
    return Aggregate.objects.filter(
        organisation_id=ctx.organisation_id, departement__in=departements
    )


def visible_imports(user: AnyUser) -> QuerySet[ObservatoryImport]:
    ctx = agent_context(user)
    if not can_import_observatory(user) or ctx.organisation_id is None:
        return ObservatoryImport.objects.none()
    return ObservatoryImport.objects.filter(organisation_id=ctx.organisation_id)
