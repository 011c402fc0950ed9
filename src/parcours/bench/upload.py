"""``python -m parcours.bench envoi [Mo]`` : un gros extrait invalide envoyé au ciblage, et une page
lue pendant que la tâche de fond le traite.

Base dédiée (``var/bench-envoi.sqlite3``, toujours : la preuve porte sur SQLite) : référentiel et
démonstration. Un responsable envoie par le web (client de test : intergiciels, gestionnaire de
réception, formulaire, enregistrement du fichier, mise en file) un extrait de ``Mo`` mégaoctets
(20 par défaut ; 200 pour la preuve de ``docs/benchmarks.md``) dont chaque ligne est rejetée ;
un vrai travailleur (``parcours travailleur``, processus à part) fait l'essai. Pendant ce temps,
une AS ouvre « Mon activité » en boucle : p50 et p95 comparés au budget de 0,1 s, et à la même
page sans import en cours.
"""

import os
import platform
import statistics
import subprocess
import sys
import time

from parcours.bench.pages import ROOT, _today, percentile, write_block

BUDGET_MS = 100.0
DATABASE = ROOT / "var" / "bench-envoi.sqlite3"


def _invalid_extract(path, megabytes: int) -> int:
    """Un extrait de ``megabytes`` Mo dont chaque ligne est rejetée (NIR et dates illisibles)."""
    from parcours.rules.sick_leave_extract import COLUMNS

    target = megabytes * 1_048_576
    lines = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(";".join(COLUMNS) + "\n")
        size = 0
        while size < target:
            line = (
                f"99{lines:011d};Nom{lines};Prénom;X;31/02/1975;00000;{lines} rue Fausse;"
                f"0000;jamais;INCONNU;abc;pas-un-courriel\n"
            )
            out.write(line)
            size += len(line.encode())
            lines += 1
    return lines


def _timings(client, url, seconds=None, until=None):
    """Durées (ms) de GET ``url`` en boucle, ``seconds`` secondes ou jusqu'à ``until()``."""
    timings = []
    end = time.monotonic() + (seconds or 3600)
    while time.monotonic() < end and not (until and until()):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        time.sleep(0.05)
    return timings


def _row(label, timings):
    p95 = percentile(timings, 0.95)
    return (
        f"| {label} | {len(timings)} | {statistics.median(timings):.0f} | {p95:.0f} | "
        f"{max(timings):.0f} | < {BUDGET_MS:.0f} | {'oui' if p95 < BUDGET_MS else 'NON'} |"
    )


def run(megabytes: int = 20) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"  # la preuve porte sur SQLite
    os.environ["PARCOURS_UPLOAD_MAX_MB"] = str(megabytes + 10)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    os.environ.setdefault("PARCOURS_AXES", "0")
    os.environ.setdefault("PARCOURS_DEBUG", "0")  # comme en production : pas de relevé des requêtes
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from parcours.core.models import User
    from parcours.outreach.models import TargetingRun

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="as.ain").exists():
        call_command("init")
        call_command("demo")
    reader, manager = Client(), Client()
    reader.force_login(User.objects.get(username="as.ain"))
    manager.force_login(User.objects.get(username="manager.ain"))
    page = reverse("mon-activite")

    path = ROOT / "var" / f"bench-envoi-{megabytes}mo.csv"
    lines = _invalid_extract(path, megabytes)
    size_mb = path.stat().st_size / 1_048_576
    print(f"Extrait invalide : {lines} lignes, {size_mb:.0f} Mo.", flush=True)

    _timings(reader, page, seconds=2)  # gabarits compilés, caches chauds
    idle = _timings(reader, page, seconds=10)
    worker = subprocess.Popen(  # noqa: S603 (notre propre commande)
        [sys.executable, "-m", "parcours.cli", "travailleur", "--intervalle", "0.2"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        with open(path, "rb") as handle:
            upload = SimpleUploadedFile("extrait-invalide.csv", handle.read())
        response = manager.post(
            reverse("ciblages"),
            {"fichier": upload, "date_extraction": _today().isoformat()},
        )
        del upload
        posted = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        run_id = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])

        def finished() -> bool:
            return TargetingRun.objects.get(pk=run_id).is_finished

        started = time.perf_counter()
        busy = _timings(reader, page, until=finished)
        job_s = time.perf_counter() - started
        run = TargetingRun.objects.get(pk=run_id)
    finally:
        worker.terminate()
        worker.wait(60)
    path.unlink()

    vendor = connection.vendor
    table = "\n".join(
        [
            f"### Envoi d'un extrait invalide de {size_mb:.0f} Mo et page lue pendant son "
            f"traitement — {vendor} ({_today():%Y-%m-%d})",
            "",
            f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
            f"{platform.python_version()}. `python -m parcours.bench envoi {megabytes}` : "
            f"{lines} lignes toutes rejetées ({run.error_count} motifs comptés, "
            f"{len(run.errors)} gardés en base) ; envoi reçu en {posted:.1f} s, essai par le "
            f"travailleur en {job_s:.0f} s (état final : {run.get_status_display()}). "
            f"Charge de la machine (1 min) à la fin : {os.getloadavg()[0]:.1f}. "
            "« Mon activité » (AS de l'Ain, démonstration) lue en boucle par un autre client.",
            "",
            "| « Mon activité » | n | p50 (ms) | p95 (ms) | max (ms) | budget (ms) | tenu |",
            "|---|---|---|---|---|---|---|",
            _row("sans import", idle),
            _row("pendant l'essai de l'extrait", busy),
            "",
        ]
    )
    print(table)
    write_block("envoi", vendor, table)
