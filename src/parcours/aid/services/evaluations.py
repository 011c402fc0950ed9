"""Évaluations globales des besoins (grille AGGIR, GIR, plan d'aide) et leur transmission."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.aid.models import (
    Evaluation,
    PlanLine,
    Transmission,
)
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.partners.models import Partner as PartnerModel
from parcours.rules import aggir
from parcours.rules import evaluation as evaluation_rules

if TYPE_CHECKING:
    from collections.abc import Sequence

    from parcours.core.models import User
    from parcours.partners.models import Convention
    from parcours.people.models import Person


@transaction.atomic
def record_evaluation(
    *,
    actor: User,
    person: Person,
    evaluated_on: date,
    kind: str,
    situation: str,
    grid: dict[str, str],
    plan: Sequence[tuple[str, Decimal, str]] = (),
    place: str = Evaluation.Place.DOMICILE,
    convention: Convention | None = None,
) -> Evaluation:
    errors = {v.lower(): message for v, message in aggir.grid_errors(grid).items()}
    if evaluated_on > clock.today():
        errors["evaluated_on"] = "La date de l'évaluation ne peut pas être dans le futur."
    if kind == Evaluation.Kind.AUTRE_ORGANISME:
        if convention is None:
            errors["convention"] = "Une évaluation pour un autre organisme relève d'une convention."
        elif convention.partner.organisation_id != person.organisation_id:
            errors["convention"] = "Cette convention n'est pas celle de l'organisme."
        elif not convention.in_force_on(evaluated_on):
            errors["convention"] = "La convention n'est pas en vigueur à la date de l'évaluation."
    elif convention is not None:
        errors["convention"] = (
            "Seule une évaluation pour un autre organisme relève d'une convention."
        )
    for _service, quantity, _note in plan:
        if quantity is None or quantity <= 0:
            errors["plan"] = "Chaque ligne du plan d'aide porte une quantité positive."
    if errors:
        raise BusinessError(errors)
    result = aggir.compute(grid)
    evaluation = Evaluation.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        departement_id=person.departement_id,
        evaluator=actor,
        evaluated_on=evaluated_on,
        kind=kind,
        place=place,
        convention=convention,
        situation=situation,
        gir=result.gir,
        rank=result.rank,
        competent_body=evaluation_rules.competent_body(result.gir),
        **{v.lower(): m.strip().upper() for v, m in grid.items() if v in aggir.VARIABLES},
    )
    PlanLine.objects.bulk_create(
        PlanLine(evaluation=evaluation, service=s, quantity=q, note=n) for s, q, n in plan
    )
    audit.record_write(
        actor=actor,
        obj=evaluation,
        before=None,
        person_id=person.pk,
        summary=f"Évaluation des besoins : GIR {result.gir}",
    )
    return evaluation


def handover_recipient(evaluation: Evaluation) -> str:
    """À qui transmettre : le département (GIR 1–4) ou l'organisme de la convention."""
    if evaluation.competent_body == evaluation_rules.DEPARTEMENT:
        return f"Conseil départemental — {evaluation.departement.name}"
    if evaluation.convention is not None:
        return evaluation.convention.partner.name
    return ""


def handover_partner(evaluation: Evaluation) -> PartnerModel | None:
    """Le destinataire dans l'annuaire : le partenaire de la convention ; pour le département,
    le premier partenaire actif de type « Département » qui couvre celui de la personne."""
    if evaluation.competent_body == evaluation_rules.DEPARTEMENT:
        return (
            PartnerModel.objects.filter(
                organisation_id=evaluation.organisation_id,
                kind=PartnerModel.Kind.DEPARTEMENT,
                active=True,
                territories=evaluation.departement_id,
            )
            .order_by("name", "pk")
            .first()
        )
    if evaluation.convention is not None:
        return evaluation.convention.partner
    return None


@transaction.atomic
def record_transmission(
    *, actor: User, evaluation: Evaluation, sent_on: date | None = None
) -> Transmission:
    sent_on = sent_on or clock.today()
    if hasattr(evaluation, "transmission"):
        raise BusinessError("Le dossier a déjà été transmis.")
    recipient = handover_recipient(evaluation)
    if not recipient:
        raise BusinessError(
            f"GIR {evaluation.gir} : la caisse de retraite est compétente, rien à transmettre."
        )
    if sent_on < evaluation.evaluated_on:
        raise BusinessError({"sent_on": "La transmission ne peut précéder l'évaluation."})
    transmission = Transmission.objects.create(
        organisation_id=evaluation.organisation_id,
        evaluation=evaluation,
        recipient=recipient,
        recipient_partner=handover_partner(evaluation),
        sent_on=sent_on,
        deadline=evaluation_rules.handover_deadline(sent_on),
        sent_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=transmission,
        before=None,
        person_id=evaluation.person_id,
        summary=f"Dossier transmis : {recipient}",
    )
    return transmission
