"""Actions collectives, séances et inscriptions créées en masse (imports), par le moteur
``core/bulk.py``.

Invariants tenus ici comme dans ``services`` : une séance a au moins une place ; une
inscription est datée (``registered_at``, conscient du fuseau) et, faute d'autre précision,
celle de la personne elle-même, par un agent, à l'état « inscrit ». Chaque création est comptée
dans l'audit du lot (:class:`parcours.core.bulk.BatchAudit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction

from parcours.core import bulk
from parcours.core.models import Organisation, User
from parcours.groups.models import GroupAction, Registration, Session


@dataclass(slots=True)
class NewGroupAction:
    type: str
    programme: str
    title: str
    departement_id: str


@dataclass(slots=True)
class NewSession:
    action_id: int
    date: date
    start_time: time
    capacity: int
    partner_place: str = ""


@dataclass(slots=True)
class NewRegistration:
    session_id: int
    person_id: int
    registered_at: datetime
    present: bool | None = None
    status: str = Registration.Status.INSCRIT
    relation: str = Registration.Relation.PERSONNE
    channel: str = Registration.Channel.AGENT


@transaction.atomic(savepoint=False)
def create_group_actions(
    *,
    actor: User | None,
    organisation: Organisation,
    actions: Sequence[NewGroupAction],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les actions collectives ; leurs identifiants, dans l'ordre."""
    org_id = organisation.pk
    ids = bulk.insert_records(
        GroupAction,
        [
            {
                "organisation_id": org_id,
                "type": a.type,
                "programme": a.programme,
                "title": a.title,
                "departement_id": a.departement_id,
            }
            for a in actions
        ],
    )
    audit.add("groupaction", len(ids))
    return ids


@transaction.atomic(savepoint=False)
def create_sessions(
    *,
    actor: User | None,
    organisation: Organisation,
    sessions: Sequence[NewSession],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les séances ; leurs identifiants, dans l'ordre. Une séance sans place :
    ``ValueError`` (rien n'est écrit)."""
    org_id = organisation.pk
    for s in sessions:
        if s.capacity < 1:
            raise ValueError(f"Une séance a au moins une place (action {s.action_id}).")
    ids = bulk.insert_records(
        Session,
        [
            {
                "organisation_id": org_id,
                "action_id": s.action_id,
                "date": s.date,
                "start_time": s.start_time,
                "partner_place": s.partner_place,
                "capacity": s.capacity,
            }
            for s in sessions
        ],
    )
    audit.add("session", len(ids))
    return ids


@transaction.atomic(savepoint=False)
def create_registrations(
    *,
    actor: User | None,
    organisation: Organisation,
    registrations: Sequence[NewRegistration],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les inscriptions (présence marquée ou non) ; leurs identifiants, dans l'ordre."""
    org_id = organisation.pk
    ids = bulk.insert_records(
        Registration,
        [
            {
                "organisation_id": org_id,
                "session_id": r.session_id,
                "person_id": r.person_id,
                "status": r.status,
                "relation": r.relation,
                "channel": r.channel,
                "present": r.present,
                "registered_at": r.registered_at,
            }
            for r in registrations
        ],
    )
    audit.add("registration", len(ids))
    return ids
