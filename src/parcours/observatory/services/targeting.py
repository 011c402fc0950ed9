"""Ciblage sur le fichier des retraités (formats.md §4 avec les colonnes d'identité, §6.4) :
la règle ``FRAGILITE`` du catalogue (``rules.targeting``) par le mécanisme commun des ciblages
(``outreach.services.targeting_feed``).

DuckDB lit le fichier (CSV ou Parquet) colonne par colonne, hors mémoire, calcule le score de
chaque ligne (``rules.fragility.score_sql``, tranches d'âge de l'organisme) et ne rend à Python
que les lignes retenues : score au moins ``score_min``, âge dans l'année du fichier au moins
``age_min``, départements, communes en zone blanche. Seules ces lignes voient leur identité
vérifiée (``rules.extract_identity``, mêmes motifs que l'extrait des arrêts) et deviennent, après
les exclusions communes, des fiches : les autres lignes du fichier ne sont jamais gardées.

Le fichier des retraités ne donne que l'année de naissance : la fiche créée porte une date de
naissance approchée, le 1er du mois de naissance que donne le NIR (1er juillet si ce mois n'est
pas un mois de l'année, NIR d'une personne née à l'étranger par exemple).

Lecture : ``observatory.retirees_file`` (la même que l'import : en-tête, numéros de ligne, lignes
mal formées et motifs de rejet identiques).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcours.core.models import Commune
from parcours.observatory import retirees_file as rfile
from parcours.observatory.models import ObservatorySettings
from parcours.outreach.services.targeting import EXTERNAL_RUNNERS
from parcours.outreach.services.targeting_feed import Candidate, Reading, execute_run, hash_nir
from parcours.rules import fragility, targeting
from parcours.rules.extract_identity import HeaderError, parse_identity

if TYPE_CHECKING:
    import os

    from parcours.core.models import Organisation, User
    from parcours.outreach.models import TargetingRun

__all__ = ["run_fragility_targeting", "white_zone_communes"]

IDENTITY_REQUIRED = ("nir", "nom", "prenom", "sexe")
IDENTITY_OPTIONAL = ("adresse", "code_postal", "telephone", "email")


def white_zone_communes(
    *, organisation_id: int, year: int, departements: list[str] | None = None
) -> set[str]:
    """Les communes en zone blanche de l'observatoire de l'organisme pour ``year`` : celles que
    ``observatory.queries.commune_rows`` marque ``zone_blanche`` (fragiles, moins de 2 actions
    collectives tenues dans la commune sur la période par défaut, formats.md §6.2)."""
    from parcours.observatory import queries

    rows = queries.commune_rows(
        organisation_id=organisation_id, year=year, departements=departements or None
    )
    return {row.commune_insee for row in rows if row.zone_blanche}


def run_fragility_targeting(
    *,
    actor: User | None,
    organisation: Organisation,
    path: str | os.PathLike[str],
    extraction_date: datetime.date,
    dry_run: bool,
    year: int | None,
    code: str = targeting.FRAGILITE,
    file_name: str = "",
    run: TargetingRun | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> TargetingRun:
    """La règle ``FRAGILITE`` de l'organisme sur le fichier des retraités de l'année ``year``
    (celle de la date d'extraction par défaut) : même sémantique que l'extrait des arrêts
    (essai sans écriture, un import réel par fichier et par règle, tout ou rien)."""
    year = int(year or extraction_date.year)
    rf = _open(Path(path))
    return execute_run(
        code=code,
        read=partial(_read, year=year, rf=rf),
        actor=actor,
        organisation=organisation,
        path=path,
        extraction_date=extraction_date,
        dry_run=dry_run,
        file_name=file_name,
        run=run,
        on_progress=on_progress,
        fingerprint=lambda _path: rf.sha256,
        applied={"annee": year},
    )


EXTERNAL_RUNNERS["retraites"] = run_fragility_targeting


# --- Lecture du fichier par DuckDB (``observatory.retirees_file``, partagée avec l'import) ------


def _open(path: Path) -> rfile.RetireesFile:
    """Le fichier ouvert (empreinte, format, en-tête) ; ``HeaderError`` s'il est refusé ou s'il
    n'a pas les colonnes d'identité qui permettent le ciblage."""
    try:
        rf = rfile.open_file(path)
    except rfile.RetireesFileError as error:
        raise HeaderError(str(error)) from None
    absent = [c for c in IDENTITY_REQUIRED if c not in rf.identity]
    if absent:
        raise HeaderError(
            "Ce fichier des retraités n'a pas les colonnes d'identité " + ", ".join(absent)
            + " : il ne peut pas servir au ciblage (formats.md §4, colonnes facultatives)."
        )  # fmt: skip
    return rf


def _read(reading: Reading, path: Path, *, year: int, rf: rfile.RetireesFile) -> None:
    import duckdb

    params = reading.params
    organisation_id = reading.run.organisation_id
    settings = ObservatorySettings.objects.filter(organisation_id=organisation_id).first()
    thresholds = settings.thresholds if settings else fragility.DEFAULT_AGE_THRESHOLDS
    white: set[str] = set()
    if params["zones_blanches"]:
        white = white_zone_communes(
            organisation_id=organisation_id, year=year, departements=params["departements"]
        )
    con = rfile.connect()
    try:
        communes = list(Commune.objects.values_list("code", "departement_id"))
        rfile.load_communes(con, (c for c, _ in communes))
        con.execute(
            "CREATE TEMP TABLE deps AS SELECT unnest(?::VARCHAR[]) AS code, "
            "unnest(?::VARCHAR[]) AS departement",
            [[c for c, _ in communes], [d for _, d in communes]],
        )
        con.execute(
            "CREATE TEMP TABLE blanches AS SELECT unnest(?::VARCHAR[]) AS code", [sorted(white)]
        )
        _reject_invalid(reading, con, rf, year)
        if reading.on_progress is not None:
            reading.on_progress(0.5)
        selected = con.execute(*_selection(rf, year, thresholds, params)).fetchall()
    except duckdb.Error as error:
        raise HeaderError(f"Fichier des retraités illisible : {error}") from None
    finally:
        con.close()
    _select(reading, selected, list(rf.identity), white)


def _reject_invalid(reading: Reading, con: Any, rf: rfile.RetireesFile, year: int) -> None:
    """Compte les lignes et rejette les invalides (lignes mal formées comprises), chacune avec
    tous ses motifs, comme l'import de l'observatoire."""
    valid = rfile.valid_predicate(year)
    rows = rfile.rows_sql(rf, year, store_rejects=True)
    records, invalid = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE NOT {valid}) FROM {rows}"  # noqa: S608
    ).fetchone()
    malformed = rfile.prepare_lines(con, rf)
    rfile.record_lines_warning(rf, records, len(malformed))
    reading.counts.lines = int(records) + len(malformed)
    problems: dict[int, list[tuple[str, str]]] = {}
    for line, column, reason in malformed:
        problems.setdefault(int(line), []).append((column, reason))
    if invalid:
        lined = rfile.rows_sql(rf, year, with_line=True)
        numbered = rfile.with_lines(rf, f"(SELECT * FROM {lined} WHERE NOT {valid})")  # noqa: S608
        reasons = rfile.reasons_sql(year, numbered, ["ligne"])
        for line, column, reason in con.execute(
            f"SELECT ligne, colonne, motif FROM ({reasons}) ORDER BY ligne, rang"  # noqa: S608
        ).fetchall():
            problems.setdefault(int(line), []).append((column, reason))
    for line in sorted(problems):
        reading.reject(line, problems[line])


def _selection(
    rf: rfile.RetireesFile, year: int, thresholds: tuple[int, int, int], params: dict
) -> tuple[str, list[Any]]:
    """La requête des lignes valides retenues par les paramètres (score, âge, départements,
    zones blanches), avec leur numéro de ligne, leur score et leurs colonnes d'identité."""
    score = fragility.score_sql("age", "reversion_v", "exonere_v", thresholds)
    where = ["score >= ?"]
    args: list[Any] = [params["score_min"]]
    if params["age_min"] is not None:
        where.append("age >= ?")
        args.append(params["age_min"])
    if params["departements"]:
        where.append("list_contains(?, departement)")
        args.append(params["departements"])
    if params["zones_blanches"]:
        where.append("commune_insee IN (SELECT code FROM blanches)")
    identity = ", ".join(rfile.quote_ident(c) for c in rf.identity)
    lined = rfile.rows_sql(rf, year, with_line=True)
    chosen = (
        f"(SELECT * FROM (SELECT r.ordinal, {score} AS score, r.age, r.annee, "  # noqa: S608
        f"r.commune_insee, d.departement, {identity} FROM {lined} r "
        f"JOIN deps d ON d.code = r.commune_insee WHERE {rfile.valid_predicate(year)}) "
        f"WHERE {' AND '.join(where)})"
    )
    return (
        f"SELECT ligne, score, age, annee, commune_insee, departement, {identity} "  # noqa: S608
        f"FROM {rfile.with_lines(rf, chosen)} ORDER BY ligne",
        args,
    )


def _approximate_birth(nir: str, year: int) -> str:
    month = nir[3:5] if len(nir) >= 5 and nir[3:5].isdigit() else ""
    month = month if month and 1 <= int(month) <= 12 else "07"
    return f"{year:04d}-{month}-01"


def _select(reading: Reading, selected: list[tuple], identity: list[str], white: set[str]) -> None:
    """Les lignes retenues par DuckDB : identité vérifiée, doublons de NIR, puis le mécanisme."""
    counts = reading.counts
    communes = {row[4] for row in selected}  # codes déjà vérifiés par DuckDB
    for line, score, age, annee, commune, departement, *values in selected:
        cell = dict.fromkeys((*IDENTITY_REQUIRED, *IDENTITY_OPTIONAL), "")
        cell.update({c: (v or "").strip() for c, v in zip(identity, values, strict=True)})
        cell["commune_insee"] = commune
        cell["date_naissance"] = _approximate_birth(cell["nir"].replace(" ", ""), annee)
        problems: list[tuple[str, str]] = []
        person = parse_identity(cell, line, communes, reading.extraction_date, problems)
        if person is None:
            reading.reject(line, problems)
            continue
        hashed = hash_nir(person.nir)
        first = reading.first_line(hashed, line)
        if first is not None:
            reading.reject(line, [("nir", f"même NIR qu'à la ligne {first}")])
            continue
        facts = targeting.FragilityFacts(score, age, departement, commune in white)
        if targeting.evaluate(targeting.FRAGILITE, facts, reading.extraction_date, reading.params):
            reading.select(
                Candidate(identity=person, hashed=hashed, departement=departement, score=score)
            )
    counts.valid = counts.lines - counts.rejected
