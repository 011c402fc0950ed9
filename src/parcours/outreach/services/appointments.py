"""Demandes de rendez-vous et rendez-vous : enregistrer, fixer (dont le premier créneau libre,
sous verrou), changer l'état, « a eu lieu → entretien »."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import User
from parcours.outreach import queries
from parcours.outreach.models import Appointment, AppointmentRequest

if TYPE_CHECKING:
    from parcours.cases.models import Contact
    from parcours.core.models import Site
    from parcours.outreach.models import Permanence
    from parcours.people.models import Person

SLOT_TAKEN = "Ce créneau vient d'être pris : choisissez-en un autre."


@transaction.atomic
def record_request(
    *,
    actor: User,
    person: Person,
    received_on: datetime.date,
    channel: str = "",
    reason: str = "",
    assigned_to: User | None = None,
) -> AppointmentRequest:
    if received_on > clock.today():
        raise BusinessError(
            {"received_on": "La date de la demande ne peut pas être dans le futur."}
        )
    request = AppointmentRequest.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        departement_id=person.departement_id,
        received_on=received_on,
        channel=channel,
        reason=reason,
        assigned_to=assigned_to,
        created_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=request,
        before=None,
        person_id=person.pk,
        summary="Demande de rendez-vous enregistrée",
    )
    return request


def _lock_agenda(staff_id: int) -> None:
    """Verrouille la ligne de l'agent qui reçoit : deux réservations de son agenda passent
    tour à tour (la seconde voit le rendez-vous de la première une fois celle-ci validée)."""
    list(User.objects.select_for_update().filter(pk=staff_id).values_list("pk", flat=True))


@transaction.atomic
def book_appointment(
    *,
    actor: User,
    person: Person,
    staff: User,
    starts_at: datetime.datetime,
    mode: str,
    duration_minutes: int = 45,
    site: Site | None = None,
    request: AppointmentRequest | None = None,
) -> Appointment:
    """Fixe un rendez-vous ; la demande liée passe à « rendez-vous fixé »."""
    _lock_agenda(staff.pk)
    if starts_at < clock.now():
        raise BusinessError({"starts_at": "Un rendez-vous se fixe dans le futur."})
    if request is not None and request.received_on > starts_at.date():
        raise BusinessError({"starts_at": "Le rendez-vous ne peut précéder la demande."})
    appointment = Appointment.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        staff=staff,
        request=request,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        site=site,
        created_by=actor,
    )
    if request is not None and request.status == AppointmentRequest.Status.EN_ATTENTE:
        before = audit.snapshot(request)
        request.status = AppointmentRequest.Status.PLANIFIEE
        request.save(update_fields=["status"])
        audit.record_write(
            actor=actor,
            obj=request,
            before=before,
            person_id=person.pk,
            summary="Demande satisfaite par un rendez-vous",
        )
    audit.record_write(
        actor=actor, obj=appointment, before=None, person_id=person.pk, summary="Rendez-vous fixé"
    )
    return appointment


@transaction.atomic
def book_first_slot(
    *,
    actor: User,
    person: Person,
    permanence: Permanence,
    starts: datetime.datetime,
    request: AppointmentRequest | None = None,
) -> Appointment:
    """Réserve le créneau libre ``starts`` (heure locale, sans fuseau) de la plage
    ``permanence`` : l'agenda de l'agent est verrouillé, puis le créneau est revérifié libre
    (plages moins rendez-vous pris) ; pris entre-temps, ``BusinessError`` (``SLOT_TAKEN``)."""
    _lock_agenda(permanence.staff_id)
    free = {
        (begin, slot_permanence.pk)
        for begin, _end, slot_permanence in queries.free_slots(
            actor, [permanence.staff_id], starts.date(), 1, queries.local_now()
        )
    }
    if (starts, permanence.pk) not in free:
        raise BusinessError({"starts_at": SLOT_TAKEN})
    return book_appointment(
        actor=actor,
        person=person,
        staff=permanence.staff,
        starts_at=timezone.make_aware(starts),
        mode=permanence.mode,
        duration_minutes=permanence.slot_minutes,
        site=permanence.site,
        request=request,
    )


@transaction.atomic
def set_appointment_status(*, actor: User, appointment: Appointment, status: str) -> Appointment:
    if (
        status in {Appointment.Status.HONORE, Appointment.Status.MANQUE}
        and appointment.starts_at > clock.now()
    ):
        raise BusinessError("Un rendez-vous à venir ne peut pas être marqué honoré ou manqué.")
    before = audit.snapshot(appointment)
    appointment.status = status
    appointment.save(update_fields=["status"])
    audit.record_write(
        actor=actor,
        obj=appointment,
        before=before,
        person_id=appointment.person_id,
        summary="Rendez-vous mis à jour",
    )
    return appointment


@transaction.atomic
def appointment_took_place(*, actor: User, appointment: Appointment) -> Contact:
    """« A eu lieu » : le rendez-vous est honoré et devient un entretien de l'accompagnement
    ouvert de la personne (celui dont l'agent est référent d'abord)."""
    from parcours.cases.models import Case
    from parcours.cases.services import record_contact

    cases = Case.objects.filter(person_id=appointment.person_id, state=Case.State.OUVERT)
    case = (
        cases.filter(referent_id=appointment.staff_id).first()
        or cases.order_by("-opened_on").first()
    )
    if case is None:
        raise BusinessError(
            "La personne n'a pas d'accompagnement ouvert : ouvrez-en un pour y noter l'entretien."
        )
    set_appointment_status(actor=actor, appointment=appointment, status=Appointment.Status.HONORE)
    return record_contact(
        actor=actor,
        case=case,
        on=timezone.localdate(appointment.starts_at),
        mode=appointment.mode,
        duration_minutes=appointment.duration_minutes,
        site=appointment.site,
        staff=appointment.staff,
    )
