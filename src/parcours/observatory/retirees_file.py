"""Le fichier des retraités de l'observatoire (formats.md §4), lu par DuckDB sans être chargé.

CSV (« ; », UTF-8 avec ou sans BOM, guillemets ``"``) ou Parquet, reconnu à ses octets (``PAR1``
au début), jamais à son nom. Ce module ouvre le fichier, vérifie son en-tête et donne ses lignes
à DuckDB sous la forme d'une source SQL ; l'import (``services/importer.py``) et le ciblage s'en
servent tous deux :

- :func:`open_file` : empreinte SHA-256, format, colonnes, avertissements ; en-tête refusé
  (colonne obligatoire absente, séparateur, encodage) → :class:`RetireesFileError`, en français ;
- :func:`connect` : une connexion DuckDB bornée (mémoire, deux fils, fichiers temporaires sous
  ``var/``) ;
- :func:`load_communes` : les codes INSEE actuels du référentiel dans la table ``communes`` ;
- :func:`rows_sql` : la source SQL des lignes, colonnes normalisées (``annee``, ``reversion_v``,
  ``exonere_v``, ``age``, ``commune_connue``…) avec, sur demande, leur rang ``ordinal`` ;
  :func:`prepare_lines` puis :func:`with_lines` en font le numéro ``ligne`` des lignes choisies ;
- :func:`valid_predicate`, :func:`checks` et :func:`reasons_sql` : le prédicat de validité et
  chaque motif de rejet, en français.

Numéro de ligne (CSV) : l'en-tête est la ligne 1. DuckDB lit le CSV en parallèle ; ``WITH
ORDINALITY`` sur ``read_csv`` numérote les enregistrements **dans l'ordre du fichier** quel que
soit le nombre de fils (un ``row_number() OVER ()`` sur une source qui garde l'ordre
d'insertion ; vérifié à deux fils sur 4 millions de lignes, et sur les motifs d'un fichier de
2 millions de lignes, par ``tests/observatory/test_import_lines.py``). Deux sortes de lignes n'ont
pas d'enregistrement : les lignes vides (DuckDB les saute ; repérées ici pendant le calcul de
l'empreinte) et les lignes mal formées (trop ou trop peu de colonnes, guillemets non fermés :
DuckDB les écarte et les note, avec leur vrai numéro, dans la table ``retraites_rejets``). Le
numéro de l'enregistrement ``n`` est ``n + 1 +`` le nombre de ces lignes sautées qui le précèdent
(jointure ASOF). Une cellule entre guillemets qui contient un retour à la ligne décale les
numéros suivants : le fichier le dit alors par un avertissement. Parquet : pas d'en-tête, la
« ligne » est le rang de l'enregistrement (``file_row_number + 1``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRED = ("id", "annee_naissance", "commune_insee", "reversion", "exonere_csg")
IDENTITY = ("nir", "nom", "prenom", "sexe", "adresse", "code_postal", "telephone", "email")
KNOWN = REQUIRED + IDENTITY

#: âge accepté : de 0 à 125 ans l'année de l'import (la règle ne juge pas qui est retraité :
#: une pension de réversion ou d'invalidité se touche avant 60 ans)
MAX_AGE = 125

PARQUET_MAGIC = b"PAR1"
CHUNK = 1 << 22
REJECTS_TABLE = "retraites_rejets"
REJECTS_SCAN = "retraites_rejets_scan"

DEFAULT_MEMORY = "1500MB"
DEFAULT_THREADS = 2


class RetireesFileError(Exception):
    """Le fichier est refusé en entier (rien n'est lu ni écrit) ; le message est pour l'usager."""


@dataclass
class RetireesFile:
    """Un fichier ouvert : format, empreinte, colonnes et ce que la lecture brute en a appris."""

    path: Path
    format: str  # "csv" | "parquet"
    sha256: str
    columns: list[str]
    #: colonnes inconnues (ignorées, chacune avec son avertissement)
    unknown: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Parquet : le type DuckDB de chaque colonne ; CSV : tout est texte
    types: dict[str, str] = field(default_factory=dict)
    #: CSV : numéros des lignes vides (sautées par DuckDB), lignes physiques du fichier
    blank_lines: list[int] = field(default_factory=list)
    physical_lines: int = 0

    @property
    def identity(self) -> list[str]:
        """Les colonnes d'identité présentes (ciblage, formats.md §6.4)."""
        return [c for c in IDENTITY if c in self.columns]


def detect_format(path: Path) -> str:
    """``parquet`` si le fichier commence par ``PAR1``, ``csv`` sinon."""
    with open(path, "rb") as handle:
        return "parquet" if handle.read(4) == PARQUET_MAGIC else "csv"


def open_file(path: str | Path) -> RetireesFile:
    """Ouvre ``path`` : format, empreinte, en-tête vérifié ; :class:`RetireesFileError` sinon."""
    path = Path(path)
    try:
        if not path.is_file():
            raise RetireesFileError(f"Fichier introuvable : « {path} ».")
        fmt = detect_format(path)
        if fmt == "parquet":
            rf = RetireesFile(path, fmt, _sha256(path), [])
            rf.types = _parquet_types(path)
            rf.columns = list(rf.types)
        else:
            rf = _scan_csv(path)
    except OSError as error:
        raise RetireesFileError(f"Fichier illisible : {error.strerror or error}.") from None
    _check_header(rf)
    return rf


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _parquet_types(path: Path) -> dict[str, str]:
    import duckdb

    con = duckdb.connect(config={"threads": 1, "memory_limit": "256MB"})
    try:
        rows = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as error:
        raise RetireesFileError(f"Fichier Parquet illisible : {error}") from None
    finally:
        con.close()
    return {str(name): str(kind) for name, kind, *_ in rows}


def _scan_csv(path: Path) -> RetireesFile:
    """Une passe sur les octets : empreinte, encodage UTF-8, lignes vides, nombre de lignes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    blank: set[int] = set()
    lines = 0  # retours à la ligne avant le morceau courant
    size = 0
    first = b""
    tail = b""  # les deux derniers octets du morceau précédent (déjà comptés)
    last = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if size == 0:
                first = chunk[: 1 << 16]
            size += len(chunk)
            digest.update(chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = lines + 1 + chunk[: error.start].count(b"\n")
                raise RetireesFileError(
                    "Le fichier n'est pas encodé en UTF-8 (caractère illisible ligne "
                    f"{line}) : enregistrez-le en UTF-8 puis importez-le de nouveau."
                ) from None
            _blank_lines(tail + chunk, lines - tail.count(b"\n"), blank)
            lines += chunk.count(b"\n")
            tail = chunk[-2:]
            last = chunk[-1:]
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise RetireesFileError(
                "Le fichier n'est pas encodé en UTF-8 (il se termine au milieu d'un caractère)."
            ) from None
    if size == 0:
        raise RetireesFileError("Le fichier est vide : l'en-tête (ligne 1) est attendu.")
    physical = lines + (0 if last == b"\n" else 1)
    rf = RetireesFile(path, "csv", digest.hexdigest(), _csv_header(first))
    rf.blank_lines = sorted(b for b in blank if 1 < b <= physical)
    rf.physical_lines = physical
    return rf


def _blank_lines(text: bytes, newlines_before: int, found: set[int]) -> None:
    """Ajoute à ``found`` le numéro de chaque ligne vide qui commence dans ``text``
    (``newlines_before`` : retours à la ligne du fichier avant ``text``)."""
    for pattern in (b"\n\n", b"\n\r\n"):
        counted, position = newlines_before, 0
        at = text.find(pattern)
        while at != -1:
            counted += text.count(b"\n", position, at)
            position = at
            # le retour à la ligne en ``at`` clôt la ligne ``counted + 1`` : la suivante est vide
            found.add(counted + 2)
            at = text.find(pattern, at + 1)


def _csv_header(first: bytes) -> list[str]:
    text = first.decode("utf-8", errors="replace").removeprefix("\ufeff")
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line.strip():
        raise RetireesFileError(
            "L'en-tête (ligne 1) est vide : les noms de colonnes sont attendus."
        )
    try:
        header = next(csv.reader(io.StringIO(line), delimiter=";", quotechar='"'))
    except (csv.Error, StopIteration) as error:
        raise RetireesFileError(f"En-tête illisible (ligne 1) : {error}.") from None
    if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
        raise RetireesFileError(
            "Le séparateur de colonnes doit être le point-virgule « ; » "
            "(l'en-tête n'en contient aucun)."
        )
    return [h.strip() for h in header]


def _check_header(rf: RetireesFile) -> None:
    seen: set[str] = set()
    for name in rf.columns:
        if name in seen:
            raise RetireesFileError(f"En-tête (ligne 1) : la colonne « {name} » figure deux fois.")
        seen.add(name)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        names = ", ".join(f"« {c} »" for c in missing)
        what = (
            "colonne obligatoire absente" if len(missing) == 1 else "colonnes obligatoires absentes"
        )
        raise RetireesFileError(
            f"Fichier refusé : {what} de l'en-tête : {names} "
            f"(colonnes attendues : {', '.join(REQUIRED)})."
        )
    rf.unknown = [c for c in rf.columns if c not in KNOWN]
    rf.warnings = [f"colonne inconnue ignorée : {c}" for c in rf.unknown]


# --- DuckDB -------------------------------------------------------------------------------


def connect(
    *,
    memory_limit: str = DEFAULT_MEMORY,
    threads: int = DEFAULT_THREADS,
    temp_directory: str | Path | None = None,
) -> Any:
    """Une connexion DuckDB en mémoire, bornée : ``memory_limit``, ``threads`` fils, et ses
    fichiers temporaires (tri, agrégats trop gros) sous ``var/duckdb`` par défaut."""
    import duckdb

    if temp_directory is None:
        from django.conf import settings

        temp_directory = Path(settings.VAR_DIR) / "duckdb"
    Path(temp_directory).mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        config={
            "memory_limit": memory_limit,
            "threads": threads,
            "temp_directory": str(temp_directory),
        }
    )


def load_communes(con: Any, codes: Iterable[str]) -> int:
    """La table ``communes(code)`` : les codes INSEE actuels (le référentiel ``core.Commune``)."""
    values = sorted(set(codes))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE communes AS SELECT unnest(?::VARCHAR[]) AS code", [values]
    )
    return len(values)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_sql(rf: RetireesFile, *, store_rejects: bool = False) -> str:
    """L'appel de lecture DuckDB du fichier (colonnes telles qu'écrites, CSV tout en texte).

    ``store_rejects`` : les lignes mal formées du CSV sont notées dans ``retraites_rejets``
    (sinon seulement écartées, les mêmes)."""
    path = quote_literal(str(rf.path))
    if rf.format == "parquet":
        return f"read_parquet({path}, file_row_number = true)"
    columns = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in rf.columns)
    rejects = (
        f"store_rejects = true, rejects_table = '{REJECTS_TABLE}', rejects_scan = '{REJECTS_SCAN}'"
        if store_rejects
        else "ignore_errors = true"
    )
    return (
        f"read_csv({path}, delim = ';', quote = '\"', escape = '\"', header = true, "
        f"auto_detect = false, columns = {{{columns}}}, encoding = 'utf-8', {rejects})"
    )


_INTEGER_TYPES = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "BOOLEAN",
)  # fmt: skip


def _is_integer(rf: RetireesFile, column: str) -> bool:
    return rf.format == "parquet" and rf.types.get(column, "").upper() in _INTEGER_TYPES


def _text(rf: RetireesFile, column: str) -> str:
    """La cellule en texte (pour les motifs et les colonnes de code)."""
    c = quote_ident(column)
    if rf.format == "csv" or rf.types.get(column, "").upper() == "VARCHAR":
        return c
    return f"CAST({c} AS VARCHAR)"


def _year(rf: RetireesFile, column: str) -> str:
    """L'année en entier : 4 caractères lus comme un nombre (``NULL`` sinon). Une valeur de
    1000 à 9999 n'a pu venir que de 4 chiffres ; les autres (« +195 », « 0x10 ») sortent des
    bornes."""
    c = quote_ident(column)
    if _is_integer(rf, column):
        return f"CAST({c} AS BIGINT)"
    t = _text(rf, column)
    return f"(CASE WHEN length({t}) = 4 THEN TRY_CAST({t} AS BIGINT) END)"


def _flag(rf: RetireesFile, column: str) -> str:
    """0 ou 1, ``NULL`` pour toute autre valeur."""
    if _is_integer(rf, column):
        c = f"CAST({quote_ident(column)} AS BIGINT)"
        return f"(CASE WHEN {c} IN (0, 1) THEN {c} END)"
    return f"(CASE {_text(rf, column)} WHEN '0' THEN 0 WHEN '1' THEN 1 END)"


def rows_sql(
    rf: RetireesFile,
    year: int,
    *,
    with_line: bool = False,
    store_rejects: bool = False,
    communes: bool = True,
) -> str:
    """La source SQL (sous-requête) des lignes du fichier pour l'année ``year``.

    Colonnes : ``id``, ``annee_txt``, ``annee`` (entier ou ``NULL``), ``commune_insee``,
    ``reversion_txt`` / ``reversion_v``, ``exonere_txt`` / ``exonere_v`` (0, 1 ou ``NULL``),
    ``age`` (``year − annee``), ``commune_connue`` (code du référentiel ou ``NULL``), les colonnes
    d'identité présentes (texte) ; avec ``with_line``, ``ordinal``, le rang de l'enregistrement
    dans le fichier (1, 2…), que :func:`with_lines` change en numéro de ligne une fois les lignes
    choisies (la numérotation garde l'ordre du fichier : la lecture parallèle passe alors par un
    seul fil, comptez-la deux fois plus lente).

    Il faut :func:`load_communes` sur la connexion (sauf ``communes=False`` : pas de
    ``commune_connue``, l'appelant joint le référentiel après avoir regroupé, bien plus vite sur
    14 millions de lignes). DuckDB ne lit que les colonnes dont la requête se sert."""
    year = int(year)
    identity = "".join(f", {_text(rf, c)} AS {quote_ident(c)}" for c in rf.identity)
    base = read_sql(rf, store_rejects=store_rejects)
    ordinal = ""
    if with_line and rf.format == "csv":
        names = ", ".join(quote_ident(c) for c in rf.columns)
        base = f"{base} WITH ORDINALITY AS f({names}, ordinal)"
        ordinal = ", ordinal"
    elif with_line:
        ordinal = ", file_row_number + 1 AS ordinal"
    known = "c.code" if communes else "NULL"
    join = "LEFT JOIN communes c ON c.code = r.commune_insee" if communes else ""
    return f"""(
        SELECT r.*, {year} - r.annee AS age, {known} AS commune_connue
        FROM (
            SELECT {_text(rf, "id")} AS id,
                   {_text(rf, "annee_naissance")} AS annee_txt,
                   {_year(rf, "annee_naissance")} AS annee,
                   {_text(rf, "commune_insee")} AS commune_insee,
                   {_text(rf, "reversion")} AS reversion_txt,
                   {_flag(rf, "reversion")} AS reversion_v,
                   {_text(rf, "exonere_csg")} AS exonere_txt,
                   {_flag(rf, "exonere_csg")} AS exonere_v{identity}{ordinal}
            FROM {base}
        ) r {join}
    )"""  # noqa: S608 (noms de colonnes et chemin cités, valeurs entières)


SKIPPED = "retraites_sautees"


def with_lines(rf: RetireesFile, selection: str) -> str:
    """``selection`` (une requête dont les lignes ont ``ordinal``) avec la colonne ``ligne`` :
    le numéro de ligne du fichier (l'en-tête est la ligne 1 ; Parquet : le rang). Pour un CSV,
    :func:`prepare_lines` doit avoir été appelée sur la connexion. À appliquer **après** le
    choix des lignes (les rejets, les personnes ciblées) : la jointure trie ce qu'elle reçoit."""
    if rf.format != "csv":
        return f"(SELECT q.*, q.ordinal AS ligne FROM ({selection}) q)"  # noqa: S608
    return (
        f"(SELECT q.*, q.ordinal + 1 + coalesce(s.skipped_before, 0) AS ligne "  # noqa: S608
        f"FROM ({selection}) q ASOF LEFT JOIN {SKIPPED} s ON q.ordinal > s.rows_before)"
    )


def prepare_lines(con: Any, rf: RetireesFile) -> list[tuple[int, str, str]]:
    """Après une lecture avec ``store_rejects`` (:func:`rows_sql`) : la table des lignes sans
    enregistrement (vides ou mal formées) dont :func:`with_lines` se sert, et le motif de chaque
    ligne mal formée ``(ligne, colonne, motif)``, dans l'ordre du fichier. Parquet : rien.

    Pour chaque ligne sautée ``s_i`` (``i`` = 1, 2… dans l'ordre), ``s_i − 1 − i``
    enregistrements la précèdent ; l'enregistrement ``n`` est donc à la ligne ``n + 1 +`` le
    plus grand ``i`` tel que ``s_i − 1 − i < n``."""
    if rf.format != "csv":
        return []
    expected = len(rf.columns)
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [REJECTS_TABLE]
    ).fetchone()[0]
    rejects = (
        con.execute(
            "SELECT line, any_value(error_type), any_value(column_name), "  # noqa: S608
            f"any_value(error_message) FROM {REJECTS_TABLE} GROUP BY line ORDER BY line"
        ).fetchall()
        if exists
        else []
    )
    malformed = [
        (int(line), *_structural(kind, column, message, expected))
        for line, kind, column, message in rejects
    ]
    skipped = sorted({*rf.blank_lines, *(line for line, _, _ in malformed)})
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {SKIPPED} AS "  # noqa: S608
        "SELECT rows_before, max(i) AS skipped_before FROM ("
        "  SELECT s - 1 - row_number() OVER (ORDER BY s) AS rows_before,"
        "         row_number() OVER (ORDER BY s) AS i FROM unnest(?::BIGINT[]) t(s)"
        ") GROUP BY rows_before",
        [skipped],
    )
    return malformed


def record_lines_warning(rf: RetireesFile, records: int, malformed: int) -> None:
    """Si des cellules entre guillemets contiennent des retours à la ligne, le dire : les
    numéros de ligne qui suivent la première sont alors ceux des enregistrements."""
    if rf.format != "csv":
        return
    expected = 1 + records + malformed + len(rf.blank_lines)
    if rf.physical_lines != expected:
        rf.warnings.append(
            "des cellules contiennent des retours à la ligne : les numéros de ligne cités "
            "peuvent être décalés après la première d'entre elles"
        )


def _structural(kind: str, column: str | None, message: str, expected: int) -> tuple[str, str]:
    import re

    found = re.search(r"Found: (\d+)", message or "")
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS") and found:
        n = int(found.group(1))
        return (
            column or "" if kind == "MISSING COLUMNS" else "",
            f"{n} colonnes au lieu de {expected}",
        )
    if kind == "UNQUOTED VALUE":
        return "", "guillemets mal placés ou non fermés"
    if kind == "INVALID ENCODING":
        return column or "", "caractère illisible (UTF-8 attendu)"
    if kind == "LINE SIZE OVER MAXIMUM":
        return "", "ligne trop longue"
    return column or "", "ligne illisible"


# --- validation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """Un motif de rejet : ``nature`` (pour le décompte), la colonne, la condition SQL du rejet
    sur les colonnes de :func:`rows_sql` et l'expression SQL du motif en français."""

    nature: str
    column: str
    condition: str
    reason: str


def checks(year: int) -> list[Check]:
    """Chaque motif de rejet d'une ligne, dans l'ordre des colonnes (formats.md §4, §6.2)."""
    year = int(year)
    low = year - MAX_AGE

    def q(expr: str) -> str:
        return f"'« ' || {expr} || ' »'"

    return [
        Check("id_manquant", "id", "id IS NULL OR id = ''", "'valeur manquante'"),
        Check(
            "annee_manquante", "annee_naissance", "annee_txt IS NULL OR annee_txt = ''",
            "'valeur manquante'",
        ),
        Check(
            "annee_illisible", "annee_naissance",
            "annee_txt <> '' AND (annee IS NULL OR annee < 1000)",
            f"{q('annee_txt')} || ' n''est pas une année'",
        ),
        Check(
            "annee_hors_bornes", "annee_naissance",
            f"annee >= 1000 AND (annee < {low} OR annee > {year})",
            f"{q('annee_txt')} || ' : année de naissance entre {low} et {year} attendue'",
        ),
        Check(
            "commune_manquante", "commune_insee",
            "commune_insee IS NULL OR commune_insee = ''", "'valeur manquante'",
        ),
        Check(
            "commune_inconnue", "commune_insee",
            "commune_insee <> '' AND commune_connue IS NULL",
            f"{q('commune_insee')} || ' : commune inconnue (code INSEE actuel attendu)'",
        ),
        Check(
            "reversion_manquante", "reversion",
            "reversion_txt IS NULL OR reversion_txt = ''", "'valeur manquante'",
        ),
        Check(
            "reversion_illisible", "reversion",
            "reversion_txt <> '' AND reversion_v IS NULL",
            f"{q('reversion_txt')} || ' : 0 ou 1 attendu'",
        ),
        Check(
            "exonere_manquante", "exonere_csg",
            "exonere_txt IS NULL OR exonere_txt = ''", "'valeur manquante'",
        ),
        Check(
            "exonere_illisible", "exonere_csg",
            "exonere_txt <> '' AND exonere_v IS NULL",
            f"{q('exonere_txt')} || ' : 0 ou 1 attendu'",
        ),
    ]  # fmt: skip


def valid_predicate(year: int, *, commune: bool = True) -> str:
    """Le prédicat SQL d'une ligne valide sur les colonnes de :func:`rows_sql` : identifiant
    présent, année de naissance entière de ``year − 125`` à ``year``, commune du référentiel,
    ``reversion`` et ``exonere_csg`` à 0 ou 1. Écrit sur les valeurs normalisées : c'est le
    chemin rapide de l'agrégation. Jamais ``NULL``. ``commune=False`` : tout sauf la commune
    (l'appelant regroupe par code puis joint le référentiel)."""
    year = int(year)
    known = "AND commune_connue IS NOT NULL " if commune else "AND commune_insee IS NOT NULL "
    return (
        "coalesce(id <> '' "
        f"AND annee BETWEEN {year - MAX_AGE} AND {year} "
        f"{known}AND reversion_v IS NOT NULL AND exonere_v IS NOT NULL, false)"
    )


#: le libellé de chaque nature de rejet (décompte du message et du journal)
NATURES = {
    "id_manquant": "identifiant manquant",
    "annee_manquante": "année de naissance manquante",
    "annee_illisible": "année de naissance illisible",
    "annee_hors_bornes": "année de naissance hors bornes",
    "commune_manquante": "commune manquante",
    "commune_inconnue": "commune inconnue",
    "reversion_manquante": "reversion manquante",
    "reversion_illisible": "reversion illisible",
    "exonere_manquante": "exonere_csg manquant",
    "exonere_illisible": "exonere_csg illisible",
    "ligne_mal_formee": "ligne mal formée",
}


def reasons_sql(year: int, relation: str, columns: Sequence[str] = ()) -> str:
    """Les motifs de rejet des lignes de ``relation`` (une table ou sous-requête aux colonnes
    de :func:`rows_sql`), une ligne par motif : ``columns`` puis ``nature``, ``colonne``,
    ``motif``, ``rang`` (l'ordre des colonnes du contrat). Une ligne valide n'en a aucun."""
    keep = "".join(f"{c}, " for c in columns)
    return "\nUNION ALL\n".join(
        f"SELECT {keep}'{c.nature}' AS nature, '{c.column}' AS colonne, "  # noqa: S608
        f"({c.reason}) AS motif, {i} AS rang FROM {relation} WHERE coalesce({c.condition}, false)"
        for i, c in enumerate(checks(year))
    )
