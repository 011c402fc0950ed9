"""Qui administre quoi : organisme, lieux, secteurs, agents, journal d'audit ; la page d'accueil
et le second facteur de chacun.

Règles :
- un administrateur d'organisme (``is_org_admin``) gère la structure de son organisme et lit son
  journal d'audit ; il ne voit pas le contenu des accompagnements (séparation des rôles) ;
- un responsable (MANAGER) voit les agents de ses départements (charge, visites à domicile) ;
- rien n'est visible hors de son organisme : un objet hors périmètre répond 404 ;
- la liste et la création des organismes sont à l'opérateur de la plateforme (superutilisateur).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from parcours.core.models import AuditEntry, Organisation, Sector, Site, User
from parcours.core.roles import Role, agent_context

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model, QuerySet

    AnyUser = User | AnonymousUser

M = TypeVar("M", bound="Model")

#: La page d'accueil (nom d'URL) de chaque rôle qui en a une à lui.
HOME_PAGE_OF_ROLE = {
    Role.AS: "mon-activite",
    Role.MANAGER: "equipe",
    Role.FRONT_LINE: "personnes",
    Role.STEERING: "pilotage",
}


def can_administer(user: AnyUser) -> bool:
    """Vrai pour l'administrateur de l'organisme de l'agent."""
    return agent_context(user).is_org_admin


def can_operate_platform(user: AnyUser) -> bool:
    """L'opérateur de la plateforme : un superutilisateur connecté."""
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def must_use_second_factor(user: AnyUser) -> bool:
    """Le second facteur est obligatoire pour les administrateurs (d'un organisme, de la
    plateforme) et le ou la DPO (qui exporte tout le dossier d'une personne) ; les autres
    agents l'activent s'ils le souhaitent."""
    return bool(
        getattr(user, "is_org_admin", False)
        or getattr(user, "is_superuser", False)
        or getattr(user, "is_dpo", False)
    )


def home_page_for(user: AnyUser) -> str | None:
    """Le nom d'URL de la page d'accueil de l'agent, ou ``None`` pour l'accueil commun.

    Chacun arrive là où est son travail : AS, « Mon activité » ; responsable, « Mon équipe » ;
    accueil (CSAM, secrétaire), les personnes ; pilotage et chargés de mission, le tableau de
    bord ; administrateur de l'organisme sans autre fonction, l'administration ; délégué·e à la
    protection des données sans autre fonction, la protection des données ; opérateur de la
    plateforme, les organismes ; les autres, l'accueil commun. La fonction passe avant les
    droits d'administration. Utilisée par l'accueil et à la connexion.
    """
    ctx = agent_context(user)
    if ctx.role in HOME_PAGE_OF_ROLE:
        return HOME_PAGE_OF_ROLE[ctx.role]
    if ctx.is_org_admin:
        return "administration"
    if ctx.is_dpo:
        return "protection-donnees"
    if can_operate_platform(user):
        return "administration-organismes"
    return None


def visible_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Tous les organismes pour l'opérateur de la plateforme, aucun pour les autres."""
    if not can_operate_platform(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def visible_sites(user: AnyUser) -> QuerySet[Site]:
    """Les lieux d'accueil de l'organisme de l'agent."""
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Site.objects.none()
    return Site.objects.filter(organisation_id=ctx.organisation_id)


def visible_sectors(user: AnyUser) -> QuerySet[Sector]:
    """Les secteurs de l'organisme de l'agent."""
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Sector.objects.none()
    return Sector.objects.filter(organisation_id=ctx.organisation_id)


def visible_staff(user: AnyUser) -> QuerySet[User]:
    """Administrateur : tout l'organisme ; responsable : les agents de ses départements."""
    ctx = agent_context(user)
    if ctx.organisation_id is None or ctx.user_id is None:
        return User.objects.none()
    staff = User.objects.filter(organisation_id=ctx.organisation_id)
    if ctx.is_org_admin:
        return staff
    if ctx.role == Role.MANAGER:
        return staff.filter(departements__code__in=ctx.departements).distinct()
    return staff.filter(pk=ctx.user_id)


def visible_audit(user: AnyUser) -> QuerySet[AuditEntry]:
    """Le journal de l'organisme, pour son administrateur seulement."""
    ctx = agent_context(user)
    if not ctx.is_org_admin or ctx.organisation_id is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(organisation_id=ctx.organisation_id)


def get_site_or_404(user: AnyUser, pk: object) -> Site:
    return get_or_404(visible_sites(user), pk)


def get_sector_or_404(user: AnyUser, pk: object) -> Sector:
    return get_or_404(visible_sectors(user), pk)


def get_staff_or_404(user: AnyUser, pk: object) -> User:
    return get_or_404(visible_staff(user), pk)


def require(allowed: bool) -> None:
    """Refusé répond comme absent : 404 (la décision vient d'une politique)."""
    if not allowed:
        raise Http404("Introuvable.")


def get_or_404(queryset: QuerySet[M], pk: object) -> M:
    """L'objet ``pk`` du QuerySet (déjà filtré par une politique), ou 404."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Introuvable.") from None
