"""Section « programmes » (formats.md §5)."""

from __future__ import annotations

from parcours.core.nomenclatures import (
    Programme,
)
from parcours.steering.report.people import _people_rows
from parcours.steering.report.scope import Scope, Section


def _programmes_json(rows: dict) -> dict:
    return {
        p: {
            "individuel": int(rows.get(p, {}).get("ind") or 0),
            "collectif": int(rows.get(p, {}).get("col") or 0),
            "total": int(rows.get(p, {}).get("total") or 0),
        }
        for p in Programme.values
    }


def _programme_rows(scope: Scope, by_dep: bool) -> list[dict]:
    """Par programme (et département) : personnes distinctes aidées individuellement,
    collectivement, et leur union."""
    rows = _people_rows(scope, keyed=True, by_dep=by_dep)
    for row in rows:
        row["ind"] = row["individuel_seul"] + row["individuel_et_collectif"]
        row["col"] = row["collectif_seul"] + row["individuel_et_collectif"]
    return rows


def programmes(scope: Scope) -> Section:
    """Par programme : personnes aidées individuellement dans un accompagnement de ce programme,
    collectivement dans une action de ce programme, et l'union des deux."""
    total = _programmes_json({r["grp"]: r for r in _programme_rows(scope, False)})
    by_dep: dict = {}
    if scope.breakdown:
        grouped: dict = {}
        for row in _programme_rows(scope, True):
            grouped.setdefault(row["dep"], {})[row["grp"]] = row
        by_dep = {dep: _programmes_json(rows) for dep, rows in grouped.items()}
    return Section(total, by_dep, _programmes_json({}))
