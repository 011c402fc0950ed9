"""Personnes accompagnées (bénéficiaires)."""

from django.conf import settings
from django.db import models

from parcours.core.models import Commune, Departement, Organisation
from parcours.core.nomenclatures import Canal, Sexe

#: ce qu'affiche une fiche anonymisée à la place du nom
ANONYMISED_LABEL = "Personne anonymisée"


class Person(models.Model):
    class Status(models.TextChoices):
        ASSURE = "ASSURE", "Assuré·e"
        RETRAITE = "RETRAITE", "Retraité·e"
        ALLOCATAIRE = "ALLOCATAIRE", "Allocataire"
        AYANT_DROIT = "AYANT_DROIT", "Ayant droit"
        CONJOINT_SURVIVANT = "CONJOINT_SURVIVANT", "Conjoint·e survivant·e"

    class FamilySituation(models.TextChoices):
        CELIBATAIRE = "CELIBATAIRE", "Célibataire"
        EN_COUPLE = "EN_COUPLE", "En couple"
        SEPARE = "SEPARE", "Séparé·e, divorcé·e"
        VEUF = "VEUF", "Veuf, veuve"

    class Housing(models.TextChoices):
        PROPRIETAIRE = "PROPRIETAIRE", "Propriétaire"
        LOCATAIRE = "LOCATAIRE", "Locataire"
        HEBERGE = "HEBERGE", "Hébergé·e à titre gratuit"
        ETABLISSEMENT = "ETABLISSEMENT", "En établissement"
        SANS_LOGEMENT = "SANS_LOGEMENT", "Sans logement"

    class Employment(models.TextChoices):
        SALARIE = "SALARIE", "Salarié·e"
        INDEPENDANT = "INDEPENDANT", "Indépendant·e"
        DEMANDEUR_EMPLOI = "DEMANDEUR_EMPLOI", "Demandeur·se d'emploi"
        RETRAITE = "RETRAITE", "Retraité·e"
        SANS_ACTIVITE = "SANS_ACTIVITE", "Sans activité"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    last_name = models.CharField("nom d'usage", max_length=100)
    birth_name = models.CharField("nom de naissance", max_length=100, blank=True)
    first_names = models.CharField("prénoms", max_length=150)
    sex = models.CharField("sexe", max_length=1, choices=Sexe)
    birth_date = models.DateField("date de naissance")
    address = models.CharField("adresse", max_length=300, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, verbose_name="département de résidence"
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    preferred_channel = models.CharField(
        "canal de contact préféré", max_length=10, choices=Canal, blank=True
    )
    language = models.CharField("langue, besoin d'interprète", max_length=100, blank=True)
    status = models.CharField("statut", max_length=20, choices=Status, blank=True)
    family_situation = models.CharField(
        "situation familiale", max_length=20, choices=FamilySituation, blank=True
    )
    housing = models.CharField("logement", max_length=20, choices=Housing, blank=True)
    employment = models.CharField(
        "situation professionnelle", max_length=20, choices=Employment, blank=True
    )
    legal_protection = models.BooleanField("mesure de protection juridique", default=False)
    long_term_illness = models.BooleanField("affection de longue durée", default=False)
    gir = models.PositiveSmallIntegerField("GIR", null=True, blank=True)

    # NIR : chiffré (Fernet), cherché par empreinte HMAC, affiché masqué.
    nir_encrypted = models.TextField(blank=True, editable=False)
    nir_hash = models.CharField(max_length=64, blank=True, editable=False)
    nir_masked = models.CharField("NIR (masqué)", max_length=30, blank=True, editable=False)

    # Clés de recherche dérivées (rules.text), maintenues par les services.
    last_name_key = models.CharField(max_length=100, editable=False)
    birth_name_key = models.CharField(max_length=100, blank=True, editable=False)
    first_name_key = models.CharField(max_length=150, editable=False)
    name_phonetic = models.CharField(max_length=100, editable=False)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False)

    # Doublon fusionné : la fiche reste (historique, audit) mais pointe vers la fiche conservée.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        editable=False,
    )
    # Anonymisée à l'échéance de conservation (privacy.services.anonymise) : la fiche garde ce
    # que comptent les rapports (sexe, année de naissance, commune, département), plus
    # d'identité ; la recherche et la détection des doublons l'ignorent.
    anonymised_on = models.DateField("anonymisée le", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_names"]
        # Les index de recherche couvrent l'ordre (nom, prénoms), le filtre de territoire et
        # l'identifiant (INCLUDE sur PostgreSQL ; SQLite y a déjà le rowid) : parcours d'index
        # seul, qui s'arrête dès 50 personnes trouvées dans le périmètre.
        indexes = [
            models.Index(
                fields=["organisation", "last_name_key", "first_name_key", "departement"],
                name="person_search_last",
                include=["id"],
            ),
            models.Index(
                fields=["organisation", "birth_name_key", "first_name_key", "departement"],
                name="person_search_birthname",
                include=["id"],
            ),
            models.Index(
                fields=[
                    "organisation",
                    "name_phonetic",
                    "last_name_key",
                    "first_name_key",
                    "departement",
                ],
                name="person_search_phon",
                include=["id"],
            ),
            models.Index(fields=["organisation", "birth_date"], name="person_org_birth"),
            models.Index(fields=["organisation", "phone_digits"], name="person_org_phone"),
            models.Index(fields=["organisation", "nir_hash"], name="person_org_nir"),
        ]

    def __str__(self):
        if self.anonymised_on:
            return ANONYMISED_LABEL
        return f"{self.last_name.upper()} {self.first_names}"

    @property
    def display_name(self) -> str:
        return str(self)
