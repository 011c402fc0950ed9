"""``python -m parcours.bench purge`` (``make bench MESURE=purge``) : la purge de conservation
à côté de son plancher.

Base : ``var/bench-purge.sqlite3`` (neuve à chaque mesure) ou ``DATABASE_URL`` ; la démonstration
de ``N`` personnes (700 par défaut : environ 2 900 fiches avec l'historique importé), la durée des
dossiers clos mise à 0 an pour que tout dossier clos dormant soit dû. Mesurés dans le processus :

- l'essai à blanc (``purge.purge(dry_run=True)``) : la sélection de ce qui est dû, en lectures ;
- le plancher : les mêmes effacements (identité, coordonnées, date de naissance ramenée au
  1er juillet, textes libres de chaque sous-domaine) des mêmes personnes, en SQL écrit à la main,
  une requête par table, une seule transaction, sans journal — puis annulés (``ROLLBACK``) pour
  laisser la base à la purge ;
- la purge réelle (``purge.purge(dry_run=False)``) : lots de 50 personnes, une transaction et une
  ligne du journal par personne.
"""

import os
import platform
import time

from parcours.bench.pages import ROOT, _today, write_block

CODE = "carsat-demo"

#: (table, colonnes effacées, chemin vers la personne) — les textes libres de
#: ``privacy.services.anonymise``, écrits ici à la main pour le plancher
ERASED = [
    ("cases_case", ["synthesis"], "person_id IN (SELECT id FROM bench_due)"),
    ("cases_contact", ["note"], "case_id IN (SELECT id FROM cases_case WHERE {case})"),
    ("cases_objective", ["label"], "case_id IN (SELECT id FROM cases_case WHERE {case})"),
    ("cases_privatenote", ["text"], "case_id IN (SELECT id FROM cases_case WHERE {case})"),
    ("aid_evaluation", ["situation"], "person_id IN (SELECT id FROM bench_due)"),
    (
        "aid_planline",
        ["note"],
        "evaluation_id IN (SELECT id FROM aid_evaluation WHERE person_id IN "
        "(SELECT id FROM bench_due))",
    ),
    ("aid_aidrequest", ["opinion", "decision_reason"], "person_id IN (SELECT id FROM bench_due)"),
    (
        "aid_overpayment",
        ["reason"],
        "request_id IN (SELECT id FROM aid_aidrequest WHERE person_id IN "
        "(SELECT id FROM bench_due))",
    ),
    (
        "outreach_referral",
        ["emitter_name", "emitter_address", "reason"],
        "person_id IN (SELECT id FROM bench_due)",
    ),
    ("outreach_frontlinecontact", ["reason", "message"], "person_id IN (SELECT id FROM bench_due)"),
    ("outreach_appointmentrequest", ["reason"], "person_id IN (SELECT id FROM bench_due)"),
    (
        "sharing_consent",
        ["representative_name", "purpose", "withdrawal_reason"],
        "person_id IN (SELECT id FROM bench_due)",
    ),
    ("sharing_disclosure", ["label"], "person_id IN (SELECT id FROM bench_due)"),
    ("sharing_sharedpathway", ["label", "outcome"], "person_id IN (SELECT id FROM bench_due)"),
    (
        "sharing_pathwaystep",
        ["text"],
        "pathway_id IN (SELECT id FROM sharing_sharedpathway WHERE person_id IN "
        "(SELECT id FROM bench_due))",
    ),
    (
        "sharing_pathwaysynthesis",
        ["text"],
        "pathway_id IN (SELECT id FROM sharing_sharedpathway WHERE person_id IN "
        "(SELECT id FROM bench_due))",
    ),
    (
        "sharing_orientation",
        ["request", "answer_comment"],
        "person_id IN (SELECT id FROM bench_due)",
    ),
    (
        "sharing_orientationevent",
        ["comment"],
        "orientation_id IN (SELECT id FROM sharing_orientation WHERE person_id IN "
        "(SELECT id FROM bench_due))",
    ),
]
IDENTITY = [
    "last_name",
    "birth_name",
    "first_names",
    "address",
    "postal_code",
    "phone",
    "email",
    "language",
    "nir_encrypted",
    "nir_hash",
    "nir_masked",
    "last_name_key",
    "birth_name_key",
    "first_name_key",
    "name_phonetic",
    "phone_digits",
]


def _setup(people: int) -> str:
    path = ROOT / "var" / "bench-purge.sqlite3"
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
    call_command("demo", personnes=people, reinitialiser=True, stdout=devnull)
    with connection.cursor() as cursor:  # les statistiques du planificateur, comme en service
        cursor.execute("ANALYZE")
    return connection.vendor


def _floor(ids: list[int], today) -> float:
    """Les effacements de la purge sur ``ids`` en SQL écrit à la main, une transaction, puis
    annulés ; rend la durée en secondes."""
    from django.db import connection, transaction

    kept_day = (
        "date(strftime('%Y', birth_date) || '-07-01')"
        if connection.vendor == "sqlite"
        else "make_date(CAST(EXTRACT(YEAR FROM birth_date) AS integer), 7, 1)"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_due (id bigint PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_due (id) VALUES (%s)", [(pk,) for pk in ids])
        erased = ", ".join(f"{column} = ''" for column in IDENTITY)
        cursor.execute(
            f"UPDATE people_person SET {erased}, birth_date = {kept_day}, "  # noqa: S608
            "anonymised_on = %s, version = version + 1 WHERE id IN (SELECT id FROM bench_due)",
            [today],
        )
        case = "person_id IN (SELECT id FROM bench_due)"
        for table, columns, where in ERASED:
            sets = ", ".join(f"{column} = ''" for column in columns)
            cursor.execute(f"UPDATE {table} SET {sets} WHERE {where.format(case=case)}")  # noqa: S608
        cursor.execute(
            "UPDATE groups_answer SET text = '' WHERE text <> '' AND response_id IN ("
            "SELECT r.id FROM groups_response r JOIN groups_invitation i ON i.id = r.invitation_id"
            " WHERE i.person_id IN (SELECT id FROM bench_due))"
        )
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_due")
        transaction.set_rollback(True)
    return seconds


def run(people: int = 700) -> int:
    vendor = _setup(people)
    from parcours.core.models import Organisation
    from parcours.privacy.models import RetentionRules
    from parcours.privacy.services import purge, selection
    from parcours.privacy.services.anonymise import with_duplicates
    from parcours.privacy.services.cutoffs import cutoffs

    organisation = Organisation.objects.get(code=CODE)
    RetentionRules.objects.update_or_create(
        organisation=organisation, defaults={"closed_files_years": 0}
    )
    today = _today()
    rules = RetentionRules.objects.get(organisation=organisation)
    due = selection.closed_files(organisation.pk, cutoffs(rules, today).closed_files)
    ids = with_duplicates(due)

    started = time.perf_counter()
    trial = purge.purge(organisation=organisation, dry_run=True)
    trial_seconds = time.perf_counter() - started
    floor_seconds = _floor(list(ids), today)
    started = time.perf_counter()
    done = purge.purge(organisation=organisation, dry_run=False)
    real_seconds = time.perf_counter() - started
    assert done.closed_files == trial.closed_files, (done, trial)

    rows = [
        ("essai à blanc (sélection de ce qui est dû, lectures seules)", trial_seconds),
        ("plancher : les mêmes effacements en SQL à la main, une transaction", floor_seconds),
        ("purge réelle (lots de 50, une ligne du journal par personne)", real_seconds),
    ]
    for label, seconds in rows:
        print(f"{label} : {seconds * 1000:.0f} ms", flush=True)
    lines = [
        f"### Purge de conservation — {vendor} ({today.isoformat()})",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()} ; démonstration de {people} personnes (et l'historique "
        f"importé), durée des dossiers clos à 0 an : {done.closed_files} personnes anonymisées "
        f"({len(ids)} fiches avec leurs doublons fusionnés) ; une seule mesure de chaque (la "
        "purge réelle ne se rejoue pas sur la même base), dans le processus.",
        "",
        "| Mesure | durée |",
        "|---|---:|",
        *(f"| {label} | {seconds * 1000:.0f} ms |" for label, seconds in rows),
        "",
    ]
    write_block("purge", vendor, "\n".join(lines))
    return 0
