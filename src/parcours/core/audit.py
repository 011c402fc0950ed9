"""Journal d'audit : qui, quand, quoi, avant/après — écrit dans la transaction de l'action."""

import functools
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models

from parcours.core import clock
from parcours.core.models import AuditEntry

SECRET_FIELDS = frozenset({"nir_encrypted", "nir_hash", "password"})

#: Types d'objet du journal qui ne sont pas des modèles de Parcours.
EXTRA_OBJECT_TYPES = {
    "connexion": "Connexion",
    "totp": "Second facteur",
    "base": "Base de données",
    "export": "Export",
}


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Les valeurs des champs concrets (clés étrangères par identifiant), sans les secrets."""
    result = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields and field.name not in fields):
            continue
        result[field.name] = _jsonable(getattr(obj, field.attname))
    return result


def diff(before: dict, after: dict) -> dict:
    keys = set(before) | set(after)
    return {
        k: {"avant": before.get(k), "apres": after.get(k)}
        for k in sorted(keys)
        if before.get(k) != after.get(k)
    }


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    person_id: int | None = None,
    summary: str = "",
    changes: dict | None = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.model_name or ""
        object_id = object_id or str(obj.pk)
        organisation_id = organisation_id or getattr(obj, "organisation_id", None)
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    return AuditEntry.objects.create(
        organisation_id=organisation_id,
        actor=actor if actor is not None and actor.pk else None,
        at=clock.now(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        summary=summary[:300],
        changes=changes or {},
    )


def record_write(
    *,
    actor,
    obj: models.Model,
    before: dict | None,
    person_id: int | None,
    summary: str = "",
    fields: list[str] | None = None,
    object_type: str = "",
) -> AuditEntry:
    """Création (``before`` vide : tout « après ») ou modification (l'écart) de ``obj`` ;
    ``fields`` restreint les champs repris, comme ``snapshot``."""
    after = snapshot(obj, fields)
    if before is None:
        action, changes = (
            AuditEntry.Action.CREATE,
            {k: {"avant": None, "apres": v} for k, v in after.items()},
        )
    else:
        action, changes = AuditEntry.Action.UPDATE, diff(before, after)
    return record(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        person_id=person_id,
        summary=summary,
        changes=changes,
    )


@functools.cache
def audited_models() -> dict[str, type[models.Model]]:
    """Les modèles de Parcours par ``model_name`` (la valeur de ``AuditEntry.object_type``)."""
    return {
        name: model
        for model in apps.get_models()
        if model.__module__.startswith("parcours.") and (name := model._meta.model_name)
    }


@functools.cache
def object_type_labels() -> dict[str, str]:
    """Le libellé de chaque type d'objet du journal, avec une majuscule."""
    labels = {name: str(model._meta.verbose_name) for name, model in audited_models().items()}
    labels |= EXTRA_OBJECT_TYPES
    return {name: label[:1].upper() + label[1:] for name, label in labels.items()}


def record_export(
    *,
    actor,
    what: str,
    count: int,
    obj: models.Model | None = None,
    object_type: str = "export",
    listing: bool = False,
    criteria: dict | None = None,
) -> AuditEntry:
    """Toute lecture qui montre ou remet des données personnelles en nombre (fichier exporté,
    liste, résultats de recherche) laisse une ligne : qui, quand, quoi (``what``, en français),
    combien de personnes (``count``) et selon quels critères — jamais les données elles-mêmes.

    ``listing`` distingue une liste consultée à l'écran (« LIST ») d'un fichier remis (« EXPORT »).
    """
    return record(
        actor=actor,
        action=AuditEntry.Action.LIST if listing else AuditEntry.Action.EXPORT,
        obj=obj,
        object_type=object_type if obj is None else "",
        summary=f"{what} ({count} personne{'s' if count > 1 else ''})",
        changes={"personnes": count, **({"criteres": criteria} if criteria else {})},
    )
