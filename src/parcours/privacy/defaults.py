"""Le registre des traitements par défaut d'un organisme (article 30 du RGPD).

Des données, pas des lignes écrites dans les vues : ``seed_default_register`` (services) les
enregistre pour un organisme qui n'a pas encore de registre ; l'administrateur les corrige
ensuite. Les catégories et destinataires s'écrivent une par ligne. La durée de conservation d'une
ligne reliée à une durée de l'organisme (``retention_rule``) se lit dans ses ``RetentionRules`` :
changer les durées change le registre ; ``retention`` la complète.
"""

from __future__ import annotations

from parcours.privacy.models import Processing

B = Processing.LegalBasis
R = Processing.RetentionRule

LOI_78_17 = "Loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés"
CSS_ASS = (
    "Code de la sécurité sociale, art. L. 215-1 et L. 262-1 (action sanitaire et sociale des "
    "caisses, service social)"
)
SECRET = (
    "Code de l'action sociale et des familles, art. L. 411-3 (secret professionnel des "
    "assistants de service social)"
)
DECRET_NIR = (
    "Décret n° 2019-341 du 19 avril 2019 relatif à la mise en œuvre de traitements comportant "
    "l'usage du numéro d'inscription au répertoire national d'identification des personnes "
    "physiques (NIR) ; loi n° 78-17, art. 30"
)
ART_9_2_H = (
    "Art. 9.2.h du RGPD : prise en charge sociale par des professionnels soumis au secret "
    "professionnel"
)


def lines(*items: str) -> str:
    return "\n".join(items)


#: les traitements du registre par défaut, dans l'ordre d'affichage
DEFAULT_REGISTER: list[dict[str, str]] = [
    {
        "code": "accompagnement-individuel",
        "name": "Accompagnement social individuel",
        "purpose": "Accueillir les assurés fragilisés par la maladie, le handicap, l'accident du "
        "travail ou l'avancée en âge, évaluer leur situation et les accompagner : entretiens, "
        "objectifs, plan d'aide, orientations, clôture de l'accompagnement.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": ART_9_2_H,
        "data_categories": lines(
            "Identité, date de naissance, NIR (chiffré, affiché masqué)",
            "Coordonnées",
            "Situation familiale, professionnelle et ressources",
            "Situation de santé déclarée (arrêt de travail, invalidité, handicap, autonomie)",
            "Entretiens, synthèses, objectifs et documents de l'accompagnement",
        ),
        "people_categories": lines(
            "Assurés et retraités accompagnés",
            "Proches et aidants cités dans le dossier",
            "Agents du service social",
        ),
        "recipients": lines(
            "Agents habilités du service social de l'organisme, pour leur territoire",
            "Partenaires seulement sur base légale ou avec le consentement de la personne "
            "(traitement « Échanges avec les partenaires »)",
        ),
        "retention_rule": R.CLOSED_FILES,
        "retention": "",
        "articles": lines(CSS_ASS, SECRET, LOI_78_17),
    },
    {
        "code": "detection-ciblage",
        "name": "Détection et ciblage des assurés fragilisés",
        "purpose": "Repérer, dans les extractions de l'Assurance maladie (arrêts de travail de "
        "longue durée, invalidité, sorties d'hospitalisation), les assurés qui peuvent avoir "
        "besoin du service social, leur adresser une offre de service et suivre la réponse.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": ART_9_2_H + " ; aucun diagnostic n'est repris de l'extraction",
        "data_categories": lines(
            "NIR (chiffré ; empreinte à clé pour le rapprochement)",
            "Identité, date de naissance, commune",
            "Durée de l'arrêt de travail, critère de ciblage",
            "Offre de service envoyée et réponse",
        ),
        "people_categories": lines(
            "Assurés en arrêt de travail, en invalidité ou sortant d'hospitalisation repérés "
            "par l'extraction",
        ),
        "recipients": lines("Agents du service social et de l'accueil de l'organisme"),
        "retention_rule": R.UNREACHED_TARGETS,
        "retention": "les personnes jointes passent à l'accompagnement individuel ; le fichier "
        "d'extraction déposé suit la durée des fichiers importés",
        "articles": lines(DECRET_NIR, CSS_ASS, LOI_78_17),
    },
    {
        "code": "actions-collectives",
        "name": "Actions collectives de prévention",
        "purpose": "Organiser les ateliers et réunions d'information (prévention de la "
        "désinsertion professionnelle, bien vieillir, aidants) : invitations, inscriptions, "
        "présences, questionnaires de satisfaction.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": "",
        "data_categories": lines(
            "Identité et coordonnées",
            "Invitations, inscriptions et présences",
            "Réponses aux questionnaires de satisfaction",
        ),
        "people_categories": lines(
            "Participants et personnes invitées", "Intervenants des partenaires"
        ),
        "recipients": lines(
            "Agents du service social de l'organisme",
            "Partenaire co-animateur : la liste des inscrits de sa séance",
        ),
        "retention_rule": R.CLOSED_FILES,
        "retention": "",
        "articles": lines(CSS_ASS, LOI_78_17),
    },
    {
        "code": "aides-individuelles",
        "name": "Aides financières individuelles",
        "purpose": "Instruire les demandes d'aide financière individuelle (maintien à domicile, "
        "retour à domicile après hospitalisation, secours), les présenter en commission, "
        "notifier la décision, payer, suivre les prêts et les indus.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": ART_9_2_H + " (évaluation de l'autonomie, grille AGGIR)",
        "data_categories": lines(
            "Identité, NIR (chiffré)",
            "Ressources, charges et composition du foyer",
            "Évaluation des besoins et de l'autonomie (GIR)",
            "Coordonnées bancaires, décisions, paiements, prêts et indus",
        ),
        "people_categories": lines("Demandeurs d'aide", "Membres de leur foyer"),
        "recipients": lines(
            "Agents instructeurs et membres de la commission d'action sociale",
            "Agence comptable de l'organisme",
            "Service d'aide à domicile prestataire, pour le plan d'aide accordé",
        ),
        "retention_rule": R.CLOSED_FILES,
        "retention": "les pièces justificatives des paiements sont gardées par l'agence "
        "comptable selon ses propres règles",
        "articles": lines(
            CSS_ASS,
            "Règlement d'action sanitaire et sociale de l'organisme",
            LOI_78_17,
        ),
    },
    {
        "code": "observatoire-fragilite",
        "name": "Observatoire des situations de fragilité",
        "purpose": "Produire des statistiques des fragilités par territoire (âge, isolement, "
        "santé, ressources) pour orienter l'offre de service, à partir d'agrégats et "
        "d'extraits pseudonymisés ; les cellules de moins de 11 personnes sont masquées.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": "Art. 9.2.j et 89 du RGPD : fins statistiques, avec "
        "pseudonymisation et secret statistique",
        "data_categories": lines(
            "Pseudonyme (clé propre à chaque extrait)",
            "Sexe, tranche d'âge, département",
            "Programme, mode, date et durée des entretiens, codes d'actions et de problématiques",
            "Ni nom, ni NIR, ni adresse, ni date de naissance, ni texte libre",
        ),
        "people_categories": lines("Personnes accompagnées (pseudonymisées)"),
        "recipients": lines(
            "Service du pilotage de l'organisme",
            "Publications : agrégats seulement",
        ),
        "retention_rule": "",
        "retention": "Extraits pseudonymisés : le temps de l'étude, 12 mois au plus ; agrégats "
        "publiés sans limite (aucune donnée personnelle)",
        "articles": lines("RGPD, art. 89", LOI_78_17),
    },
    {
        "code": "echanges-partenaires",
        "name": "Échanges avec les partenaires et parcours partagés",
        "purpose": "Orienter une personne vers un partenaire (service de prévention et de santé "
        "au travail, Cap emploi, MDPH, département, CCAS, CAF), recevoir ses signalements, "
        "coordonner un parcours partagé autour d'un référent, partager une évaluation des "
        "besoins ; chaque partage repose sur une base légale ou sur le consentement enregistré.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": ART_9_2_H + " ; partage limité aux catégories choisies, avec le "
        "consentement de la personne enregistré pour chaque partage",
        "data_categories": lines(
            "Identité et coordonnées",
            "Motif de l'orientation ou du signalement, réponse du partenaire",
            "Catégories d'informations partagées choisies pour chaque partage",
            "Consentements et leurs retraits",
        ),
        "people_categories": lines(
            "Personnes orientées, signalées ou suivies en parcours partagé",
            "Contacts des partenaires",
        ),
        "recipients": lines(
            "Le partenaire désigné pour chaque partage, et lui seul",
            "Aucun envoi de fichier par messagerie : les échanges passent par Parcours et "
            "sont journalisés",
        ),
        "retention_rule": R.CLOSED_FILES,
        "retention": "",
        "articles": lines(
            CSS_ASS,
            "Code de la santé publique, art. L. 1110-4 (partage d'informations entre "
            "professionnels)",
            "Charte de partage de l'information du territoire",
            LOI_78_17,
        ),
    },
    {
        "code": "api-partenaires",
        "name": "Interface de programmation des partenaires (API)",
        "purpose": "Permettre aux partenaires conventionnés de déposer des signalements, de lire "
        "les orientations qui leur sont adressées et les évaluations partagées avec eux, par "
        "un jeton nominatif, limité et révocable.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": "",
        "data_categories": lines(
            "Empreinte du jeton, détenteur, droits",
            "Signalements reçus, orientations et évaluations partagées avec le partenaire",
        ),
        "people_categories": lines(
            "Personnes orientées ou signalées", "Agents des partenaires détenteurs d'un jeton"
        ),
        "recipients": lines("Le partenaire détenteur du jeton, pour ses seules orientations"),
        "retention_rule": R.CLOSED_FILES,
        "retention": "jetons révoqués gardés avec le journal",
        "articles": lines("Convention de partenariat", LOI_78_17),
    },
    {
        "code": "rapport-activite",
        "name": "Rapport d'activité et pilotage",
        "purpose": "Calculer les indicateurs de la convention d'objectifs et de gestion, le "
        "rapport d'activité annuel et le tableau de bord par territoire à partir des dossiers "
        "; les chiffres publiés sont des agrégats.",
        "legal_basis": B.MISSION_PUBLIQUE,
        "health_condition": "",
        "data_categories": lines(
            "Codes, dates, durées, programmes et territoires des dossiers",
            "Noms seulement dans le détail d'un chiffre, pour les agents habilités",
        ),
        "people_categories": lines(
            "Personnes accompagnées", "Agents (activité par agent et par équipe)"
        ),
        "recipients": lines(
            "Direction, pilotage et responsables d'équipe de l'organisme",
            "Caisse nationale : agrégats seulement",
        ),
        "retention_rule": "",
        "retention": "Rapports (agrégats) gardés sans limite ; les dossiers sources suivent "
        "leur propre durée",
        "articles": lines(
            "Code de la sécurité sociale, art. L. 227-1 (conventions d'objectifs et de gestion)",
            LOI_78_17,
        ),
    },
    {
        "code": "journal-audit",
        "name": "Journal des accès et des écritures",
        "purpose": "Tracer qui a lu ou modifié quel dossier et quand, pour la sécurité des "
        "données, le contrôle des habilitations et la réponse aux demandes d'accès des "
        "personnes.",
        "legal_basis": B.OBLIGATION_LEGALE,
        "health_condition": "",
        "data_categories": lines(
            "Agent, date et heure, action, objet concerné",
            "Écart avant / après d'une modification ; aucun contenu de note",
        ),
        "people_categories": lines("Agents", "Personnes dont le dossier est consulté ou modifié"),
        "recipients": lines(
            "Administrateurs de l'organisme et délégué·e à la protection des données",
            "La personne concernée, pour les consultations de son dossier (export d'accès)",
        ),
        "retention_rule": R.AUDIT,
        "retention": "",
        "articles": lines("RGPD, art. 5.1.f et 32 (sécurité du traitement)", LOI_78_17),
    },
]
