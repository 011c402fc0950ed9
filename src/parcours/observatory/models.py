"""Observatoire des fragilités (formats.md §6, domaine.md §9) : les paramètres de l'organisme,
les imports du fichier des retraités et les agrégats par commune, EPCI et département.

Minimisation : les lignes individuelles du fichier ne sont jamais gardées ; seuls les agrégats
d'une année le sont (les personnes retenues par une règle de ciblage deviennent des fiches par le
mécanisme des ciblages, ``outreach``)."""

from django.conf import settings
from django.db import models

from parcours.core.models import Organisation
from parcours.rules import fragility


def default_age_thresholds() -> list[int]:
    return list(fragility.DEFAULT_AGE_THRESHOLDS)


class ObservatorySettings(models.Model):
    """Les paramètres de l'observatoire d'un organisme : les âges qui ouvrent les tranches 2, 3
    et 4 du score (70, 80 et 90 ans par défaut)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="observatory_settings"
    )
    age_thresholds = models.JSONField(
        "âges ouvrant les tranches 2, 3 et 4", default=default_age_thresholds
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "paramètres de l'observatoire"
        verbose_name_plural = "paramètres de l'observatoire"

    def __str__(self):
        return f"Observatoire — {self.organisation}"

    @property
    def thresholds(self) -> tuple[int, int, int]:
        return fragility.clean_age_thresholds(self.age_thresholds)[0]


class ObservatoryImport(models.Model):
    """Un passage du fichier des retraités (formats.md §4) : compté, jamais deux fois."""

    class Status(models.TextChoices):
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        DEJA_IMPORTE = "deja_importe", "Déjà importé : rien n'a changé"
        REFUSE = "refuse", "Fichier refusé"
        ECHEC = "echec", "Échec"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    dry_run = models.BooleanField("essai", default=False)
    file_name = models.CharField("fichier", max_length=255)
    file_sha256 = models.CharField("empreinte SHA-256", max_length=64)
    file_format = models.CharField("format", max_length=10, default="csv")
    age_thresholds = models.JSONField("âges des tranches appliqués", default=default_age_thresholds)
    status = models.CharField("état", max_length=20, choices=Status, default=Status.EN_COURS)
    message = models.TextField(blank=True)
    lines = models.PositiveIntegerField("lignes", default=0)
    valid = models.PositiveIntegerField("valides", default=0)
    rejected = models.PositiveIntegerField("rejetées", default=0)
    communes = models.PositiveIntegerField("communes", default=0)
    #: les premiers motifs de rejet (ligne, colonne, motif) ; le décompte complet à côté
    errors = models.JSONField("premiers motifs de rejet", default=list, blank=True)
    error_count = models.PositiveIntegerField("motifs de rejet", default=0)
    warnings = models.JSONField("avertissements", default=list, blank=True)
    duration_s = models.FloatField("durée (s)", default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import de l'observatoire"
        verbose_name_plural = "imports de l'observatoire"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "file_sha256"],
                condition=models.Q(dry_run=False, status="termine"),
                name="obs_file_imported_once",
            )
        ]

    def __str__(self):
        return f"Observatoire {self.year} — import n°{self.pk}"

    def summary(self) -> dict:
        """Le résumé de formats.md §6.3 (exactement ces clés)."""
        return {
            "lignes": self.lines,
            "valides": self.valid,
            "rejetees": self.rejected,
            "erreurs": self.errors,
            "communes": self.communes,
            "duree_s": round(self.duration_s, 1),
        }


class Aggregate(models.Model):
    """Les chiffres d'un territoire (commune, EPCI, département) pour une année de l'organisme.

    ``score_sum`` et ``retirees`` donnent la moyenne exacte ; les drapeaux d'une commune
    (secret, fragile, concentration) sont calculés à l'import par ``rules.fragility`` contre la
    référence de son département (``reference_mean`` / ``reference_sd`` sur la ligne du
    département). Le croisement avec les actions collectives dépend de la période choisie : il se
    calcule à la lecture (``observatory.queries``)."""

    class Level(models.TextChoices):
        COMMUNE = "COM", "Commune"
        EPCI = "EPCI", "EPCI"
        DEPARTEMENT = "DEP", "Département"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(ObservatoryImport, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField("année")
    level = models.CharField("niveau", max_length=4, choices=Level)
    code = models.CharField("code", max_length=9)
    #: le département du territoire (celui de la commune, de l'EPCI pour sa part, ou lui-même)
    departement = models.CharField("département", max_length=3)
    epci = models.CharField("EPCI", max_length=9, blank=True)
    retirees = models.PositiveIntegerField("retraités")
    retirees_60_plus = models.PositiveIntegerField("retraités de 60 ans et plus")
    score_sum = models.BigIntegerField("somme des scores")
    secret = models.BooleanField("secret statistique", default=False)
    fragile = models.BooleanField("fragile", default=False)
    concentration = models.BooleanField("concentration", default=False)
    #: département et EPCI : communes avec au moins un retraité, et communes fragiles
    communes = models.PositiveIntegerField("communes", default=0)
    fragile_communes = models.PositiveIntegerField("communes fragiles", default=0)
    #: département : moyenne et écart type (population) des moyennes de ses communes non secrètes
    reference_mean = models.FloatField("moyenne des communes", null=True, blank=True)
    reference_sd = models.FloatField("écart type des communes", null=True, blank=True)

    class Meta:
        verbose_name = "agrégat de l'observatoire"
        verbose_name_plural = "agrégats de l'observatoire"
        ordering = ["year", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "level", "code"], name="obs_aggregate_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "year", "level", "departement"], name="obs_agg_dep"
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.code} ({self.year})"

    @property
    def mean(self):
        return fragility.mean(self.score_sum, self.retirees)
