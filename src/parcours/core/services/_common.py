"""Outils communs des écritures d'administration : clés, codes, audit, verrous."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model

from parcours.core import audit
from parcours.core.models import AuditEntry

if TYPE_CHECKING:
    from parcours.core.models import Organisation, User

M = TypeVar("M", bound=Model)


def _key(value: object) -> object:
    """Un objet ou sa clé → la clé (code de département ou de commune, identifiant)."""
    return getattr(value, "pk", value)


def _codes(values: Iterable[object] | None) -> list[str]:
    return sorted({str(_key(v)).strip().upper() for v in values or () if str(_key(v)).strip()})


def _covered(organisation: Organisation) -> set[str]:
    return set(organisation.departements.values_list("code", flat=True))


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _record(
    *,
    actor: User | None,
    obj: Model,
    before: dict | None,
    after: dict,
    summary: str,
    organisation_id: int | None,
    object_type: str = "",
) -> AuditEntry:
    """Comme ``audit.record_write`` (création : tout « après » ; modification : l'écart), avec
    en plus les relations multiples (départements, communes) et l'organisme explicite."""
    if before is None:
        action = AuditEntry.Action.CREATE
        changes = {k: {"avant": None, "apres": v} for k, v in after.items()}
    else:
        action = AuditEntry.Action.UPDATE
        changes = audit.diff(before, after)
    return audit.record(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        summary=summary,
        changes=changes,
        organisation_id=organisation_id,
    )


def _lock(model: type[M], pk: object) -> M:
    return model._default_manager.select_for_update().get(pk=pk)
