"""Accompagnements, entretiens, objectifs, notes privées."""

from django.conf import settings
from django.db import models

from parcours.core.models import Departement, Organisation, Site
from parcours.core.nomenclatures import (
    Action,
    Issue,
    Mode,
    Origine,
    Problematique,
    Programme,
    Risque,
    Secteur,
)
from parcours.people.models import Person


class Case(models.Model):
    class State(models.TextChoices):
        OUVERT = "ouvert", "Ouvert"
        CLOS = "clos", "Clos"

    class EmploymentContract(models.TextChoices):
        CDI = "CDI", "CDI"
        CDD = "CDD", "CDD"
        INTERIM = "INTERIM", "Intérim"
        AUTRE = "AUTRE", "Autre"
        SANS = "SANS", "Sans contrat"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    programme = models.CharField("programme", max_length=20, choices=Programme)
    origin = models.CharField("origine", max_length=30, choices=Origine)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, verbose_name="département"
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_referent",
        verbose_name="AS référent·e",
    )
    opened_on = models.DateField("date d'ouverture")
    state = models.CharField("état", max_length=10, choices=State, default=State.OUVERT)
    closed_on = models.DateField("date de clôture", null=True, blank=True)
    outcome = models.CharField("issue", max_length=30, choices=Issue, blank=True)
    risk = models.CharField("risque", max_length=10, choices=Risque, blank=True)
    sector = models.CharField("secteur d'activité", max_length=30, choices=Secteur, blank=True)
    employment_contract = models.CharField(
        "contrat de travail à l'entrée", max_length=10, choices=EmploymentContract, blank=True
    )
    synthesis = models.TextField("synthèse partagée", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "departement", "state"], name="case_org_dep"),
            models.Index(fields=["referent", "state"], name="case_referent"),
        ]

    def __str__(self):
        return f"{self.get_programme_display()} — ouvert le {self.opened_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OUVERT


class CaseEvent(models.Model):
    """Historique du cycle de vie : ouverture, clôture, réouverture, réaffectation."""

    class Kind(models.TextChoices):
        OUVERTURE = "ouverture", "Ouverture"
        CLOTURE = "cloture", "Clôture"
        REOUVERTURE = "reouverture", "Réouverture"
        REAFFECTATION = "reaffectation", "Réaffectation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    on = models.DateField("date")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "événement de l'accompagnement"
        verbose_name_plural = "événements de l'accompagnement"
        ordering = ["at", "id"]


class Contact(models.Model):
    """Un entretien ou une intervention individuelle."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField("date")
    mode = models.CharField("mode", max_length=30, choices=Mode)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name="agent",
    )
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="lieu"
    )
    note = models.TextField("note", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entretien"
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "on"], name="contact_org_on"),
            models.Index(fields=["case", "on"], name="contact_case_on"),
            models.Index(fields=["staff", "on"], name="contact_staff_on"),
        ]


class ContactAction(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=30, choices=Action)

    class Meta:
        verbose_name = "action d'un entretien"
        verbose_name_plural = "actions d'un entretien"
        constraints = [models.UniqueConstraint(fields=["contact", "code"], name="contact_action")]


class ContactProblem(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="problems")
    code = models.CharField(max_length=30, choices=Problematique)

    class Meta:
        verbose_name = "problématique d'un entretien"
        verbose_name_plural = "problématiques d'un entretien"
        constraints = [models.UniqueConstraint(fields=["contact", "code"], name="contact_problem")]


class Objective(models.Model):
    class Status(models.TextChoices):
        EN_COURS = "en_cours", "En cours"
        ATTEINT = "atteint", "Atteint"
        ABANDONNE = "abandonne", "Abandonné"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="objectives")
    label = models.CharField("objectif", max_length=300)
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField("état", max_length=10, choices=Status, default=Status.EN_COURS)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "objectif"
        ordering = ["created_at", "id"]


class PrivateNote(models.Model):
    """Note privée : visible de son seul auteur (secret professionnel)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="private_notes"
    )
    text = models.TextField("note privée")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "note privée"
        ordering = ["-created_at", "-id"]
