"""L'annuaire des partenaires d'un organisme : organismes partenaires, leurs contacts, les
conventions passées avec eux."""

from django.core.validators import MinValueValidator
from django.db import models

from parcours.core.models import Commune, Departement, Organisation


class Partner(models.Model):
    class Kind(models.TextChoices):
        SANTE_TRAVAIL = "SANTE_TRAVAIL", "Santé au travail"
        CAP_EMPLOI = "CAP_EMPLOI", "Cap emploi"
        MDPH = "MDPH", "MDPH"
        DEPARTEMENT = "DEPARTEMENT", "Département"
        CCAS = "CCAS", "CCAS"
        CLIC = "CLIC", "CLIC"
        ETABLISSEMENT_SANTE = "ETABLISSEMENT_SANTE", "Établissement de santé"
        ASSOCIATION = "ASSOCIATION", "Association"
        BAILLEUR = "BAILLEUR", "Bailleur"
        FRANCE_SERVICES = "FRANCE_SERVICES", "France Services"
        SECURITE_SOCIALE = "SECURITE_SOCIALE", "Autre organisme de sécurité sociale"
        AUTRE = "AUTRE", "Autre"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    name = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    territories = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name="départements couverts"
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("nom", max_length=200)
    function = models.CharField("fonction", max_length=200, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)

    class Meta:
        verbose_name = "contact d'un partenaire"
        verbose_name_plural = "contacts des partenaires"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Convention(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="conventions")
    object = models.CharField("objet", max_length=300)
    start = models.DateField("début")
    end = models.DateField("fin")
    territories = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name="départements couverts"
    )
    services = models.TextField("prestations", blank=True)
    unit_price = models.DecimalField(
        "prix unitaire (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="pconvention_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__isnull=True) | models.Q(unit_price__gte=0),
                name="pconvention_price_not_negative",
            ),
        ]

    def __str__(self):
        return self.object
