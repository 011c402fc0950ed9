"""Les corps échangés par l'API (formats.md §7) : ce que Ninja valide et décrit en OpenAPI."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, field_validator

from parcours.core.nomenclatures import Emetteur, Programme, TypeCollectif

EmetteurCode = Literal[tuple(Emetteur.values)]  # type: ignore[valid-type]
ProgrammeCode = Literal[tuple(Programme.values)]  # type: ignore[valid-type]
TypeCode = Literal[tuple(TypeCollectif.values)]  # type: ignore[valid-type]
StatutSignalement = Literal[
    "RECU", "PRIS_EN_CHARGE", "RENCONTRE", "INJOIGNABLE", "REFUS", "REORIENTE"
]

#: Codes INSEE d'un département (« 01 », « 2A », « 971 ») et d'une région (« 84 »).
DEPARTEMENT = r"^(?:[0-9]{2}|2[AB]|97[1-6])$"
REGION = r"^[0-9]{2}$"


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Une date s'écrit ``AAAA-MM-JJ`` (formats.md) : ni horodatage, ni nombre, ni heure."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"« {value} » n'est pas une date AAAA-MM-JJ.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"« {value} » n'est pas une date du calendrier.") from None


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]


def _printable(value: str | None) -> str | None:
    """Refuse caractères de contrôle et demi-codets isolés (ni la base ni un courrier n'en
    veulent)."""
    if value is None:
        return value
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("Caractères de contrôle interdits.")
    return value


class Personne(Schema):
    model_config = ConfigDict(extra="ignore")

    nir: str | None = Field(
        None, max_length=21, description="NIR à 15 caractères, facultatif ; vérifié (clé)."
    )
    nom: str = Field(..., min_length=1, max_length=100, pattern=r"\S")
    prenom: str = Field(..., min_length=1, max_length=150, pattern=r"\S")
    sexe: Literal["F", "M"]
    date_naissance: Date
    commune_insee: str | None = Field(None, pattern=r"^(?:[0-9][0-9AB][0-9]{3})?$")
    telephone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)

    _check = field_validator("nir", "nom", "prenom", "telephone", "email")(_printable)


class NouveauSignalement(Schema):
    personne: Personne
    emetteur: EmetteurCode  # type: ignore[valid-type]
    motif: str = Field(..., min_length=1, max_length=500, pattern=r"\S")
    programme: ProgrammeCode  # type: ignore[valid-type]
    departement: str | None = Field(
        None,
        pattern=r"^(?:[0-9]{2}|2[AB]|97[1-6])?$",
        description="Département du signalement ; à défaut, celui de la commune de la personne.",
    )
    base_legale: Literal["CONSENTEMENT", "MISSION_LEGALE"]
    date_consentement: Date | None = Field(
        None, description="Obligatoire quand la base légale est le consentement."
    )

    _check = field_validator("motif")(_printable)


class SignalementCree(Schema):
    reference: str
    statut: Literal["RECU"]


class Reponse(Schema):
    date: datetime.date
    texte: str


class SuiviSignalement(Schema):
    reference: str
    statut: StatutSignalement
    date: datetime.date = Field(..., description="Date de réception du signalement.")
    reponse: Reponse | None = Field(..., description="La réponse faite à l'émetteur, ou null.")


class CommuneCourte(Schema):
    code: str
    nom: str


class Seance(Schema):
    titre: str = Field(..., description="Intitulé de l'action, ou son type s'il n'est pas public.")
    titre_public: bool
    type: TypeCode  # type: ignore[valid-type]
    programme: ProgrammeCode  # type: ignore[valid-type]
    date: datetime.date
    heure_debut: str
    heure_fin: str | None
    lieu: str
    commune: CommuneCourte | None
    departement: str
    visio: bool
    places: int
    places_restantes: int


class Commune(Schema):
    code: str
    nom: str
    epci: str
    departement: str
    codes_postaux: list[str]


class Territoire(Schema):
    niveau: Literal["organisation", "region", "departement"]
    code: str
    libelle: str


class RapportActivite(Schema):
    """Le rapport d'activité de formats.md §5 (toutes les clés de §5 et §5.1)."""

    model_config = ConfigDict(extra="allow")

    format: Literal["parcours.rapport-activite/1"]
    annee: int
    territoire: Territoire
    personnes: dict
    entretiens: dict
    contacts_accueil: int
    programmes: dict
    collectif: dict
    signalements: dict
    offres: dict
    pdp: dict
    departements: list[dict]


StatutOrientation = Literal["ENVOYEE", "RECUE", "ACCEPTEE", "REFUSEE", "CLOTUREE", "RELANCEE"]
CategorieCode = Literal["IDENTITE", "SITUATION", "EVALUATION"]


class Identite(Schema):
    nom: str
    prenom: str
    date_naissance: datetime.date
    adresse: str
    code_postal: str
    commune: CommuneCourte | None
    telephone: str
    email: str


class ElementSituation(Schema):
    libelle: str
    valeur: str


class DerniereEvaluation(Schema):
    date: datetime.date
    gir: int = Field(..., ge=1, le=6)


class Orientation(Schema):
    reference: str
    statut: StatutOrientation
    date_envoi: datetime.date
    date_reception: datetime.date | None
    date_reponse: datetime.date | None
    echeance: datetime.date = Field(
        ..., description="Échéance de réponse (repoussée par une relance)."
    )
    motif: str = Field(..., description="Code de la problématique (nomenclature).")
    motif_libelle: str
    demande: str
    commentaire_reponse: str
    categories: list[CategorieCode] = Field(..., description="Les catégories partagées.")
    identite: Identite | None = Field(..., description="Si la catégorie IDENTITE est partagée.")
    situation: list[ElementSituation] | None = Field(
        ..., description="Si la catégorie SITUATION est partagée."
    )
    evaluation: DerniereEvaluation | None = Field(
        ..., description="La dernière évaluation, si la catégorie EVALUATION est partagée."
    )


class ReponseOrientation(Schema):
    statut: Literal["ACCEPTEE", "REFUSEE", "CLOTUREE"]
    commentaire: str = Field("", max_length=2000, description="Obligatoire pour un refus.")

    _check = field_validator("commentaire")(_printable)


class OrientationRepondue(Schema):
    reference: str
    statut: StatutOrientation


Modalite = Literal["A", "B", "C"]


class Organisme(Schema):
    code: str
    nom: str


class VariablesAggir(Schema):
    """Les 10 variables discriminantes de la grille AGGIR, cotées A, B ou C."""

    COH: Modalite
    ORI: Modalite
    TOI: Modalite
    HAB: Modalite
    ALI: Modalite
    ELI: Modalite
    TRA: Modalite
    DPI: Modalite
    DPE: Modalite
    COM: Modalite


class EvaluationPartagee(Schema):
    reference: str
    date: datetime.date = Field(..., description="Date de l'évaluation.")
    organisme: Organisme = Field(..., description="L'organisme auteur de l'évaluation.")
    variables: VariablesAggir
    gir: int = Field(..., ge=1, le=6)
    partagee_le: datetime.date


class ErreurChamp(Schema):
    champ: str
    message: str


class Probleme(Schema):
    """Une erreur (RFC 9457), en ``application/problem+json``."""

    type: str
    title: str
    status: int
    detail: str
    erreurs: list[ErreurChamp] | None = Field(None, description="Pour 422 : chaque champ refusé.")
