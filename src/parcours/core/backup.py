"""Sauvegarde et restauration de la base entière (exploitation : ``parcours sauvegarder`` et
``parcours restaurer``).

- SQLite : sauvegarde **à chaud** par l'API de sauvegarde de SQLite (copie cohérente page à page,
  pendant que l'application tourne) ; le fichier produit est une base SQLite ordinaire.
- PostgreSQL : ``pg_dump`` au format personnalisé (instantané cohérent), restauré par
  ``pg_restore`` en une seule transaction.

La restauration vise une base **vide** (aucune donnée dans les tables de Parcours) ; remplacer
une base qui contient des données demande ``remplacer=True``. Chaque opération écrit son entrée
du journal d'audit : la sauvegarde avant la copie (elle y figure), la restauration après.
La sauvegarde contient les NIR chiffrés : sans ``PARCOURS_NIR_KEY``, conservée à part, ils sont
illisibles (``docs/exploitation.md``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from parcours.core import audit
from parcours.core.models import AuditEntry

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Les tables dont une ligne suffit à dire que la base n'est pas vide.
DATA_TABLES = ("core_organisation", "core_user", "people_person")


class BackupError(Exception):
    """Une sauvegarde ou une restauration refusée ; le message, en français, dit pourquoi."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    vendor: str
    size: int
    people: int


def _count_people() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM people_person")
        return int(cursor.fetchone()[0])


def _pg_args(settings: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} est introuvable : installez les outils clients de PostgreSQL."
        ) from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["(sans message)"]
        raise BackupError(f"{what} a échoué : {detail[0]}")


def backup(target: Path) -> Outcome:
    """Copie cohérente de la base courante dans ``target`` (remplacé s'il existe)."""
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} est un dossier : donnez le chemin du fichier à écrire.")
    if not target.parent.is_dir():
        raise BackupError(f"Le dossier {target.parent} n'existe pas.")
    people = _count_people()
    audit.record(
        actor=None,
        action=AuditEntry.Action.READ,
        object_type="base",
        summary=f"Sauvegarde complète de la base ({people} personnes)",
    )
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".sauvegarde-")
    os.close(handle)
    partial = Path(name)
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(partial)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            args, env = _pg_args(connection.settings_dict)
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
                 f"--file={partial}", str(connection.settings_dict["NAME"])],
                env,
                "pg_dump",
            )  # fmt: skip
        else:
            raise BackupError(f"Base {connection.vendor} : sauvegarde non prise en charge.")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(target, connection.vendor, target.stat().st_size, people)


def kind_of(source: Path) -> str:
    """``sqlite`` ou ``postgresql`` d'après l'en-tête du fichier ; refus sinon."""
    try:
        with open(source, "rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise BackupError(f"Fichier introuvable : {source}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{source} n'est pas une sauvegarde de Parcours (ni SQLite ni pg_dump).")


def _holds_data() -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 (noms fixes)
                if cursor.fetchone():
                    return True
    return False


def _check_sqlite_file(source: Path) -> None:
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        has_people = check.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='people_person'"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Sauvegarde illisible : {error}.") from None
    finally:
        check.close()
    if result != "ok":
        raise BackupError(f"Sauvegarde endommagée (contrôle d'intégrité : {result}).")
    if not has_people:
        raise BackupError(f"{source} est une base SQLite, mais pas une base de Parcours.")


def restore(source: Path, *, replace: bool = False) -> Outcome:
    """Restaure ``source`` dans la base courante ; refuse une base qui contient des données."""
    source = Path(source)
    kind = kind_of(source)
    if kind != connection.vendor:
        raise BackupError(
            f"Sauvegarde {kind} : elle se restaure dans une base {kind}, "
            f"pas dans la base {connection.vendor} configurée (DATABASE_URL)."
        )
    if _holds_data() and not replace:
        raise BackupError(
            "La base de destination contient déjà des données : restaurez dans une base vide, "
            "ou confirmez le remplacement avec --remplacer."
        )
    settings = connection.settings_dict
    if kind == "sqlite":
        _check_sqlite_file(source)
        connection.close()
        connection.ensure_connection()  # crée le fichier de destination s'il n'existe pas
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:  # page à page, dans la base ouverte (journal WAL compris)
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        args, env = _pg_args(settings)
        connection.close()
        tables_exist = False
        with connection.cursor() as cursor:
            tables_exist = bool(connection.introspection.table_names(cursor))
        connection.close()
        clean = ["--clean", "--if-exists"] if tables_exist else []
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", *clean, *args, f"--dbname={settings['NAME']}", str(source)],
            env,
            "pg_restore",
        )  # fmt: skip
    connection.close()
    people = _count_people()
    audit.record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        object_type="base",
        summary=f"Restauration de la base depuis une sauvegarde ({people} personnes)",
    )
    return Outcome(source, kind, source.stat().st_size, people)
