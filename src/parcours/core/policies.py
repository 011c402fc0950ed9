"""Qui administre quoi : organisme, lieux, secteurs, agents, journal d'audit.

Règles :
- un administrateur d'organisme (``is_org_admin``) gère la structure de son organisme et lit son
  journal d'audit ; il ne voit pas le contenu des accompagnements (séparation des rôles) ;
- un responsable (MANAGER) voit les agents de ses départements (charge, visites à domicile) ;
- rien n'est visible hors de son organisme : un objet hors périmètre répond 404.
"""

from django.http import Http404

from parcours.core.models import AuditEntry, Sector, Site, User
from parcours.core.roles import Role, agent_context


def can_administer(user) -> bool:
    """Vrai pour l'administrateur de l'organisme de l'agent."""
    return agent_context(user).is_org_admin


def visible_sites(user):
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Site.objects.none()
    return Site.objects.filter(organisation_id=ctx.organisation_id)


def visible_sectors(user):
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return Sector.objects.none()
    return Sector.objects.filter(organisation_id=ctx.organisation_id)


def visible_staff(user):
    """Administrateur : tout l'organisme ; responsable : les agents de ses départements."""
    ctx = agent_context(user)
    if ctx.organisation_id is None:
        return User.objects.none()
    staff = User.objects.filter(organisation_id=ctx.organisation_id)
    if ctx.is_org_admin:
        return staff
    if ctx.role == Role.MANAGER:
        return staff.filter(departements__code__in=ctx.departements).distinct()
    return staff.filter(pk=ctx.user_id)


def visible_audit(user):
    ctx = agent_context(user)
    if not ctx.is_org_admin:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(organisation_id=ctx.organisation_id)


def get_site_or_404(user, pk) -> Site:
    return get_or_404(visible_sites(user), pk)


def get_sector_or_404(user, pk) -> Sector:
    return get_or_404(visible_sectors(user), pk)


def get_staff_or_404(user, pk) -> User:
    return get_or_404(visible_staff(user), pk)


def get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Introuvable.") from None
