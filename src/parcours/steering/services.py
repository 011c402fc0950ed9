"""Écritures du pilotage : les objectifs annuels des indicateurs."""

from decimal import Decimal

from django.db import transaction

from parcours.core import audit
from parcours.steering.indicators import BY_CODE
from parcours.steering.models import Target


@transaction.atomic
def set_targets(*, actor, organisation_id: int, year: int, where, values: dict) -> int:
    """Enregistre les objectifs ``{code: Decimal | None}`` de ``year`` pour le territoire
    ``where`` ; None efface l'objectif. Renvoie le nombre d'objectifs modifiés."""
    changed = {}
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
            existing.delete()
        elif existing:
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
