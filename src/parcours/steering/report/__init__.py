"""Le rapport d'activité (formats.md §5) : une fonction par section, tout en agrégats SQL.

Chaque section renvoie un :class:`Section` : les chiffres du territoire entier (``total``) et,
pour un rapport de région ou d'organisme, ceux de chaque département (``by_dep``). Une personne
est comptée une fois par territoire : les comptes de personnes distinctes du territoire sont
calculés par leur propre requête, jamais en additionnant les départements.

Les personnes aidées collectivement viennent de ``groups.Registration`` (présences), les sections
``collectif``, ``signalements``, ``offres`` et ``contacts_accueil`` de ``groups`` et ``outreach``.

Un module par sous-domaine ; ce paquet réexporte leurs noms publics."""

from parcours.steering.report.activity import (
    collectif,
    contacts_accueil,
    followed_offers,
    front_line_of_year,
    offers_of_year,
    offres,
    pdp_participants_information_collective,
    pdp_signales_service_medical,
    referrals_of_year,
    signalements,
)
from parcours.steering.report.document import SECTIONS, build, evolution
from parcours.steering.report.orientations import orientations, orientations_of_year
from parcours.steering.report.pdp_profile import closures, pdp, pdp_profile_cases
from parcours.steering.report.people import entretiens, people_table, personnes
from parcours.steering.report.programmes import programmes
from parcours.steering.report.scope import (
    DEPARTEMENT,
    FORMAT,
    ORGANISATION,
    PDP_ISSUES,
    REGION,
    UNKNOWN,
    Scope,
    Section,
    Territory,
    UnknownTerritory,
    departement_territory,
    territory,
)
from parcours.steering.report.sources import (
    MODE_COLUMNS,
    collective_people,
    contacts_of_year,
    individual_people,
    present_of_year,
    sessions_of_year,
)

__all__ = [
    "FORMAT",
    "ORGANISATION",
    "REGION",
    "DEPARTEMENT",
    "PDP_ISSUES",
    "UNKNOWN",
    "Territory",
    "Scope",
    "UnknownTerritory",
    "territory",
    "departement_territory",
    "Section",
    "contacts_of_year",
    "MODE_COLUMNS",
    "individual_people",
    "present_of_year",
    "sessions_of_year",
    "collective_people",
    "people_table",
    "personnes",
    "entretiens",
    "front_line_of_year",
    "contacts_accueil",
    "collectif",
    "referrals_of_year",
    "signalements",
    "offers_of_year",
    "followed_offers",
    "offres",
    "pdp_participants_information_collective",
    "pdp_signales_service_medical",
    "programmes",
    "pdp_profile_cases",
    "closures",
    "pdp",
    "orientations",
    "orientations_of_year",
    "SECTIONS",
    "build",
    "evolution",
]
