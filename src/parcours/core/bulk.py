"""Le moteur d'insertion en masse : écrire des dizaines de milliers de lignes sans l'ORM.

Utilisé par les imports (historique d'activité, extraits du ciblage) à travers les services
« en masse » de chaque domaine (``people/bulk.py``, ``cases/bulk.py``, ``groups/bulk.py``,
``outreach/bulk.py``), jamais directement par une vue.

- PostgreSQL : ``COPY … FROM STDIN`` (psycopg échappe tabulations, retours à la ligne et
  barres obliques inverses ; ``None`` devient ``NULL``) ; identifiants réservés d'avance dans
  la séquence de la table.
- SQLite : ``INSERT`` multi-lignes d'une taille fixe (la requête préparée est réutilisée d'un lot
  à l'autre), sous la limite de variables de SQLite, directement sur la connexion sqlite3 : ni
  conversion ``%s`` → ``?`` d'une longue requête, ni journal des requêtes en mode DEBUG (3 à 4 fois
  plus rapide que par le curseur de Django pour une table large). Les erreurs restent celles de
  Django (``IntegrityError``…).

Les valeurs sont préparées comme l'ORM le ferait (dates, horodatages conscients du fuseau,
heures, décimaux, JSON) ; les lignes ne passent ni par ``save()`` ni par des signaux : c'est à
l'appelant (un service « en masse ») de tenir les invariants de son domaine et son audit.
Ces services s'ouvrent par ``transaction.atomic(savepoint=False)`` : seuls, ils sont une
transaction ; appelés par lots dans celle d'un import, ils n'y ajoutent pas de point de
sauvegarde (des dizaines de sous-transactions qui écrivent ralentissent PostgreSQL).
"""

from __future__ import annotations

import json
import operator
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from parcours.core import audit as core_audit
from parcours.core.models import AuditEntry, User

CRASH_VARIABLE = "PARCOURS_COUPURE"


def crash_point(name: str) -> None:
    """Point de coupure des essais de reprise après panne : en environnement de test, si la
    variable ``PARCOURS_COUPURE`` vaut ``name``, le processus se tue net (SIGKILL) ici, au milieu
    de la transaction de l'import (des lignes écrites, rien de validé). Sans effet ailleurs."""
    if settings.ENV == "test" and os.environ.get(CRASH_VARIABLE) == name:
        sys.stderr.write(f"Coupure d'essai : {name}\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


#: Au plus tant de paramètres par requête SQLite : au-delà, la préparation d'une requête plus
#: longue coûte plus qu'elle ne fait gagner (mesuré de 4 à 33 colonnes).
SQLITE_PARAMS_PER_STATEMENT = 4000
#: Et au plus tant de lignes par requête.
SQLITE_ROWS_PER_STATEMENT = 1000
#: Lignes préparées à la fois pour COPY (mémoire bornée).
_COPY_CHUNK = 1000

#: Types de champs dont la valeur Python passe telle quelle au pilote (SQLite et PostgreSQL).
_PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "IntegerField",
        "SmallIntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "CharField",
        "SlugField",
        "EmailField",
        "URLField",
        "TextField",
        "FloatField",
    }
)

Prepare = Callable[[Any], Any]
Model = type[models.Model]


# ---------------------------------------------------------------- préparation des valeurs


def _value_field(f: models.Field) -> models.Field:
    """Le champ qui porte la valeur : la cible d'une clé étrangère, sinon le champ lui-même."""
    while isinstance(f, models.ForeignKey):  # OneToOneField en hérite
        f = f.target_field
    return f


def _preparer(f: models.Field) -> Prepare | None:
    """Ce qui rend une valeur Python acceptable pour le pilote (``None`` : rien à faire)."""
    target = _value_field(f)
    kind = target.get_internal_type()
    if kind in _PLAIN:
        return None
    if connection.vendor == "postgresql":
        # psycopg adapte dates, heures, décimaux et horodatages conscients du fuseau ; un
        # horodatage naïf passe par le champ (fuseau du projet, avec l'avertissement de Django).
        if isinstance(target, models.JSONField):
            encoder = target.encoder
            return lambda v: None if v is None else json.dumps(v, cls=encoder)
        if isinstance(target, models.DateTimeField):
            return lambda v: (
                v if v is None or v.tzinfo is not None else target.get_db_prep_save(v, connection)
            )
        return None
    if kind == "DateField":
        return lambda v: (
            v.isoformat() if type(v) is date else target.get_db_prep_save(v, connection)
        )
    return lambda v: target.get_db_prep_save(v, connection)


def _column(f: models.Field | None) -> str:
    """La colonne d'un champ concret (tout champ de ``_fields`` en a une)."""
    if f is None or not f.column:
        raise ValueError("Champ sans colonne.")
    return f.column


def _fields(model: Model, names: Sequence[str]) -> list[models.Field]:
    """Les champs concrets de ``names`` (nom ou nom d'attribut : ``person`` / ``person_id``)."""
    fields = []
    for name in names:
        f = model._meta.get_field(name)
        if not isinstance(f, models.Field) or not f.concrete or f.many_to_many:
            raise ValueError(f"{model.__name__}.{name} n'est pas une colonne de la table.")
        fields.append(f)
    return fields


# ---------------------------------------------------------------- écriture


def insert_rows(model: Model, names: list[str], rows: Sequence[tuple]) -> None:
    """Insère ``rows`` (un tuple par ligne, valeurs dans l'ordre de ``names``) dans la table de
    ``model``, sans instancier de modèles.

    ``names`` : noms de champs ou d'attributs (``organisation_id``) ; les colonnes absentes
    prennent la valeur par défaut de la base (il faut donc les donner toutes, sauf
    l'identifiant, que la base attribue s'il n'est pas dans ``names``). Les valeurs sont
    préparées comme par l'ORM. Rien n'est relu : voir :func:`reserve_ids` pour connaître les
    identifiants, ou :func:`insert_records`.
    """
    fields = _fields(model, names)
    _write(model, fields, [_preparer(f) for f in fields], rows)


def _write(
    model: Model,
    fields: Sequence[models.Field],
    preparers: Sequence[Prepare | None],
    rows: Sequence[tuple],
) -> None:
    if not rows:
        return
    steps = [(i, p) for i, p in enumerate(preparers) if p is not None]

    def prepared(chunk: Sequence[tuple]) -> Sequence[Sequence[Any]]:
        if not steps:
            return chunk
        out = []
        for row in chunk:
            values = list(row)
            for i, prepare in steps:
                values[i] = prepare(values[i])
            out.append(values)
        return out

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(f)) for f in fields)
    connection.validate_no_broken_transaction()
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            write_row = copy.write_row
            for start in range(0, len(rows), _COPY_CHUNK):
                for row in prepared(rows[start : start + _COPY_CHUNK]):
                    write_row(row)
        return
    if connection.vendor != "sqlite":  # pragma: no cover (seules bases du projet)
        raise NotImplementedError(connection.vendor)
    width = len(fields)
    size = max(1, min(SQLITE_ROWS_PER_STATEMENT, _sqlite_variable_limit() // width))
    one = "(" + ", ".join(["?"] * width) + ")"
    # Noms de table et de colonnes du modèle ; les valeurs passent en paramètres.
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    full = head + ", ".join([one] * size)
    with connection.cursor(), connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                sql = full if len(chunk) == size else head + ", ".join([one] * len(chunk))
                params = list(chain.from_iterable(prepared(chunk)))
                cursor.execute(sql, params)
        finally:
            cursor.close()


def _sqlite_variable_limit() -> int:
    """Paramètres par requête : la limite de cette bibliothèque SQLite, bornée pour la vitesse."""
    raw = connection.connection
    try:
        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python < 3.11
        limit = connection.features.max_query_params
    return min(limit, SQLITE_PARAMS_PER_STATEMENT)


def reserve_ids(model: Model, count: int) -> list[int]:
    """Réserve ``count`` identifiants pour des lignes de ``model`` à insérer.

    PostgreSQL : la séquence de la table (sûr en concurrence). SQLite : la suite du plus grand
    identifiant jamais attribué (``MAX(id)`` et ``sqlite_sequence``) ; il faut tenir le verrou
    d'écriture jusqu'à l'insertion, c'est-à-dire être dans ``transaction.atomic()`` (le projet
    ouvre ses transactions SQLite en ``IMMEDIATE``) : sinon ``RuntimeError``.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = _column(model._meta.pk)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids sur SQLite : à appeler dans transaction.atomic().")
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            highest = max(highest, found[0] if found else 0)
    return list(range(highest + 1, highest + 1 + count))


def insert_records(
    model: Model, records: Sequence[Mapping[str, Any]], *, ids: Sequence[int] | None = None
) -> list[int]:
    """Insère des lignes données comme ``{nom d'attribut: valeur}`` et renvoie leurs
    identifiants, dans l'ordre des lignes.

    Toutes les lignes ont les mêmes clés (celles de la première). Les autres colonnes reçoivent
    la valeur par défaut de leur champ (calculée une fois pour tout le lot), les dates
    automatiques (``auto_now``, ``auto_now_add``) maintenant. ``ids`` : identifiants déjà
    réservés par :func:`reserve_ids` (sinon ils le sont ici ; mêmes conditions).
    """
    if not records:
        return []
    ids = list(ids) if ids is not None else reserve_ids(model, len(records))
    if len(ids) != len(records):
        raise ValueError("Autant d'identifiants que de lignes.")
    opts = model._meta
    given = list(records[0])
    pk = opts.pk
    if pk.attname in given or pk.name in given:
        raise ValueError("L'identifiant se donne par ids=, pas dans les lignes.")
    constant_fields: list[models.Field] = []
    constants: list[Any] = []
    now = timezone.now()
    for f in opts.concrete_fields:
        if f is pk or f.attname in given or f.name in given:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = f.get_default()
        prepare = _preparer(f)
        constant_fields.append(f)
        constants.append(value if prepare is None else prepare(value))
    given_fields = _fields(model, given)
    fields = [pk, *given_fields, *constant_fields]
    preparers = [None, *(_preparer(f) for f in given_fields), *([None] * len(constants))]
    tail = tuple(constants)
    if len(given) == 1:
        key = given[0]
        rows = [(i, r[key], *tail) for i, r in zip(ids, records, strict=True)]
    else:
        values = operator.itemgetter(*given)
        rows = [(i, *values(r), *tail) for i, r in zip(ids, records, strict=True)]
    _write(model, fields, preparers, rows)
    return ids


def analyze(models_: Iterable[Model]) -> None:
    """Après une écriture massive, les statistiques du planificateur (ce que ferait
    l'autovacuum de PostgreSQL ; indispensable à SQLite pour choisir ses index)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


# ---------------------------------------------------------------- audit d'un lot


@dataclass
class BatchAudit:
    """L'entrée d'audit d'une écriture en masse : **une** ligne pour tout le lot.

    Chaque service « en masse » y compte ce qu'il crée (:meth:`add`) ; celui qui mène le lot
    (un import) l'écrit une fois à la fin, dans la même transaction (:meth:`record`), avec ce
    décompte ou le sien (l'import d'historique y met ses chiffres par fichier).
    """

    organisation_id: int
    object_type: str
    summary: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        """Compte ``count`` créations de ``what`` (nom de modèle)."""
        self.counts[what] = self.counts.get(what, 0) + count

    def record(self, *, actor: User | None, changes: dict | None = None) -> AuditEntry:
        """Écrit l'entrée : ``changes``, ou à défaut ``{"crees": le décompte}``."""
        return core_audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            object_type=self.object_type,
            organisation_id=self.organisation_id,
            summary=self.summary,
            changes=changes if changes is not None else {"crees": dict(self.counts)},
        )
