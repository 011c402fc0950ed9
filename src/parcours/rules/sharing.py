"""Partage d'informations entre organismes et partenaires (domaine.md §12).

Une information sur une personne ne sort de l'organisme que sur une **base légale** (la mission
que la loi confie aux deux organismes) ou avec le **consentement** de la personne ; chaque
partage nomme les **catégories** d'informations qu'il transmet, dans une liste fermée.

Un consentement couvre des catégories, pour des destinataires, à partir d'une date ; il est
retiré à une date (le jour même du retrait, il ne couvre plus rien). Les fonctions ci-dessous
décident, sans base de données : la date du jour arrive en argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

__all__ = [
    "BASES",
    "CATEGORIES",
    "GIVERS",
    "METHODS",
    "SharingRefused",
    "PATHWAY_CATEGORIES",
    "check_basis",
    "check_categories",
    "check_evaluation_recipient",
    "check_pathway_categories",
    "is_active",
    "missing_categories",
    "status",
]

# --- Catégories d'informations (liste fermée) -------------------------------------------------

IDENTITE = "IDENTITE"
SITUATION = "SITUATION"
EVALUATION = "EVALUATION"
DOCUMENTS = "DOCUMENTS"
ETAPES = "ETAPES"
SYNTHESE = "SYNTHESE"

CATEGORIES: dict[str, str] = {
    IDENTITE: "Identité et coordonnées",
    SITUATION: "Situation (famille, logement, emploi, ressources déclarées)",
    EVALUATION: "Évaluation des besoins et GIR",
    DOCUMENTS: "Documents",
    ETAPES: "Étapes du parcours",
    SYNTHESE: "Synthèse partagée du parcours",
}

# --- Bases du partage --------------------------------------------------------------------------

CONSENTEMENT = "CONSENTEMENT"
MISSION_LEGALE = "MISSION_LEGALE"

BASES: dict[str, str] = {
    CONSENTEMENT: "Consentement de la personne",
    MISSION_LEGALE: "Mission légale (échange prévu par la loi)",
}

# --- Comment et par qui le consentement a été donné ---------------------------------------------

METHODS: dict[str, str] = {
    "ECRIT": "Par écrit (formulaire signé)",
    "ORAL": "Oralement, en entretien",
    "TELEPHONE": "Par téléphone",
    "ELECTRONIQUE": "Par voie électronique",
}

GIVERS: dict[str, str] = {
    "PERSONNE": "La personne elle-même",
    "REPRESENTANT": "Son représentant légal",
}

ACTIF = "ACTIF"
A_VENIR = "A_VENIR"
RETIRE = "RETIRE"

STATUS_LABELS = {ACTIF: "En vigueur", A_VENIR: "À venir", RETIRE: "Retiré"}


class SharingRefused(ValueError):
    """Un partage que la règle refuse ; ``message`` est en français, ``field`` le champ en cause."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def status(given_on: date, withdrawn_on: date | None, today: date) -> str:
    """L'état d'un consentement : retiré dès le jour du retrait, à venir avant le jour donné."""
    if withdrawn_on is not None and withdrawn_on <= today:
        return RETIRE
    if given_on > today:
        return A_VENIR
    return ACTIF


def is_active(given_on: date, withdrawn_on: date | None, today: date) -> bool:
    return status(given_on, withdrawn_on, today) == ACTIF


def check_categories(categories: Iterable[str]) -> list[str]:
    """Les catégories, dédoublonnées dans l'ordre de la liste ; une inconnue ou aucune : refus."""
    chosen = set(categories)
    unknown = chosen - set(CATEGORIES)
    if unknown:
        raise SharingRefused(
            "Catégorie d'informations inconnue : " + ", ".join(sorted(unknown)) + ".",
            "categories",
        )
    if not chosen:
        raise SharingRefused("Choisissez au moins une catégorie d'informations.", "categories")
    return [c for c in CATEGORIES if c in chosen]


def missing_categories(covered: Iterable[str], requested: Iterable[str]) -> list[str]:
    """Les catégories demandées que le consentement ne couvre pas (ordre de la liste)."""
    allowed = set(covered)
    wanted = set(requested)
    return [c for c in CATEGORIES if c in wanted and c not in allowed]


def check_basis(
    *,
    basis: str,
    requested: Iterable[str],
    consent_categories: Iterable[str] | None,
    consent_given_on: date | None,
    consent_withdrawn_on: date | None,
    today: date,
) -> None:
    """Refuse un partage sans base, ou sous un consentement absent, retiré, à venir ou qui ne
    couvre pas toutes les catégories demandées. Une mission légale n'a pas besoin de
    consentement."""
    if basis not in BASES:
        raise SharingRefused(
            "Indiquez la base du partage : le consentement de la personne ou une mission légale.",
            "basis",
        )
    check_categories(requested)
    if basis == MISSION_LEGALE:
        return
    if consent_categories is None or consent_given_on is None:
        raise SharingRefused(
            "Sans mission légale, le partage demande le consentement de la personne : "
            "enregistrez-le d'abord.",
            "consent",
        )
    state = status(consent_given_on, consent_withdrawn_on, today)
    if state == RETIRE:
        raise SharingRefused(
            "Ce consentement a été retiré : il ne permet plus de partager.", "consent"
        )
    if state == A_VENIR:
        raise SharingRefused("Ce consentement ne prend effet qu'à sa date.", "consent")
    missing = missing_categories(consent_categories, requested)
    if missing:
        raise SharingRefused(
            "Le consentement ne couvre pas : " + ", ".join(CATEGORIES[c] for c in missing) + ".",
            "categories",
        )


# --- Parcours partagés et évaluations reconnues ------------------------------------------------

#: Ce qu'un participant d'un parcours partagé peut lire, si le parcours le partage : jamais la
#: situation ni les documents de l'organisme qui suit la personne.
PATHWAY_CATEGORIES: tuple[str, ...] = (IDENTITE, ETAPES, EVALUATION, SYNTHESE)

#: Le département est compétent pour l'APA : une évaluation lui est transmise en GIR 1 à 4.
DEPARTEMENT_GIR_MAX = 4


def check_pathway_categories(categories: Iterable[str]) -> list[str]:
    """Les catégories d'un parcours partagé (ordre de la liste) ; hors de la liste du parcours
    (situation, documents) ou aucune : refus."""
    chosen = check_categories(categories)
    outside = [c for c in chosen if c not in PATHWAY_CATEGORIES]
    if outside:
        raise SharingRefused(
            "Un parcours partagé ne partage pas : "
            + ", ".join(CATEGORIES[c] for c in outside)
            + ".",
            "categories",
        )
    return chosen


def check_evaluation_recipient(*, gir: int, to_departement: bool, basis: str) -> None:
    """Une évaluation partagée : vers un autre organisme, sous le consentement de la personne ;
    vers le département (partenaire de l'annuaire), seulement en GIR 1 à 4, sur la mission
    légale (l'APA) ou sous consentement. Une mission légale vers un autre destinataire : refus."""
    if to_departement and gir > DEPARTEMENT_GIR_MAX:
        raise SharingRefused(
            f"Le département reçoit les évaluations en GIR 1 à {DEPARTEMENT_GIR_MAX} ; "
            f"celle-ci est en GIR {gir}.",
            "partner",
        )
    if basis == MISSION_LEGALE and not to_departement:
        raise SharingRefused(
            "Seule la transmission au département (GIR 1 à 4) se fait sur la mission légale ; "
            "vers un autre organisme, il faut le consentement de la personne.",
            "basis",
        )
