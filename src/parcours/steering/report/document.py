"""L'assemblage du rapport : les sections dans l'ordre de formats.md §5, le document JSON et
l'évolution sur plusieurs années.
"""

from __future__ import annotations

from parcours.core.models import Departement, Organisation
from parcours.steering.report.activity import collectif, contacts_accueil, offres, signalements
from parcours.steering.report.orientations import orientations
from parcours.steering.report.pdp_profile import pdp
from parcours.steering.report.people import entretiens, people_table, personnes
from parcours.steering.report.programmes import programmes
from parcours.steering.report.scope import FORMAT, Scope, Territory, departement_territory

SECTIONS = (
    ("personnes", personnes),
    ("entretiens", entretiens),
    ("contacts_accueil", contacts_accueil),
    ("programmes", programmes),
    ("collectif", collectif),
    ("signalements", signalements),
    ("offres", offres),
    ("pdp", pdp),
    ("orientations", orientations),  # clé facultative (formats.md §5.1)
)


def _document(year: int, where: Territory, values: dict) -> dict:
    return {"format": FORMAT, "annee": year, "territoire": where.as_json(), **values}


def build(
    organisation: Organisation, year: int, where: Territory, *, departements: bool = True
) -> dict:
    """Le rapport d'activité de ``organisation`` pour ``year`` sur le territoire ``where``
    (sans le détail par département si ``departements`` est faux)."""
    scope = Scope(organisation.pk, year, where, departements)
    with people_table(scope):
        sections = {name: func(scope) for name, func in SECTIONS}
    report = _document(year, where, {name: s.total for name, s in sections.items()})
    report["departements"] = []
    if scope.breakdown:
        active = set()
        for section in sections.values():
            active |= set(section.by_dep)
        if where.departements is not None:
            active &= set(where.departements)
        labels = dict(Departement.objects.filter(code__in=active).values_list("code", "name"))
        for code in sorted(active):
            values = {name: s.for_dep(code) for name, s in sections.items()}
            report["departements"].append(
                _document(year, departement_territory(code, labels), values) | {"departements": []}
            )
    return report


def evolution(organisation: Organisation, year: int, where: Territory, years: int = 5) -> list:
    """Les rapports (sans détail départemental) des ``years`` dernières années, la plus ancienne
    d'abord : les évolutions du rapport et des tableaux de bord."""
    return [
        build(organisation, y, where, departements=False) for y in range(year - years + 1, year + 1)
    ]
