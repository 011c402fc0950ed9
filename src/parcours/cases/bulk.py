"""Accompagnements et entretiens créés en masse (imports), par le moteur ``core/bulk.py``.

Invariants tenus ici comme dans ``services`` : l'état d'un accompagnement suit sa date de
clôture ; un entretien est mené par un agent (à défaut de l'agent donné, l'AS référente de
l'accompagnement, sinon l'agent de repli de l'appelant) ; ses actions et problématiques sont
des codes distincts. Chaque création est comptée dans l'audit du lot
(:class:`parcours.core.bulk.BatchAudit`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from parcours.cases.models import Case, Contact, ContactAction, ContactProblem
from parcours.core import bulk
from parcours.core.models import Organisation, User


@dataclass(slots=True)
class NewCase:
    """Un accompagnement à créer ; clos si ``closed_on`` est donnée."""

    person_id: int
    programme: str
    origin: str
    departement_id: str
    opened_on: date
    referent_id: int | None = None
    closed_on: date | None = None
    outcome: str = ""
    risk: str = ""
    sector: str = ""


@dataclass(slots=True)
class NewContact:
    """Un entretien à créer ; ``staff_id`` vide : l'AS référente de l'accompagnement."""

    case_id: int
    on: date
    mode: str
    staff_id: int | None = None
    duration_minutes: int | None = None
    actions: Collection[str] = ()
    problems: Collection[str] = ()


@transaction.atomic(savepoint=False)
def create_cases(
    *,
    actor: User | None,
    organisation: Organisation,
    cases: Sequence[NewCase],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les accompagnements de ``cases`` ; leurs identifiants, dans l'ordre."""
    org_id = organisation.pk
    ids = bulk.insert_records(
        Case,
        [
            {
                "organisation_id": org_id,
                "person_id": c.person_id,
                "programme": c.programme,
                "origin": c.origin,
                "departement_id": c.departement_id,
                "referent_id": c.referent_id,
                "opened_on": c.opened_on,
                "state": Case.State.CLOS if c.closed_on else Case.State.OUVERT,
                "closed_on": c.closed_on,
                "outcome": c.outcome,
                "risk": c.risk,
                "sector": c.sector,
            }
            for c in cases
        ],
    )
    audit.add("case", len(ids))
    return ids


@transaction.atomic(savepoint=False)
def create_contacts(
    *,
    actor: User | None,
    organisation: Organisation,
    contacts: Sequence[NewContact],
    audit: bulk.BatchAudit,
    referents: Mapping[int, int | None] | None = None,
    fallback_staff: Callable[[], int] | None = None,
) -> list[int]:
    """Crée les entretiens de ``contacts`` avec leurs actions et problématiques ; leurs
    identifiants, dans l'ordre.

    ``referents`` : AS référente déjà connue de certains accompagnements (accompagnement →
    agent), pour ne pas les relire ; les autres sont lus au besoin. ``fallback_staff`` : appelé
    (au plus une fois) quand ni l'entretien ni son accompagnement n'ont d'agent.
    """
    org_id = organisation.pk
    given = referents or {}
    unknown = {c.case_id for c in contacts if c.staff_id is None and c.case_id not in given}
    read = (
        dict(Case.objects.filter(pk__in=unknown).values_list("pk", "referent_id"))
        if unknown
        else {}
    )
    fallback: list[int] = []

    def staff_of(contact: NewContact) -> int:
        staff_id = contact.staff_id or given.get(contact.case_id) or read.get(contact.case_id)
        if staff_id is not None:
            return staff_id
        if not fallback:
            if fallback_staff is None:
                raise ValueError(f"Entretien sans agent (accompagnement {contact.case_id}).")
            fallback.append(fallback_staff())
        return fallback[0]

    ids = bulk.insert_records(
        Contact,
        [
            {
                "organisation_id": org_id,
                "case_id": c.case_id,
                "on": c.on,
                "mode": c.mode,
                "duration_minutes": c.duration_minutes,
                "staff_id": staff_of(c),
            }
            for c in contacts
        ],
    )
    bulk.insert_rows(
        ContactAction,
        ["contact_id", "code"],
        [(pk, code) for c, pk in zip(contacts, ids, strict=True) for code in set(c.actions)],
    )
    bulk.insert_rows(
        ContactProblem,
        ["contact_id", "code"],
        [(pk, code) for c, pk in zip(contacts, ids, strict=True) for code in set(c.problems)],
    )
    audit.add("contact", len(ids))
    return ids
