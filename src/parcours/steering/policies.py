"""Qui voit le pilotage, sur quels territoires, et à quel niveau de détail.

- responsables (MANAGER) : le rapport et le tableau de bord de chacun de leurs départements ;
  derrière un chiffre, la liste des personnes, entretiens ou accompagnements qu'il compte, filtrée
  par leurs propres droits (``visible_people``, ``visible_contacts``, ``visible_cases``) ; ils
  saisissent les objectifs de leurs départements ;
- pilotage et chargés de mission (STEERING) : l'organisme, chaque région et chaque département
  qu'il couvre ; derrière un chiffre, seulement des agrégats (par département, par AS), jamais de
  donnée personnelle ; ils saisissent les objectifs de tous ces territoires ;
- AS, accueil, administrateurs, autres organismes : rien (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from parcours.core.models import Departement, Organisation, Region
from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.steering import report
from parcours.steering.models import HistoryImport, Target

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from parcours.core.models import User

    AnyUser = User | AnonymousUser


def can_see_steering(user: AnyUser) -> bool:
    """Responsables, pilotage et chargés de mission."""
    return agent_context(user).role in {Role.MANAGER, Role.STEERING}


def can_see_records(user: AnyUser) -> bool:
    """Voir les dossiers derrière un chiffre : les responsables seulement."""
    return agent_context(user).role == Role.MANAGER


def territory_key(where: report.Territory) -> str:
    if where.level == report.ORGANISATION:
        return "organisme"
    return f"{where.level}-{where.code}"


def visible_territories(user: AnyUser) -> list[report.Territory]:
    """Les territoires du périmètre, du plus large au plus fin."""
    ctx = agent_context(user)
    if ctx.role not in {Role.MANAGER, Role.STEERING} or ctx.organisation_id is None:
        return []
    organisation = Organisation.objects.get(pk=ctx.organisation_id)
    if ctx.role == Role.MANAGER:
        codes = sorted(ctx.departements)
        regions = []
    else:
        codes = sorted(organisation.departements.values_list("code", flat=True))
        regions = list(
            Region.objects.filter(departements__code__in=codes).distinct().order_by("code")
        )
    result = []
    if ctx.role == Role.STEERING:
        result.append(report.territory(organisation))
        result += [report.territory(organisation, region=r.code) for r in regions]
    labels = dict(Departement.objects.filter(code__in=codes).values_list("code", "name"))
    result += [report.departement_territory(code, labels) for code in codes]
    return result


def get_territory_or_404(user: AnyUser, key: str) -> report.Territory:
    for where in visible_territories(user):
        if territory_key(where) == key:
            return where
    raise Http404("Introuvable.")


def can_set_targets(user: AnyUser, where: report.Territory) -> bool:
    """Saisir les objectifs d'un territoire : un responsable pour ses départements, le pilotage
    pour tout son périmètre."""
    return any(territory_key(t) == territory_key(where) for t in visible_territories(user))


def visible_targets(user: AnyUser) -> QuerySet[Target]:
    ctx = agent_context(user)
    if ctx.role not in {Role.MANAGER, Role.STEERING} or ctx.organisation_id is None:
        return Target.objects.none()
    return Target.objects.filter(organisation_id=ctx.organisation_id)


def can_import_history(user: AnyUser) -> bool:
    """Importer l'historique depuis le web : l'administrateur de l'organisme."""
    return agent_context(user).is_org_admin


def visible_history_imports(user: AnyUser) -> QuerySet[HistoryImport]:
    ctx = agent_context(user)
    if not ctx.is_org_admin or ctx.organisation_id is None:
        return HistoryImport.objects.none()
    return HistoryImport.objects.filter(organisation_id=ctx.organisation_id)


def get_history_import_or_404(user: AnyUser, pk: object) -> HistoryImport:
    return get_or_404(visible_history_imports(user), pk)
