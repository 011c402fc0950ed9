"""Demandes de rendez-vous et rendez-vous : écritures avec audit."""

from django.db import transaction

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.outreach.models import Appointment, AppointmentRequest


@transaction.atomic
def record_request(
    *, actor, person, received_on, channel: str = "", reason: str = "", assigned_to=None
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


@transaction.atomic
def book_appointment(
    *,
    actor,
    person,
    staff,
    starts_at,
    mode: str,
    duration_minutes: int = 45,
    site=None,
    request: AppointmentRequest | None = None,
) -> Appointment:
    """Fixe un rendez-vous ; la demande liée passe à « rendez-vous fixé »."""
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
def set_appointment_status(*, actor, appointment: Appointment, status: str) -> Appointment:
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
