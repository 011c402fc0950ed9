"""Import du fichier des retraités (formats.md §4, §6.1–§6.3) : chaque ligne validée et notée
en SQL par DuckDB, seuls les totaux par commune gardés (minimisation : aucune ligne individuelle
n'est écrite), puis l'année de l'organisme écrite par ``aggregates.store_year``.

Lecture en deux temps, pour rester rapide sur 14 millions de lignes :

1. une lecture parallèle (deux fils) qui rend, par commune, les retraités, les 60 ans et plus et
   la somme des scores des lignes valides, et le nombre de lignes invalides ;
2. seulement s'il y a des lignes invalides : le décompte des motifs par nature (parallèle), puis
   les premiers motifs avec leur numéro de ligne (``PARCOURS_REJECTIONS_KEPT``, 1 000 par défaut ;
   la numérotation lit le fichier dans son ordre, sur un fil).

Même fichier (SHA-256) pour la même année de l'organisme que l'import en place : rien ne change
(état « déjà importé »). Un autre fichier de la même année la remplace ; une autre année
s'ajoute. Essai : rien n'est écrit (pas même les paramètres de l'organisme). Import réel : la
ligne de l'import, les agrégats et l'entrée du journal dans une seule transaction.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from parcours.core import audit, clock, rejections
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Commune
from parcours.observatory import retirees_file as rfile
from parcours.observatory.models import ObservatoryImport, ObservatorySettings
from parcours.observatory.services.aggregates import CommuneTotals, store_year
from parcours.rules import fragility

if TYPE_CHECKING:
    from parcours.core.models import Organisation, User

RetireesFileError = rfile.RetireesFileError

MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass
class Reading:
    """Ce que la lecture du fichier a compté (rien d'individuel n'en sort, sauf les premiers
    motifs de rejet : ligne, colonne, motif)."""

    lines: int = 0
    valid: int = 0
    rejected: int = 0
    totals: list[CommuneTotals] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    #: le nombre de motifs par nature, du plus fréquent au plus rare
    natures: list[dict[str, Any]] = field(default_factory=list)


def read_file(
    rf: rfile.RetireesFile,
    year: int,
    thresholds: tuple[int, int, int],
    *,
    keep: int | None = None,
    con: Any = None,
) -> Reading:
    """Lit ``rf`` (ouvert par ``retirees_file.open_file``) pour l'année ``year`` : les totaux
    par commune des lignes valides, le nombre de lignes rejetées et les premiers motifs."""
    import duckdb

    keep = rejections.kept() if keep is None else keep
    own = con is None
    if own:
        con = rfile.connect()
    try:
        rfile.load_communes(con, Commune.objects.values_list("code", flat=True))
        return _read(con, rf, year, thresholds, keep)
    except duckdb.Error as error:  # ce que la lecture tolérante n'a pas su écarter
        raise RetireesFileError(f"Fichier illisible : {error}") from None
    finally:
        if own:
            con.close()


def _read(
    con: Any, rf: rfile.RetireesFile, year: int, thresholds: tuple[int, int, int], keep: int
) -> Reading:
    valid = rfile.valid_predicate(year)
    score = fragility.score_sql("age", "reversion_v", "exonere_v", thresholds)
    # regrouper par code tel qu'écrit, puis joindre le référentiel aux ~35 000 groupes (et non
    # aux 14 millions de lignes) : une commune inconnue rend invalides toutes ses lignes
    rows = rfile.rows_sql(rf, year, store_rejects=True, communes=False)
    ok = rfile.valid_predicate(year, commune=False)
    result = con.execute(
        f"""WITH g AS (
            SELECT commune_insee AS code, count(*) AS lines, count(*) FILTER (WHERE ok) AS n,
                count(*) FILTER (WHERE ok AND age >= 60) AS n60,
                sum({score}) FILTER (WHERE ok) AS total
            FROM (SELECT *, {ok} AS ok FROM {rows}) GROUP BY commune_insee
        )
        SELECT g.code, c.code IS NOT NULL, lines, n, n60, total
        FROM g LEFT JOIN communes c ON c.code = g.code ORDER BY g.code"""  # noqa: S608
    ).fetchall()
    reading = Reading()
    records = 0
    for code, known, lines, n, n60, total in result:
        records += int(lines)
        if known and n:
            reading.totals.append(CommuneTotals(code, int(n), int(n60), int(total)))
    reading.valid = sum(t.retirees for t in reading.totals)
    invalid = records - reading.valid
    malformed = rfile.prepare_lines(con, rf)
    reading.lines = reading.valid + invalid + len(malformed)
    reading.rejected = invalid + len(malformed)
    rfile.record_lines_warning(rf, reading.valid + invalid, len(malformed))
    natures: dict[tuple[str, str], int] = {}
    first: list[tuple[int, int, str, str]] = [(line, -1, col, why) for line, col, why in malformed]
    if malformed:
        natures[("ligne_mal_formee", "")] = len(malformed)
    if invalid:
        bad = f"(SELECT * FROM {rfile.rows_sql(rf, year)} WHERE NOT {valid})"  # noqa: S608
        for nature, column, n in con.execute(
            f"SELECT nature, colonne, count(*) FROM ({rfile.reasons_sql(year, bad)}) "  # noqa: S608
            "GROUP BY ALL"
        ).fetchall():
            natures[(nature, column)] = int(n)
        lined = rfile.rows_sql(rf, year, with_line=True)
        firsts = f"(SELECT * FROM {lined} WHERE NOT {valid} ORDER BY ordinal LIMIT {int(keep)})"  # noqa: S608
        numbered = rfile.with_lines(rf, firsts)
        reasons = rfile.reasons_sql(year, numbered, ["ligne"])
        first += [
            (int(line), int(rank), column, reason)
            for line, rank, column, reason in con.execute(
                f"SELECT ligne, rang, colonne, motif FROM ({reasons})"  # noqa: S608
            ).fetchall()
        ]
    first.sort()
    reading.errors = [{"ligne": line, "colonne": c, "motif": m} for line, _, c, m in first[:keep]]
    reading.error_count = sum(natures.values())
    reading.natures = [
        {"nature": rfile.NATURES[nature], "colonne": column, "nombre": n}
        for (nature, column), n in sorted(natures.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return reading


def current_import(organisation: Organisation, year: int) -> ObservatoryImport | None:
    """L'import réel qui tient l'année ``year`` de l'organisme (le dernier terminé)."""
    return (
        ObservatoryImport.objects.filter(
            organisation=organisation,
            year=year,
            dry_run=False,
            status=ObservatoryImport.Status.TERMINE,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def _thresholds(organisation: Organisation) -> tuple[tuple[int, int, int], bool]:
    found = ObservatorySettings.objects.filter(organisation=organisation).first()
    if found is None:
        return fragility.DEFAULT_AGE_THRESHOLDS, False
    return found.thresholds, True


def _day(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}" if moment else "?"


def _describe(previous: ObservatoryImport) -> str:
    day = _day(previous.finished_at)
    return f"import n°{previous.pk} du {day}, fichier « {previous.file_name} »"


def _natures_text(natures: list[dict[str, Any]]) -> str:
    return ", ".join(f"{n['nature']} : {n['nombre']}" for n in natures[:6])


def import_retirees(
    *,
    actor: User | None,
    organisation: Organisation,
    path: str | Path,
    year: int,
    dry_run: bool,
    file_name: str = "",
    keep: int | None = None,
) -> ObservatoryImport:
    """Importe le fichier des retraités ``path`` pour l'année ``year`` de ``organisation``.

    Rend l'import (non enregistré pour un essai ou un fichier déjà importé ; son ``summary()``
    est le résumé de formats.md §6.3). ``RetireesFileError`` si le fichier est refusé en entier
    (introuvable, encodage, colonne obligatoire absente) : rien n'est écrit."""
    started = time.perf_counter()
    year = int(year)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BusinessError({"annee": f"Année {year} hors de {MIN_YEAR} à {MAX_YEAR}."})
    path = Path(path)
    rf = rfile.open_file(path)
    thresholds, has_settings = _thresholds(organisation)
    current = current_import(organisation, year)
    imp = ObservatoryImport(
        organisation=organisation,
        year=year,
        dry_run=dry_run,
        file_name=(file_name or path.name)[:255],
        file_sha256=rf.sha256,
        file_format=rf.format,
        age_thresholds=list(thresholds),
        created_by=actor if actor is not None and actor.pk else None,
    )
    if not dry_run and current is not None and current.file_sha256 == rf.sha256:
        for name in ("lines", "valid", "rejected", "communes", "errors", "error_count"):
            setattr(imp, name, getattr(current, name))
        imp.warnings = rf.warnings
        imp.status = ObservatoryImport.Status.DEJA_IMPORTE
        imp.message = (
            f"Ce fichier est déjà l'année {year} de l'organisme ({_describe(current)}) : "
            "rien n'a changé."
        )
        imp.duration_s = time.perf_counter() - started
        imp.finished_at = clock.now()
        return imp
    reading = read_file(rf, year, thresholds, keep=keep)
    imp.lines, imp.valid, imp.rejected = reading.lines, reading.valid, reading.rejected
    imp.communes = len(reading.totals)
    imp.errors, imp.error_count = reading.errors, reading.error_count
    imp.warnings = rf.warnings
    imp.status = ObservatoryImport.Status.TERMINE
    counted = f"{reading.valid} lignes valides sur {reading.lines}, {imp.communes} communes"
    if reading.rejected:
        counted += f" ; {reading.rejected} lignes rejetées ({_natures_text(reading.natures)})"
    if dry_run:
        if current is not None and current.file_sha256 == rf.sha256:
            after = f"ce fichier est déjà l'année {year} ({_describe(current)})."
        elif current is not None:
            after = f"un import réel remplacerait l'année {year} ({_describe(current)})."
        else:
            after = f"un import réel ajouterait l'année {year}."
        imp.message = f"Essai : rien n'a été écrit. {counted} ; {after}"
        imp.duration_s = time.perf_counter() - started
        imp.finished_at = clock.now()
        return imp
    with transaction.atomic():
        if not has_settings:
            ObservatorySettings.objects.get_or_create(organisation=organisation)
        # le même fichier, importé autrefois pour cette année puis remplacé, redevient l'année
        # (un fichier n'a qu'un import terminé par année : contrainte obs_file_imported_once)
        again = (
            ObservatoryImport.objects.select_for_update()
            .filter(
                organisation=organisation,
                year=year,
                file_sha256=rf.sha256,
                dry_run=False,
                status=ObservatoryImport.Status.TERMINE,
            )
            .first()
        )
        if again is not None:
            again.created_by, again.file_name = imp.created_by, imp.file_name
            for name in (
                "file_format", "age_thresholds", "lines", "valid", "rejected", "communes",
                "errors", "error_count", "warnings", "status",
            ):  # fmt: skip
                setattr(again, name, getattr(imp, name))
            imp = again
        if current is not None and current.pk != imp.pk:
            replaced = f" Elle remplace l'année {year} de l'{_describe(current)}."
        else:
            replaced = f" L'année {year} s'ajoute aux années de l'organisme."
        if again is not None:
            replaced += (
                " (Ce fichier avait déjà été importé pour cette année : il redevient l'année.)"
            )
        imp.message = f"Import de l'année {year} terminé : {counted}.{replaced}"
        imp.finished_at = clock.now()
        imp.duration_s = time.perf_counter() - started
        imp.save()
        store_year(source=imp, totals=reading.totals)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=imp,
            summary=(
                f"Observatoire : import n°{imp.pk} de l'année {year} ({imp.valid} lignes "
                f"valides, {imp.rejected} rejetées, {imp.communes} communes)"
            ),
            changes={
                "resume": {k: v for k, v in imp.summary().items() if k != "erreurs"},
                "annee": year,
                "fichier": imp.file_name,
                "sha256": rf.sha256,
                "remplace": current.pk if current is not None and current.pk != imp.pk else None,
                "motifs": reading.natures,
            },
        )
        imp.duration_s = time.perf_counter() - started
        ObservatoryImport.objects.filter(pk=imp.pk).update(duration_s=imp.duration_s)
    return imp
