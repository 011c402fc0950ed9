"""``python -m parcours.bench charge [sqlite|postgresql] [secondes]`` : 20 AS en même temps sous
gunicorn (``bench/locustfile.py``), débit, p95 et erreurs écrits dans docs/benchmarks.md.

Base : ``var/bench-charge.sqlite3`` (SQLite, réglages embarqués par défaut) ou la base PostgreSQL
de ``DATABASE_URL`` (``postgres://…``, une base à part : la démonstration y est ajoutée), préparée
par ``parcours init`` et ``parcours demo``.
gunicorn tourne comme en production (3 processus de 4 fils, débogage éteint) mais en
``PARCOURS_ENV=development`` : les cookies de session restent envoyés sur HTTP simple.
"""

import csv
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from parcours.bench.pages import ROOT, _today, write_block

USERS = 20
TARGET_P95_MS = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (locale)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn ne répond pas sur {url}")


def run(target: str = "sqlite", seconds: int = 60) -> None:
    if target == "sqlite":
        database = f"sqlite:///{ROOT / 'var' / 'bench-charge.sqlite3'}"
    else:
        database = os.environ.get("DATABASE_URL", "")
        if not database.startswith("postgres"):
            raise SystemExit("charge postgresql : DATABASE_URL=postgres://… attendu.")
    env = os.environ | {
        "DATABASE_URL": database,
        "PARCOURS_ENV": "development",
        "PARCOURS_DEBUG": "0",
        "PARCOURS_HOME": str(ROOT),
    }
    parcours = [sys.executable, "-m", "parcours.cli"]
    subprocess.run([*parcours, "init"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    subprocess.run([*parcours, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (notre propre application)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "parcours.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_for(f"{host}/connexion/")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "charge")
            subprocess.run(  # noqa: S603 (outil de mesure installé)
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    "2",
                    "--reset-stats",
                    "--run-time",
                    f"{seconds}s",
                    "--host",
                    host,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=env,
                check=False,
            )
            with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
                failures = list(csv.DictReader(handle))
    finally:
        server.terminate()
        server.wait(30)
    vendor = "sqlite" if target == "sqlite" else "postgresql"
    lines = []
    for row in rows:
        name = "**ensemble**" if row["Name"] == "Aggregated" else row["Name"]
        method = row["Type"] or ""
        p95 = float(row["95%"] or 0)
        lines.append(
            f"| {name} | {method} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {float(row['50%'] or 0):.0f} | {p95:.0f} | "
            f"{float(row['Max Response Time'] or 0):.0f} |"
        )
    total = rows[-1]
    p95 = float(total["95%"] or 0)
    met = p95 < TARGET_P95_MS and int(total["Failure Count"]) == 0
    table = "\n".join(
        [
            f"### Charge : {USERS} AS en même temps — gunicorn et {vendor} ({_today():%Y-%m-%d})",
            "",
            f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
            f"{platform.python_version()} ; charge de la machine (1 min) à la fin : "
            f"{os.getloadavg()[0]:.1f}. `python -m parcours.bench charge {target} {seconds}` : "
            f"locust, {USERS} utilisateurs (comptes d'AS de la démonstration), {seconds} s, "
            "pause de 0,5 à 2 s entre deux actions, arrivée de 2 utilisateurs par seconde "
            "(connexions hors chiffres : `--reset-stats`) ; gunicorn 3 processus × 4 fils. Cible : "
            f"p95 < {TARGET_P95_MS} ms et aucune erreur — {'tenue' if met else 'NON TENUE'}.",
            "",
            "| requête | méthode | n | erreurs | débit (req/s) | p50 (ms) | p95 (ms) | max (ms) |",
            "|---|---|---|---|---|---|---|---|",
            *lines,
            "",
            *(
                f"Erreurs : {f['Method']} {f['Name']} — {f['Error']} ({f['Occurrences']} fois)."
                for f in failures
            ),
            "" if failures else "Aucune erreur.",
            "",
        ]
    )
    print(table)
    write_block("charge", vendor, table)
