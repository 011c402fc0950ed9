"""Tableau de bord : indicateurs d'un territoire et d'une année, objectif, tendance, statut de la
légende des contrats ; détail région → département → AS."""

from decimal import Decimal

from django.db.models import Count, Q

from parcours.core.models import Organisation
from parcours.core.nomenclatures import Mode
from parcours.rules import indicators as legend
from parcours.steering import report
from parcours.steering.indicators import BY_CODE, INDICATORS
from parcours.steering.models import Target

TREND_YEARS = 3


def _legend(value, target, previous, direction: str) -> dict:
    """Statut et tendance de ``rules.indicators``, avec leurs libellés (ceux de la légende)."""
    status = legend.status(value, target, previous, direction)
    trend = legend.trend(value, previous)
    return {
        "status": status,
        "status_label": legend.STATUS_LABELS[status],
        "trend": trend,
        "trend_label": legend.TREND_LABELS[trend],
    }


def targets_for(organisation_id: int, year: int, where: report.Territory) -> dict:
    return dict(
        Target.objects.filter(
            organisation_id=organisation_id, year=year, level=where.level, territory_code=where.code
        ).values_list("indicator", "value")
    )


def _scope(organisation: Organisation, year: int, where) -> report.Scope:
    return report.Scope(organisation.pk, year, where, False)


def indicator_rows(organisation: Organisation, year: int, where: report.Territory) -> list[dict]:
    """Chaque indicateur : valeurs des 3 dernières années, objectif, tendance, statut."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    documents = {y: report.build(organisation, y, where, departements=False) for y in years}
    scopes = {y: _scope(organisation, y, where) for y in years}
    targets = targets_for(organisation.pk, year, where)
    rows = []
    for indicator in INDICATORS:
        values = [indicator.compute(documents[y], scopes[y]) for y in years]
        value, previous = values[-1], values[-2]
        target = targets.get(indicator.code)
        rows.append(
            {
                "indicator": indicator,
                "history": list(zip(years, values)),
                "value": value,
                "target": target,
                **_legend(value, target, previous, indicator.direction),
            }
        )
    return rows


def children(organisation, year: int, where: report.Territory, code: str, visible) -> list[dict]:
    """Les territoires enfants (régions d'un organisme, départements d'une région) visibles,
    avec la valeur, l'objectif et le statut de l'indicateur ``code``."""
    indicator = BY_CODE[code]
    if where.level == report.ORGANISATION:
        kids = [t for t in visible if t.level == report.REGION]
    elif where.level == report.REGION:
        kids = [
            t
            for t in visible
            if t.level == report.DEPARTEMENT and t.code in (where.departements or ())
        ]
    else:
        return []
    documents = {}
    if where.level == report.REGION:  # un seul calcul par année : le détail départemental
        for y in (year, year - 1):
            for doc in report.build(organisation, y, where)["departements"]:
                documents[(y, doc["territoire"]["code"])] = doc

    def document(y, kid):
        found = documents.get((y, kid.code))
        return found or report.build(organisation, y, kid, departements=False)

    rows = []
    for kid in kids:
        current = indicator.compute(document(year, kid), _scope(organisation, year, kid))
        previous = indicator.compute(document(year - 1, kid), _scope(organisation, year - 1, kid))
        target = targets_for(organisation.pk, year, kid).get(code)
        rows.append(
            {
                "territory": kid,
                "value": current,
                "previous": previous,
                "target": target,
                **_legend(current, target, previous, indicator.direction),
            }
        )
    return rows


def per_social_worker(organisation, year: int, where: report.Territory) -> list[dict]:
    """Par agent ayant des entretiens dans l'année sur le territoire : entretiens, visites à
    domicile, file active (personnes distinctes), ETP et ratios par ETP."""
    rows = (
        report.contacts_of_year(_scope(organisation, year, where))
        .values("staff_id", "staff__first_name", "staff__last_name", "staff__fte")
        .annotate(
            entretiens=Count("id"),
            vad=Count("id", filter=Q(mode=Mode.VAD)),
            file_active=Count("case__person_id", distinct=True),
        )
        .order_by("staff__last_name", "staff__first_name")
    )
    result = []
    for row in rows:
        fte = row["staff__fte"] or Decimal(0)
        result.append(
            {
                "nom": f"{row['staff__first_name']} {row['staff__last_name']}".strip(),
                "etp": fte,
                "entretiens": row["entretiens"],
                "vad": row["vad"],
                "file_active": row["file_active"],
                "vad_etp": (Decimal(row["vad"]) / fte).quantize(Decimal("0.1")) if fte else None,
                "file_etp": (
                    (Decimal(row["file_active"]) / fte).quantize(Decimal("0.1")) if fte else None
                ),
            }
        )
    return result
