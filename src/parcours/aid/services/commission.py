"""Commissions : séances, ordre du jour, passage en commission, clôture."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.aid.models import (
    AidRequest,
    CommissionSession,
)
from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.rules import aid_workflow as wf

if TYPE_CHECKING:
    from parcours.core.models import User
from parcours.aid.services.requests import _check_version, _event, _save, _transition


@transaction.atomic
def create_session(
    *, actor: User | None, organisation_id: int, departement_id: str, held_on: date
) -> CommissionSession:
    session = CommissionSession.objects.create(
        organisation_id=organisation_id, departement_id=departement_id, held_on=held_on
    )
    audit.record_write(
        actor=actor, obj=session, before=None, person_id=None, summary="Séance de commission"
    )
    return session


@transaction.atomic
def build_agenda(*, actor: User, session: CommissionSession) -> int:
    """Inscrit à l'ordre du jour les dossiers prêts du département : avis rendu et circuit
    « commission », ou ajournés lors d'une séance précédente. Renvoie le nombre inscrit."""
    if session.state != CommissionSession.State.PREVUE:
        raise BusinessError("La séance est tenue : son ordre du jour est clos.")
    ready = (
        AidRequest.objects.select_for_update()
        .filter(
            organisation_id=session.organisation_id,
            departement_id=session.departement_id,
            state__in=[wf.AVIS_RENDU, wf.AJOURNEE],
        )
        .exclude(state=wf.AVIS_RENDU, route=wf.DELEGATION)
    )
    count = 0
    for request in ready.order_by("completed_on", "id"):
        before = audit.snapshot(request)
        request.session = session
        request.route = wf.COMMISSION
        _event(request, "inscrire_commission", actor, clock.today(), seance=session.pk)
        _save(request, actor, before, "Inscrite à l'ordre du jour de la commission")
        count += 1
    return count


@transaction.atomic
def send_to_commission(
    *,
    actor: User,
    request: AidRequest,
    session: CommissionSession,
    expected_version: int | None = None,
) -> AidRequest:
    request = _check_version(request, expected_version)
    _transition(request, "inscrire_commission")
    if session.departement_id != request.departement_id or session.state != "PREVUE":
        raise BusinessError({"session": "Choisissez une séance prévue du département."})
    before = audit.snapshot(request)
    request.session, request.route = session, wf.COMMISSION
    _event(request, "inscrire_commission", actor, clock.today(), seance=session.pk)
    _save(request, actor, before, "Inscrite en commission")
    return request


@transaction.atomic
def close_session(*, actor: User | None, session: CommissionSession) -> CommissionSession:
    pending = session.requests.filter(state=wf.EN_COMMISSION).count()
    if pending:
        raise BusinessError(f"{pending} dossier(s) sans décision : statuez avant de clore.")
    before = audit.snapshot(session)
    session.state = CommissionSession.State.TENUE
    session.save(update_fields=["state"])
    audit.record_write(actor=actor, obj=session, before=before, person_id=None)
    return session
