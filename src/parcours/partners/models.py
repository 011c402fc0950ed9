"""L'annuaire des partenaires d'un organisme : organismes partenaires, leurs contacts, les
conventions passées avec eux ; les subventions (appels à projets, candidatures, montants
accordés par année, versements, bilans annuels)."""

from django.core.validators import MinValueValidator
from django.db import models

from parcours.core.models import Commune, Departement, Organisation, Site
from parcours.core.nomenclatures import Programme


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
        PLATEFORME_ACCES_SOINS = (
            "PLATEFORME_ACCES_SOINS",
            "Plateforme d'accès aux soins (PFIDASS / MisAS)",
        )
        AUTRE = "AUTRE", "Autre"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    name = models.CharField("nom", max_length=200)
    code = models.CharField(
        "code",
        max_length=40,
        blank=True,
        default="",
        help_text="Court, unique dans l'annuaire : il désigne le partenaire dans les commandes "
        "(jetons d'API) et les échanges de fichiers.",
    )
    siret = models.CharField("SIRET", max_length=14, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    territories = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name="départements couverts"
    )
    active = models.BooleanField("actif", default=True)
    hosted_sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="host_partners",
        verbose_name="permanences accueillies",
        help_text="Les lieux « permanence chez un partenaire » de l'organisme qu'il accueille.",
    )
    to_verify = models.BooleanField(
        "à vérifier",
        default=False,
        help_text="Créé par la reprise des textes libres : à confirmer ou à fusionner.",
    )
    origin_text = models.TextField(
        "textes d'origine",
        blank=True,
        help_text="Les écritures des champs libres dont il a été créé, une par ligne.",
    )

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="partner_unique_code",
            )
        ]

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
    end = models.DateField("fin", null=True, blank=True, help_text="Vide : sans date de fin.")
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
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="pconvention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__isnull=True) | models.Q(unit_price__gte=0),
                name="pconvention_price_not_negative",
            ),
        ]

    def __str__(self):
        return self.object

    def in_force_on(self, day) -> bool:
        """En vigueur le jour ``day`` : commencée, et pas finie (sans fin : toujours)."""
        return self.start <= day and (self.end is None or day <= self.end)


# ---------------------------------------------------------------- subventions


class ProjectCall(models.Model):
    """Un appel à projets : l'organisme ouvre des candidatures sur un thème, avec un budget."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("intitulé", max_length=200)
    year = models.PositiveSmallIntegerField("année")
    programme = models.CharField("programme", max_length=20, choices=Programme.choices)
    theme = models.CharField("thème", max_length=200, blank=True)
    departements = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name="départements"
    )
    budget = models.DecimalField(
        "budget (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    opens_on = models.DateField("ouverture des candidatures")
    closes_on = models.DateField("clôture des candidatures")
    description = models.TextField("présentation", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="pcall_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="pcall_budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"


class Application(models.Model):
    """Une candidature d'un partenaire à un appel à projets."""

    class Status(models.TextChoices):
        DEPOSEE = "DEPOSEE", "Déposée"
        INSTRUITE = "INSTRUITE", "Instruite"
        RETENUE = "RETENUE", "Retenue"
        REJETEE = "REJETEE", "Rejetée"

    call = models.ForeignKey(ProjectCall, on_delete=models.PROTECT, related_name="applications")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="applications")
    project_title = models.CharField("projet", max_length=300)
    requested_amount = models.DecimalField(
        "montant demandé (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    received_on = models.DateField("reçue le")
    status = models.CharField("état", max_length=12, choices=Status.choices, default=Status.DEPOSEE)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    refusal_reason = models.TextField("motif du rejet", blank=True)

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0),
                name="papplication_amount_not_negative",
            ),
        ]

    def __str__(self):
        return self.project_title


class Grant(models.Model):
    """Une année d'une subvention accordée : une candidature retenue reçoit une ligne par année,
    chacune sous une convention du partenaire qui touche cette année."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="grants")
    year = models.PositiveSmallIntegerField("année")
    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="grants", verbose_name="convention"
    )
    amount = models.DecimalField(
        "montant accordé (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = "subvention accordée"
        verbose_name_plural = "subventions accordées"
        ordering = ["year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="pgrant_one_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pgrant_amount_positive"),
        ]

    def __str__(self):
        return f"{self.application} — {self.year}"


class Payment(models.Model):
    """Un versement sur une année de subvention."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("versé le")
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="ppayment_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.paid_on:%d/%m/%Y}"


class YearlyReport(models.Model):
    """Le bilan annuel que le partenaire remet pour une année de subvention : ce qu'il déclare."""

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="report")
    participants = models.PositiveIntegerField("participants déclarés")
    sessions = models.PositiveIntegerField("séances déclarées")
    comment = models.TextField("commentaire", blank=True)
    received_on = models.DateField("reçu le")

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["pk"]

    def __str__(self):
        return f"Bilan {self.grant.year}"
