"""Agenda : plages de rendez-vous des AS et rappels des rendez-vous (SMS ou courriel)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from parcours.core import audit, clock, messaging
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.roles import organisation_of
from parcours.outreach.models import Appointment, Permanence
from parcours.rules import wording

if TYPE_CHECKING:
    from parcours.core.models import Site, User


@transaction.atomic
def add_permanence(
    *,
    actor: User,
    staff: User,
    weekday: int,
    start: datetime.time,
    end: datetime.time,
    slot_minutes: int = 45,
    mode: str,
    site: Site | None = None,
) -> Permanence:
    if end <= start:
        raise BusinessError({"end": "La fin doit suivre le début."})
    if slot_minutes < 10:
        raise BusinessError({"slot_minutes": "Un créneau dure au moins 10 minutes."})
    permanence = Permanence.objects.create(
        organisation_id=organisation_of(staff),
        staff=staff,
        site=site,
        mode=mode,
        weekday=weekday,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
    )
    # (les heures ne passent pas par audit.snapshot, qui ne sait pas sérialiser un time)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=permanence,
        summary="Plage de rendez-vous ajoutée",
        changes={
            "staff": {"avant": None, "apres": staff.pk},
            "weekday": {"avant": None, "apres": weekday},
            "start": {"avant": None, "apres": start.isoformat()},
            "end": {"avant": None, "apres": end.isoformat()},
            "slot_minutes": {"avant": None, "apres": slot_minutes},
        },
    )
    return permanence


def send_reminders(
    *, actor: User | None, day: datetime.date, sender: messaging.Sender | None = None
) -> int:
    """Rappels des rendez-vous prévus le jour ``day`` qui n'en ont pas encore eu ; chaque
    rappel part une fois le rendez-vous noté « rappelé » et validé."""

    sender = sender or messaging.get_sender()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    due = Appointment.objects.filter(
        status=Appointment.Status.PREVU,
        reminded_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    ).select_related("person", "site", "staff")
    sent = 0
    for appointment in due:
        person = appointment.person
        local = timezone.localtime(appointment.starts_at)
        when = (
            f"{wording.long_date(local.date(), weekday=True, year=False)} à {local:%H}h{local:%M}"
        )
        where = f" ({appointment.site.name})" if appointment.site is not None else ""
        body = (
            f"Bonjour, nous vous rappelons votre rendez-vous avec le service social le {when}"
            f"{where}, avec {appointment.staff.get_full_name()}. En cas d'empêchement, "
            "merci de nous prévenir."
        )
        if person.phone:
            message = messaging.Message(
                "SMS", person.phone, "Rappel de rendez-vous", body, f"RDV{appointment.pk}"
            )
        elif person.email:
            message = messaging.Message(
                "EMAIL", person.email, "Rappel de rendez-vous", body, f"RDV{appointment.pk}"
            )
        else:
            continue
        with transaction.atomic():
            before = audit.snapshot(appointment)
            appointment.reminded_at = clock.now()
            appointment.save(update_fields=["reminded_at"])
            audit.record_write(
                actor=actor,
                obj=appointment,
                before=before,
                person_id=person.pk,
                summary="Rappel de rendez-vous envoyé",
            )
            messaging.send_after_commit(sender, [message])
        sent += 1
    return sent
