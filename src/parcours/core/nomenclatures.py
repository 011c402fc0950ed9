"""Nomenclatures de ``formats.md`` §1, avec leurs libellés français.

Les codes sont un contrat d'échange : ne jamais les renommer.
"""

from django.db import models


class Programme(models.TextChoices):
    PDP = "PDP", "Prévention de la désinsertion professionnelle"
    PARCOURS_SANTE = "PARCOURS_SANTE", "Sécuriser les parcours en santé"
    RETOUR_DOMICILE = "RETOUR_DOMICILE", "Stabiliser le retour à domicile"
    BIEN_VIEILLIR = "BIEN_VIEILLIR", "Agir pour le bien vieillir"
    DEUIL = "DEUIL", "Accompagnement du deuil"
    AUTRE = "AUTRE", "Autre"


class Origine(models.TextChoices):
    DEMANDE_DIRECTE = "DEMANDE_DIRECTE", "Demande directe"
    SIGNALEMENT = "SIGNALEMENT", "Signalement"
    OFFRE_DE_SERVICE = "OFFRE_DE_SERVICE", "Offre de service"
    INFORMATION_COLLECTIVE = "INFORMATION_COLLECTIVE", "Information collective"


class Emetteur(models.TextChoices):
    SERVICE_MEDICAL = "SERVICE_MEDICAL", "Service médical"
    ETABLISSEMENT_SANTE = "ETABLISSEMENT_SANTE", "Établissement de santé"
    CPAM = "CPAM", "CPAM"
    RETRAITE = "RETRAITE", "Service retraite"
    SANTE_TRAVAIL = "SANTE_TRAVAIL", "Service de santé au travail"
    CAP_EMPLOI = "CAP_EMPLOI", "Cap emploi"
    MDPH = "MDPH", "MDPH"
    DEPARTEMENT = "DEPARTEMENT", "Conseil départemental"
    CCAS = "CCAS", "CCAS"
    ASSOCIATION = "ASSOCIATION", "Association"
    FAMILLE = "FAMILLE", "Famille, entourage"
    AUTRE = "AUTRE", "Autre"


class Mode(models.TextChoices):
    RECEPTION_RDV = "RECEPTION_RDV", "Réception sur rendez-vous"
    ACCUEIL_SANS_RDV = "ACCUEIL_SANS_RDV", "Accueil sans rendez-vous"
    PERMANENCE = "PERMANENCE", "Permanence"
    VAD = "VAD", "Visite à domicile"
    TELEPHONE = "TELEPHONE", "Téléphone"
    VISIO = "VISIO", "Visioconférence"
    COURRIER = "COURRIER", "Courrier ou courriel"
    RENCONTRE_INFORMELLE = "RENCONTRE_INFORMELLE", "Rencontre informelle"
    CONTACT_TIERS = "CONTACT_TIERS", "Contact avec un tiers"


FACE_TO_FACE_MODES = frozenset(
    {
        Mode.RECEPTION_RDV,
        Mode.ACCUEIL_SANS_RDV,
        Mode.PERMANENCE,
        Mode.VAD,
        Mode.RENCONTRE_INFORMELLE,
    }
)


class Action(models.TextChoices):
    INFO_ORIENTATION = "INFO_ORIENTATION", "Information, orientation"
    DEMARCHES_LIAISONS = "DEMARCHES_LIAISONS", "Démarches, liaisons"
    EVALUATION_BESOINS = "EVALUATION_BESOINS", "Évaluation des besoins"
    RECHERCHE_INFORMATIONS = "RECHERCHE_INFORMATIONS", "Recherche d'informations"
    AIDE_ADMINISTRATIVE = "AIDE_ADMINISTRATIVE", "Aide administrative"
    PRESCRIPTION_PRESTATIONS = "PRESCRIPTION_PRESTATIONS", "Prescription de prestations"
    MISE_EN_OEUVRE_SERVICES = "MISE_EN_OEUVRE_SERVICES", "Mise en œuvre de services"
    AIDE_AIDANTS = "AIDE_AIDANTS", "Aide aux aidants"
    SOUTIEN_PSYCHOSOCIAL = "SOUTIEN_PSYCHOSOCIAL", "Soutien psychosocial"
    CONSEIL_BUDGETAIRE = "CONSEIL_BUDGETAIRE", "Conseil budgétaire"
    AIDE_NUMERIQUE = "AIDE_NUMERIQUE", "Aide aux démarches en ligne"


class Problematique(models.TextChoices):
    ACCES_DROITS = "ACCES_DROITS", "Accès aux droits"
    DEUIL = "DEUIL", "Deuil"
    FIN_DE_VIE = "FIN_DE_VIE", "Fin de vie"
    FINANCIERE = "FINANCIERE", "Difficultés financières"
    HABITAT = "HABITAT", "Habitat, logement"
    HANDICAP = "HANDICAP", "Handicap (moins de 60 ans)"
    HOSPITALISATION = "HOSPITALISATION", "Hospitalisation"
    INSERTION_PRO = "INSERTION_PRO", "Insertion professionnelle"
    INSERTION_SOCIALE = "INSERTION_SOCIALE", "Insertion sociale"
    ISOLEMENT = "ISOLEMENT", "Isolement"
    PERTE_AUTONOMIE = "PERTE_AUTONOMIE", "Perte d'autonomie (60 ans et plus)"
    PLACEMENT = "PLACEMENT", "Placement en établissement"
    RELATIONS_FAMILIALES = "RELATIONS_FAMILIALES", "Relations familiales"
    SANTE = "SANTE", "Santé"
    MALTRAITANCE = "MALTRAITANCE", "Maltraitance suspectée ou avérée"
    EMPLOI = "EMPLOI", "Maintien dans l'emploi"
    ACCES_SOINS = "ACCES_SOINS", "Accès aux soins"
    COMPLEMENTAIRE_SANTE = "COMPLEMENTAIRE_SANTE", "Complémentaire santé"


class Issue(models.TextChoices):
    MAINTIEN_EMPLOI = "MAINTIEN_EMPLOI", "Maintien dans l'emploi (même ou autre employeur)"
    LICENCIEMENT_INAPTITUDE = (
        "LICENCIEMENT_INAPTITUDE",
        "Licenciement pour inaptitude, orientation emploi",
    )
    INVALIDITE_RETRAITE = "INVALIDITE_RETRAITE", "Invalidité catégorie 2 ou retraite sans reprise"
    PARCOURS_SOINS = "PARCOURS_SOINS", "Toujours en parcours de soins, reprise suspendue"
    OBJECTIFS_ATTEINTS = "OBJECTIFS_ATTEINTS", "Objectifs atteints"
    ORIENTATION_PARTENAIRE = "ORIENTATION_PARTENAIRE", "Orientation vers un partenaire"
    ABANDON = "ABANDON", "Abandon par la personne"
    DECES = "DECES", "Décès"
    DEMENAGEMENT = "DEMENAGEMENT", "Déménagement"
    AUTRE = "AUTRE", "Autre"


class Risque(models.TextChoices):
    MALADIE = "MALADIE", "Maladie, invalidité"
    AT_MP = "AT_MP", "Accident du travail, maladie professionnelle"


class Secteur(models.TextChoices):
    INDUSTRIE = "INDUSTRIE", "Industrie"
    CONSTRUCTION = "CONSTRUCTION", "Construction"
    TERTIAIRE_MARCHAND = "TERTIAIRE_MARCHAND", "Tertiaire marchand"
    TERTIAIRE_NON_MARCHAND = "TERTIAIRE_NON_MARCHAND", "Tertiaire non marchand"
    AGRICULTURE = "AGRICULTURE", "Agriculture"


class TypeCollectif(models.TextChoices):
    INFO_COLLECTIVE = "INFO_COLLECTIVE", "Réunion d'information collective"
    ISIC = "ISIC", "Intervention sociale d'intérêt collectif"
    TSG = "TSG", "Travail social de groupe"
    ATELIER = "ATELIER", "Atelier"
    JOURNEE_SANTE = "JOURNEE_SANTE", "Journée de santé publique"
    SEJOUR = "SEJOUR", "Séjour"


class Canal(models.TextChoices):
    COURRIER = "COURRIER", "Courrier"
    EMAIL = "EMAIL", "Courriel"
    SMS = "SMS", "SMS"
    TELEPHONE = "TELEPHONE", "Téléphone"


class StatutOffre(models.TextChoices):
    ENVOYEE = "ENVOYEE", "Envoyée"
    SANS_REPONSE = "SANS_REPONSE", "Sans réponse"
    REFUSEE = "REFUSEE", "Refusée"
    ACCEPTEE = "ACCEPTEE", "Acceptée"


class Fonction(models.TextChoices):
    AS = "AS", "Assistant·e de service social"
    CSAM = "CSAM", "Conseiller·ère services Assurance maladie"
    SECRETAIRE = "SECRETAIRE", "Secrétaire sociale"
    MANAGER = "MANAGER", "Responsable d'équipe"
    CHARGE_MISSION = "CHARGE_MISSION", "Chargé·e de mission"
    PILOTAGE = "PILOTAGE", "Pilotage"


class Sexe(models.TextChoices):
    F = "F", "Femme"
    M = "M", "Homme"


ALL = {
    "programme": Programme,
    "origine": Origine,
    "emetteur": Emetteur,
    "mode": Mode,
    "action": Action,
    "problematique": Problematique,
    "issue": Issue,
    "risque": Risque,
    "secteur": Secteur,
    "type_collectif": TypeCollectif,
    "canal": Canal,
    "statut_offre": StatutOffre,
    "fonction": Fonction,
    "sexe": Sexe,
}
