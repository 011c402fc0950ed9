"""Pilotage : références externes de l'import d'historique et objectifs annuels des indicateurs."""

from django.conf import settings
from django.db import models

from parcours.core.models import Organisation


class ExternalRef(models.Model):
    """L'identifiant d'un enregistrement dans le système d'origine (formats.md §2) : rend
    l'import idempotent et permet de relier les fichiers entre eux d'un import à l'autre."""

    class Kind(models.TextChoices):
        AGENT = "agent", "Agent"
        BENEFICIAIRE = "beneficiaire", "Bénéficiaire"
        ACCOMPAGNEMENT = "accompagnement", "Accompagnement"
        ENTRETIEN = "entretien", "Entretien"
        ACTION_COLLECTIVE = "action_collective", "Action collective"
        SEANCE = "seance", "Séance"
        PARTICIPATION = "participation", "Participation"
        SIGNALEMENT = "signalement", "Signalement"
        OFFRE = "offre", "Offre de service"
        CONTACT_ACCUEIL = "contact_accueil", "Contact d'accueil"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("type", max_length=20, choices=Kind)
    source_id = models.CharField("identifiant d'origine", max_length=64)
    object_id = models.BigIntegerField("identifiant dans Parcours")

    class Meta:
        verbose_name = "référence externe"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "source_id"], name="external_ref_unique"
            )
        ]


class Target(models.Model):
    """Objectif annuel d'un indicateur sur un territoire, saisi par un responsable."""

    class Level(models.TextChoices):
        ORGANISATION = "organisation", "Organisme"
        REGION = "region", "Région"
        DEPARTEMENT = "departement", "Département"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField("indicateur", max_length=40)
    year = models.PositiveSmallIntegerField("année")
    level = models.CharField("niveau", max_length=20, choices=Level)
    territory_code = models.CharField("territoire", max_length=40)
    value = models.DecimalField("objectif", max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "objectif"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "year", "level", "territory_code"],
                name="target_unique",
            )
        ]


class HistoryImport(models.Model):
    """Un import d'historique lancé depuis l'administration (tâche de fond)."""

    class Status(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHEC = "echec", "Échec"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField("fichier déposé", max_length=200)
    stored_as = models.CharField(max_length=300, editable=False)
    dry_run = models.BooleanField("essai (rien n'est écrit)", default=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.EN_ATTENTE)
    progress = models.CharField("avancement", max_length=300, blank=True)
    result = models.JSONField("rapport", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import d'historique"
        ordering = ["-created_at", "-id"]

    @property
    def waiting_too_long(self) -> bool:
        """En attente depuis plus longtemps que la normale : le travailleur ne tourne pas ?"""
        from parcours.core import clock
        from parcours.rules import background

        return self.status == self.Status.EN_ATTENTE and background.waited_too_long(
            (clock.now() - self.created_at).total_seconds()
        )
