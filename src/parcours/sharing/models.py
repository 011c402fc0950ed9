"""Le partage d'informations sur une personne hors de l'organisme (domaine.md §12).

- ``Consent`` : le consentement de la personne, un objet daté — qui l'a donné, à qui
  (partenaires de l'annuaire, autres organismes de l'installation), pour quelles catégories
  d'informations et dans quel but, depuis quand, retiré quand ;
- ``Disclosure`` : chaque partage fait (une orientation envoyée, une évaluation partagée, un
  parcours ouvert à un participant…), sur une base légale ou sous un consentement : la fiche
  de la personne les liste tous.
"""

from django.conf import settings
from django.db import models

from parcours.core.models import Organisation
from parcours.partners.models import Partner
from parcours.people.models import Person
from parcours.rules import sharing as rules


class Consent(models.Model):
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

    def category_labels(self) -> list[str]:
        return [rules.CATEGORIES[c] for c in self.categories if c in rules.CATEGORIES]


class Disclosure(models.Model):
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

    @property
    def recipient(self):
        return self.partner or self.recipient_organisation

    def category_labels(self) -> list[str]:
        return [rules.CATEGORIES[c] for c in self.categories if c in rules.CATEGORIES]
