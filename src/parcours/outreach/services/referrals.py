"""Signalements : enregistrer (vers l'AS de l'accompagnement en cours), attribuer, faire
avancer, répondre à l'émetteur (courrier noté ou courriel envoyé après validation)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit, clock, messaging
from parcours.core.exceptions import BusinessError
from parcours.outreach.models import Referral
from parcours.rules import referral_workflow

if TYPE_CHECKING:
    from parcours.cases.models import Case
    from parcours.core.models import User
    from parcours.partners.models import Partner
    from parcours.people.models import Person


#: crochets appelés à chaque changement d'état d'un signalement (le partage, couche du dessus,
#: y suit les orientations reçues d'un autre organisme)
REFERRAL_STATUS_HOOKS: list[Callable[..., object]] = []


def add_referral_status_hook(fn: Callable[..., object]) -> Callable[..., object]:
    """Ajoute ``fn(*, actor, referral, status)`` aux crochets appelés, dans la transaction,
    quand un signalement change d'état (prise en charge comprise). Une fonction déjà présente
    n'est pas ajoutée deux fois ; ce qu'elle renvoie est ignoré. Renvoie ``fn``."""
    if fn not in REFERRAL_STATUS_HOOKS:
        REFERRAL_STATUS_HOOKS.append(fn)
    return fn


def _run_status_hooks(*, actor: User | None, referral: Referral) -> None:
    for hook in list(REFERRAL_STATUS_HOOKS):
        hook(actor=actor, referral=referral, status=referral.status)


def _open_case_for(person: Person, programme: str) -> Case | None:
    """L'accompagnement ouvert de la personne : celui du programme d'abord, sinon le plus
    récent."""
    from parcours.cases.models import Case

    cases = Case.objects.filter(person=person, state=Case.State.OUVERT).order_by("-opened_on")
    return cases.filter(programme=programme).first() or cases.first()


@transaction.atomic
def record_referral(
    *,
    actor: User | None,
    person: Person,
    emitter: str,
    received_on: datetime.date,
    reason: str,
    programme: str,
    priority: str = Referral.Priority.NORMALE,
    emitter_name: str = "",
    emitter_address: str = "",
    emitter_partner: Partner | None = None,
    source: str = "",
) -> Referral:
    """Enregistre un signalement. Si la personne a un accompagnement ouvert, il va à son AS
    référente (pris en charge, rattaché à l'accompagnement) au lieu d'en ouvrir un autre.

    ``actor`` vide : un signalement reçu d'un système partenaire, que ``source`` nomme dans le
    journal (« reçu par l'API, jeton … »)."""
    if received_on > clock.today():
        raise BusinessError({"received_on": "La date de réception ne peut pas être dans le futur."})
    if emitter_partner is not None and emitter_partner.organisation_id != person.organisation_id:
        raise BusinessError(
            {"emitter_partner": "Partenaire inconnu dans l'annuaire de l'organisme."}
        )
    referral = Referral(
        organisation_id=person.organisation_id,
        person=person,
        emitter=emitter,
        emitter_name="" if emitter_partner is not None else emitter_name,
        emitter_partner=emitter_partner,
        emitter_address=emitter_address,
        received_on=received_on,
        reason=reason,
        priority=priority,
        programme=programme,
        departement_id=person.departement_id,
        created_by=actor,
    )
    case = _open_case_for(person, programme)
    if case is not None and case.referent_id:
        referral.case = case
        referral.assigned_to_id = case.referent_id
        referral.status = Referral.Status.PRIS_EN_CHARGE
        referral.status_changed_on = clock.today()
    referral.save()
    audit.record_write(
        actor=actor,
        obj=referral,
        before=None,
        person_id=person.pk,
        summary="Signalement enregistré"
        + (f" ({source})" if source else "")
        + (" (transmis à l'AS de l'accompagnement en cours)" if referral.case_id else ""),
    )
    return referral


@transaction.atomic
def assign_referral(*, actor: User, referral: Referral, social_worker: User | None) -> Referral:
    """Confie le signalement à une AS (prise en charge) ou le réattribue."""
    if social_worker is None:
        raise BusinessError({"social_worker": "Choisissez l'AS qui prend en charge."})
    if (
        social_worker.organisation_id != referral.organisation_id
        or social_worker.function != "AS"
        or not social_worker.departements.filter(code=referral.departement_id).exists()
    ):
        raise BusinessError(
            {"social_worker": "Choisissez une AS qui intervient dans le département."}
        )
    before = audit.snapshot(referral)
    if referral.status == Referral.Status.RECU:
        try:
            referral_workflow.check_transition(
                referral.status, Referral.Status.PRIS_EN_CHARGE, has_social_worker=True
            )
        except referral_workflow.TransitionError as error:
            raise BusinessError(error.message) from None
        referral.status = Referral.Status.PRIS_EN_CHARGE
        referral.status_changed_on = clock.today()
    elif referral.status != Referral.Status.PRIS_EN_CHARGE:
        raise BusinessError("Seul un signalement reçu ou pris en charge peut être attribué.")
    referral.assigned_to = social_worker
    referral.save()
    _run_status_hooks(actor=actor, referral=referral)
    audit.record_write(
        actor=actor,
        obj=referral,
        before=before,
        person_id=referral.person_id,
        summary=f"Signalement confié à {social_worker}",
    )
    return referral


@transaction.atomic
def set_referral_status(*, actor: User, referral: Referral, status: str) -> Referral:
    try:
        referral_workflow.check_transition(
            referral.status, status, has_social_worker=referral.assigned_to_id is not None
        )
    except referral_workflow.TransitionError as error:
        raise BusinessError({"status": error.message}) from None
    before = audit.snapshot(referral)
    referral.status = status
    referral.status_changed_on = clock.today()
    referral.save(update_fields=["status", "status_changed_on"])
    _run_status_hooks(actor=actor, referral=referral)
    audit.record_write(
        actor=actor,
        obj=referral,
        before=before,
        person_id=referral.person_id,
        summary=f"Signalement : {Referral.Status(status).label.lower()}",
    )
    return referral


@transaction.atomic
def record_answer_to_emitter(*, actor: User, referral: Referral) -> Referral:
    if not referral_workflow.can_answer_emitter(referral.status):
        raise BusinessError("Répondez à l'émetteur une fois le signalement pris en charge.")
    before = audit.snapshot(referral)
    referral.answered_on = clock.today()
    referral.save(update_fields=["answered_on"])
    audit.record_write(
        actor=actor,
        obj=referral,
        before=before,
        person_id=referral.person_id,
        summary="Réponse envoyée à l'émetteur du signalement",
    )
    return referral


def send_answer_email(
    *, actor: User, referral: Referral, sender: messaging.Sender | None = None
) -> Referral:
    """Répond à l'émetteur par courriel (adresse de réponse), par l'expéditeur configuré ;
    le courriel part une fois la réponse notée et validée."""
    from django.template.loader import render_to_string

    address = referral.emitter_address.strip()
    if "@" not in address:
        raise BusinessError("L'émetteur n'a pas d'adresse de courriel.")
    if not referral_workflow.can_answer_emitter(referral.status):
        raise BusinessError("Répondez à l'émetteur une fois le signalement pris en charge.")
    body = render_to_string(
        "outreach/reponse_signalement.txt",
        {"referral": referral, "organisation": referral.person.organisation},
    )
    message = messaging.Message(
        "EMAIL", address, "Suite donnée à votre signalement", body, f"S{referral.pk}"
    )
    with transaction.atomic():
        referral = record_answer_to_emitter(actor=actor, referral=referral)
        messaging.send_after_commit(sender or messaging.get_sender(), [message])
    return referral
