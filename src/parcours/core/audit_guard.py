"""Le journal d'audit ne s'efface pas : la base refuse ``DELETE`` (et, sur PostgreSQL,
``TRUNCATE``) comme elle refuse ``UPDATE`` (migration ``core_audit_refuse_delete``).

Le déclencheur laisse passer une seule porte, explicite : ``allow_deletion()``. Sur PostgreSQL
elle pose le réglage de session ``parcours.audit_purge`` ; sur SQLite, la fonction SQL
``parcours_audit_purge()`` (enregistrée sur chaque connexion de l'application) répond 1 pendant
le bloc. Une connexion ouverte hors de l'application (client ``sqlite3``) ne connaît pas cette
fonction : la suppression y échoue aussi.

Qui passe par cette porte :

- le vidage des bases de test entre deux tests transactionnels (``tests/conftest.py``) ;
- la purge de conservation (durée de conservation du journal) : :func:`purge_before`, le seul
  service qui efface des entrées, appelé par ``parcours rgpd purger`` (et sa tâche quotidienne)
  seulement ; une entrée d'audit dit qui a purgé combien d'entrées, jusqu'à quelle date, dans
  la même transaction. Rien d'autre ; aucune vue n'efface le journal.

Ce n'est pas une barrière contre le propriétaire de la base (qui peut retirer un déclencheur) :
c'est une garde contre une écriture applicative fautive ou une manipulation à la main.
"""

import contextlib
import contextvars
import datetime

from django.db import connections, transaction

_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_purge", default=False)


def _sqlite_permit() -> int:
    return 1 if _allowed.get() else 0


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """Branché sur ``connection_created`` : la fonction que consulte le déclencheur SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("parcours_audit_purge", 0, _sqlite_permit)


def _set_postgres(connection, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('parcours.audit_purge', %s, false)", [value])


@contextlib.contextmanager
def allow_deletion(using: str = "default"):
    """Le seul passage qui laisse effacer des entrées du journal (voir plus haut qui l'emprunte)."""
    connection = connections[using]
    token = _allowed.set(True)
    try:
        if connection.vendor == "postgresql":
            _set_postgres(connection, "on")
        yield
    finally:
        if connection.vendor == "postgresql":
            _set_postgres(connection, "off")
        _allowed.reset(token)


def purge_before(*, organisation_id: int, before: datetime.datetime, actor=None) -> int:
    """Efface les entrées du journal de l'organisme antérieures à ``before`` (durée de
    conservation échue) et l'écrit au journal, dans la même transaction : qui, combien, jusqu'à
    quelle date. Le seul chemin applicatif qui efface le journal. Renvoie le nombre effacé."""
    from parcours.core import audit
    from parcours.core.models import AuditEntry

    with transaction.atomic(), allow_deletion():
        old = AuditEntry.objects.filter(organisation_id=organisation_id, at__lt=before)
        deleted, _ = old.delete()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            object_type="auditentry",
            organisation_id=organisation_id,
            summary=(
                f"Purge du journal : {deleted} entrée{'s' if deleted > 1 else ''} "
                f"antérieure{'s' if deleted > 1 else ''} au {before:%d/%m/%Y} supprimée"
                f"{'s' if deleted > 1 else ''} (durée de conservation échue)"
            ),
            changes={"supprimees": deleted, "anterieures_au": before.date().isoformat()},
        )
    return deleted
