"""Écrire l'année d'un organisme à partir des totaux par commune (le lecteur du fichier, DuckDB,
ne rend que ceux-ci) : drapeaux des communes, référence de chaque département, totaux des EPCI
et des départements, par ``rules.fragility``. Remplace l'année de l'organisme si elle existait."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import bulk
from parcours.core.models import Commune
from parcours.observatory.models import Aggregate
from parcours.rules import fragility

if TYPE_CHECKING:
    from parcours.observatory.models import ObservatoryImport


@dataclass(frozen=True)
class CommuneTotals:
    """Les totaux d'une commune lus dans le fichier : lignes, lignes de 60 ans et plus, somme
    des scores."""

    code: str
    retirees: int
    retirees_60_plus: int
    score_sum: int


@dataclass
class _Totals:
    retirees: int = 0
    retirees_60_plus: int = 0
    score_sum: int = 0
    communes: int = 0
    fragile_communes: int = 0

    def add(self, c: CommuneTotals, fragile: bool) -> None:
        self.retirees += c.retirees
        self.retirees_60_plus += c.retirees_60_plus
        self.score_sum += c.score_sum
        self.communes += 1
        self.fragile_communes += fragile


FIELDS = [
    "organisation_id", "source_id", "year", "level", "code", "departement", "epci", "retirees",
    "retirees_60_plus", "score_sum", "secret", "fragile", "concentration", "communes",
    "fragile_communes", "reference_mean", "reference_sd",
]  # fmt: skip


@transaction.atomic
def store_year(*, source: ObservatoryImport, totals: Iterable[CommuneTotals]) -> int:
    """Les agrégats de l'année de ``source`` (communes, EPCI, départements) ; l'année que
    l'organisme avait déjà est remplacée. Rend le nombre de communes. Les codes de commune
    sont ceux du référentiel (l'appelant a rejeté les autres)."""
    rows = [t for t in totals if t.retirees > 0]
    # tout le référentiel d'un coup (35 000 lignes) : moins cher qu'une liste de codes en IN
    places: dict[str, str] = {}
    epcis: dict[str, str | None] = {}
    for code, dep, epci in Commune.objects.values_list("code", "departement_id", "epci_id"):
        places[code] = dep
        epcis[code] = epci
    by_dep: dict[str, list[CommuneTotals]] = defaultdict(list)
    for r in rows:
        by_dep[places[r.code]].append(r)
    organisation_id, year = source.organisation_id, source.year
    out: list[tuple] = []
    epci_totals: dict[str, _Totals] = defaultdict(_Totals)
    epci_deps: dict[str, Counter[str]] = defaultdict(Counter)
    for dep, communes in sorted(by_dep.items()):
        means = {
            c.code: fragility.mean(c.score_sum, c.retirees)
            for c in communes
            if not fragility.is_secret(c.retirees)
        }
        ref = fragility.reference(m for m in means.values() if m is not None)
        dep_totals = _Totals()
        for c in sorted(communes, key=lambda c: c.code):
            secret = fragility.is_secret(c.retirees)
            fragile = fragility.is_fragile(means.get(c.code), secret, ref)
            epci = epcis.get(c.code) or ""
            dep_totals.add(c, fragile)
            if epci:
                epci_totals[epci].add(c, fragile)
                epci_deps[epci][dep] += c.retirees
            out.append(
                (
                    organisation_id, source.pk, year, Aggregate.Level.COMMUNE.value, c.code, dep,
                    epci, c.retirees, c.retirees_60_plus, c.score_sum, secret, fragile,
                    fragility.is_concentration(c.retirees_60_plus), 0, 0, None, None,
                )
            )  # fmt: skip
        out.append(_territory(source, Aggregate.Level.DEPARTEMENT, dep, dep, dep_totals, ref))
    for epci, t in sorted(epci_totals.items()):
        # un EPCI à cheval sur deux départements est rangé dans celui de la plupart de ses
        # retraités (le plus petit code à égalité)
        dep = min(epci_deps[epci].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        out.append(_territory(source, Aggregate.Level.EPCI, epci, dep, t, None))
    Aggregate.objects.filter(organisation_id=organisation_id, year=year).delete()
    bulk.insert_rows(Aggregate, FIELDS, out)
    return len(rows)


def _territory(
    source: ObservatoryImport,
    level: Aggregate.Level,
    code: str,
    dep: str,
    t: _Totals,
    ref: fragility.Reference | None,
) -> tuple:
    return (
        source.organisation_id, source.pk, source.year, level.value, code, dep, "", t.retirees,
        t.retirees_60_plus, t.score_sum, False, False, fragility.is_concentration(
            t.retirees_60_plus
        ), t.communes, t.fragile_communes,
        None if ref is None or ref.mean is None else float(ref.mean),
        None if ref is None else ref.sd,
    )  # fmt: skip
