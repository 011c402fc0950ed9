"""``python -m parcours.bench partages [N]`` : les pages du partage à l'échelle d'une année.

La démonstration (2 000 personnes, la Carsat et la CAF, leurs parcours partagés) reçoit ``N``
orientations de plus dans l'année (20 000 par défaut : une région qui oriente une personne aidée
sur deux), réparties sur les personnes et les partenaires de l'annuaire, de tous états. Mesurés,
de bout en bout dans le processus (client de test Django) :

- « Orientations » du responsable (comptes par type de partenaire et état, délais, par
  destinataire) et du pilotage (tout l'organisme) ;
- l'onglet « Partages » d'une personne (consentements, orientations, parcours, signalements) ;
- la liste « Parcours partagés » d'une AS.

À côté, le plancher : les mêmes comptes et délais de l'année par une requête SQL écrite à la
main (un GROUP BY et la lecture des trois dates). Base : ``var/bench-partages.sqlite3`` (neuve à
chaque mesure) ou ``DATABASE_URL``.
"""

import datetime
import os
import platform
import random
import statistics

from parcours.bench.pages import ROOT, _today, measure, write_block

RUNS = 30


def _setup() -> str:
    path = ROOT / "var" / "bench-partages.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            (path.parent / (path.name + suffix)).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    os.environ["PARCOURS_AXES"] = "0"
    os.environ["PARCOURS_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    devnull = open(os.devnull, "w")  # noqa: SIM115
    call_command("init", verbosity=0, stdout=devnull)
    call_command("demo", personnes=2000, reinitialiser=True, stdout=devnull)
    return connection.vendor


def _more_orientations(count: int, year: int) -> None:
    """``count`` orientations de la Carsat de démonstration dans l'année, en masse (la mesure
    porte sur la lecture) : états, réponses et délais tirés au sort, graine fixe."""
    from parcours.core.models import Organisation, User
    from parcours.core.nomenclatures import Problematique
    from parcours.partners.models import Partner
    from parcours.people.models import Person
    from parcours.sharing.models import Orientation

    rng = random.Random(20261203)
    organisation = Organisation.objects.get(code="carsat-demo")
    people = list(
        Person.objects.filter(organisation=organisation).values_list("pk", "departement_id")
    )
    partners = list(Partner.objects.filter(organisation=organisation).values_list("pk", flat=True))
    sender = User.objects.get(username="as.ain")
    statuses = ["ENVOYEE", "RECUE", "ACCEPTEE", "REFUSEE", "CLOTUREE", "RELANCEE"]
    start = datetime.date(year, 1, 1)
    rows = []
    for i in range(count):
        person, departement = rng.choice(people)
        sent = start + datetime.timedelta(days=rng.randrange(330))
        status = rng.choice(statuses)
        answered = status in {"ACCEPTEE", "REFUSEE", "CLOTUREE"}
        rows.append(
            Orientation(
                organisation=organisation,
                person_id=person,
                departement_id=departement,
                partner_id=rng.choice(partners),
                reason=rng.choice(Problematique.values),
                request="Prise de contact",
                categories=["IDENTITE"],
                basis="MISSION_LEGALE",
                first_deadline=sent + datetime.timedelta(days=15),
                deadline=sent + datetime.timedelta(days=15),
                status=status,
                sent_at=datetime.datetime.combine(sent, datetime.time(10), datetime.UTC),
                sent_on=sent,
                answered_on=sent + datetime.timedelta(days=rng.randrange(1, 40))
                if answered
                else None,
                reference=f"BANC{i:012d}",
                link_issued_on=sent,
                created_by=sender,
            )
        )
    Orientation.objects.bulk_create(rows, batch_size=2000)


def _floor(organisation_id: int, year: int, departement: str) -> None:
    """Les comptes et délais de la page « Orientations » d'un département, écrits à la main."""
    from django.db import connection

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(p.kind, 'ORGANISME'), o.status, COUNT(*) FROM sharing_orientation o"
            " LEFT JOIN partners_partner p ON p.id = o.partner_id"
            " WHERE o.organisation_id = %s AND o.sent_on BETWEEN %s AND %s"
            " AND o.departement_id = %s GROUP BY 1, 2",
            [organisation_id, start, end, departement],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT o.partner_id, o.sent_on, o.first_deadline, o.answered_on"
            " FROM sharing_orientation o WHERE o.organisation_id = %s"
            " AND o.sent_on BETWEEN %s AND %s AND o.departement_id = %s",
            [organisation_id, start, end, departement],
        )
        delays = [
            (answered - sent).days
            for _, sent, _, answered in cursor.fetchall()
            if answered is not None
        ]
    statistics.median(delays or [0])


def run(count: int = 20000) -> int:
    vendor = _setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from parcours.core.models import Organisation, User
    from parcours.sharing.models import Orientation

    year = _today().year
    _more_orientations(count, year)
    with connection.cursor() as cursor:  # les statistiques du planificateur, comme en service
        cursor.execute("ANALYZE")
    organisation = Organisation.objects.get(code="carsat-demo")
    total = Orientation.objects.filter(organisation=organisation, sent_on__year=year).count()

    def client_of(username: str) -> Client:
        client = Client()
        client.force_login(
            User.objects.get(username=username),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        return client

    manager, steering, worker = client_of("manager.ain"), client_of("pilotage"), client_of("as.ain")
    dashboard = reverse("orientations") + f"?annee={year}"
    people = list(
        Orientation.objects.filter(organisation=organisation, departement_id="01")
        .values_list("person_id", flat=True)
        .distinct()[:RUNS]
    )

    def get(client: Client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    get(manager, dashboard)  # à chaud
    results = [
        measure("Orientations, responsable (un département)", get, [(manager, dashboard)] * RUNS),
        measure("Orientations, pilotage (tout l'organisme)", get, [(steering, dashboard)] * RUNS),
        measure(
            "Plancher SQL : mêmes comptes et délais (un département)",
            _floor,
            [(organisation.pk, year, "01")] * RUNS,
        ),
        measure(
            "Onglet « Partages » d'une personne (AS)",
            get,
            [(worker, reverse("personne-partages", args=[pk])) for pk in people],
        ),
        measure(
            "Parcours partagés, liste (AS)", get, [(worker, reverse("parcours-partages"))] * RUNS
        ),
    ]
    for row in results:
        print(
            f"{row['mesure']} : p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms", flush=True
        )
    lines = [
        f"### Partage : orientations, onglet « Partages », parcours ({vendor}) — "
        f"{_today():%Y-%m-%d}",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()} ; démonstration de 2 000 personnes et {total} orientations "
        f"envoyées en {year} ; {RUNS} appels par page, client de test Django.",
        "",
        "| Mesure | n | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {r['mesure']} | {r['n']} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms "
            f"| {r['max_ms']:.0f} ms |"
            for r in results
        ),
        "",
    ]
    write_block("partages", vendor, "\n".join(lines) + "\n")
    return 0
