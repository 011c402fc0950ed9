"""Actions collectives : actions, séances, invitations, inscriptions, questionnaires."""

from django.conf import settings
from django.db import models

from parcours.core.models import Departement, Organisation, Site
from parcours.core.nomenclatures import Canal, Programme, TypeCollectif
from parcours.partners.models import Partner
from parcours.people.models import Person
from parcours.rules import collective as rules


class GroupAction(models.Model):
    """Une action collective (réunion d'information, atelier, séjour…) et ses séances."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    type = models.CharField("type d'action", max_length=20, choices=TypeCollectif)
    programme = models.CharField("programme", max_length=20, choices=Programme)
    title = models.CharField("intitulé", max_length=200)
    title_is_public = models.BooleanField(
        "intitulé public",
        default=False,
        help_text=(
            "Coché : l'intitulé et la présentation s'affichent sur la page d'inscription "
            "personnelle. Sinon, la page dit seulement « Votre inscription à un atelier » : un "
            "intitulé peut révéler un arrêt de travail ou une maladie à qui voit le lien."
        ),
    )
    public = models.CharField("public visé", max_length=300, blank=True)
    partners = models.CharField(
        "autres partenaires (hors annuaire)",
        max_length=500,
        blank=True,
        help_text="Ceux qui ne sont pas dans l'annuaire, séparés par des virgules.",
    )
    directory_partners = models.ManyToManyField(
        Partner, blank=True, related_name="group_actions", verbose_name="partenaires"
    )
    cofunders = models.CharField("cofinanceurs", max_length=500, blank=True)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, verbose_name="département"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="animatrices et animateurs (AS)",
        blank=True,
        related_name="group_actions",
    )
    partner_facilitators = models.CharField(
        "intervenants des partenaires", max_length=500, blank=True
    )
    facilitator_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="facilitated_group_actions",
        verbose_name="partenaires des intervenants",
    )
    description = models.TextField("présentation", blank=True)
    grant = models.ForeignKey(
        "partners.Grant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_actions",
        verbose_name="financée par la subvention",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "action collective"
        verbose_name_plural = "actions collectives"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "departement", "type"], name="gaction_org_dep"),
        ]

    def __str__(self):
        return self.title


class Session(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(GroupAction, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("date")
    start_time = models.TimeField("heure de début")
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, verbose_name="lieu d'accueil"
    )
    partner_place = models.CharField("lieu d'un partenaire", max_length=300, blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="partenaire qui accueille",
    )
    #: la commune de la séance quand ni le lieu d'accueil ni le partenaire ne la donnent (le
    #: croisement de l'observatoire prend la commune saisie, sinon celle du lieu, sinon celle du
    #: partenaire : ``groups.queries.session_commune``)
    commune = models.ForeignKey(
        "core.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    video = models.BooleanField("en visioconférence", default=False)
    capacity = models.PositiveSmallIntegerField("nombre de places")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "séance"
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["organisation", "date"], name="gsession_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="gsession_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.action.title} — {self.date:%d/%m/%Y} à {self.start_time:%H:%M}"

    @property
    def place(self) -> str:
        if self.video:
            return "En visioconférence"
        if self.site is not None:
            address = f", {self.site.address}" if self.site.address else ""
            return f"{self.site.name}{address}"
        if self.partner is not None:
            place = f" — {self.partner_place}" if self.partner_place else ""
            return f"{self.partner.name}{place}"
        return self.partner_place


class Invitation(models.Model):
    """Le lien personnel d'une personne pour une action : inscription, questionnaires."""

    class Source(models.TextChoices):
        LISTE = "LISTE", "Liste constituée à la main"
        CIBLAGE = "CIBLAGE", "Ciblage ou campagne"
        INSCRIPTION = "INSCRIPTION", "Inscription par un agent"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(GroupAction, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source = models.CharField("origine", max_length=20, choices=Source, default=Source.LISTE)
    channel = models.CharField("canal", max_length=10, choices=Canal, default=Canal.COURRIER)
    issued_on = models.DateField("date d'émission du lien")
    letter_printed_on = models.DateField("courrier édité le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="invitation_unique")
        ]


class Registration(models.Model):
    class Status(models.TextChoices):
        INSCRIT = rules.REGISTERED, "Inscrit·e"
        ATTENTE = rules.WAITING, "Liste d'attente"
        ANNULE = rules.CANCELLED, "Annulée"

    class Relation(models.TextChoices):
        PERSONNE = "PERSONNE", "Personne concernée"
        AIDANT = "AIDANT", "Aidant·e"
        PROCHE = "PROCHE", "Proche"

    class Channel(models.TextChoices):
        AGENT = "AGENT", "Par un agent"
        LIEN = "LIEN", "Par le lien personnel"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField("état", max_length=10, choices=Status, default=Status.INSCRIT)
    relation = models.CharField(
        "qualité", max_length=10, choices=Relation, default=Relation.PERSONNE
    )
    channel = models.CharField("inscription", max_length=10, choices=Channel)
    present = models.BooleanField("présent·e", null=True, blank=True)
    registered_at = models.DateTimeField("inscrit·e le")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "inscription"
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_unique")
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="registration_session"),
            models.Index(fields=["person", "present"], name="registration_person"),
        ]


class Questionnaire(models.Model):
    class Moment(models.TextChoices):
        A_CHAUD = rules.AT_END, "À chaud, à la fin de la séance"
        DEBUT = rules.START, "Au début de l'action"
        FIN = rules.END, "À la fin de l'action"
        DIFFERE = rules.LATER, "Plusieurs mois après (impact)"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("intitulé", max_length=200)
    moment = models.CharField("moment", max_length=10, choices=Moment)
    months_after = models.PositiveSmallIntegerField("délai (mois)", default=0)
    action_type = models.CharField(
        "type d'action", max_length=20, choices=TypeCollectif, blank=True
    )
    programme = models.CharField("programme", max_length=20, choices=Programme, blank=True)
    active = models.BooleanField("en service", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "questionnaire"
        ordering = ["programme", "action_type", "months_after", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class AnswerType(models.TextChoices):
        ECHELLE = rules.SCALE, "Échelle (note)"
        OUI_NON = rules.YES_NO, "Oui / non"
        CHOIX = rules.CHOICE, "Choix dans une liste"
        TEXTE = rules.TEXT, "Texte libre"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("ordre", default=1)
    text = models.CharField("question", max_length=300)
    answer_type = models.CharField("type de réponse", max_length=10, choices=AnswerType)
    scale_max = models.PositiveSmallIntegerField("note maximale", default=5)
    choices = models.JSONField("réponses proposées", default=list, blank=True)
    positive_choices = models.JSONField("réponses positives (rangs)", default=list, blank=True)
    required = models.BooleanField("obligatoire", default=False)

    class Meta:
        verbose_name = "question"
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    def is_positive(self, value) -> bool:
        return rules.is_positive(
            self.answer_type, value, scale_max=self.scale_max, positive=self.positive_choices
        )


class Response(models.Model):
    """Un questionnaire rempli par une personne pour une action (en ligne ou saisi du papier)."""

    class Source(models.TextChoices):
        LIEN = "LIEN", "En ligne (lien personnel)"
        PAPIER = "PAPIER", "Saisi d'après le papier"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField("origine", max_length=10, choices=Source)
    submitted_at = models.DateTimeField("reçu le")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "réponse à un questionnaire"
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "invitation"], name="response_unique")
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField("valeur", null=True, blank=True)
    text = models.TextField("texte", blank=True)

    class Meta:
        verbose_name = "réponse à une question"
        verbose_name_plural = "réponses aux questions"
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique")
        ]
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value")]
