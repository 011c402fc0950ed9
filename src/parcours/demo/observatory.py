"""L'observatoire des fragilités de démonstration : deux années (l'an passé et cette année) du
fichier des retraités des départements de la Carsat de démonstration, générées
(``observatory.sample``) puis importées par le vrai import (DuckDB, validation, agrégats) ; le
fichier de cette année porte quelques lignes fautives (le rapport d'import les montre). Puis un
fichier nominatif des retraités passe par la règle de ciblage ``FRAGILITE`` (essai et import
réel) : les personnes retenues deviennent des fiches, comme pour tout ciblage.

Rejouable : un fichier déjà importé ne change rien ; les fichiers générés restent dans
``var/demo/observatoire/``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from parcours.core import clock
from parcours.core.models import Commune, Organisation, User
from parcours.observatory import sample
from parcours.observatory.services.importer import import_retirees
from parcours.observatory.services.targeting import run_fragility_targeting

#: part des habitants d'une commune dans le fichier des retraités de la caisse
RETIREES_SHARE = 0.25
#: des lignes fautives, comme en a tout vrai fichier : commune inconnue, année illisible,
#: indicateur hors 0/1
BAD_LINES = ("demo-x1;1948;99999;0;1", "demo-x2;19x0;01053;0;0", "demo-x3;1950;69123;2;0")


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "demo" / "observatoire"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def generate(*, code: str = "carsat-demo", seed: int = 2026) -> dict[str, int]:
    organisation = Organisation.objects.get(code=code)
    actor = User.objects.filter(organisation=organisation, is_org_admin=True).first()
    deps = sorted(organisation.departements.values_list("code", flat=True))
    communes = list(
        Commune.objects.filter(departement_id__in=deps)
        .order_by("code")
        .values_list("code", "population")
    )
    rows = int(sum(p or 0 for _, p in communes) * RETIREES_SHARE)
    this_year = clock.today().year
    counts: dict[str, int] = {}
    for year in (this_year - 1, this_year):
        path = _folder() / f"retraites-{year}.csv"
        sample.write_retirees(
            path, communes=communes, rows=rows, seed=seed + year, fmt="csv", year=year
        )
        if year == this_year:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\n".join(BAD_LINES) + "\n")
        done = import_retirees(
            actor=actor,
            organisation=organisation,
            path=path,
            year=year,
            dry_run=False,
            file_name=path.name,
        )
        counts[f"retraites_{year}"] = done.valid
    # le fichier nominatif (colonnes d'identité) d'un échantillon : la règle de fragilité
    named = _folder() / f"retraites-nominatif-{this_year}.csv"
    sample.write_retirees(
        named,
        communes=communes,
        rows=3000,
        seed=seed,
        fmt="csv",
        year=this_year,
        identity=True,
    )
    manager = User.objects.filter(organisation=organisation, function="MANAGER").first()
    for dry_run in (True, False):
        run = run_fragility_targeting(
            actor=manager,
            organisation=organisation,
            path=named,
            extraction_date=clock.today(),
            dry_run=dry_run,
            year=this_year,
            file_name=named.name,
        )
    counts["cibles_fragilite"] = run.targeted
    return counts
