"""Les rejets d'un import d'historique : tous comptés, les premiers gardés dans son rapport, le
reste résumé par motif, la liste complète dans un fichier à part (``core.rejections``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from parcours.core import audit, rejections
from parcours.core.models import AuditEntry
from parcours.steering.history.reading import Report

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.steering.models import HistoryImport

FIELDS = ("fichier", "ligne", "colonne", "motif")


def rejections_path(job: HistoryImport) -> Path:
    return rejections.path_for("historique", job.pk)


def result(report: Report, *, path: Path | None = None) -> dict[str, Any]:
    """Le rapport gardé en base d'un import (ou d'un essai) ; la liste complète des rejets est
    écrite dans ``path`` s'il est donné."""
    collector = rejections.Rejections(FIELDS, path=path)
    try:
        for problem in report.errors:
            collector.add(
                {
                    "fichier": problem.file,
                    "ligne": problem.line,
                    "colonne": problem.column,
                    "motif": problem.reason,
                }
            )
    except BaseException:
        collector.discard()
        raise
    collector.close()
    return {
        "lignes": report.lines(),
        "avertissements": report.warnings,
        "erreurs": collector.first,
        "nombre_erreurs": collector.count,
        "erreurs_par_motif": collector.summary(),
        "crees": report.created,
    }


def rejection_rows(job: HistoryImport) -> Iterator[list[Any]]:
    """Chaque rejet de l'import ``job`` (fichier, ligne, colonne, motif) : la liste complète,
    ou, à défaut (import antérieur), les rejets gardés dans son rapport."""
    path = rejections_path(job)
    if path.is_file():
        yield from rejections.read(path)
        return
    for error in job.result.get("erreurs", []):
        if isinstance(error, dict):
            yield [error.get(f) for f in FIELDS]
        else:  # rapport d'avant la reprise : le rejet en une phrase
            yield ["", None, "", str(error)]


@transaction.atomic
def record_rejections_read(*, actor: User, job: HistoryImport) -> None:
    """Le téléchargement des rejets (valeurs lues dans le lot) est journalisé."""
    count = job.result.get("nombre_erreurs", 0)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=job,
        summary=f"Téléchargement des {count} rejets de l'import d'historique n°{job.pk}",
        changes={"rejets": count},
    )
