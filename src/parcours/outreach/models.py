"""Demandes de rendez-vous et rendez-vous (socle ; l'agenda complet vient avec la détection)."""

import secrets

from django.conf import settings
from django.db import models

from parcours.core.models import Departement, Organisation, Site
from parcours.core.nomenclatures import Canal, Emetteur, Mode, Programme, Risque, StatutOffre
from parcours.partners.models import Partner
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
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rendez-vous"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["staff", "starts_at"], name="appointment_staff")]


class Permanence(models.Model):
    """Une plage hebdomadaire d'une AS (réception sur rendez-vous, permanence, téléphone…),
    découpée en créneaux."""

    class Weekday(models.IntegerChoices):
        LUNDI = 0, "Lundi"
        MARDI = 1, "Mardi"
        MERCREDI = 2, "Mercredi"
        JEUDI = 3, "Jeudi"
        VENDREDI = 4, "Vendredi"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="permanences",
        verbose_name="AS",
    )
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="lieu"
    )
    mode = models.CharField("mode", max_length=30, choices=Mode, default=Mode.RECEPTION_RDV)
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday)
    start = models.TimeField("début")
    end = models.TimeField("fin")
    slot_minutes = models.PositiveSmallIntegerField("durée d'un créneau (minutes)", default=45)
    valid_from = models.DateField("à partir du", null=True, blank=True)
    valid_until = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "plage de rendez-vous"
        ordering = ["staff", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="permanence_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="permanence_valid_until_after_from",
            ),
        ]


# --- Ciblage ------------------------------------------------------------------------------


class TargetingRule(models.Model):
    """Une règle de ciblage de l'organisme : code du catalogue (rules.targeting) + paramètres."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("règle", max_length=30)
    name = models.CharField("nom", max_length=200)
    programme = models.CharField("programme", max_length=20, choices=Programme)
    parameters = models.JSONField("paramètres", default=dict)
    active = models.BooleanField("active", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "règle de ciblage"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="rule_unique_code")
        ]

    def __str__(self):
        return self.name


class TargetingRun(models.Model):
    """Un passage d'un fichier extrait dans une règle : reproductible, compté, jamais deux fois."""

    class Status(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        DEJA_IMPORTE = "deja_importe", "Déjà importé : rien n'a changé"
        REFUSE = "refuse", "Fichier refusé"
        ECHEC = "echec", "Échec"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(TargetingRule, on_delete=models.PROTECT, related_name="runs")
    rule_code = models.CharField("règle", max_length=30)
    parameters = models.JSONField("paramètres appliqués", default=dict)
    programme = models.CharField("programme", max_length=20, choices=Programme)
    dry_run = models.BooleanField("essai", default=False)
    file_name = models.CharField("fichier", max_length=255)
    file_sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    file_path = models.CharField(max_length=500, blank=True, editable=False)
    extraction_date = models.DateField("date d'extraction")
    status = models.CharField("état", max_length=20, choices=Status, default=Status.EN_ATTENTE)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    message = models.TextField(blank=True)
    lines = models.PositiveIntegerField("lignes", default=0)
    valid = models.PositiveIntegerField("valides", default=0)
    rejected = models.PositiveIntegerField("rejetées", default=0)
    targeted = models.PositiveIntegerField("cibles", default=0)
    already_known = models.PositiveIntegerField("déjà connues", default=0)
    already_in_case = models.PositiveIntegerField("déjà en accompagnement", default=0)
    new_people = models.PositiveIntegerField("nouvelles personnes", default=0)
    #: règles qui l'excluent : personnes à qui une offre a été faite dans la période de la règle
    already_offered = models.PositiveIntegerField("déjà sollicitées", default=0)
    #: les premiers motifs de rejet seulement (``PARCOURS_REJECTIONS_KEPT``) : la liste complète
    #: est dans un fichier à part (``core.rejections``), téléchargeable depuis la page du ciblage
    errors = models.JSONField("premiers motifs de rejet", default=list, blank=True)
    error_count = models.PositiveIntegerField("motifs de rejet", default=0)
    error_summary = models.JSONField("motifs de rejet par nature", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    #: colonnes lourdes qu'une liste de ciblages ne charge jamais
    HEAVY_FIELDS = ("errors", "error_summary", "parameters", "message")

    class Meta:
        verbose_name = "ciblage"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "file_sha256", "rule_code"],
                condition=models.Q(dry_run=False, status="termine"),
                name="run_file_rule_imported_once",
            )
        ]

    def __str__(self):
        return f"Ciblage n°{self.pk} du {self.extraction_date:%d/%m/%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status not in {self.Status.EN_ATTENTE, self.Status.EN_COURS}

    @property
    def waiting_too_long(self) -> bool:
        """En attente depuis plus longtemps que la normale : le travailleur ne tourne pas ?"""
        from parcours.core import clock
        from parcours.rules import background

        return self.status == self.Status.EN_ATTENTE and background.waited_too_long(
            (clock.now() - self.created_at).total_seconds()
        )

    def summary(self) -> dict:
        """Le résumé JSON de l'issue (exactement ces clés)."""
        return {
            "lignes": self.lines,
            "valides": self.valid,
            "rejetees": self.rejected,
            "erreurs": self.errors,
            "cibles": self.targeted,
            "deja_connus": self.already_known,
            "deja_en_accompagnement": self.already_in_case,
            "nouvelles_personnes": self.new_people,
        }


class TargetingEntry(models.Model):
    """Une personne ciblée par un ciblage réel (ligne valide retenue par la règle)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(TargetingRun, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="targetings")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    line = models.PositiveIntegerField("ligne")
    sick_leave_start = models.DateField("début de l'arrêt", null=True, blank=True)
    risk = models.CharField("risque", max_length=10, choices=Risque, blank=True)
    #: ciblage sur le fichier des retraités : le score de fragilité de la ligne
    score = models.PositiveSmallIntegerField("score de fragilité", null=True, blank=True)
    #: ciblage sur un fichier d'événements (formats.md §6.4) : l'événement et sa date
    event = models.CharField("événement", max_length=30, blank=True, db_default="")
    event_date = models.DateField("date de l'événement", null=True, blank=True)
    already_known = models.BooleanField("déjà connue", default=False)

    class Meta:
        verbose_name = "personne ciblée"
        ordering = ["run", "line"]
        indexes = [models.Index(fields=["run", "departement"], name="entry_run_dep")]

    @property
    def event_label(self) -> str:
        """L'événement en clair (formats.md §6.4), pour les pages."""
        from parcours.rules.events_extract import EVENTS

        return EVENTS.get(self.event, self.event)


# --- Signalements -------------------------------------------------------------------------


#: Alphabet des références publiques : sans 0/O ni 1/I/L, lisible au téléphone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_referral_reference() -> str:
    """La référence publique d'un signalement : ``SIG-`` et 16 caractères tirés au hasard
    (``secrets``, 79 bits) ; impossible à deviner, elle se donne à l'émetteur."""
    return "SIG-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(16))


class Referral(models.Model):
    """Un signalement reçu d'un émetteur (formats.md §1), suivi jusqu'à la réponse."""

    class Status(models.TextChoices):
        RECU = "RECU", "Reçu"
        PRIS_EN_CHARGE = "PRIS_EN_CHARGE", "Pris en charge"
        RENCONTRE = "RENCONTRE", "Personne rencontrée"
        INJOIGNABLE = "INJOIGNABLE", "Personne injoignable"
        REFUS = "REFUS", "Refus de la personne"
        REORIENTE = "REORIENTE", "Réorienté"

    class Priority(models.TextChoices):
        NORMALE = "NORMALE", "Normale"
        HAUTE = "HAUTE", "Haute"
        URGENTE = "URGENTE", "Urgente"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(
        "référence", max_length=24, unique=True, default=new_referral_reference, editable=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    emitter = models.CharField("émetteur", max_length=30, choices=Emetteur)
    emitter_name = models.CharField("nom de l'émetteur", max_length=200, blank=True)
    emitter_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="partenaire émetteur",
    )
    emitter_address = models.CharField(
        "adresse de l'émetteur (pour la réponse)", max_length=300, blank=True
    )
    received_on = models.DateField("date de réception")
    reason = models.CharField("motif", max_length=500)
    priority = models.CharField(
        "priorité", max_length=10, choices=Priority, default=Priority.NORMALE
    )
    programme = models.CharField("programme", max_length=20, choices=Programme)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    status = models.CharField("état", max_length=20, choices=Status, default=Status.RECU)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
        verbose_name="AS",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    status_changed_on = models.DateField("date de l'état", null=True, blank=True)
    answered_on = models.DateField("réponse à l'émetteur", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "signalement"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "departement", "status"], name="referral_dep"),
            models.Index(fields=["assigned_to", "status"], name="referral_assigned"),
        ]

    def __str__(self):
        return f"Signalement du {self.received_on:%d/%m/%Y} ({self.get_emitter_display()})"


# --- Accueil ------------------------------------------------------------------------------


class FrontLineContact(models.Model):
    """Un contact d'accueil (téléphone, accueil physique, courriel) noté en quelques secondes."""

    class Channel(models.TextChoices):
        TELEPHONE = "TELEPHONE", "Téléphone"
        ACCUEIL = "ACCUEIL", "Accueil physique"
        EMAIL = "EMAIL", "Courriel"

    class Answer(models.TextChoices):
        INFORMATION = "INFORMATION", "Information donnée"
        ORIENTATION = "ORIENTATION", "Orientation vers un partenaire"
        RENDEZ_VOUS = "RENDEZ_VOUS", "Rendez-vous fixé"
        MESSAGE_AS = "MESSAGE_AS", "Message transmis à l'AS"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("date et heure")
    date = models.DateField("date")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="lieu"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="front_line_contacts"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="front_line_contacts",
    )
    channel = models.CharField("canal", max_length=10, choices=Channel)
    reason = models.CharField("motif", max_length=300)
    answer = models.CharField("réponse apportée", max_length=20, choices=Answer)
    partner = models.CharField("partenaire", max_length=200, blank=True)
    oriented_to = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="front_line_orientations",
        verbose_name="partenaire vers qui orienter",
    )
    message = models.CharField("message pour l'AS", max_length=500, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="AS destinataire",
    )
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=5)

    class Meta:
        verbose_name = "contact d'accueil"
        verbose_name_plural = "contacts d'accueil"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "date"], name="frontline_org_date")]


# --- Offres de service --------------------------------------------------------------------


class Campaign(models.Model):
    """Une campagne d'offres de service : des personnes, un canal, une proposition."""

    class Proposal(models.TextChoices):
        RENDEZ_VOUS = "RENDEZ_VOUS", "Un rendez-vous individuel"
        APPEL = "APPEL", "Une invitation à nous appeler"
        REUNION = "REUNION", "Une place à une réunion d'information collective"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("nom", max_length=200)
    run = models.ForeignKey(
        TargetingRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name="ciblage",
    )
    channel = models.CharField("canal", max_length=10, choices=Canal)
    proposal = models.CharField("proposition", max_length=20, choices=Proposal)
    group_action = models.ForeignKey(
        "groups.GroupAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name="réunion d'information collective",
    )
    programme = models.CharField("programme", max_length=20, choices=Programme)
    phone = models.CharField("téléphone à appeler", max_length=30, blank=True)
    sent_on = models.DateField("date d'envoi")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "campagne"
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return self.name


class ServiceOffer(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="offers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="offers")
    reference = models.CharField("référence", max_length=20, unique=True)
    sent_on = models.DateField("date d'envoi")
    channel = models.CharField("canal", max_length=10, choices=Canal)
    status = models.CharField(
        "état", max_length=20, choices=StatutOffre, default=StatutOffre.ENVOYEE
    )
    programme = models.CharField("programme", max_length=20, choices=Programme)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    answered_on = models.DateField("date de la réponse", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("relances", default=0)
    last_reminder_on = models.DateField("dernière relance", null=True, blank=True)

    class Meta:
        verbose_name = "offre de service"
        verbose_name_plural = "offres de service"
        ordering = ["campaign", "id"]
        indexes = [models.Index(fields=["campaign", "status"], name="offer_campaign")]


class LetterBatch(models.Model):
    """Un gros lot de courriers d'une campagne, préparé en tâche de fond pour l'agent qui l'a
    demandé (ses départements) ; seul le dernier lot de l'agent pour la campagne est gardé."""

    class Status(models.TextChoices):
        EN_COURS = "EN_COURS", "En préparation"
        PRET = "PRET", "Prêt"
        ECHEC = "ECHEC", "Échec"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="letter_batches")
    reminder = models.BooleanField("courriers de relance", default=False)
    status = models.CharField("état", max_length=10, choices=Status, default=Status.EN_COURS)
    count = models.PositiveIntegerField("courriers", default=0)
    pdf = models.BinaryField("PDF", blank=True, default=b"")
    site_url = models.CharField("adresse du site (liens personnels)", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lot de courriers"
        ordering = ["-created_at", "-id"]
