"""Lectures de la détection pour les pages composées : « Mon activité » et fiche d'une personne.

Elles partent des politiques de ``outreach`` (périmètre de l'agent) : demandes de rendez-vous en
attente, rendez-vous. Les seuils (15 jours) viennent de ``rules.timers``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from parcours.outreach.models import AppointmentRequest
from parcours.outreach.policies import visible_appointments, visible_requests
from parcours.rules import timers

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import User
    from parcours.outreach.models import Appointment
    from parcours.people.models import Person


def waiting_requests(user: User, today: date) -> list[tuple[AppointmentRequest, int]]:
    """Demandes en attente de rendez-vous depuis plus de 15 jours, adressées à ``user``."""
    pending = (
        visible_requests(user)
        .filter(assigned_to=user, status=AppointmentRequest.Status.EN_ATTENTE)
        .select_related("person")
        .order_by("received_on")
    )
    return [
        (r, timers.days_waiting(r.received_on, today))
        for r in pending
        if timers.is_waiting_too_long(r.received_on, today)
    ]


def _aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def week_appointments(user: User, today: date) -> QuerySet[Appointment]:
    """Les rendez-vous d'aujourd'hui et des 6 jours suivants (un lundi : la semaine)."""
    return (
        visible_appointments(user)
        .filter(
            staff=user,
            starts_at__gte=_aware(today),
            starts_at__lt=_aware(today + timedelta(days=7)),
        )
        .select_related("person", "site")
        .order_by("starts_at")
    )


def pending_requests_of(
    user: User, person: Person, today: date
) -> list[tuple[AppointmentRequest, int, bool]]:
    """Les demandes en attente de ``person`` : (demande, jours d'attente, au-delà de 15 jours)."""
    return [
        (
            r,
            timers.days_waiting(r.received_on, today),
            timers.is_waiting_too_long(r.received_on, today),
        )
        for r in visible_requests(user)
        .filter(person=person, status=AppointmentRequest.Status.EN_ATTENTE)
        .select_related("assigned_to")
        .order_by("received_on")
    ]


def appointments_of(user: User, person: Person, limit: int = 10) -> QuerySet[Appointment]:
    """Les derniers rendez-vous de ``person`` (les plus récents d'abord)."""
    return (
        visible_appointments(user)
        .filter(person=person)
        .select_related("staff", "site")
        .order_by("-starts_at")[:limit]
    )
