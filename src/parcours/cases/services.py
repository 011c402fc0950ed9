"""Écritures sur les accompagnements : une transaction et son audit par fonction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from parcours.cases.models import (
    Case,
    CaseEvent,
    Contact,
    ContactAction,
    ContactProblem,
    Objective,
    PrivateNote,
)
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.nomenclatures import Programme
from parcours.rules import case_workflow

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from parcours.core.models import Site, User
    from parcours.people.models import Person


def _locked(case: Case, expected_version: int | None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    return current


def _bump(case: Case) -> None:
    case.version += 1
    case.save()


@transaction.atomic
def open_case(
    *,
    actor: User,
    person: Person,
    programme: str,
    origin: str,
    referent: User | None,
    opened_on: datetime.date | None = None,
    departement_id: str | None = None,
) -> Case:
    opened_on = opened_on or clock.today()
    if opened_on > clock.today():
        raise BusinessError({"opened_on": "La date d'ouverture ne peut pas être dans le futur."})
    case = Case.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        programme=programme,
        origin=origin,
        referent=referent,
        opened_on=opened_on,
        departement_id=departement_id or person.departement_id,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.OUVERTURE,
        on=opened_on,
        by=actor,
        details={"referent": referent.pk if referent else None},
    )
    audit.record_write(
        actor=actor,
        obj=case,
        before=None,
        person_id=person.pk,
        summary="Ouverture d'un accompagnement",
    )
    return case


@transaction.atomic
def record_contact(
    *,
    actor: User,
    case: Case,
    on: datetime.date,
    mode: str,
    duration_minutes: int | None = None,
    actions: Iterable[str] = (),
    problems: Iterable[str] = (),
    note: str = "",
    site: Site | None = None,
    staff: User | None = None,
) -> Contact:
    errors = case_workflow.contact_date_errors(on, case.opened_on, case.closed_on, clock.today())
    if errors:
        raise BusinessError({"on": errors[0]})
    contact = Contact.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        on=on,
        mode=mode,
        duration_minutes=duration_minutes,
        staff=staff or actor,
        site=site,
        note=note,
    )
    ContactAction.objects.bulk_create(ContactAction(contact=contact, code=c) for c in set(actions))
    ContactProblem.objects.bulk_create(
        ContactProblem(contact=contact, code=c) for c in set(problems)
    )
    audit.record(
        actor=actor,
        action="CREATE",
        obj=contact,
        person_id=case.person_id,
        summary="Entretien enregistré",
        changes={
            "apres": audit.snapshot(contact)
            | {"actions": sorted(set(actions)), "problematiques": sorted(set(problems))}
        },
    )
    return contact


@transaction.atomic
def update_synthesis(*, actor: User, case: Case, synthesis: str, expected_version: int) -> Case:
    current = _locked(case, expected_version)
    before = audit.snapshot(current, ["synthesis"])
    current.synthesis = synthesis
    _bump(current)
    audit.record(
        actor=actor,
        action="UPDATE",
        obj=current,
        person_id=current.person_id,
        summary="Synthèse modifiée",
        changes=audit.diff(before, audit.snapshot(current, ["synthesis"])),
    )
    return current


@transaction.atomic
def add_objective(
    *, actor: User, case: Case, label: str, due_on: datetime.date | None = None
) -> Objective:
    objective = Objective.objects.create(case=case, label=label, due_on=due_on, created_by=actor)
    audit.record_write(
        actor=actor, obj=objective, before=None, person_id=case.person_id, summary="Objectif ajouté"
    )
    return objective


@transaction.atomic
def set_objective_status(*, actor: User, objective: Objective, status: str) -> Objective:
    before = audit.snapshot(objective)
    objective.status = status
    objective.save(update_fields=["status"])
    audit.record_write(
        actor=actor,
        obj=objective,
        before=before,
        person_id=objective.case.person_id,
        summary="Objectif mis à jour",
    )
    return objective


@transaction.atomic
def add_private_note(*, actor: User, case: Case, text: str) -> PrivateNote:
    note = PrivateNote.objects.create(case=case, author=actor, text=text)
    # Le journal garde la trace de l'écriture, jamais le contenu d'une note privée.
    audit.record(
        actor=actor,
        action="CREATE",
        obj=note,
        person_id=case.person_id,
        summary="Note privée ajoutée",
        organisation_id=case.organisation_id,
    )
    return note


@transaction.atomic
def close_case(
    *,
    actor: User,
    case: Case,
    closed_on: datetime.date,
    outcome: str,
    expected_version: int,
    risk: str = "",
    sector: str = "",
    employment_contract: str = "",
) -> Case:
    current = _locked(case, expected_version)
    errors = case_workflow.closure_errors(
        current.programme, outcome, closed_on, current.opened_on, clock.today(), risk, sector
    )
    last_contact = current.contacts.order_by("-on").values_list("on", flat=True).first()
    if last_contact and closed_on and closed_on < last_contact:
        errors.setdefault(
            "closed_on",
            f"La clôture ne peut pas précéder le dernier entretien ({last_contact:%d/%m/%Y}).",
        )
    if errors:
        raise BusinessError(errors)
    before = audit.snapshot(current)
    current.state = case_workflow.next_state(current.state, "clore")
    current.closed_on, current.outcome = closed_on, outcome
    if current.programme == Programme.PDP:
        current.risk, current.sector = risk, sector
        current.employment_contract = employment_contract
    _bump(current)
    CaseEvent.objects.create(
        case=current,
        kind=CaseEvent.Kind.CLOTURE,
        on=closed_on,
        by=actor,
        details={"issue": outcome},
    )
    audit.record_write(
        actor=actor,
        obj=current,
        before=before,
        person_id=current.person_id,
        summary="Clôture de l'accompagnement",
    )
    return current


@transaction.atomic
def reopen_case(*, actor: User, case: Case, expected_version: int) -> Case:
    current = _locked(case, expected_version)
    before = audit.snapshot(current)
    current.state = case_workflow.next_state(current.state, "rouvrir")
    previous = {
        "date_fin": current.closed_on.isoformat() if current.closed_on else None,
        "issue": current.outcome,
    }
    current.closed_on, current.outcome = None, ""
    _bump(current)
    CaseEvent.objects.create(
        case=current,
        kind=CaseEvent.Kind.REOUVERTURE,
        on=clock.today(),
        by=actor,
        details={"cloture_annulee": previous},
    )
    audit.record_write(
        actor=actor,
        obj=current,
        before=before,
        person_id=current.person_id,
        summary="Réouverture de l'accompagnement",
    )
    return current


@transaction.atomic
def reassign_case(*, actor: User, case: Case, referent: User | None) -> Case:
    current = _locked(case, None)
    if referent is not None and current.departement_id not in set(
        referent.departements.values_list("code", flat=True)
    ):
        raise BusinessError(
            {"referent": "Cette AS n'intervient pas dans le département de l'accompagnement."}
        )
    before = audit.snapshot(current)
    previous = current.referent_id
    current.referent = referent
    _bump(current)
    CaseEvent.objects.create(
        case=current,
        kind=CaseEvent.Kind.REAFFECTATION,
        on=clock.today(),
        by=actor,
        details={"avant": previous, "apres": referent.pk if referent else None},
    )
    audit.record_write(
        actor=actor,
        obj=current,
        before=before,
        person_id=current.person_id,
        summary="Réaffectation de l'accompagnement",
    )
    return current
