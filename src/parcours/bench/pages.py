"""``make bench`` : mesures de performance (``architecture.md``), écrites dans docs/benchmarks.md.

Base dédiée (``var/bench.sqlite3`` par défaut, ou ``DATABASE_URL``), générée une fois puis
réutilisée : 1 000 000 de personnes réparties sur 10 départements, 60 000 accompagnements et
leurs entretiens. Les temps sont mesurés de bout en bout dans le processus (client de test
Django : middleware, politiques, requêtes, gabarits), sans serveur HTTP.
"""

import datetime
import os
import platform
import random
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

PEOPLE = int(os.environ.get("PARCOURS_BENCH_PEOPLE", "1000000"))
CASES = PEOPLE // 16
CONTACTS_PER_CASE = 7
DEPARTEMENTS = ["01", "07", "26", "38", "42", "69", "73", "74", "63", "03"]
SEED = 20261122
ROOT = Path(__file__).resolve().parents[3]


def _today() -> datetime.date:
    """La date du jour à Paris, pour dater une mesure."""
    return datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).date()


def setup_django():
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    os.environ.setdefault("PARCOURS_AXES", "0")
    import django

    django.setup()


SYLLABLES_A = [
    "Ber",
    "Mar",
    "Du",
    "Le",
    "Ro",
    "Fa",
    "Gar",
    "Mo",
    "Bou",
    "La",
    "Pe",
    "Ri",
    "Ca",
    "Gi",
    "Ma",
    "Ba",
    "Che",
    "Fon",
    "Gau",
    "Lam",
    "Mer",
    "Pas",
    "Sau",
    "Ver",
    "Col",
]
SYLLABLES_B = [
    "nard",
    "tin",
    "pont",
    "roux",
    "bert",
    "vre",
    "nier",
    "chard",
    "rand",
    "mond",
    "det",
    "zier",
    "lot",
    "guet",
    "reau",
    "llet",
    "sson",
    "vier",
    "quet",
    "thier",
]
SYLLABLES_C = ["", "", "", "ier", "eau", "in", "ot", "y", "et", "ard", "on", "as"]
FIRST_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Christine",
    "Monique",
    "Valérie",
    "Sandrine",
    "Hélène",
    "Camille",
    "Léa",
    "Chloé",
    "Zoé",
    "Anne",
    "Élodie",
    "Julie",
    "Sophie",
    "Brigitte",
    "Jeanne",
    "Odile",
    "Agnès",
    "Josiane",
]
FIRST_M = [
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Christophe",
    "Patrick",
    "Daniel",
    "Bernard",
    "Éric",
    "Laurent",
    "Thomas",
    "Hugo",
    "Lucas",
    "Louis",
    "Gérard",
    "René",
    "Marcel",
    "André",
    "Jacques",
    "Olivier",
    "Stéphane",
    "Mathieu",
]


def last_names() -> list[str]:
    return [a + b + c for a in SYLLABLES_A for b in SYLLABLES_B for c in SYLLABLES_C]


def generate():
    from django.core.management import call_command
    from django.db import connection, transaction

    from parcours.cases.models import Case, Contact
    from parcours.core.models import Organisation, User
    from parcours.core.nomenclatures import Fonction, Mode, Programme
    from parcours.core.reference import load_reference
    from parcours.people.models import Person
    from parcours.people.services import derive_search_keys, set_nir
    from parcours.rules import nir as nir_rules

    call_command("migrate", verbosity=0)
    if not Organisation.objects.filter(code="bench").exists():
        load_reference()
    org, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "Banc d'essai"})
    org.departements.set(DEPARTEMENTS)
    worker, created = User.objects.get_or_create(
        username="bench.as", defaults={"organisation": org, "function": Fonction.AS}
    )
    if created:
        worker.departements.set(["69", "38"])
    existing = Person.objects.filter(organisation=org).count()
    if existing >= PEOPLE:
        return org, worker
    print(
        f"Génération de {PEOPLE:,} personnes (base réutilisée ensuite)…".replace(",", " "),
        flush=True,
    )
    rng = random.Random(SEED)
    names = last_names()
    weights = [1 / (i + 1) ** 0.8 for i in range(len(names))]
    start = time.perf_counter()
    batch = []
    for i in range(existing, PEOPLE):
        sex = rng.choice("FM")
        last = rng.choices(names, weights)[0]
        first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
        birth = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 27000))
        dep = DEPARTEMENTS[i % len(DEPARTEMENTS)]
        phone = f"0{rng.choice('1234567')}{rng.randrange(10**8):08d}"
        base = (
            f"{'1' if sex == 'M' else '2'}{birth.year % 100:02d}{birth.month:02d}{dep[:2]}"
            f"{rng.randrange(1, 999):03d}{i % 1000:03d}"
        )
        nir = f"{base}{nir_rules.compute_key(base):02d}"
        person = Person(
            organisation=org,
            last_name=last,
            first_names=first,
            sex=sex,
            birth_date=birth,
            departement_id=dep,
            phone=phone,
        )
        derive_search_keys(person)
        set_nir(person, nir)
        batch.append(person)
        if len(batch) == 20000:
            with transaction.atomic():
                Person.objects.bulk_create(batch, batch_size=2000)
            batch = []
            done = i + 1
            rate = (done - existing) / (time.perf_counter() - start)
            print(f"  {done:>9,} personnes ({rate:,.0f}/s)".replace(",", " "), flush=True)
    if batch:
        with transaction.atomic():
            Person.objects.bulk_create(batch, batch_size=2000)
    print("Accompagnements et entretiens…", flush=True)
    ids = list(
        Person.objects.filter(organisation=org, departement_id__in=["69", "38"]).values_list(
            "id", "departement_id"
        )[:CASES]
    )
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            [
                Case(
                    organisation=org,
                    person_id=pid,
                    programme=rng.choice(Programme.values),
                    origin="SIGNALEMENT",
                    departement_id=dep,
                    referent=worker,
                    opened_on=datetime.date(2025, 1, 1)
                    + datetime.timedelta(days=rng.randrange(500)),
                )
                for pid, dep in ids
            ],
            batch_size=2000,
        )
    modes = Mode.values
    for chunk in range(0, len(cases), 5000):
        contacts = []
        for case in cases[chunk : chunk + 5000]:
            for _ in range(CONTACTS_PER_CASE):
                contacts.append(
                    Contact(
                        organisation=org,
                        case=case,
                        staff=worker,
                        mode=rng.choice(modes),
                        on=case.opened_on + datetime.timedelta(days=rng.randrange(0, 300)),
                        duration_minutes=30,
                        note="Entretien de suivi.",
                    )
                )
        with transaction.atomic():
            Contact.objects.bulk_create(contacts, batch_size=2000)
    with connection.cursor() as cursor:  # ce que l'autovacuum ferait en production
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"Base générée en {time.perf_counter() - start:.0f} s.", flush=True)
    return org, worker


def write_block(kind: str, vendor: str, table: str) -> None:
    """Remplace dans docs/benchmarks.md le bloc ``<!-- bench:KIND:VENDOR -->`` (ajouté s'il
    manque) par ``table`` : chaque exécution remplace la mesure précédente de sa base."""
    path = ROOT / "docs" / "benchmarks.md"
    marker = f"<!-- bench:{kind}:{vendor} -->"
    content = path.read_text() if path.exists() else INTRO
    block = f"{marker}\n{table}{marker}\n"
    if marker in content:
        before, _, rest = content.partition(marker)
        _, _, after = rest.partition(marker + "\n")
        content = before + block + after
    else:
        content = content.rstrip("\n") + "\n\n" + block
    path.write_text(content)


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(label, func, args_list):
    timings = []
    for args in args_list:
        t0 = time.perf_counter()
        func(*args)
        timings.append((time.perf_counter() - t0) * 1000)
    return {
        "mesure": label,
        "n": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "max_ms": max(timings),
    }


def run():
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from parcours.cases.models import Case
    from parcours.people.models import Person

    org, worker = generate()
    with connection.cursor() as cursor:
        # L'import d'historique d'une mesure précédente ajoute un organisme à la même base :
        # statistiques du planificateur à jour, comme l'autovacuum les tiendrait en production
        # (sinon la jointure des AS référentes de la recherche triple de durée).
        cursor.execute("ANALYZE")
    people_count = Person.objects.filter(organisation=org).count()
    rng = random.Random(7)
    client = Client()
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    sample = list(
        Person.objects.filter(organisation=org, departement_id__in=["69", "38"])
        .order_by("?" if connection.vendor == "postgresql" else "id")
        .values("last_name", "first_names", "birth_date", "phone", "id")[:5000:25]
    )
    queries = []
    for p in sample:
        queries += [
            p["last_name"],
            p["last_name"][:3],
            f"{p['first_names']} {p['last_name']}",
            p["last_name"][:-1] + "e",
            p["last_name"][:2] + p["last_name"][3] + p["last_name"][2] + p["last_name"][4:],
            p["birth_date"].strftime("%d/%m/%Y"),
            p["phone"],
        ]
    rng.shuffle(queries)
    queries = queries[:300]
    search_url = reverse("personnes")

    def search(q):
        response = client.post(search_url, {"q": q}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    case_ids = list(Case.objects.filter(organisation=org).values_list("id", flat=True)[:20000])
    case_sample = [(rng.choice(case_ids),) for _ in range(150)]

    def case_page(pk):
        response = client.get(reverse("accompagnement", args=[pk]))
        assert response.status_code == 200

    person_sample = [(p["id"],) for p in sample[:150]]

    def person_page(pk):
        response = client.get(reverse("personne", args=[pk]))
        assert response.status_code == 200

    for q in queries[:20]:  # échauffement (caches du système et de la base)
        search(q)
    results = [
        measure(
            "recherche de personne (nom, préfixe, prénom+nom, 2 sortes de fautes, date, téléphone)",
            search,
            [(q,) for q in queries],
        ),
        measure("page d'un accompagnement (7 entretiens)", case_page, case_sample),
        measure("fiche d'une personne", person_page, person_sample),
    ]
    write_report(results, people_count, connection.vendor)
    measure_targeting_import()
    history_bench()


TARGETING_ROWS = int(os.environ.get("PARCOURS_BENCH_EXTRACT_ROWS", "100000"))
TARGETING_ORG = "bench-ciblage"


def _targeting_child(mode: str, path: str) -> None:
    """Processus fils : un import, puis temps et pic de mémoire (RSS) en JSON sur stdout."""
    import json
    import resource

    setup_django()
    from parcours.core.models import Organisation
    from parcours.outreach import services

    org = Organisation.objects.get(code=TARGETING_ORG)
    t0 = time.perf_counter()
    run = services.run_sick_leave_extract(
        actor=None,
        organisation=org,
        path=path,
        extraction_date=datetime.date(2026, 6, 1),
        dry_run=mode == "essai",
    )
    seconds = time.perf_counter() - t0
    # VmHWM : pic de mémoire résidente de CE programme (ru_maxrss garde celui du parent
    # d'avant exec sous Linux).
    status = Path("/proc/self/status")
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        peak_mb = int(line.split()[1]) / 1024
    else:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"s": seconds, "mb": peak_mb, "resume": {**run.summary(), "erreurs": 0}}))


def measure_targeting_import():
    """Import d'un extrait d'arrêts de 100 000 lignes : essai puis import réel (< 20 s, < 500 Mo).

    Chaque import tourne dans un processus à part (pic de mémoire résident mesuré par
    ``resource``) ; l'organisme de mesure est vidé avant, pour que l'import réel crée les fiches.
    """
    import json
    import subprocess

    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from parcours.core.models import Organisation
    from parcours.core.reference import load_reference
    from parcours.demo.outreach import generate_extract
    from parcours.outreach.models import TargetingEntry, TargetingRule, TargetingRun
    from parcours.people.models import Person

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        load_reference()
    org, _ = Organisation.objects.get_or_create(
        code=TARGETING_ORG, defaults={"name": "Banc d'essai du ciblage"}
    )
    with transaction.atomic():
        TargetingEntry.objects.filter(organisation=org).delete()
        TargetingRun.objects.filter(organisation=org).delete()
        TargetingRule.objects.filter(organisation=org).delete()
        Person.objects.filter(organisation=org).delete()
    path = ROOT / "var" / "bench-extrait-arrets.csv"
    generate_extract(path, TARGETING_ROWS, seed=SEED)
    rows = []
    for mode, label in (("essai", "essai (rien n'est écrit)"), ("reel", "import réel")):
        out = subprocess.run(  # noqa: S603 (notre propre module)
            [sys.executable, "-m", "parcours.bench", "_ciblage", mode, str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((label, result))
    vendor = connection.vendor
    count = f"{TARGETING_ROWS:,}".replace(",", " ")
    summary = rows[-1][1]["resume"]
    lines = [
        f"### Import de l'extrait d'arrêts — {vendor}, {count} lignes ({_today():%Y-%m-%d})",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}. Import réel : {summary['cibles']} cibles, "
        f"{summary['nouvelles_personnes']} fiches créées, "
        f"{summary['deja_en_accompagnement']} déjà en accompagnement.",
        "",
        "| mesure | durée (s) | cible (s) | mémoire max (Mo) | cible (Mo) | atteinte |",
        "|---|---|---|---|---|---|",
        *(
            f"| {label} | {r['s']:.1f} | < 20 | {r['mb']:.0f} | < 500 | "
            f"{'oui' if r['s'] < 20 and r['mb'] < 500 else 'NON'} |"
            for label, r in rows
        ),
        "",
    ]
    table = "\n".join(lines)
    print(table)
    write_block("ciblage", vendor, table)


INTRO = """# Mesures de performance

Mesurées par `make bench` (`src/parcours/bench/`), jamais par des tests chronométrés. La base
de mesure (`var/bench.sqlite3`, ou `DATABASE_URL=postgres://…/parcours_bench make bench`) compte
1 000 000 de personnes sur 10 départements, 62 500 accompagnements et 437 500 entretiens ; elle
est générée une fois (environ 11 minutes) puis réutilisée. Chaque mesure passe par toute la pile
Django (middleware, politiques d'accès, requêtes, gabarits, journal d'audit) avec le client de
test, pour une AS couvrant 2 départements (200 000 personnes dans son périmètre) ; requêtes de
recherche variées : nom complet, 3 premières lettres, prénom et nom, nom avec faute de frappe,
date de naissance, téléphone. Chaque exécution remplace le bloc de sa base ci-dessous.

"""


def write_report(results, people_count, vendor):
    machine = f"{platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}"
    lines = [
        f"| {r['mesure']} | {r['n']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
        f"{r['max_ms']:.1f} | < 150 | {'oui' if r['p95_ms'] < 150 else 'NON'} |"
        for r in results
    ]
    count = f"{people_count:,}".replace(",", " ")
    header = f"### Recherche et pages — {vendor}, {count} personnes ({_today():%Y-%m-%d})"
    table = "\n".join(
        [
            header,
            "",
            f"Machine : {machine}.",
            "",
            "| mesure | n | p50 (ms) | p95 (ms) | max (ms) | cible p95 (ms) | atteinte |",
            "|---|---|---|---|---|---|---|",
            *lines,
            "",
        ]
    )
    print(table)
    write_block("recherche", vendor, table)


def history_bench(people: int = 40000, contacts: int = 150000, front_line: int = 50000):
    """Import d'un lot d'historique région-année puis rapport JSON de la région (< 60 s, < 2 s).

    Chaque exécution importe dans un nouvel organisme (le journal d'audit interdit d'effacer
    l'ancien) ; le lot est regénéré à l'identique (graine fixe) dans ``var/bench-historique``.
    """
    setup_django()
    import json

    from django.core.management import call_command
    from django.db import connection

    from parcours.core import services as core_services
    from parcours.core.models import Organisation
    from parcours.core.reference import load_reference
    from parcours.steering import bundle, history, report

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        load_reference()
    folder = ROOT / "var" / "bench-historique"
    counts = bundle.generate(folder, people=people, contacts=contacts, front_line=front_line)
    code = f"bench-historique-{int(time.time())}"
    organisation = core_services.create_organisation(  # départements : ceux de la région du lot
        actor=None,
        code=code,
        name="Banc d'essai historique",
        kind=Organisation.Kind.AUTRE,
        region="84",
    )
    t0 = time.perf_counter()
    result = history.run(folder, organisation=organisation, dry_run=False)
    import_s = time.perf_counter() - t0
    assert not result.errors, result.errors[:5]
    t0 = time.perf_counter()
    again = history.run(folder, organisation=organisation, dry_run=False)
    reimport_s = time.perf_counter() - t0
    assert sum(again.created.values()) == 0
    where = report.territory(organisation, region="84")
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        document = report.build(organisation, 2025, where)
        json.dumps(document)
        timings.append(time.perf_counter() - t0)
    rows = [
        ("import d'un lot région-année", import_s, 60),
        ("second import du même lot (rien à créer)", reimport_s, 60),
        ("rapport JSON de la région-année (médiane de 3)", statistics.median(timings), 2),
    ]
    vendor = connection.vendor
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"charge moyenne {load} (machine partagée)"
    )
    lines = [
        f"### Import d'historique et rapport d'activité — {vendor} ({_today():%Y-%m-%d})",
        "",
        f"Machine : {machine}. Lot : "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + f" ; rapport : {document['personnes']['total']} personnes aidées, "
        f"{document['entretiens']['total']} entretiens, "
        f"{len(document['departements'])} départements.",
        "",
        "| mesure | durée (s) | cible (s) | atteinte |",
        "|---|---|---|---|",
        *[
            f"| {label} | {value:.2f} | < {target} | {'oui' if value < target else 'NON'} |"
            for label, value, target in rows
        ],
        "",
    ]
    table = "\n".join(lines)
    print(table)
    write_block("historique", vendor, table)
