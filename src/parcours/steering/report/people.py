"""Sections « personnes » et « entretiens » (formats.md §5)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Any

from django.db import connection

from parcours.core.nomenclatures import (
    Mode,
    Sexe,
)
from parcours.people.models import Person
from parcours.rules import report as rules
from parcours.steering.report.scope import Scope, Section, _sql
from parcours.steering.report.sources import MODE_COLUMNS, collective_people, individual_people


def _band_sums(prefix: str, bands, year: int, birth_column: str) -> tuple[list[str], list]:
    columns, params = [], []
    for band in bands:
        first, last = rules.birth_range(band, year)
        conditions = []
        if first is not None:
            conditions.append(f"{birth_column} >= %s")
            params.append(first)
        if last is not None:
            conditions.append(f"{birth_column} <= %s")
            params.append(last)
        columns.append(
            f"SUM(CASE WHEN {' AND '.join(conditions)} THEN 1 ELSE 0 END) AS {prefix}{band.key}"
        )
    return columns, params


@contextmanager
def people_table(scope: Scope):
    """Table temporaire : une ligne par accompagnement ayant des entretiens dans l'année (avec ses
    comptes d'entretiens) et par personne présente à une séance (département, programme) ; un
    seul passage sur les entretiens pour les sections personnes, entretiens, programmes et PDP."""
    if scope.cache.get("people_table"):
        yield scope.cache["people_table"]
        return
    counts = ["n", "faf", *MODE_COLUMNS]
    sources = []
    compiled = _sql(individual_people(scope))
    if compiled is not None:
        # Only compiled ORM SQL and constants are interpolated; values go as parameters.
        select = (
            f"SELECT cid, dep, pid, grp, 1 AS ind, 0 AS col, {', '.join(counts)} "  # noqa: S608
            f"FROM ({compiled[0]}) s"
        )
        sources.append((select, compiled[1]))
    compiled = _sql(collective_people(scope))
    if compiled is not None:
        zeros = ", ".join(f"0 AS {c}" for c in counts)
        select = (
            f"SELECT NULL AS cid, dep, pid, grp, 0 AS ind, 1 AS col, {zeros} FROM ({compiled[0]}) s"  # noqa: S608, E501
        )
        sources.append((select, compiled[1]))
    name = f"steering_people_{uuid.uuid4().hex[:12]}"
    columns = ", ".join(f"{c} integer" for c in counts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {name} (cid bigint, dep varchar(3), pid bigint, "
            f"grp varchar(30), ind integer, col integer, {columns})"
        )
        if sources:
            union = " UNION ALL ".join(sql for sql, _ in sources)
            params = [p for _, ps in sources for p in ps]
            cursor.execute(f"INSERT INTO {name} {union}", params)  # noqa: S608
    scope.cache["people_table"] = name
    try:
        yield name
    finally:
        del scope.cache["people_table"]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {name}")


def _people_rows(scope: Scope, *, keyed: bool, by_dep: bool) -> list[dict]:
    """Personnes distinctes (aidées individuellement et/ou collectivement), groupées par
    département et/ou programme ; colonnes de profil (sexe, âge) quand ``keyed`` est faux."""
    group = ["pid"] + (["dep"] if by_dep else []) + (["grp"] if keyed else [])
    select_group = ", ".join(f"x.{g}" for g in group if g != "pid")
    person = Person._meta.db_table
    profile: list[str] = []
    profile_params: list[Any] = []
    if not keyed:
        profile = [
            f"SUM(CASE WHEN p.sex = '{s}' THEN 1 ELSE 0 END) AS sexe_{s}" for s in Sexe.values
        ]
        bands, profile_params = _band_sums("age_", rules.AGE_BANDS, scope.year, "p.birth_date")
        profile += bands
    columns = [
        "COUNT(*) AS total",
        "SUM(CASE WHEN x.ind = 1 AND x.col = 0 THEN 1 ELSE 0 END) AS individuel_seul",
        "SUM(CASE WHEN x.ind = 1 AND x.col = 1 THEN 1 ELSE 0 END) AS individuel_et_collectif",
        "SUM(CASE WHEN x.ind = 0 AND x.col = 1 THEN 1 ELSE 0 END) AS collectif_seul",
        *profile,
    ]
    with people_table(scope) as table:
        # Identifiers are constants, values are parameters.
        sql = (
            f"SELECT {select_group + ', ' if select_group else ''}{', '.join(columns)} "  # noqa: S608
            f"FROM (SELECT {', '.join(group)}, MAX(ind) AS ind, MAX(col) AS col FROM {table} "
            f"GROUP BY {', '.join(group)}) x JOIN {person} p ON p.id = x.pid"
            + (f" GROUP BY {select_group}" if select_group else "")
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, profile_params)
            names = [c[0].lower() for c in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]


def _personnes_json(row: dict | None) -> dict:
    row = row or {}
    value = lambda k: int(row.get(k) or 0)  # noqa: E731
    return {
        "total": value("total"),
        "individuel_seul": value("individuel_seul"),
        "individuel_et_collectif": value("individuel_et_collectif"),
        "collectif_seul": value("collectif_seul"),
        "sexe": {s: value(f"sexe_{s.lower()}") for s in Sexe.values},
        "age": {b.key: value(f"age_{b.key}") for b in rules.AGE_BANDS},
    }


def personnes(scope: Scope) -> Section:
    """Personnes aidées : individuellement (≥ 1 entretien daté dans l'année) et/ou
    collectivement (présentes à ≥ 1 séance datée dans l'année) ; sexe, âge au 31 décembre."""
    total = _people_rows(scope, keyed=False, by_dep=False)
    by_dep = {}
    if scope.breakdown:
        by_dep = {
            row["dep"]: _personnes_json(row)
            for row in _people_rows(scope, keyed=False, by_dep=True)
        }
    return Section(_personnes_json(total[0] if total else None), by_dep, _personnes_json(None))


def _entretiens_json(row: dict | None) -> dict:
    row = row or {}
    return {
        "total": row.get("total") or 0,
        "face_a_face": row.get("face_a_face") or 0,
        "par_mode": {m: row.get(f"mode_{m}") or 0 for m in Mode.values},
    }


def entretiens(scope: Scope) -> Section:
    """Entretiens datés dans l'année, par mode ; face à face : formats.md §1."""
    sums = ", ".join(f"SUM({c})" for c in ["n", "faf", *MODE_COLUMNS])
    with people_table(scope) as table, connection.cursor() as cursor:
        cursor.execute(f"SELECT dep, {sums} FROM {table} WHERE ind = 1 GROUP BY dep")  # noqa: S608
        rows = cursor.fetchall()
    keys = ["total", "face_a_face", *[f"mode_{m}" for m in Mode.values]]
    by_dep = {row[0]: dict(zip(keys, (int(v or 0) for v in row[1:]))) for row in rows}
    total = {k: sum(row[k] for row in by_dep.values()) for k in keys}
    return Section(
        _entretiens_json(total),
        {k: _entretiens_json(v) for k, v in by_dep.items()},
        _entretiens_json(None),
    )
