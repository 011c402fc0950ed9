"""Le territoire d'un rapport (organisme, région, département), son périmètre et la forme d'une
section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Q,
    QuerySet,
)

from parcours.core.models import Departement, Organisation, Region
from parcours.rules import report as rules

FORMAT = "parcours.rapport-activite/1"


ORGANISATION = "organisation"


REGION = "region"


DEPARTEMENT = "departement"


PDP_ISSUES = ("MAINTIEN_EMPLOI", "LICENCIEMENT_INAPTITUDE", "INVALIDITE_RETRAITE", "PARCOURS_SOINS")


UNKNOWN = "INCONNU"


@dataclass(frozen=True)
class Territory:
    level: str
    code: str
    label: str
    departements: tuple[str, ...] | None  # None : tout l'organisme

    def as_json(self) -> dict:
        return {"niveau": self.level, "code": self.code, "libelle": self.label}


@dataclass(frozen=True)
class Scope:
    organisation_id: int
    year: int
    territory: Territory
    with_departements: bool = True
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def bounds(self) -> tuple[date, date]:
        return rules.year_bounds(self.year)

    @property
    def breakdown(self) -> bool:
        return self.with_departements and self.territory.level != DEPARTEMENT

    def dep_filter(self, field_name: str) -> Q:
        if self.territory.departements is None:
            return Q()
        return Q(**{f"{field_name}__in": self.territory.departements})


class UnknownTerritory(ValueError):
    pass


def territory(organisation: Organisation, *, region: str = "", departement: str = "") -> Territory:
    """Le territoire d'un rapport : l'organisme entier, une région ou un département."""
    if region and departement:
        raise UnknownTerritory("Choisissez une région ou un département, pas les deux.")
    if region:
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise UnknownTerritory(f"Région inconnue : « {region} ».")
        codes = tuple(found.departements.order_by("code").values_list("code", flat=True))
        return Territory(REGION, found.code, found.name, codes)
    if departement:
        dep = Departement.objects.filter(code=departement).first()
        if dep is None:
            raise UnknownTerritory(f"Département inconnu : « {departement} ».")
        return Territory(DEPARTEMENT, dep.code, dep.name, (dep.code,))
    return Territory(ORGANISATION, organisation.code, organisation.name, None)


def departement_territory(code: str, labels: dict[str, str]) -> Territory:
    return Territory(DEPARTEMENT, code, labels.get(code, code), (code,))


@dataclass
class Section:
    total: object
    by_dep: dict = field(default_factory=dict)
    zero: object = None

    def for_dep(self, code: str):
        return self.by_dep.get(code, self.zero)


def _zero_codes(codes) -> dict:
    return dict.fromkeys(codes, 0)


def _sql(qs: QuerySet) -> tuple[str, tuple] | None:
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)
