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

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="processings"
    )
    code = models.SlugField("code", max_length=40)
    name = models.CharField("traitement", max_length=200)
    purpose = models.TextField("finalité")
    legal_basis = models.CharField("base légale", max_length=20, choices=LegalBasis)
    data_categories = models.TextField("catégories de données")
    people_categories = models.TextField("catégories de personnes")
    recipients = models.TextField("destinataires")
    retention = models.CharField("durée de conservation", max_length=300)
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
