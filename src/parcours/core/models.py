"""Organismes, territoires, lieux d'accueil, agents et journal d'audit."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from parcours.core.nomenclatures import Fonction


class Region(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"


class Epci(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=10, blank=True)

    class Meta:
        verbose_name = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CARSAT = "CARSAT", "Carsat"
        CPAM = "CPAM", "CPAM"
        CAF = "CAF", "CAF"
        MSA = "MSA", "MSA"
        ANGDM = "ANGDM", "ANGDM"
        CCAS = "CCAS", "CCAS"
        AUTRE = "AUTRE", "Autre"

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=10, choices=Kind, default=Kind.AUTRE)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)
    departements = models.ManyToManyField(
        Departement, verbose_name="départements couverts", blank=True
    )
    home_visit_target = models.PositiveIntegerField(
        "objectif annuel de visites à domicile par AS (ETP)", default=300
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "organisme"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Site(models.Model):
    class Kind(models.TextChoices):
        ACCUEIL_PERMANENT = "ACCUEIL_PERMANENT", "Point d'accueil permanent"
        POINT_CONSULTATION = "POINT_CONSULTATION", "Point de consultation"
        SUR_RDV = "SUR_RDV", "Accueil sur rendez-vous uniquement"
        PERMANENCE_PARTENAIRE = "PERMANENCE_PARTENAIRE", "Permanence chez un partenaire"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de lieu", max_length=30, choices=Kind)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    partner = models.CharField(
        "partenaire hôte",
        max_length=200,
        blank=True,
        help_text="Pour une permanence : le lieu qui accueille.",
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "lieu d'accueil"
        verbose_name_plural = "lieux d'accueil"
        ordering = ["departement", "name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """Un agent (ou un administrateur) de l'organisme."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="agents"
    )
    function = models.CharField("fonction", max_length=20, choices=Fonction, blank=True)
    fte = models.DecimalField("ETP", max_digits=3, decimal_places=2, default=1)
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="lieu de rattachement"
    )
    departements = models.ManyToManyField(
        Departement, verbose_name="départements d'intervention", blank=True
    )
    is_org_admin = models.BooleanField("administrateur de l'organisme", default=False)
    # Un drapeau, pas une fonction : la fonction est une nomenclature du contrat (formats.md §1,
    # les agents du rapport) ; le délégué à la protection des données est souvent un chargé de
    # mission ou un juriste de l'organisme.
    is_dpo = models.BooleanField("délégué·e à la protection des données", default=False)
    competences = models.CharField("compétences", max_length=300, blank=True)

    class Meta:
        verbose_name = "agent"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username


class Sector(models.Model):
    """Secteur : un ensemble de communes confié à un·e AS."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sectors")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT)
    name = models.CharField("nom", max_length=200)
    social_worker = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="AS du secteur",
        related_name="sectors",
    )
    communes = models.ManyToManyField(Commune, verbose_name="communes", blank=True)

    class Meta:
        verbose_name = "secteur"
        ordering = ["departement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="sector_unique_name")
        ]

    def __str__(self):
        return self.name


class AuditEntry(models.Model):
    """Journal d'audit : ajout seulement (un déclencheur SQL refuse toute modification)."""

    class Action(models.TextChoices):
        CREATE = "CREATE", "Création"
        UPDATE = "UPDATE", "Modification"
        DELETE = "DELETE", "Suppression"
        READ = "READ", "Consultation"
        REVEAL_NIR = "REVEAL_NIR", "Affichage du NIR"
        LOGIN = "LOGIN", "Connexion"
        LOGIN_FAILED = "LOGIN_FAILED", "Échec de connexion"
        OTP = "OTP", "Second facteur"
        EXPORT = "EXPORT", "Export"
        LIST = "LIST", "Liste consultée"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("date", db_index=True)
    action = models.CharField("action", max_length=20, choices=Action)
    object_type = models.CharField("objet", max_length=50)
    object_id = models.CharField("identifiant", max_length=40, blank=True)
    person_id = models.BigIntegerField("personne concernée", null=True, blank=True, db_index=True)
    summary = models.CharField("résumé", max_length=300, blank=True)
    changes = models.JSONField("avant / après", default=dict, blank=True)

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]


class FormSubmission(models.Model):
    """Un formulaire de création envoyé une fois (``core/once.py``) : son jeton, sa réponse.

    Technique, comme une session : ni donnée métier ni entrée d'audit (l'objet créé a la sienne).
    ``status`` vide : l'envoi est en cours de traitement.
    """

    token = models.CharField("jeton", max_length=64, unique=True)
    actor = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    path = models.CharField("adresse", max_length=300)
    at = models.DateTimeField("date", db_index=True)
    status = models.PositiveSmallIntegerField("code de réponse", null=True, blank=True)
    location = models.CharField("redirection", max_length=500, blank=True)
    headers = models.JSONField("en-têtes", default=dict, blank=True)
    content = models.BinaryField("contenu", blank=True, default=b"")

    class Meta:
        verbose_name = "envoi de formulaire"
        verbose_name_plural = "envois de formulaires"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.path} ({self.at:%d/%m/%Y %H:%M})"
