"""Protection des données (formats.md §8) : le registre des traitements, les durées de
conservation de l'organisme et le journal des purges."""

from django.conf import settings
from django.db import models

from parcours.core.models import Organisation


class RetentionRules(models.Model):
    """Les durées de conservation d'un organisme ; les valeurs par défaut sont celles de
    formats.md §8."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_rules"
    )
    closed_files_years = models.PositiveSmallIntegerField(
        "dossiers clos : années après la dernière clôture", default=5
    )
    unreached_targets_months = models.PositiveSmallIntegerField(
        "personnes ciblées jamais jointes : mois après le ciblage", default=12
    )
    import_files_months = models.PositiveSmallIntegerField("fichiers importés : mois", default=3)
    audit_years = models.PositiveSmallIntegerField("journal : années", default=5)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "durées de conservation"
        verbose_name_plural = "durées de conservation"

    def __str__(self):
        return f"Durées de conservation — {self.organisation}"


class Processing(models.Model):
    """Une ligne du registre des traitements (article 30 du RGPD)."""

    class LegalBasis(models.TextChoices):
        CONSENTEMENT = "CONSENTEMENT", "Consentement de la personne (art. 6.1.a)"
        CONTRAT = "CONTRAT", "Exécution d'un contrat (art. 6.1.b)"
        OBLIGATION_LEGALE = "OBLIGATION_LEGALE", "Obligation légale (art. 6.1.c)"
        INTERETS_VITAUX = "INTERETS_VITAUX", "Sauvegarde des intérêts vitaux (art. 6.1.d)"
        MISSION_PUBLIQUE = "MISSION_PUBLIQUE", "Mission d'intérêt public (art. 6.1.e)"
        INTERET_LEGITIME = "INTERET_LEGITIME", "Intérêt légitime (art. 6.1.f)"

    class RetentionRule(models.TextChoices):
        """La durée de conservation de l'organisme qui s'applique à la ligne (RetentionRules)."""

        CLOSED_FILES = "CLOSED_FILES", "Dossiers clos"
        UNREACHED_TARGETS = "UNREACHED_TARGETS", "Personnes ciblées jamais jointes"
        IMPORT_FILES = "IMPORT_FILES", "Fichiers importés"
        AUDIT = "AUDIT", "Journal des accès et écritures"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="processings"
    )
    code = models.SlugField("code", max_length=40)
    name = models.CharField("traitement", max_length=200)
    purpose = models.TextField("finalité")
    legal_basis = models.CharField("base légale", max_length=20, choices=LegalBasis)
    health_condition = models.CharField(
        "condition de l'article 9 (données de santé)",
        max_length=300,
        blank=True,
        help_text="Vide si le traitement ne porte pas de données de santé.",
    )
    data_categories = models.TextField("catégories de données")
    people_categories = models.TextField("catégories de personnes")
    recipients = models.TextField("destinataires")
    retention_rule = models.CharField(
        "durée de l'organisme appliquée", max_length=20, choices=RetentionRule, blank=True
    )
    retention = models.CharField("durée de conservation", max_length=300, blank=True)
    articles = models.TextField("textes applicables", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "traitement"
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="privacy_processing_code_unique"
            )
        ]

    def __str__(self):
        return self.name


class PurgeRun(models.Model):
    """Une application des durées de conservation (``parcours rgpd purger``), à blanc ou réelle."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="purge_runs"
    )
    as_of = models.DateField("appliquée au")
    dry_run = models.BooleanField("à blanc", default=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counts = models.JSONField("résultat", default=dict)

    class Meta:
        verbose_name = "purge"
        ordering = ["-started_at"]

    def __str__(self):
        return f"Purge du {self.as_of:%d/%m/%Y}"


class AccessExport(models.Model):
    """Un export du droit d'accès (RGPD art. 15) remis à une personne : qui l'a préparé, quand,
    pour qui, sous quel format, et si les notes privées ont été retenues (motif légal et
    précision). Le contenu n'est pas conservé : seulement l'acte, son empreinte et ses comptes."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        JSON = "json", "JSON"

    class Channel(models.TextChoices):
        WEB = "WEB", "Application"
        CLI = "CLI", "Ligne de commande"

    class WithheldReason(models.TextChoices):
        TIERS = "TIERS", "Protection des droits et libertés de tiers (RGPD, art. 15.4)"
        SANTE = "SANTE", "Santé : communication par un médecin (CSP, art. L. 1111-7)"
        ENQUETE = "ENQUETE", "Procédure judiciaire en cours (loi Informatique et libertés)"
        AUTRE = "AUTRE", "Autre motif prévu par la loi (précisé)"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="access_exports"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="access_exports"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="préparé par",
    )
    at = models.DateTimeField("préparé le")
    format = models.CharField("format", max_length=4, choices=Format)
    channel = models.CharField("depuis", max_length=3, choices=Channel, default=Channel.WEB)
    private_notes_withheld = models.BooleanField("notes privées retenues", default=False)
    withheld_reason = models.CharField(
        "motif légal de la rétention", max_length=10, choices=WithheldReason, blank=True
    )
    withheld_details = models.TextField("précision du motif", blank=True)
    counts = models.JSONField("éléments par rubrique", default=dict)
    sha256 = models.CharField("empreinte du fichier remis", max_length=64)

    class Meta:
        verbose_name = "export du droit d'accès"
        verbose_name_plural = "exports du droit d'accès"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(private_notes_withheld=False, withheld_reason="")
                | (models.Q(private_notes_withheld=True) & ~models.Q(withheld_reason="")),
                name="access_export_withheld_has_reason",
            )
        ]

    def __str__(self):
        return f"Export du droit d'accès du {self.at:%d/%m/%Y}"


#: Les dimensions des agrégats d'un extrait, en clair.
DIMENSION_LABELS = {
    "sexe": "Sexe",
    "tranche_age": "Tranche d'âge",
    "departement": "Département",
    "programme": "Programme",
    "mode": "Mode de l'entretien",
}


class ExtractRun(models.Model):
    """Un extrait pseudonymisé lancé depuis le web (tâche de fond) ; le fichier est rangé sous
    ``var/extraits/`` et se télécharge depuis la page des extraits. Clé toujours neuve."""

    class Status(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHEC = "echec", "Échec"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    fmt = models.CharField("format", max_length=10)
    aggregated_by = models.JSONField("agrégats par", default=list, blank=True)
    status = models.CharField("état", max_length=12, choices=Status, default=Status.EN_ATTENTE)
    message = models.CharField("message", max_length=300, blank=True)
    stored_as = models.CharField(max_length=300, blank=True, editable=False)
    rows = models.PositiveIntegerField("lignes", null=True, blank=True)
    people = models.PositiveIntegerField("personnes", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "extrait pseudonymisé"
        verbose_name_plural = "extraits pseudonymisés"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Extrait {self.year} ({self.fmt})"

    @property
    def file_name(self) -> str:
        by = "-agregats-" + "-".join(self.aggregated_by) if self.aggregated_by else ""
        return f"extrait-{self.year}{by}-{self.pk}.{self.fmt}"

    @property
    def aggregated_labels(self) -> str:
        return ", ".join(DIMENSION_LABELS.get(d, d).lower() for d in self.aggregated_by)
