"""``python -m parcours.bench observatoire [LIGNES]`` (``make bench MESURE=observatoire``) :
l'import du fichier national des retraités à côté de son plancher.

Un fichier national généré (``observatory.sample``, 14 000 000 lignes par défaut sur les 34 969
communes du référentiel, au prorata de leur population), en Parquet et en CSV sous
``var/bench/`` (effacés à la fin, sauf ``PARCOURS_BENCH_GARDER=1``). Base :
``var/bench-observatoire.sqlite3`` (neuve à chaque mesure) ou ``DATABASE_URL``.

Chaque mesure tourne dans son propre processus (``_observatoire``), qui rend sa durée et sa
mémoire de pointe (``VmHWM`` : tout le processus, Python, Django et DuckDB) :

- le plancher : une seule requête DuckDB des mêmes agrégats (par commune : lignes, 60 ans et
  plus, somme des scores), sans validation, sur le fichier lu aux types attendus ;
- l'import du produit en essai (``--essai`` : tout lu, validé, noté, agrégé ; rien d'écrit) ;
- l'import réel (les mêmes, plus l'écriture des agrégats des communes, EPCI et départements,
  de la ligne d'import et du journal, une transaction).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from parcours.bench.pages import ROOT, _today, write_block

CODE = "bench-observatoire"
YEAR = 2025


def _setup_env() -> None:
    path = ROOT / "var" / "bench-observatoire.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    os.environ["PARCOURS_AXES"] = "0"
    os.environ["PARCOURS_DEBUG"] = "0"


def _django() -> None:
    _setup_env()
    import django

    django.setup()


def _peak_mb() -> float:
    """La mémoire de pointe de ce processus depuis son ``exec`` (``VmHWM`` ; ``ru_maxrss``
    garderait celle du parent au moment du ``fork``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_query(path: str, fmt: str) -> str:
    """La requête plancher : les agrégats par commune, en une requête, sans validation."""
    from parcours.rules import fragility

    score = fragility.score_sql(
        f"({YEAR} - annee_naissance)", "reversion", "exonere_csg", fragility.DEFAULT_AGE_THRESHOLDS
    )
    source = (
        f"read_parquet('{path}')"
        if fmt == "parquet"
        else (
            f"read_csv('{path}', delim = ';', header = true, auto_detect = false, columns = "
            "{'id': 'VARCHAR', 'annee_naissance': 'INTEGER', 'commune_insee': 'VARCHAR', "
            "'reversion': 'INTEGER', 'exonere_csg': 'INTEGER'})"
        )
    )
    return (
        f"SELECT commune_insee, count(*), count(*) FILTER (WHERE {YEAR} - annee_naissance >= 60), "  # noqa: S608
        f"sum({score}) FROM {source} GROUP BY commune_insee"
    )


def _child(what: str, path: str, fmt: str) -> None:
    """Une mesure, dans ce processus : imprime ``{"secondes", "memoire_mo", ...}`` en JSON."""
    if what == "plancher":
        import duckdb

        con = duckdb.connect(config={"threads": 2, "memory_limit": "1500MB"})
        started = time.perf_counter()
        rows = con.execute(floor_query(path, fmt)).fetchall()
        seconds = time.perf_counter() - started
        out = {"communes": len(rows), "lignes": sum(r[1] for r in rows)}
    else:
        _django()
        from parcours.core.models import Organisation
        from parcours.observatory.services.importer import import_retirees

        organisation = Organisation.objects.get(code=CODE)
        started = time.perf_counter()
        imp = import_retirees(
            actor=None, organisation=organisation, path=path, year=YEAR, dry_run=what == "essai"
        )
        seconds = time.perf_counter() - started
        out = {"communes": imp.communes, "lignes": imp.lines, "etat": imp.status}
    print(json.dumps(out | {"secondes": seconds, "memoire_mo": _peak_mb()}), flush=True)


def _measure(what: str, path: Path, fmt: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "parcours.bench", "_observatoire", what, str(path), fmt],
        env=os.environ.copy(),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(rows: int = 14_000_000) -> int:
    _setup_env()
    db = ROOT / "var" / "bench-observatoire.sqlite3"
    if os.environ["DATABASE_URL"] == f"sqlite:///{db}":
        for suffix in ("", "-wal", "-shm"):
            (db.parent / (db.name + suffix)).unlink(missing_ok=True)
    _django()
    from django.core.management import call_command
    from django.db import connection

    from parcours.core.models import Commune, Organisation
    from parcours.observatory import sample

    devnull = open(os.devnull, "w")  # noqa: SIM115
    call_command("init", verbosity=0, stdout=devnull)
    Organisation.objects.get_or_create(code=CODE, defaults={"name": "Mesure de l'observatoire"})
    communes = list(Commune.objects.order_by("code").values_list("code", "population"))
    vendor = connection.vendor
    connection.close()

    directory = ROOT / "var" / "bench"
    files = {
        "parquet": directory / "retraites-national.parquet",
        "csv": directory / "retraites-national.csv",
    }
    generated = {}
    for fmt, path in files.items():
        started = time.perf_counter()
        sample.write_retirees(path, communes=communes, rows=rows, seed=1, fmt=fmt, year=YEAR)
        generated[fmt] = time.perf_counter() - started
        print(f"fichier {fmt} écrit en {generated[fmt]:.1f} s ({path.stat().st_size / 1e6:.0f} Mo)")

    results: list[tuple[str, str, dict]] = []
    load_before = os.getloadavg()[0]
    for fmt, path in files.items():
        for what in ("plancher", "essai", "import"):
            measured = _measure(what, path, fmt)
            results.append((fmt, what, measured))
            print(
                f"{fmt} {what} : {measured['secondes']:.1f} s, "
                f"{measured['memoire_mo']:.0f} Mo ({measured['communes']} communes)",
                flush=True,
            )
    load_after = os.getloadavg()[0]
    if os.environ.get("PARCOURS_BENCH_GARDER") != "1":
        for path in files.values():
            path.unlink(missing_ok=True)

    labels = {
        "plancher": "plancher : une requête DuckDB des mêmes agrégats, sans validation",
        "essai": "import en essai (--essai) : lu, validé, noté, agrégé, rien d'écrit",
        "import": "import réel : les mêmes, plus les agrégats écrits (une transaction)",
    }
    floors = {fmt: m["secondes"] for fmt, what, m in results if what == "plancher"}
    lines = [
        f"### Observatoire : import du fichier national des retraités — {vendor} "
        f"({_today().isoformat()})",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs (partagés), Python "
        f"{platform.python_version()}, DuckDB 2 fils et 1,5 Go au plus ; fichier généré de "
        + f"{rows:,}".replace(",", " ")
        + f" lignes sur {len(communes)} communes (Parquet {generated['parquet']:.0f} s, CSV "
        f"{generated['csv']:.0f} s à écrire) ; chaque mesure dans son processus, une fois ; "
        "mémoire : pointe du processus entier (`VmHWM`) ; charge de la machine (moyenne sur "
        f"1 min) {load_before:.1f} avant les mesures, {load_after:.1f} après. "
        "Cible : moins de 30 s et de 2 Go. "
        "L'écart entre l'essai et l'import réel est l'écriture de l'année "
        "(`aggregates.store_year` : drapeaux et références exactes des ~35 000 communes, "
        "EPCI et départements).",
        "",
        "| Fichier | Mesure | durée | × plancher | mémoire de pointe |",
        "|---|---|---:|---:|---:|",
        *(
            f"| {fmt} | {labels[what]} | {m['secondes']:.1f} s | "
            f"{m['secondes'] / floors[fmt]:.1f} | {m['memoire_mo']:.0f} Mo |"
            for fmt, what, m in results
        ),
        "",
    ]
    write_block("observatoire", vendor, "\n".join(lines))
    return 0
