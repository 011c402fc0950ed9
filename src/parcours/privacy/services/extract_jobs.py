"""L'extrait pseudonymisé lancé du web : la demande, enregistrée et journalisée, part en tâche de
fond (``privacy.tasks.run_extract``) après la validation."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from parcours.core import audit
from parcours.core.models import User
from parcours.privacy.models import ExtractRun
from parcours.privacy.services.extract import FORMATS, ExtractError
from parcours.privacy.tasks import run_extract


@transaction.atomic
def start_extract(*, actor: User, year: int, fmt: str, by: Sequence[str] = ()) -> ExtractRun:
    """Enregistre la demande d'un extrait de l'organisme de ``actor`` et le lance en tâche de
    fond (après la validation) ; la clé est toujours neuve."""
    if fmt not in FORMATS:
        raise ExtractError(f"Format « {fmt} » : choisissez csv ou parquet.")
    if actor.organisation_id is None:
        raise ExtractError("L'extrait se fait pour l'organisme de l'agent.")
    run = ExtractRun.objects.create(
        organisation_id=actor.organisation_id,
        year=year,
        fmt=fmt,
        aggregated_by=list(by),
        created_by=actor,
    )
    audit.record_write(actor=actor, obj=run, before=None, person_id=None)
    transaction.on_commit(lambda: run_extract.enqueue(run.pk))
    return run
