"""Écritures du registre des traitements et des durées de conservation : chacune dans sa
transaction, avec sa ligne du journal. Les exports du registre laissent aussi leur ligne."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.models import AuditEntry, Organisation
from parcours.privacy.defaults import DEFAULT_REGISTER
from parcours.privacy.models import Processing, RetentionRules
from parcours.rules import retention

if TYPE_CHECKING:
    from parcours.core.models import User

#: champs d'une ligne saisis par l'administrateur (et repris dans le journal)
PROCESSING_FIELDS = [
    "code",
    "name",
    "purpose",
    "legal_basis",
    "health_condition",
    "data_categories",
    "people_categories",
    "recipients",
    "retention_rule",
    "retention",
    "articles",
]
REQUIRED = {
    "code": "Donnez un code (lettres minuscules, chiffres et tirets).",
    "name": "Donnez le nom du traitement.",
    "purpose": "Décrivez la finalité du traitement.",
    "legal_basis": "Choisissez la base légale.",
    "data_categories": "Indiquez au moins une catégorie de données.",
    "people_categories": "Indiquez au moins une catégorie de personnes.",
    "recipients": "Indiquez au moins un destinataire.",
}
NO_RETENTION = "Indiquez la durée de conservation, ou choisissez la durée de l'organisme appliquée."
RETENTION_FIELDS = list(retention.BOUNDS)


def _clean(data: dict) -> dict[str, str]:
    values = {field: str(data.get(field) or "").strip() for field in PROCESSING_FIELDS}
    errors = {field: message for field, message in REQUIRED.items() if not values[field]}
    if values["legal_basis"] and values["legal_basis"] not in Processing.LegalBasis.values:
        errors["legal_basis"] = "Base légale inconnue."
    if values["retention_rule"] and values["retention_rule"] not in Processing.RetentionRule.values:
        errors["retention_rule"] = "Durée de l'organisme inconnue."
    if not values["retention_rule"] and not values["retention"]:
        errors["retention"] = NO_RETENTION
    if errors:
        raise BusinessError(errors)
    return values


def _code_taken() -> BusinessError:
    return BusinessError({"code": "Ce code est déjà celui d'un autre traitement du registre."})


@transaction.atomic
def create_processing(*, actor: User, organisation: Organisation, data: dict) -> Processing:
    """Une nouvelle ligne du registre de ``organisation``."""
    values = _clean(data)
    if Processing.objects.filter(organisation=organisation, code=values["code"]).exists():
        raise _code_taken()
    processing = Processing.objects.create(organisation=organisation, updated_by=actor, **values)
    audit.record_write(
        actor=actor,
        obj=processing,
        before=None,
        person_id=None,
        fields=PROCESSING_FIELDS,
        summary=f"Registre des traitements : « {processing.name} » ajouté",
    )
    return processing


@transaction.atomic
def update_processing(
    *, actor: User, processing: Processing, data: dict, expected_version: int
) -> Processing:
    """Modifie une ligne ; ``expected_version`` est la version affichée au début de la saisie :
    si une autre a été enregistrée depuis, ``ConflictError`` porte la ligne enregistrée."""
    current = Processing.objects.select_for_update().get(pk=processing.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    values = _clean(data)
    taken = Processing.objects.filter(organisation_id=current.organisation_id, code=values["code"])
    if taken.exclude(pk=current.pk).exists():
        raise _code_taken()
    before = audit.snapshot(current, PROCESSING_FIELDS)
    for field, value in values.items():
        setattr(current, field, value)
    current.version += 1
    current.updated_by = actor
    current.save()
    audit.record_write(
        actor=actor,
        obj=current,
        before=before,
        person_id=None,
        fields=PROCESSING_FIELDS,
        summary=f"Registre des traitements : « {current.name} » modifié (version "
        f"{current.version})",
    )
    return current


@transaction.atomic
def delete_processing(*, actor: User, processing: Processing, expected_version: int) -> None:
    """Retire une ligne du registre ; refusée (``ConflictError``) si elle a changé depuis
    son affichage."""
    current = Processing.objects.select_for_update().get(pk=processing.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    before = audit.snapshot(current, PROCESSING_FIELDS)
    pk, name = current.pk, current.name
    current.delete()
    audit.record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="processing",
        object_id=str(pk),
        organisation_id=processing.organisation_id,
        summary=f"Registre des traitements : « {name} » retiré",
        changes={k: {"avant": v, "apres": None} for k, v in before.items()},
    )


@transaction.atomic
def seed_default_register(*, actor: User | None, organisation: Organisation) -> int:
    """Le registre par défaut (``privacy.defaults``) pour un organisme qui n'a encore aucune
    ligne ; rien si son registre existe déjà. Rend le nombre de lignes créées."""
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if Processing.objects.filter(organisation=organisation).exists():
        return 0
    try:
        with transaction.atomic():
            Processing.objects.bulk_create(
                Processing(organisation=organisation, updated_by=actor, **row)
                for row in DEFAULT_REGISTER
            )
    except IntegrityError:  # une initialisation concurrente est passée avant
        return 0
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="processing",
        organisation_id=organisation.pk,
        summary=f"Registre des traitements initialisé ({len(DEFAULT_REGISTER)} traitements "
        "par défaut)",
        changes={"traitements": [row["code"] for row in DEFAULT_REGISTER]},
    )
    return len(DEFAULT_REGISTER)


@transaction.atomic
def update_retention_rules(
    *, actor: User | None, organisation: Organisation, values: dict
) -> RetentionRules:
    """Enregistre les durées de conservation de l'organisme, dans les bornes de
    ``rules.retention`` (sinon ``BusinessError``, champ par champ)."""
    errors = retention.validate(values)
    if errors:
        raise BusinessError(errors)
    rules = RetentionRules.objects.select_for_update().filter(organisation=organisation).first()
    before = audit.snapshot(rules, RETENTION_FIELDS) if rules else None
    if rules is None:
        rules = RetentionRules(organisation=organisation)
    for field in RETENTION_FIELDS:
        setattr(rules, field, values[field])
    rules.save()
    audit.record_write(
        actor=actor,
        obj=rules,
        before=before,
        person_id=None,
        fields=RETENTION_FIELDS,
        summary="Durées de conservation enregistrées",
    )
    return rules


@transaction.atomic
def record_register_export(
    *, actor: User | None, organisation: Organisation, count: int, fmt: str
) -> AuditEntry:
    """Le registre remis en fichier (PDF, JSON) : qui, quand, combien de lignes (aucune donnée
    sur une personne)."""
    return audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="export",
        organisation_id=organisation.pk,
        summary=f"Registre des traitements ({count} traitement{'s' if count > 1 else ''}, {fmt})",
        changes={"traitements": count, "format": fmt},
    )
