"""Demandes de rendez-vous et rendez-vous (socle ; l'agenda complet vient avec la détection)."""

from django.conf import settings
from django.db import models

from parcours.core.models import Departement, Organisation, Site
from parcours.core.nomenclatures import Canal, Mode
from parcours.people.models import Person


class AppointmentRequest(models.Model):
    """Une demande de la personne (ou pour elle) qui attend un premier rendez-vous.

    Norme de service : un rendez-vous proposé dans les 15 jours (rules.timers).
    """

    class Status(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de rendez-vous"
        PLANIFIEE = "planifiee", "Rendez-vous fixé"
        ANNULEE = "annulee", "Annulée"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="requests")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    received_on = models.DateField("date de la demande")
    channel = models.CharField("canal", max_length=10, choices=Canal, blank=True)
    reason = models.CharField("motif", max_length=300, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_assigned",
        verbose_name="AS destinataire",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.EN_ATTENTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demande de rendez-vous"
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["assigned_to", "status"], name="request_assigned")]


class Appointment(models.Model):
    class Status(models.TextChoices):
        PREVU = "prevu", "Prévu"
        HONORE = "honore", "Honoré"
        MANQUE = "manque", "Non honoré"
        ANNULE = "annule", "Annulé"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="agent",
    )
    request = models.ForeignKey(
        AppointmentRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=45)
    mode = models.CharField("mode", max_length=30, choices=Mode, default=Mode.RECEPTION_RDV)
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="lieu"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVU)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rendez-vous"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["staff", "starts_at"], name="appointment_staff")]
