"""Les paramètres de l'observatoire d'un organisme : les âges qui ouvrent les tranches 2, 3 et 4
du score (formats.md §6.1 : 70, 80 et 90 ans par défaut).

Les nouveaux âges valent pour les imports suivants : une année déjà importée garde les âges
appliqués à son import (``ObservatoryImport.age_thresholds``) et ses agrégats."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.observatory.models import ObservatorySettings
from parcours.rules import fragility

if TYPE_CHECKING:
    from parcours.core.models import Organisation, User


def _written(thresholds: list[int]) -> str:
    return ", ".join(str(t) for t in thresholds)


@transaction.atomic
def update_age_thresholds(
    *, actor: User | None, organisation: Organisation, raw: object
) -> ObservatorySettings:
    """Enregistre les trois âges lus dans ``raw`` (liste ou « 70, 80, 90 » ; vide : les âges par
    défaut) par ``rules.fragility.clean_age_thresholds`` ; sinon ``BusinessError`` avec la raison
    en français (champ ``age_thresholds``). Journal : avant et après ; rien d'écrit quand les
    âges ne changent pas."""
    if actor is not None and actor.organisation_id != organisation.pk:
        raise BusinessError("Ces paramètres sont ceux d'un autre organisme.")
    thresholds, error = fragility.clean_age_thresholds(raw)
    if error:
        raise BusinessError({"age_thresholds": error})
    current = (
        ObservatorySettings.objects.select_for_update().filter(organisation=organisation).first()
    )
    created = current is None
    if current is None:
        before = list(fragility.DEFAULT_AGE_THRESHOLDS)
        current = ObservatorySettings(organisation=organisation)
    else:
        before = list(current.thresholds)
    after = list(thresholds)
    if after == before and not created:
        return current
    current.age_thresholds = after
    current.save()
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=current,
        organisation_id=organisation.pk,
        summary=(
            f"Tranches d'âge de l'observatoire : {_written(before)} → {_written(after)} "
            "(pour les prochains imports)"
        ),
        changes={"age_thresholds": {"avant": before, "apres": after}},
    )
    return current
