"""L'extrait pseudonymisé pour les statistiques (formats.md §8) : écrit un fichier, journalisé.

- **Pseudonyme** : HMAC-SHA256, sous une clé propre à l'extrait, de ``parcours.extrait/1:<id>``
  (``id`` : l'identifiant interne de la personne) ; les 15 premiers octets, en base32 minuscule
  sans remplissage : 24 caractères. Même personne → même pseudonyme dans un extrait ; la clé
  change d'un extrait à l'autre (32 octets tirés par ``secrets``), sauf si ``key_file`` la garde.
  Elle n'a rien à voir avec les clés du NIR (``core/crypto.py``), que l'on refuse en clé d'extrait.
- **Fichier de clé** : 64 chiffres hexadécimaux sur une ligne, droits 0600. Absent, il est créé
  (au même moment que le fichier de l'extrait, jamais pour un extrait qui échoue) ; présent, il
  doit n'être lisible que de son propriétaire. La clé n'est jamais écrite ailleurs (ni journal, ni
  sortie).
- **Rien d'écrit à moitié** : le fichier se prépare à côté de sa destination (``.extrait-*``,
  droits 0600) et n'est renommé qu'une fois complet et le journal écrit ; sinon il est effacé.
- **Parquet** : les lignes s'écrivent d'abord en CSV (en flux), que DuckDB convertit ensuite en
  Parquet par groupes de lignes, sans tout charger.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from parcours.core import audit, clock, tabular
from parcours.core.models import AuditEntry, Organisation, User
from parcours.privacy.models import DIMENSION_LABELS
from parcours.privacy.queries import extract as queries
from parcours.rules import secrecy

FORMATS = ("csv", "parquet")
#: Dimensions permises pour ``--agregats`` (une valeur par ligne ; pas les listes de codes).
DIMENSIONS = tuple(DIMENSION_LABELS)
AGGREGATE_COLUMNS = ("personnes", "entretiens", "secret")
KEY_BYTES = 32
PSEUDONYM_BYTES = 15
DOMAIN = b"parcours.extrait/1:"
#: Types des colonnes en Parquet (le reste : chaînes).
PARQUET_TYPES = {
    "date": "DATE",
    "duree_minutes": "INTEGER",
    "personnes": "INTEGER",
    "entretiens": "INTEGER",
    "secret": "INTEGER",
}
CLI = "ligne de commande"


class ExtractError(Exception):
    """Une demande d'extrait refusée ; le message, en français, dit quoi corriger."""


@dataclass
class Outcome:
    path: Path | None
    rows: int
    people: int
    key_kept: bool
    key_created: bool
    aggregated_by: list[str] = field(default_factory=list)
    secret_cells: int = 0


def pseudonymiser(key: bytes) -> Callable[[int], str]:
    """La fonction ``id de personne → pseudonyme`` d'un extrait de clé ``key`` (calculé une fois
    par personne : une entrée par personne de l'extrait en mémoire)."""
    known: dict[int, str] = {}

    def pseudonym(person_id: int) -> str:
        found = known.get(person_id)
        if found is None:
            digest = hmac.digest(key, DOMAIN + str(person_id).encode(), "sha256")
            found = known[person_id] = base64.b32encode(digest[:PSEUDONYM_BYTES]).decode().lower()
        return found

    return pseudonym


def parse_year(value: str, *, today_year: int) -> int:
    text = (value or "").strip()
    if len(text) != 4 or not text.isdigit():
        raise ExtractError(f"--annee : « {value} » n'est pas une année sur quatre chiffres (AAAA).")
    year = int(text)
    if year > today_year:
        raise ExtractError(f"--annee : {year} est dans le futur (nous sommes en {today_year}).")
    if year < 1900:
        raise ExtractError(f"--annee : {year} est trop ancienne.")
    return year


def parse_dimensions(value: str) -> list[str]:
    dims = [d.strip() for d in (value or "").split(",") if d.strip()]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if not dims or unknown:
        raise ExtractError(
            f"--agregats : « {value} » ; dimensions possibles, séparées par des virgules : "
            + ", ".join(DIMENSIONS)
            + "."
        )
    if len(set(dims)) != len(dims):
        raise ExtractError(f"--agregats : « {value} » nomme deux fois la même dimension.")
    return dims


def _nir_keys() -> set[str]:
    return {str(settings.PARCOURS_NIR_KEY), str(settings.PARCOURS_NIR_HMAC_KEY)}


def _read_key(path: Path) -> bytes:
    if not path.is_file():
        raise ExtractError(f"--cle : {path} n'est pas un fichier.")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ExtractError(
            f"--cle : {path} est lisible par d'autres (droits {mode:04o}) ; "
            f"restreignez-le d'abord : chmod 600 {path}"
        )
    text = path.read_text(encoding="ascii", errors="replace").strip()
    if text in _nir_keys():
        raise ExtractError("--cle : ce fichier contient une clé du NIR ; il en faut une à part.")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ExtractError(
            f"--cle : {path} ne contient pas une clé d'extrait "
            f"({KEY_BYTES * 2} chiffres hexadécimaux)."
        )
    return key


def _check_target(path: Path, what: str) -> None:
    if path.is_dir():
        raise ExtractError(f"{what} : {path} est un dossier ; donnez le chemin du fichier.")
    parent = path.parent
    if not parent.is_dir():
        raise ExtractError(f"{what} : le dossier {parent} n'existe pas.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExtractError(f"{what} : impossible d'écrire dans le dossier {parent}.")


def _temp_beside(path: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".extrait-", suffix=suffix)
    os.close(handle)
    return Path(name)


def _csv_to_parquet(source: Path, target: Path, header: Sequence[str]) -> None:
    import duckdb

    columns = {name: PARQUET_TYPES.get(name, "VARCHAR") for name in header}
    con = duckdb.connect(config={"threads": 1, "memory_limit": "128MB"})
    try:
        con.execute(
            "COPY (SELECT * FROM read_csv(?, delim = ';', quote = '\"', header = true, "
            "columns = ?, nullstr = '')) TO ? (FORMAT parquet, COMPRESSION zstd)",
            [str(source), columns, str(target)],
        )
    finally:
        con.close()


def _dicts(rows: Iterable[Sequence[object]]) -> Iterator[dict[str, object]]:
    for row in rows:
        yield dict(zip(queries.COLUMNS, row, strict=True))


def write_extract(
    *,
    actor: User | None,
    organisation: Organisation,
    year: int,
    fmt: str,
    output: Path | None,
    key_file: Path | None = None,
    by: Sequence[str] = (),
    stdout: IO[str] | None = None,
    origin: str = CLI,
) -> Outcome:
    """Écrit l'extrait (une ligne par entretien) ou, avec ``by``, ses agrégats sous secret
    statistique, dans ``output`` (ou ``stdout`` en CSV) ; journalise l'export."""
    if fmt not in FORMATS:
        raise ExtractError(f"--format : « {fmt} » ; choisissez csv ou parquet.")
    if output is None and (fmt != "csv" or stdout is None):
        raise ExtractError(f"--format {fmt} : indiquez le fichier à écrire avec --sortie.")
    if output is not None:
        _check_target(output, "--sortie")
    key_created = False
    if key_file is not None:
        if key_file.exists():
            key = _read_key(key_file)
        else:
            _check_target(key_file, "--cle")
            key, key_created = secrets.token_bytes(KEY_BYTES), True
    else:
        key = secrets.token_bytes(KEY_BYTES)
    rows: Iterable[Sequence[object]] = queries.rows(organisation, year, pseudonymiser(key))
    header: Sequence[str] = queries.COLUMNS
    cells: list[secrecy.Cell] = []
    if by:
        cells = secrecy.aggregates(_dicts(rows), list(by))
        header = [*by, *AGGREGATE_COLUMNS]
        rows = [list(cell.as_row(by).values()) for cell in cells]

    temps: list[Path] = []
    try:
        if output is None:
            assert stdout is not None
            written = tabular.write_csv(stdout, header, rows)
            final: Path | None = None
        else:
            final = _temp_beside(output, ".part")
            temps.append(final)
            if fmt == "csv":
                with final.open("w", encoding="utf-8", newline="") as out:
                    written = tabular.write_csv(out, header, rows)
            else:
                staging = _temp_beside(output, ".csv")
                temps.append(staging)
                with staging.open("w", encoding="utf-8", newline="") as out:
                    written = tabular.write_csv(out, header, rows)
                _csv_to_parquet(staging, final, header)
        key_temp = None
        if key_created:
            assert key_file is not None
            key_temp = _temp_beside(key_file, ".cle")
            temps.append(key_temp)
            key_temp.write_text(key.hex() + "\n", encoding="ascii")
        contacts, people = queries.summary(organisation, year)
        with transaction.atomic():
            _record(
                actor=actor,
                organisation=organisation,
                year=year,
                fmt=fmt,
                rows=written,
                contacts=contacts,
                people=people,
                key_kept=key_file is not None,
                by=list(by),
                origin=origin,
            )
            if key_temp is not None:
                assert key_file is not None
                key_temp.replace(key_file)
            if final is not None:
                assert output is not None
                final.replace(output)
    except OSError as error:
        raise ExtractError(f"Écriture impossible : {error.strerror or error}.") from None
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    return Outcome(
        path=output,
        rows=written,
        people=people,
        key_kept=key_file is not None,
        key_created=key_created,
        aggregated_by=list(by),
        secret_cells=sum(1 for c in cells if c.secret),
    )


def _record(
    *,
    actor: User | None,
    organisation: Organisation,
    year: int,
    fmt: str,
    rows: int,
    contacts: int,
    people: int,
    key_kept: bool,
    by: list[str],
    origin: str,
) -> Any:
    what = "Agrégats de l'extrait pseudonymisé" if by else "Extrait pseudonymisé"
    return audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="export",
        organisation_id=organisation.pk,
        summary=f"{what} {year}, {origin} ({people} personne{'s' if people > 1 else ''})",
        changes={
            "personnes": people,
            "criteres": {
                "annee": year,
                "format": fmt,
                "agregats": by,
                "origine": origin,
            },
            "lignes": rows,
            "entretiens": contacts,
            "cle_conservee": key_kept,
            "date": clock.today().isoformat(),
        },
    )


# ---------------------------------------------------------------- depuis le web


def extracts_folder() -> Path:
    """Où les extraits lancés du web sont rangés (``var/extraits/``)."""
    return Path(settings.VAR_DIR) / "extraits"


def record_extract_download(*, actor: User, run: Any) -> Any:
    """Le téléchargement d'un extrait déjà écrit : une ligne « Export » de plus au journal."""
    return audit.record_export(
        actor=actor,
        what=f"Extrait pseudonymisé {run.year} téléchargé",
        count=run.people or 0,
        obj=run,
    )
