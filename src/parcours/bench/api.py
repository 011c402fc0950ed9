"""``python -m parcours.bench api [N]`` : l'API des partenaires, appel par appel.

Débit et p95 de l'envoi d'un signalement (``POST /api/v1/signalements``) et de la lecture de son
état (``GET /api/v1/signalements/{reference}``), par le client WSGI de Django (toute la pile :
intergiciels, jeton, débit, validation, service, journal ; sans réseau ni serveur), un appel
après l'autre. Puis, pour un partenaire qui reçoit ``ORIENTATIONS`` orientations (identité,
situation et dernière évaluation partagées) : leur liste (``GET /api/v1/orientations``), la
réponse à chacune (``POST …/reponse``) et la lecture d'une évaluation partagée
(``GET /api/v1/evaluations/{reference}``). À côté de chaque mesure, le plancher : les mêmes lignes
lues ou écrites en SQL brut, dans la même base. Base : ``var/bench-api.sqlite3`` (neuve à chaque
mesure) ou ``DATABASE_URL``.
"""

import json
import os
import platform
import time

from parcours.bench.pages import ROOT, _today, measure, write_block

TARGET_P95_MS = 100
#: Les orientations (et évaluations partagées) adressées au partenaire mesuré.
ORIENTATIONS = 200
#: Les lectures de la liste des orientations (chacune rend les ``ORIENTATIONS`` lignes).
LIST_CALLS = 50


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

    rows = [posted, read, floor_insert, floor_select, *_sharing_rows(organisation)]
    vendor = connection.vendor
    table = (
        f"Mesuré le {_today():%d/%m/%Y} ({platform.machine()}, {os.cpu_count()} cœurs partagés, "
        f"{vendor}), {count} appels l'un après l'autre par le client WSGI ; objectif p95 < "
        f"{TARGET_P95_MS} ms (envoi et suivi d'un signalement). Orientations : un partenaire "
        f"qui en reçoit une par personne signalée (au plus {ORIENTATIONS}), avec sa dernière "
        f"évaluation ; la liste lue {LIST_CALLS} fois.\n\n"
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


def _timed(label: str, function, arguments: list[tuple]) -> dict:
    t0 = time.perf_counter()
    row = measure(label, function, arguments)
    row["par_s"] = len(arguments) / (time.perf_counter() - t0)
    return row


def _shared_with_partner(organisation) -> tuple[str, list[str], list[str]]:
    """``ORIENTATIONS`` personnes (celles des signalements envoyés) orientées vers un
    département de l'annuaire, avec une évaluation GIR 1 chacune partagée avec lui (sous
    mission légale), écrites en masse : la mesure porte sur la lecture et la réponse."""
    import datetime

    from parcours.aid.models import Evaluation
    from parcours.api import services
    from parcours.core import clock
    from parcours.core.models import User
    from parcours.partners.models import Partner
    from parcours.people.models import Person
    from parcours.sharing.models import EvaluationShare, Orientation

    today = clock.today()
    now = clock.now()
    user = User.objects.create(username="banc.api", organisation=organisation)
    partner = Partner.objects.create(
        organisation=organisation, kind="DEPARTEMENT", name="Département de l'Ain (banc)"
    )
    people = list(Person.objects.filter(organisation=organisation).order_by("pk")[:ORIENTATIONS])
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(
            organisation=organisation,
            person=person,
            departement_id="01",
            evaluator=user,
            evaluated_on=today - datetime.timedelta(days=10),
            kind="PREMIERE_DEMANDE",
            situation="Vit seule.",
            **dict.fromkeys(("coh", "ori", "toi", "hab", "ali", "eli", "tra", "dpi", "dpe"), "C"),
            com="C",
            gir=1,
            rank=1,
            competent_body="DEPARTEMENT",
        )
        for person in people
    )
    shares = EvaluationShare.objects.bulk_create(
        EvaluationShare(
            evaluation=evaluation, partner=partner, basis="MISSION_LEGALE", shared_at=now, by=user
        )
        for evaluation in evaluations
    )
    orientations = Orientation.objects.bulk_create(
        Orientation(
            organisation=organisation,
            person=person,
            departement_id="01",
            partner=partner,
            reason="EMPLOI",
            request="Prise de contact",
            categories=["IDENTITE", "SITUATION", "EVALUATION"],
            basis="MISSION_LEGALE",
            first_deadline=today + datetime.timedelta(days=15),
            deadline=today + datetime.timedelta(days=15),
            status="ENVOYEE",
            sent_at=now - datetime.timedelta(minutes=i),
            sent_on=today,
            reference=f"{i:016x}",
            link_issued_on=today,
            created_by=user,
        )
        for i, person in enumerate(people)
    )
    _, secret = services.issue_token(
        actor=None,
        organisation=organisation,
        partner=partner,
        scopes=["orientations:lire", "orientations:repondre", "evaluations:lire"],
    )
    return secret, [o.reference for o in orientations], [s.reference for s in shares]


def _sharing_rows(organisation) -> list[dict]:
    from django.db import connection, transaction
    from django.test import Client

    from parcours.rules import aggir

    secret, orientations, shares = _shared_with_partner(organisation)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partner_id FROM sharing_orientation WHERE reference = %s", [orientations[0]]
        )
        partner_id = cursor.fetchone()[0]

    def listing() -> None:
        response = client.get("/api/v1/orientations")
        if response.status_code != 200 or len(response.json()) != len(orientations):
            raise RuntimeError(f"GET orientations : {response.status_code}")

    def answer(reference: str) -> None:
        response = client.post(
            f"/api/v1/orientations/{reference}/reponse",
            json.dumps({"statut": "ACCEPTEE"}),
            content_type="application/json",
        )
        if response.status_code != 200:
            raise RuntimeError(f"POST réponse : {response.status_code} {response.content[:200]!r}")

    def evaluation(reference: str) -> None:
        response = client.get(f"/api/v1/evaluations/{reference}")
        if response.status_code != 200:
            raise RuntimeError(f"GET évaluation : {response.status_code}")

    def raw_listing() -> None:
        # les colonnes de la réponse : orientation, personne, commune, dernière évaluation
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.reference, o.status, o.sent_on, o.received_on, o.answered_on,"
                " o.deadline, o.reason, o.request, o.answer_comment, o.categories,"
                " p.last_name, p.first_names, p.birth_date, p.address, p.postal_code,"
                " p.phone, p.email, p.status, p.family_situation, p.housing, p.employment,"
                " p.legal_protection, c.code, c.name, e.evaluated_on, e.gir"
                " FROM sharing_orientation o JOIN people_person p ON p.id = o.person_id"
                " LEFT JOIN core_commune c ON c.code = p.commune_id"
                " LEFT JOIN aid_evaluation e ON e.id = (SELECT e2.id FROM aid_evaluation e2"
                " WHERE e2.person_id = o.person_id"
                " ORDER BY e2.evaluated_on DESC, e2.id DESC LIMIT 1)"
                " WHERE o.organisation_id = %s AND o.partner_id = %s"
                " ORDER BY o.sent_at DESC, o.id DESC LIMIT 500",
                [organisation.pk, partner_id],
            )
            if len(cursor.fetchall()) != len(orientations):
                raise RuntimeError("plancher : liste incomplète")

    def raw_answer(reference: str) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE sharing_orientation SET status = 'ACCEPTEE', answered_on = '2026-12-04'"
                " WHERE reference = %s",
                [reference],
            )

    def raw_evaluation(reference: str) -> None:
        columns = ", ".join(f"e.{name.lower()}" for name in aggir.VARIABLES)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.reference, e.evaluated_on, g.code, g.name, {columns}, e.gir,"  # noqa: S608
                " s.shared_at FROM sharing_evaluationshare s"
                " JOIN aid_evaluation e ON e.id = s.evaluation_id"
                " JOIN core_organisation g ON g.id = e.organisation_id"
                " WHERE s.reference = %s",
                [reference],
            )
            cursor.fetchone()

    listing()  # mise en route
    return [
        _timed(
            f"GET /api/v1/orientations ({len(orientations)} lignes)", listing, [()] * LIST_CALLS
        ),
        _timed("plancher : la même liste en SQL brut", raw_listing, [()] * LIST_CALLS),
        _timed(
            "POST /api/v1/orientations/{reference}/reponse", answer, [(r,) for r in orientations]
        ),
        _timed("plancher : UPDATE en SQL brut", raw_answer, [(r,) for r in orientations]),
        _timed("GET /api/v1/evaluations/{reference}", evaluation, [(r,) for r in shares]),
        _timed("plancher : la même évaluation en SQL brut", raw_evaluation, [(r,) for r in shares]),
    ]
