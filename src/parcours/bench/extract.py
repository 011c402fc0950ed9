"""``python -m parcours.bench extrait`` (``make bench MESURE=extrait``) : l'extrait pseudonymisé
d'une région-année, à côté de son plancher.

Base : ``var/bench-extrait.sqlite3`` (ou ``DATABASE_URL``), remplie une fois par le lot
d'historique synthétique (``steering/bundle.py``, région 84, 12 départements) à l'échelle d'une
région-année : 60 000 personnes, 333 000 entretiens générés dont environ 250 000 datés de 2025 ;
réutilisée ensuite. Chaque mesure tourne dans un processus neuf ; la mémoire est le pic de mémoire
résidente de ce processus (``VmHWM``), Django chargé compris (ligne « à vide »).

- l'extrait CSV, l'extrait Parquet et les agrégats par département et programme, par le service
  (``privacy.services.extract.write_extract``, journal compris) ;
- le plancher : la même sélection en une requête SQL écrite à la main (jointures et
  ``group_concat`` / ``string_agg`` des codes), lue en flux par paquets, avec le même pseudonyme
  et la même tranche d'âge, écrite en CSV ;
- pour comparaison, les mêmes lignes gardées toutes en mémoire (``list``) avant d'écrire : ce que
  le flux évite.
"""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from parcours.bench.pages import ROOT, _today, write_block

ORG = "bench-extrait"
YEAR = 2025
PEOPLE = 60000
CONTACTS = 333000
MODES = [
    ("vide", "processus à vide (Django chargé, rien lu)"),
    ("csv", "extrait CSV (service, en flux)"),
    ("parquet", "extrait Parquet (service : CSV en flux puis DuckDB)"),
    ("agregats", "agrégats département × programme (service)"),
    ("plancher", "plancher : une requête SQL à la main, en flux, même pseudonyme, CSV"),
    ("liste", "comparaison : toutes les lignes en mémoire (list) puis CSV"),
]


def _database() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-extrait.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    os.environ["PARCOURS_AXES"] = "0"
    os.environ["PARCOURS_DEBUG"] = "0"
    import django

    django.setup()


def _prepare() -> str:
    """L'organisme de mesure et son année, importés une fois."""
    from django.core.management import call_command
    from django.db import connection

    from parcours.core import services as core_services
    from parcours.core.models import Organisation
    from parcours.core.reference import load_reference
    from parcours.steering import bundle, history

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        load_reference()
    if Organisation.objects.filter(code=ORG).exists():
        return connection.vendor
    folder = ROOT / "var" / "bench-extrait"
    print("Génération du lot région-année…", flush=True)
    bundle.generate(folder, people=PEOPLE, contacts=CONTACTS, front_line=1000, year=YEAR)
    organisation = core_services.create_organisation(
        actor=None, code=ORG, name="Banc d'essai de l'extrait", kind=Organisation.Kind.AUTRE,
        region="84",
    )  # fmt: skip
    t0 = time.perf_counter()
    result = history.run(folder, organisation=organisation, dry_run=False)
    assert not result.errors, result.errors[:5]
    print(f"Lot importé en {time.perf_counter() - t0:.0f} s.", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return connection.vendor


def _floor_rows(organisation_id: int, pseudonym):
    """Les lignes de l'extrait par une seule requête SQL écrite à la main, lue par paquets."""
    from django.db import connection

    from parcours.cases.models import Case, Contact, ContactAction, ContactProblem
    from parcours.people.models import Person
    from parcours.rules import report as report_rules

    agg = "group_concat(code, '|')" if connection.vendor == "sqlite" else "string_agg(code, '|')"
    codes = (
        "(SELECT {agg} FROM (SELECT code FROM {table} x WHERE x.contact_id = c.id ORDER BY code) s)"
    )
    actions = codes.format(agg=agg, table=ContactAction._meta.db_table)
    problems = codes.format(agg=agg, table=ContactProblem._meta.db_table)
    tables = (
        f"{Contact._meta.db_table} c JOIN {Case._meta.db_table} k ON k.id = c.case_id"
        f" JOIN {Person._meta.db_table} p ON p.id = k.person_id"
    )
    # Only table names and constants are interpolated; values go as parameters.
    sql = (
        'SELECT c.id, c."on", c.mode, c.duration_minutes, k.departement_id, k.programme, '  # noqa: S608
        f"k.person_id, p.sex, p.birth_date, {actions}, {problems} FROM {tables}"
        ' WHERE c.organisation_id = %s AND c."on" BETWEEN %s AND %s ORDER BY c."on", c.id'
    )
    import datetime

    with connection.cursor() as cursor:
        cursor.execute(
            sql, [organisation_id, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)]
        )
        while batch := cursor.fetchmany(2000):
            for _, on, mode, minutes, dep, programme, pid, sex, born, actions, problems in batch:
                if isinstance(born, str):  # SQLite sans conversion de type
                    born = datetime.date.fromisoformat(born)
                band = report_rules.age_band(report_rules.age_on_dec31(born, YEAR))
                yield (
                    pseudonym(pid), sex, band, dep, programme, mode, on, minutes,
                    actions or "", problems or "",
                )  # fmt: skip


def _child(mode: str, target: str) -> None:
    """Processus fils : une mesure, puis temps, lignes et pic de mémoire en JSON sur stdout."""
    import secrets

    _database()
    from parcours.core import tabular
    from parcours.core.models import Organisation
    from parcours.privacy.queries import extract as queries
    from parcours.privacy.services import extract as services

    organisation = Organisation.objects.get(code=ORG)
    output = Path(target)
    t0 = time.perf_counter()
    rows = 0
    if mode in ("csv", "parquet", "agregats"):
        outcome = services.write_extract(
            actor=None,
            organisation=organisation,
            year=YEAR,
            fmt="parquet" if mode == "parquet" else "csv",
            output=output,
            by=["departement", "programme"] if mode == "agregats" else (),
            origin="mesure de performance",
        )
        rows = outcome.rows
    elif mode in ("plancher", "liste"):
        pseudonym = services.pseudonymiser(secrets.token_bytes(32))
        source = (
            _floor_rows(organisation.pk, pseudonym)
            if mode == "plancher"
            else list(queries.rows(organisation, YEAR, pseudonym))
        )
        with output.open("w", encoding="utf-8", newline="") as f:
            rows = tabular.write_csv(f, queries.COLUMNS, source)
    seconds = time.perf_counter() - t0
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if "VmHWM" in x)
    size = output.stat().st_size if output.exists() else 0
    print(json.dumps({"s": seconds, "mb": int(line.split()[1]) / 1024, "rows": rows, "o": size}))


def run() -> int:
    _database()
    vendor = _prepare()
    from parcours.core.models import Organisation
    from parcours.privacy.queries import extract as queries

    contacts, people = queries.summary(Organisation.objects.get(code=ORG), YEAR)
    folder = ROOT / "var" / "bench-extrait-sorties"
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for mode, label in MODES:
        target = folder / f"{mode}.{'parquet' if mode == 'parquet' else 'csv'}"
        target.unlink(missing_ok=True)
        out = subprocess.run(  # noqa: S603 (notre propre module)
            [sys.executable, "-m", "parcours.bench", "_extrait", mode, str(target)],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append((label, result))
        print(f"{label} : {result['s']:.1f} s, {result['mb']:.0f} Mo", flush=True)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        f"### Extrait pseudonymisé d'une région-année — {vendor} ({_today():%Y-%m-%d})",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}, charge moyenne {load} (`uptime`, machine partagée). "
        f"Année {YEAR} de l'organisme de mesure (région 84, 12 départements) : {contacts} "
        f"entretiens, {people} personnes. Chaque ligne dans un processus neuf ; mémoire : pic "
        "résident du processus (`VmHWM`), Django chargé compris.",
        "",
        "| mesure | lignes | durée (s) | mémoire max (Mo) | fichier (Mo) |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {label} | {r['rows']} | {r['s']:.1f} | {r['mb']:.0f} | {r['o'] / 1e6:.1f} |"
            for label, r in results
        ),
        "",
    ]
    table = "\n".join(lines)
    print(table)
    write_block("extrait", vendor, table)
    return 0
