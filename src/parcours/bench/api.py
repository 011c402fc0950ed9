"""``python -m parcours.bench api [N]`` : l'API des partenaires, appel par appel.

Débit et p95 de l'envoi d'un signalement (``POST /api/v1/signalements``) et de la lecture de son
état (``GET /api/v1/signalements/{reference}``), par le client WSGI de Django (toute la pile :
intergiciels, jeton, débit, validation, service, journal ; sans réseau ni serveur), un appel
après l'autre. À côté, le plancher : la même insertion et la même lecture d'un signalement en SQL
brut. Base : ``var/bench-api.sqlite3`` (neuve à chaque mesure) ou ``DATABASE_URL``.
"""

import json
import os
import platform
import time

from parcours.bench.pages import ROOT, _today, measure, write_block

TARGET_P95_MS = 100


def _setup() -> None:
    path = ROOT / "var" / "bench-api.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            (path.parent / (path.name + suffix)).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    os.environ["PARCOURS_AXES"] = "0"
    os.environ["PARCOURS_DEBUG"] = "0"
    os.environ["PARCOURS_API_LIMITE"] = str(10**9)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _body(i: int) -> str:
    return json.dumps(
        {
            "personne": {
                "nom": f"Banc{i}",
                "prenom": "Claire",
                "sexe": "F",
                "date_naissance": f"{1940 + i % 50}-0{1 + i % 9}-1{i % 9}",
                "commune_insee": "01053",
            },
            "emetteur": "ETABLISSEMENT_SANTE",
            "motif": "Sortie d'hospitalisation",
            "programme": "RETOUR_DOMICILE",
            "departement": "01",
            "base_legale": "MISSION_LEGALE",
        }
    )


def run(count: int = 300) -> int:
    _setup()
    from django.db import connection, transaction
    from django.test import Client

    from parcours.api import services
    from parcours.core.models import Departement, Organisation
    from parcours.partners.models import Partner

    organisation, _ = Organisation.objects.get_or_create(
        code="bench-api", defaults={"name": "Banc d'essai API", "region_id": "84"}
    )
    organisation.departements.set(Departement.objects.filter(code="01"))
    partner = Partner.objects.create(organisation=organisation, kind="AUTRE", name="CH banc")
    _, secret = services.issue_token(
        actor=None,
        organisation=organisation,
        partner=partner,
        scopes=["signalements:ecrire", "signalements:lire"],
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    references: list[str] = []

    def post(i: int) -> None:
        response = client.post("/api/v1/signalements", _body(i), content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"POST : {response.status_code} {response.content[:200]!r}")
        references.append(response.json()["reference"])

    def get(reference: str) -> None:
        response = client.get(f"/api/v1/signalements/{reference}")
        if response.status_code != 200:
            raise RuntimeError(f"GET : {response.status_code}")

    for i in range(20):  # mise en route (caches, premières requêtes préparées)
        post(10_000 + i)
    t0 = time.perf_counter()
    posted = measure("POST /api/v1/signalements", post, [(i,) for i in range(count)])
    posted["par_s"] = count / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    read = measure("GET /api/v1/signalements/{reference}", get, [(r,) for r in references[20:]])
    read["par_s"] = len(references[20:]) / (time.perf_counter() - t0)

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM people_person")
        person_id = cursor.fetchone()[0]

    def raw_insert(i: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO outreach_referral (organisation_id, reference, person_id, emitter,"
                " emitter_name, emitter_address, received_on, reason, priority, programme,"
                " departement_id, status, created_at) VALUES"
                " (%s, %s, %s, 'CPAM', '', '', '2026-12-03', 'x', 'NORMALE', 'PDP', '01',"
                " 'RECU', '2026-12-03 10:00:00')",
                [organisation.pk, f"SQL-{i:016d}", person_id],
            )

    def raw_select(i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reference, status, received_on, answered_on FROM outreach_referral"
                " WHERE reference = %s",
                [f"SQL-{i:016d}"],
            )
            cursor.fetchone()

    t0 = time.perf_counter()
    floor_insert = measure(
        "plancher : INSERT en SQL brut", raw_insert, [(i,) for i in range(count)]
    )
    floor_insert["par_s"] = count / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    floor_select = measure(
        "plancher : SELECT en SQL brut", raw_select, [(i,) for i in range(count)]
    )
    floor_select["par_s"] = count / (time.perf_counter() - t0)

    vendor = connection.vendor
    rows = [posted, read, floor_insert, floor_select]
    table = (
        f"Mesuré le {_today():%d/%m/%Y} ({platform.machine()}, {os.cpu_count()} cœurs partagés, "
        f"{vendor}), {count} appels l'un après l'autre par le client WSGI ; objectif p95 < "
        f"{TARGET_P95_MS} ms.\n\n"
        "| mesure | appels | par seconde | p50 (ms) | p95 (ms) | max (ms) |\n"
        "|---|---|---|---|---|---|\n"
        + "".join(
            f"| {r['mesure']} | {r['n']} | {r['par_s']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['max_ms']:.1f} |\n"
            for r in rows
        )
    )
    write_block("api", vendor, table)
    print(table)
    return 0 if posted["p95_ms"] < TARGET_P95_MS and read["p95_ms"] < TARGET_P95_MS else 1
