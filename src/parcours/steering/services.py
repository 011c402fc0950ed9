"""Écritures du pilotage : les objectifs annuels des indicateurs."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit
from parcours.steering.indicators import BY_CODE
from parcours.steering.models import HistoryImport, Target

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from parcours.core.models import User
    from parcours.steering.report import Territory


@transaction.atomic
def set_targets(
    *,
    actor: User,
    organisation_id: int,
    year: int,
    where: Territory,
    values: dict[str, Decimal | None],
) -> int:
    """Enregistre les objectifs ``{code: Decimal | None}`` de ``year`` pour le territoire
    ``where`` ; None efface l'objectif. Renvoie le nombre d'objectifs modifiés."""
    changed: dict[str, dict[str, str | None]] = {}
    for code, value in values.items():
        if code not in BY_CODE:
            raise ValueError(code)
        existing = Target.objects.filter(
            organisation_id=organisation_id,
            indicator=code,
            year=year,
            level=where.level,
            territory_code=where.code,
        ).first()
        before = existing.value if existing else None
        if value == before:
            continue
        if value is None:
            if existing is not None:
                existing.delete()
        elif existing is not None:
            existing.value, existing.updated_by = Decimal(value), actor
            existing.save()
        else:
            Target.objects.create(
                organisation_id=organisation_id,
                indicator=code,
                year=year,
                level=where.level,
                territory_code=where.code,
                value=value,
                updated_by=actor,
            )
        changed[code] = {
            "avant": str(before) if before is not None else None,
            "apres": str(value) if value is not None else None,
        }
    if changed:
        audit.record(
            actor=actor,
            action="UPDATE",
            object_type="objectifs",
            object_id=f"{year}-{where.level}-{where.code}",
            organisation_id=organisation_id,
            summary=f"Objectifs {year} — {where.label}",
            changes=changed,
        )
    return len(changed)


@transaction.atomic
def start_history_import(
    *,
    actor: User,
    upload: UploadedFile | None = None,
    dry_run: bool,
    previous: HistoryImport | None = None,
) -> HistoryImport:
    """Enregistre le lot déposé (ou reprend celui d'un essai) et lance l'import en tâche de fond."""
    import uuid

    from django.conf import settings

    from parcours.steering.tasks import run_history_import

    organisation_id = actor.organisation_id
    if organisation_id is None:
        raise ValueError("L'import d'historique se fait pour l'organisme de l'agent.")
    if previous is not None:
        name, stored = previous.file_name, previous.stored_as
    elif upload is None:
        raise ValueError("Ni lot déposé ni essai à reprendre.")
    else:
        folder = settings.VAR_DIR / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        stored = str(folder / f"{uuid.uuid4().hex}.zip")
        with open(stored, "wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        name = (upload.name or "")[:200]
    job = HistoryImport.objects.create(
        organisation_id=organisation_id,
        file_name=name,
        stored_as=stored,
        dry_run=dry_run,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="CREATE",
        obj=job,
        summary=f"Import d'historique {'(essai) ' if dry_run else ''}: {name}",
    )
    transaction.on_commit(lambda: run_history_import.enqueue(job.pk))
    return job
