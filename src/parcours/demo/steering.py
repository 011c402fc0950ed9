"""Démonstration du pilotage : des objectifs de l'année pour l'organisme et ses territoires.

Déterministe (graine), rapide : une trentaine de lignes. Les objectifs sont placés autour des
valeurs de l'année pour que le tableau de bord montre les différents statuts.
"""

import random
from decimal import Decimal

from parcours.core import clock
from parcours.core.models import Organisation, User
from parcours.core.nomenclatures import Fonction
from parcours.steering import report
from parcours.steering.indicators import BY_CODE
from parcours.steering.models import Target

# indicateur -> objectif : intervalle du facteur appliqué à la valeur de l'année, ou valeur fixe
DEMO_TARGETS: dict[str, tuple[float, float] | Decimal] = {
    "PERS.IND": (0.9, 1.15),
    "ENT.FAF": (0.9, 1.15),
    "VAD.ETP": Decimal(300),
    "FILE.ETP": (0.9, 1.2),
    "SER.PSB.05.01": Decimal(90),
    "EFF.PRE.08.01": (0.85, 1.1),
    "PDP.MAINTIEN": Decimal(25),
    "PDP.DUREE": Decimal("6.6"),
}


def generate(*, code: str, seed: int) -> int:
    """Crée les objectifs de l'année en cours (organisme, région, départements)."""
    organisation = Organisation.objects.filter(code=code).first()
    author = User.objects.filter(organisation=organisation, function=Fonction.PILOTAGE).first()
    if organisation is None or author is None:
        return 0
    rng = random.Random(seed)
    year = clock.today().year
    deps = sorted(organisation.departements.values_list("code", flat=True))
    territories = [report.territory(organisation)]
    if organisation.region_id:
        territories.append(report.territory(organisation, region=organisation.region_id))
    territories += [report.territory(organisation, departement=d) for d in deps]
    rows = []
    for where in territories:
        document = report.build(organisation, year, where, departements=False)
        scope = report.Scope(organisation.pk, year, where, False)
        for code, param in DEMO_TARGETS.items():
            if isinstance(param, tuple):  # un facteur tiré dans l'intervalle
                value = BY_CODE[code].compute(document, scope)
                if value is None:
                    continue
                value = (value * Decimal(str(round(rng.uniform(*param), 2)))).quantize(Decimal(1))
            else:
                value = param
            rows.append(
                Target(
                    organisation=organisation,
                    indicator=code,
                    year=year,
                    level=where.level,
                    territory_code=where.code,
                    value=value,
                    updated_by=author,
                )
            )
    Target.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
