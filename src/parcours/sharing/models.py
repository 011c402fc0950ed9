"""Le partage d'informations sur une personne hors de l'organisme (domaine.md §12).

- ``Consent`` : le consentement de la personne, un objet daté — qui l'a donné, à qui
  (partenaires de l'annuaire, autres organismes de l'installation), pour quelles catégories
  d'informations et dans quel but, depuis quand, retiré quand ;
- ``Disclosure`` : chaque partage fait (une orientation envoyée, une évaluation partagée, un
  parcours ouvert à un participant…), sur une base légale ou sous un consentement : la fiche
  de la personne les liste tous.
"""

import secrets

from django.conf import settings
from django.db import models

from parcours.core.models import Organisation
from parcours.outreach.models import REFERENCE_ALPHABET
from parcours.partners.models import Partner
from parcours.people.models import Person
from parcours.rules import sharing as rules


class SharedCategories:
    """Les catégories d'informations d'un objet (``categories``), en clair, dans l'ordre de la
    liste fermée."""

    categories: list[str]

    def category_labels(self) -> list[str]:
        return [rules.CATEGORIES[c] for c in self.categories if c in rules.CATEGORIES]


class OneRecipient:
    """Un partage vers un seul destinataire : un partenaire de l'annuaire ou un autre organisme."""

    partner: Partner | None
    recipient_organisation: Organisation | None

    @property
    def recipient(self) -> Partner | Organisation | None:
        return self.partner or self.recipient_organisation


class Consent(SharedCategories, models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField("donné par", max_length=20, choices=list(rules.GIVERS.items()))
    representative_name = models.CharField("nom du représentant", max_length=200, blank=True)
    method = models.CharField("comment", max_length=20, choices=list(rules.METHODS.items()))
    given_on = models.DateField("donné le")
    purpose = models.CharField("but du partage", max_length=300)
    categories = models.JSONField("catégories d'informations", default=list)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="consents", verbose_name="partenaires destinataires"
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="consents_received",
        verbose_name="organismes destinataires",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistré par",
    )
    recorded_at = models.DateTimeField("enregistré le")
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    withdrawal_reason = models.CharField("motif du retrait", max_length=300, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="retrait enregistré par",
    )

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["person", "withdrawn_on"], name="consent_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self):
        return f"Consentement du {self.given_on:%d/%m/%Y}"


class Disclosure(SharedCategories, OneRecipient, models.Model):
    """Un partage fait : à qui, quoi, sur quelle base, à propos de quel objet."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disclosures")
    basis = models.CharField("base", max_length=20, choices=list(rules.BASES.items()))
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name="consentement",
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partenaire destinataire",
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisme destinataire",
    )
    categories = models.JSONField("catégories d'informations", default=list)
    object_type = models.CharField("objet partagé", max_length=40)
    object_id = models.CharField(max_length=40)
    label = models.CharField("libellé", max_length=200)
    at = models.DateTimeField("le")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="par",
    )

    class Meta:
        verbose_name = "partage"
        verbose_name_plural = "partages"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"], name="disclosure_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=True, recipient_organisation__isnull=False)
                | models.Q(partner__isnull=False, recipient_organisation__isnull=True),
                name="disclosure_one_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(basis="CONSENTEMENT") | models.Q(consent__isnull=False),
                name="disclosure_consent_when_basis",
            ),
        ]

    def __str__(self):
        return self.label


# --- Parcours partagés entre organismes, évaluations reconnues, synthèse partagée -------------
#
# Un parcours partagé (``SharedPathway``) est ouvert par un organisme pour une de ses personnes,
# avec des participants (autres organismes de l'installation, partenaires de l'annuaire), un
# référent de parcours et le consentement qui couvre les participants. Chaque participant ne lit
# que les catégories partagées (identité, étapes, évaluations, synthèse), tant que le
# consentement est en vigueur.


class SharedPathway(SharedCategories, models.Model):
    class Purpose(models.TextChoices):
        SEPARATION = "SEPARATION", "Parcours séparation"
        PDP = "PDP", "Prévention de la désinsertion professionnelle"
        PERTE_AUTONOMIE = "PERTE_AUTONOMIE", "Perte d'autonomie"
        AUTRE = "AUTRE", "Autre"

    class State(models.TextChoices):
        OUVERT = "OUVERT", "Ouvert"
        CLOS = "CLOS", "Clos"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisme qui a ouvert le parcours",
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shared_pathways")
    purpose = models.CharField("objet du parcours", max_length=20, choices=Purpose)
    label = models.CharField("libellé", max_length=200, blank=True)
    categories = models.JSONField("informations partagées avec les participants", default=list)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        related_name="pathways",
        verbose_name="consentement",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="référent de parcours",
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="pathways_joined",
        verbose_name="organismes participants",
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="pathways", verbose_name="partenaires participants"
    )
    state = models.CharField("état", max_length=10, choices=State, default=State.OUVERT)
    opened_on = models.DateField("ouvert le")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="ouvert par",
    )
    closed_on = models.DateField("clos le", null=True, blank=True)
    outcome = models.CharField("issue", max_length=300, blank=True)
    synthesis_version = models.PositiveIntegerField("version de la synthèse", default=0)

    class Meta:
        verbose_name = "parcours partagé"
        verbose_name_plural = "parcours partagés"
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "state"], name="pathway_org_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="OUVERT", closed_on__isnull=True)
                | models.Q(state="CLOS", closed_on__isnull=False),
                name="pathway_closed_on_when_closed",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.purpose == self.Purpose.AUTRE and self.label:
            return self.label
        return self.get_purpose_display()


class PathwayStep(models.Model):
    """Une étape du parcours, écrite par un agent d'un organisme participant."""

    class Kind(models.TextChoices):
        RENDEZ_VOUS = "RENDEZ_VOUS", "Rendez-vous"
        DEMARCHE = "DEMARCHE", "Démarche"
        DOSSIER = "DOSSIER", "Dossier déposé"
        DECISION = "DECISION", "Décision"
        AUTRE = "AUTRE", "Autre"

    pathway = models.ForeignKey(SharedPathway, on_delete=models.CASCADE, related_name="steps")
    on = models.DateField("date")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    kind = models.CharField("nature", max_length=20, choices=Kind)
    text = models.CharField("étape", max_length=500)
    created_at = models.DateTimeField("écrite le")

    class Meta:
        verbose_name = "étape de parcours"
        verbose_name_plural = "étapes de parcours"
        ordering = ["-on", "-pk"]

    def __str__(self):
        return self.text


class PathwaySynthesis(models.Model):
    """Une version de la synthèse partagée : chaque enregistrement en ajoute une."""

    pathway = models.ForeignKey(SharedPathway, on_delete=models.CASCADE, related_name="syntheses")
    version = models.PositiveIntegerField("version")
    text = models.TextField("synthèse")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    written_at = models.DateTimeField("écrite le")

    class Meta:
        verbose_name = "synthèse partagée"
        verbose_name_plural = "synthèses partagées"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "version"], name="synthesis_one_version")
        ]

    def __str__(self):
        return f"Synthèse, version {self.version}"


def new_evaluation_share_reference() -> str:
    """La référence publique d'une évaluation partagée : ``EVA-`` et 16 caractères tirés au
    hasard (``secrets``, 79 bits), comme un signalement ; le destinataire la lit par l'API."""
    return "EVA-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(16))


class EvaluationShare(OneRecipient, models.Model):
    """Une évaluation des besoins partagée avec un autre organisme (lue en lecture seule) ou un
    partenaire (partage noté ; sa lecture passera par l'interface des partenaires)."""

    evaluation = models.ForeignKey(
        "aid.Evaluation", on_delete=models.CASCADE, related_name="shares"
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisme destinataire",
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partenaire destinataire",
    )
    basis = models.CharField("base", max_length=20, choices=list(rules.BASES.items()))
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_shares",
        verbose_name="consentement",
    )
    shared_at = models.DateTimeField("partagée le")
    reference = models.CharField(
        "référence",
        max_length=24,
        unique=True,
        default=new_evaluation_share_reference,
        editable=False,
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )

    class Meta:
        verbose_name = "évaluation partagée"
        verbose_name_plural = "évaluations partagées"
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=True, recipient_organisation__isnull=False)
                | models.Q(partner__isnull=False, recipient_organisation__isnull=True),
                name="evaluation_share_one_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(basis="CONSENTEMENT") | models.Q(consent__isnull=False),
                name="evaluation_share_consent_when_basis",
            ),
        ]

    def __str__(self):
        return f"Évaluation partagée le {self.shared_at:%d/%m/%Y}"


# --- Orientations ------------------------------------------------------------------------------
# Une orientation de la personne vers un partenaire de l'annuaire ou un autre organisme de
# l'installation (domaine.md §12) ; ses états suivent ``rules.orientations``.

from parcours.core.models import Departement  # noqa: E402
from parcours.core.nomenclatures import Problematique  # noqa: E402
from parcours.partners.models import PartnerContact  # noqa: E402
from parcours.rules import orientations as orientation_rules  # noqa: E402


class Orientation(SharedCategories, OneRecipient, models.Model):
    """Une orientation envoyée : vers qui, pourquoi, ce qui est demandé et partagé, sur quelle
    base, l'échéance de réponse, l'état et la réponse du destinataire."""

    class Status(models.TextChoices):
        ENVOYEE = "ENVOYEE", orientation_rules.LABELS["ENVOYEE"]
        RECUE = "RECUE", orientation_rules.LABELS["RECUE"]
        ACCEPTEE = "ACCEPTEE", orientation_rules.LABELS["ACCEPTEE"]
        REFUSEE = "REFUSEE", orientation_rules.LABELS["REFUSEE"]
        CLOTUREE = "CLOTUREE", orientation_rules.LABELS["CLOTUREE"]
        RELANCEE = "RELANCEE", orientation_rules.LABELS["RELANCEE"]

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="orientations")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orientations",
        verbose_name="accompagnement",
    )
    contact = models.ForeignKey(
        "cases.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orientations",
        verbose_name="entretien",
    )
    front_line_contact = models.ForeignKey(
        "outreach.FrontLineContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orientations",
        verbose_name="contact d'accueil",
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orientations",
        verbose_name="partenaire",
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orientations_received",
        verbose_name="autre organisme",
    )
    partner_contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="contact chez le partenaire",
    )
    reason = models.CharField("motif", max_length=30, choices=Problematique)
    request = models.TextField("ce qui est demandé")
    categories = models.JSONField("informations partagées", default=list)
    basis = models.CharField("base du partage", max_length=20, choices=list(rules.BASES.items()))
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orientations",
        verbose_name="consentement",
    )
    first_deadline = models.DateField("échéance de réponse fixée à l'envoi")
    deadline = models.DateField("échéance de réponse")
    status = models.CharField("état", max_length=10, choices=Status, default=Status.ENVOYEE)
    sent_at = models.DateTimeField("envoyée le")
    sent_on = models.DateField("date d'envoi")
    received_on = models.DateField("reçue le", null=True, blank=True)
    answered_on = models.DateField("réponse le", null=True, blank=True)
    answer_comment = models.TextField("commentaire du destinataire", blank=True)
    reminder_count = models.PositiveSmallIntegerField("relances", default=0)
    last_reminder_on = models.DateField("dernière relance", null=True, blank=True)
    reference = models.CharField("référence", max_length=24, unique=True, editable=False)
    link_issued_on = models.DateField("lien du destinataire émis le")
    incoming_referral = models.OneToOneField(
        "outreach.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orientation",
        verbose_name="signalement chez l'organisme destinataire",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="envoyée par",
    )

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "sent_on"], name="orientation_org_sent"),
            models.Index(fields=["status", "deadline"], name="orientation_due"),
            models.Index(fields=["created_by", "status"], name="orientation_sender"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=True, recipient_organisation__isnull=False)
                | models.Q(partner__isnull=False, recipient_organisation__isnull=True),
                name="orientation_one_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(basis="CONSENTEMENT") | models.Q(consent__isnull=False),
                name="orientation_consent_when_basis",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("sent_on")),
                name="orientation_deadline_after_sending",
            ),
        ]

    def __str__(self):
        return f"Orientation du {self.sent_on:%d/%m/%Y} vers {self.recipient}"


class OrientationEvent(models.Model):
    """Un changement d'état d'une orientation : de quoi à quoi, quand, par qui (un agent, ou le
    destinataire par son lien), avec son commentaire."""

    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        "état précédent", max_length=10, choices=Orientation.Status, blank=True
    )
    to_status = models.CharField("nouvel état", max_length=10, choices=Orientation.Status)
    at = models.DateTimeField("le")
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par l'agent",
    )
    by_partner = models.BooleanField("par le destinataire", default=False)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "étape d'une orientation"
        verbose_name_plural = "étapes des orientations"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_to_status_display()} le {self.at:%d/%m/%Y}"
