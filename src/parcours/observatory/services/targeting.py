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

Lecture : voir :func:`_read` (lecture minimale écrite ici ; à remplacer par
``observatory.retirees_file`` une fois la branche de l'import fusionnée — « À FUSIONNER »).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcours.core.models import Commune
from parcours.groups.models import Session
from parcours.observatory.models import Aggregate, ObservatorySettings
from parcours.outreach.services.targeting import EXTERNAL_RUNNERS
from parcours.outreach.services.targeting_feed import Candidate, Reading, execute_run, hash_nir
from parcours.rules import fragility, targeting
from parcours.rules.extract_identity import HeaderError, parse_identity

if TYPE_CHECKING:
    import os

    from parcours.core.models import Organisation, User
    from parcours.outreach.models import TargetingRun

__all__ = ["run_fragility_targeting", "white_zone_communes"]

BASE_COLUMNS = ("id", "annee_naissance", "commune_insee", "reversion", "exonere_csg")
IDENTITY_REQUIRED = ("nir", "nom", "prenom", "sexe")
IDENTITY_OPTIONAL = ("adresse", "code_postal", "telephone", "email")
PARQUET_MAGIC = b"PAR1"
CHUNK = 1 << 20
MAX_AGE = 125


def white_zone_communes(
    *, organisation_id: int, year: int, departements: list[str] | None = None
) -> set[str]:
    """Les communes en zone blanche de l'observatoire de l'organisme pour ``year`` : communes
    fragiles (agrégat de l'année) avec moins de 2 actions collectives tenues dans la commune sur
    l'année (formats.md §6.2, période par défaut).

    À FUSIONNER : version minimale écrite pour le ciblage ; quand ``observatory.queries``
    (``commune_rows``, croisement des séances de ``groups.queries``) est sur la branche
    principale, la remplacer par ses lignes ``zone_blanche = 1``.
    """
    from django.db.models import Case as SqlCase
    from django.db.models import CharField, Count, Value, When
    from django.db.models.functions import Coalesce

    from parcours.core import clock

    fragile = Aggregate.objects.filter(
        organisation_id=organisation_id,
        year=year,
        level=Aggregate.Level.COMMUNE,
        fragile=True,
        secret=False,
    )
    if departements:
        fragile = fragile.filter(departement__in=departements)
    codes = set(fragile.values_list("code", flat=True))
    if not codes:
        return set()
    until = min(datetime.date(year, 12, 31), clock.today())
    place = SqlCase(
        When(video=False, then=Coalesce("site__commune_id", "partner__commune_id")),
        default=Value(None),
        output_field=CharField(),
    )
    actions = dict(
        Session.objects.filter(
            organisation_id=organisation_id,
            action__organisation_id=organisation_id,
            date__gte=datetime.date(year, 1, 1),
            date__lte=until,
        )
        .annotate(place_commune=Coalesce("commune_id", place, output_field=CharField()))
        .exclude(place_commune__isnull=True)
        .values("place_commune")
        .annotate(n=Count("action_id", distinct=True))
        .order_by()
        .values_list("place_commune", "n")
    )
    return {c for c in codes if fragility.is_white_zone(True, actions.get(c, 0))}


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
    return execute_run(
        code=code,
        read=partial(_read, year=year),
        actor=actor,
        organisation=organisation,
        path=path,
        extraction_date=extraction_date,
        dry_run=dry_run,
        file_name=file_name,
        run=run,
        on_progress=on_progress,
        fingerprint=_fingerprint,
        applied={"annee": year},
    )


EXTERNAL_RUNNERS["retraites"] = run_fragility_targeting


# --- Lecture du fichier par DuckDB ------------------------------------------------------------
# À FUSIONNER : lecture minimale (en-tête, types, numéro de ligne = rang de l'enregistrement + 1,
# un motif par ligne rejetée) ; ``observatory.retirees_file`` (branche de l'import) la remplace.


def _fingerprint(path: Path) -> str:
    """SHA-256 du fichier ; ``HeaderError`` s'il est vide."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
    if size == 0:
        raise HeaderError("Le fichier est vide : l'en-tête (ligne 1) est attendu.")
    return digest.hexdigest()


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con: Any, path: Path) -> tuple[str, list[str], str]:
    """(format, colonnes telles qu'écrites, source SQL avec la colonne ``ligne``)."""
    with open(path, "rb") as handle:
        first = handle.read(4)
    if first == PARQUET_MAGIC:
        source = f"read_parquet({_quote(str(path))}, file_row_number = true)"
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]  # noqa: S608
        names = [n for n in names if n != "file_row_number"]
        return "parquet", names, f"(SELECT *, file_row_number + 1 AS ligne FROM {source})"  # noqa: S608
    with open(path, "rb") as handle:
        raw = handle.readline()
    try:
        header = raw.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise HeaderError(
            "Le fichier n'est pas encodé en UTF-8 (caractère illisible ligne 1) : enregistrez-le "
            "en UTF-8 (ou en Parquet) puis importez-le de nouveau."
        ) from None
    names = [h.strip().strip('"') for h in header.split(";")]
    typed = ", ".join(f"{_quote(n)}: 'VARCHAR'" for n in names)
    listed = ", ".join(_ident(n) for n in names)
    source = (
        f"(SELECT *, ordinal + 1 AS ligne FROM read_csv({_quote(str(path))}, delim = ';', "  # noqa: S608
        f"quote = '\"', escape = '\"', header = true, auto_detect = false, "
        f"columns = {{{typed}}}, encoding = 'utf-8', ignore_errors = true) "
        f"WITH ORDINALITY AS f({listed}, ordinal))"
    )
    return "csv", names, source


def _check_columns(names: list[str]) -> dict[str, str]:
    """Le nom tel qu'écrit de chaque colonne connue ; ``HeaderError`` s'il en manque."""
    lowered = {n.strip().lower(): n for n in names}
    missing = [c for c in BASE_COLUMNS if c not in lowered]
    if missing:
        raise HeaderError(
            "Colonnes manquantes dans l'en-tête (ligne 1) : " + ", ".join(missing) + "."
        )
    absent = [c for c in IDENTITY_REQUIRED if c not in lowered]
    if absent:
        raise HeaderError(
            "Ce fichier des retraités n'a pas les colonnes d'identité " + ", ".join(absent)
            + " : il ne peut pas servir au ciblage (formats.md §4, colonnes facultatives)."
        )  # fmt: skip
    return {c: lowered[c] for c in (*BASE_COLUMNS, *IDENTITY_REQUIRED, *IDENTITY_OPTIONAL)
            if c in lowered}  # fmt: skip


def _text(column: str) -> str:
    return f"trim(CAST({_ident(column)} AS VARCHAR))"


def _flag(column: str) -> str:
    t = f"lower({_text(column)})"
    return f"(CASE WHEN {t} IN ('1', 'true') THEN 1 WHEN {t} IN ('0', 'false') THEN 0 END)"


def _missing_or(value: str, reason: str) -> str:
    """Le motif d'une cellule : vide → valeur manquante, sinon ``reason`` (SQL, cite la valeur)."""
    return (
        f"CASE WHEN coalesce({value}, '') = '' THEN 'valeur obligatoire manquante' "
        f"ELSE {reason} END"
    )


def selection_sql(
    source: str, columns: dict[str, str], year: int, thresholds: tuple[int, ...]
) -> str:
    """Chaque ligne du fichier : ``ligne``, ``annee``, ``age``, ``commune``, ``departement``,
    ``score`` (``rules.fragility.score_sql``), la colonne et le motif du premier problème
    (``NULL`` pour une ligne valide) et les colonnes d'identité (``id_<colonne>``)."""
    year = int(year)
    identity = "".join(
        f", CAST({_ident(columns[c])} AS VARCHAR) AS {_ident('id_' + c)}"
        for c in (*IDENTITY_REQUIRED, *IDENTITY_OPTIONAL)
        if c in columns
    )
    inner = f"""
        SELECT ligne,
               {_text(columns["annee_naissance"])} AS annee_txt,
               TRY_CAST({_text(columns["annee_naissance"])} AS BIGINT) AS annee,
               {_text(columns["reversion"])} AS rev_txt, {_flag(columns["reversion"])} AS rev,
               {_text(columns["exonere_csg"])} AS exo_txt, {_flag(columns["exonere_csg"])} AS exo,
               upper({_text(columns["commune_insee"])}) AS commune{identity}
        FROM {source}"""  # noqa: S608
    middle = f"""
        SELECT r.*, c.departement, {year} - r.annee AS age
        FROM ({inner}) r LEFT JOIN communes c ON c.code = r.commune"""  # noqa: S608
    age_bad = f"(annee IS NULL OR age < 0 OR age > {MAX_AGE})"
    quoted = "'« ' || {v} || ' »"
    reasons = [
        ("annee_naissance", age_bad,
         _missing_or("annee_txt", "CASE WHEN annee IS NULL THEN " + quoted.format(v="annee_txt")
                     + " n''est pas une année AAAA' ELSE " + quoted.format(v="annee_txt")
                     + f" : âge hors de 0 à {MAX_AGE} ans en {year}' END")),
        ("reversion", "rev IS NULL",
         _missing_or("rev_txt", quoted.format(v="rev_txt") + " : 0 ou 1 attendu'")),
        ("exonere_csg", "exo IS NULL",
         _missing_or("exo_txt", quoted.format(v="exo_txt") + " : 0 ou 1 attendu'")),
        ("commune_insee", "departement IS NULL",
         _missing_or("commune", "'code commune « ' || commune || ' » inconnu'")),
    ]  # fmt: skip
    colonne = " ".join(f"WHEN {test} THEN '{name}'" for name, test, _ in reasons)
    motif = " ".join(f"WHEN {test} THEN {reason}" for _, test, reason in reasons)
    score = fragility.score_sql("age", "rev", "exo", thresholds)
    return f"""
        SELECT m.*, CASE {colonne} END AS colonne, CASE {motif} END AS motif,
               CASE WHEN NOT {age_bad} THEN {score} END AS score
        FROM ({middle}) m"""  # noqa: S608


def _read(reading: Reading, path: Path, *, year: int) -> None:
    import duckdb

    params = reading.params
    organisation_id = reading.run.organisation_id
    settings = ObservatorySettings.objects.filter(organisation_id=organisation_id).first()
    thresholds = settings.thresholds if settings else fragility.DEFAULT_AGE_THRESHOLDS
    white = set()
    if params["zones_blanches"]:
        white = white_zone_communes(
            organisation_id=organisation_id, year=year, departements=params["departements"]
        )
    con = duckdb.connect(config={"memory_limit": "1500MB", "threads": 2})
    try:
        fmt, names, source = _columns(con, path)
        columns = _check_columns(names)
        communes = list(Commune.objects.values_list("code", "departement_id"))
        con.execute(
            "CREATE TEMP TABLE communes AS SELECT unnest(?::VARCHAR[]) AS code, "
            "unnest(?::VARCHAR[]) AS departement",
            [[c for c, _ in communes], [d for _, d in communes]],
        )
        con.execute(
            "CREATE TEMP TABLE blanches AS SELECT unnest(?::VARCHAR[]) AS code", [sorted(white)]
        )
        con.execute(
            f"CREATE TEMP VIEW lignes AS {selection_sql(source, columns, year, thresholds)}"
        )
        reading.counts.lines = con.execute("SELECT count(*) FROM lignes").fetchone()[0]
        for line, column, reason in con.execute(
            "SELECT ligne, colonne, motif FROM lignes WHERE motif IS NOT NULL ORDER BY ligne"
        ).fetchall():
            reading.reject(line, [(column, reason)])
        if reading.on_progress is not None:
            reading.on_progress(0.5)
        where = ["motif IS NULL", "score >= ?"]
        args: list[Any] = [params["score_min"]]
        if params["age_min"] is not None:
            where.append("age >= ?")
            args.append(params["age_min"])
        if params["departements"]:
            where.append("list_contains(?, departement)")
            args.append(params["departements"])
        if params["zones_blanches"]:
            where.append("commune IN (SELECT code FROM blanches)")
        identity = [c for c in (*IDENTITY_REQUIRED, *IDENTITY_OPTIONAL) if c in columns]
        selected = con.execute(
            f"SELECT ligne, score, age, annee, commune, departement, "  # noqa: S608
            f"{', '.join(_ident('id_' + c) for c in identity)} FROM lignes "
            f"WHERE {' AND '.join(where)} ORDER BY ligne",
            args,
        ).fetchall()
    except duckdb.Error as error:
        raise HeaderError(f"Fichier des retraités illisible : {error}") from None
    finally:
        con.close()
    _select(reading, selected, identity, white)


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
