"""Section facultative « orientations » (formats.md §5.1) : les orientations envoyées dans
l'année, par type de partenaire et par état ; une orientation appartient au département où
elle a été envoyée (celui de la personne à l'envoi)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from parcours.sharing.models import Orientation
from parcours.steering.report.scope import Scope, Section

#: le type d'une orientation vers un autre organisme de l'installation (pas un partenaire)
OTHER_ORGANISATION = "ORGANISME"


def orientations_of_year(scope: Scope) -> QuerySet:
    first, last = scope.bounds
    return Orientation.objects.filter(
        Q(organisation_id=scope.organisation_id, sent_on__gte=first, sent_on__lte=last)
        & scope.dep_filter("departement_id")
    ).order_by()


def _json(rows) -> dict:
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for kind, status, n in rows:
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    return {
        "total": sum(by_kind.values()),
        "par_type_partenaire": dict(sorted(by_kind.items())),
        "par_statut": dict(sorted(by_status.items())),
    }


def orientations(scope: Scope) -> Section:
    """Total, par type de partenaire (``ORGANISME`` vers un autre organisme), par état : seuls
    les codes présents figurent (``{}`` sans orientation). Une requête SQL."""
    rows = (
        orientations_of_year(scope)
        .annotate(kind=Coalesce("partner__kind", Value(OTHER_ORGANISATION)))
        .values_list("departement_id", "kind", "status")
        .annotate(n=Count("id"))
    )
    per_dep: dict[str, list] = {}
    all_rows = []
    for dep, kind, status, n in rows:
        all_rows.append((kind, status, n))
        per_dep.setdefault(dep, []).append((kind, status, n))
    by_dep = {dep: _json(r) for dep, r in per_dep.items()} if scope.breakdown else {}
    return Section(_json(all_rows), by_dep, _json([]))
