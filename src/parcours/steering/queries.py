"""Lectures du pilotage : moyens (agents, lieux) d'un territoire, agrégés en SQL."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, Sum

from parcours.core.models import Site, User
from parcours.core.nomenclatures import Fonction


def resources(organisation, where) -> dict:
    """Agents actifs (nombre et ETP par fonction) et lieux d'accueil actifs du territoire."""
    staff = User.objects.filter(organisation=organisation, is_active=True).exclude(function="")
    sites = Site.objects.filter(organisation=organisation, active=True)
    if where.departements is not None:
        staff = staff.filter(
            pk__in=User.objects.filter(departements__code__in=where.departements).values("pk")
        )
        sites = sites.filter(departement_id__in=where.departements)
    by_function: dict[str, Mapping[str, Any]] = {
        row["function"]: row
        for row in staff.order_by().values("function").annotate(n=Count("id"), fte=Sum("fte"))
    }
    by_kind = dict(sites.order_by().values_list("kind").annotate(n=Count("id")))
    return {
        "agents": [
            {
                "fonction": f.label,
                "nombre": by_function.get(f.value, {}).get("n", 0),
                "etp": by_function.get(f.value, {}).get("fte") or 0,
            }
            for f in Fonction
        ],
        "lieux": [{"type": k.label, "nombre": by_kind.get(k.value, 0)} for k in Site.Kind],
        "as_etp": by_function.get(Fonction.AS.value, {}).get("fte") or 0,
        "lieux_total": sites.aggregate(n=Count("id", filter=Q(active=True)))["n"],
    }
