"""Les jetons d'accès des systèmes partenaires à l'API (formats.md §7), les signalements reçus
par elle et la tenue de la limite de débit."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from parcours.core.models import Organisation
from parcours.outreach.models import Referral
from parcours.partners.models import Partner

#: Le préfixe de tout jeton : un jeton se reconnaît dans un fichier ou un journal.
TOKEN_PREFIX = "prc_"
#: Caractères montrés du jeton pour le reconnaître (préfixe compris) ; le reste n'est jamais gardé.
SHOWN = 12


class Scope(models.TextChoices):
    """Les portées de formats.md §7 ; chacune ouvre une ressource."""

    SIGNALEMENTS_ECRIRE = "signalements:ecrire", "Envoyer des signalements"
    SIGNALEMENTS_LIRE = "signalements:lire", "Suivre ses signalements"
    ORIENTATIONS_LIRE = "orientations:lire", "Lire les orientations reçues"
    ORIENTATIONS_REPONDRE = "orientations:repondre", "Répondre aux orientations"
    EVALUATIONS_LIRE = "evaluations:lire", "Lire les évaluations partagées"
    COLLECTIF_LIRE = "collectif:lire", "Lire les séances collectives à venir"
    RAPPORTS_LIRE = "rapports:lire", "Lire le rapport d'activité"
    REFERENTIEL_LIRE = "referentiel:lire", "Lire le référentiel des communes"


def new_secret() -> str:
    """Un jeton : le préfixe et 256 bits de hasard (``secrets``)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """L'empreinte SHA-256 gardée en base (le jeton lui-même ne l'est jamais)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """Un jeton remis à un partenaire de l'annuaire ou à un autre organisme de l'installation :
    ses portées, son échéance ; montré une fois, gardé sous forme d'empreinte."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partenaire",
    )
    peer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="autre organisme",
    )
    label = models.CharField("libellé", max_length=200, blank=True)
    scopes = models.JSONField("portées", default=list)
    prefix = models.CharField("début du jeton", max_length=SHOWN, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_on = models.DateField("échéance", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="émis par",
    )
    created_at = models.DateTimeField("émis le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="révoqué par",
    )
    last_used_at = models.DateTimeField("dernier usage", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(partner__isnull=True) & models.Q(peer__isnull=False))
                | (models.Q(partner__isnull=False) & models.Q(peer__isnull=True)),
                name="apitoken_one_holder",
            )
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.holder_name})"

    @property
    def holder_name(self) -> str:
        holder = self.partner if self.partner_id else self.peer
        return str(holder) if holder is not None else ""


class ReceivedReferral(models.Model):
    """Un signalement reçu par l'API : quel jeton l'a posté, pour quel partenaire (ou organisme),
    sur quelle base légale. Le partenaire suit ensuite ses seuls signalements."""

    class LegalBasis(models.TextChoices):
        CONSENTEMENT = "CONSENTEMENT", "Consentement de la personne"
        MISSION_LEGALE = "MISSION_LEGALE", "Mission légale"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    peer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_basis = models.CharField("base légale", max_length=20, choices=LegalBasis)
    consent_date = models.DateField("date du consentement", null=True, blank=True)

    class Meta:
        verbose_name = "signalement reçu par l'API"
        verbose_name_plural = "signalements reçus par l'API"
        ordering = ["-id"]


class RateWindow(models.Model):
    """Le nombre d'appels d'un jeton dans une fenêtre de temps (rules.api_rate) : en base, pour
    que tous les processus de l'application comptent ensemble (SQLite comme PostgreSQL)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    window = models.BigIntegerField("début de la fenêtre (secondes)")
    calls = models.PositiveIntegerField("appels", default=0)

    class Meta:
        verbose_name = "fenêtre de débit"
        ordering = ["token", "window"]
        constraints = [
            models.UniqueConstraint(fields=["token", "window"], name="ratewindow_unique")
        ]
