"""Une purge tuée net (SIGKILL) au milieu d'un lot d'anonymisation, puis relancée : aucune fiche
à moitié anonymisée, et la reprise finit le travail (même principe que
tests/test_import_crash_safety.py : la vraie commande dans un processus à part, sur une base à
elle — fichier SQLite ou base PostgreSQL ``…_crash`` — relue directement)."""

import json

from parcours.privacy.services import purge
from tests.test_import_crash_safety import Base, killed_at

ORG = "carsat-demo"
PEOPLE = """
    SELECT p.id, p.last_name, p.anonymised_on IS NOT NULL,
           (SELECT COUNT(*) FROM cases_contact c JOIN cases_case k ON k.id = c.case_id
            WHERE k.person_id = p.id AND c.note <> ''),
           (SELECT COUNT(*) FROM cases_case k WHERE k.person_id = p.id AND k.synthesis <> '')
    FROM people_person p JOIN core_organisation o ON o.id = p.organisation_id
    WHERE o.code = 'carsat-demo' ORDER BY p.id
"""


def people(base: Base) -> dict[int, tuple]:
    if base.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(base.sqlite_path) as conn:
            rows = conn.execute(PEOPLE).fetchall()
    else:
        import psycopg

        with psycopg.connect(base.url) as conn:
            rows = conn.execute(PEOPLE).fetchall()
    return {pk: (name, bool(done), notes, syntheses) for pk, name, done, notes, syntheses in rows}


def execute(base: Base, sql: str) -> None:
    if base.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(base.sqlite_path) as conn:
            conn.execute(sql)
        return
    import psycopg

    with psycopg.connect(base.url) as conn:
        conn.execute(sql)


def test_a_killed_purge_leaves_no_person_half_anonymised_and_a_rerun_finishes(tmp_path):
    base = Base(tmp_path)
    base.run("init", "--organisation", "crash", "--nom", "Essai de coupure", "--region", "84")
    base.run("demo", "--personnes", "200")
    # every dormant closed file due today: many batches to anonymise (the demo has saved the
    # organisation's rules already)
    execute(
        base,
        "UPDATE privacy_retentionrules SET closed_files_years = 0 WHERE organisation_id = "
        f"(SELECT id FROM core_organisation WHERE code = '{ORG}')",
    )
    args = ["rgpd", "purger", "--organisation", ORG, "--format", "json"]
    trial = json.loads(base.run(*args, "--essai").stdout)
    assert trial["personnes_anonymisees"] > 2 * purge.BATCH
    before = people(base)

    killed_at(base, purge.CRASH_POINT, *args)

    after = people(base)
    assert after.keys() == before.keys()
    done = {pk for pk, row in after.items() if row[1]}
    # the first batch committed, the second one (killed mid-way) left nothing
    assert 0 < len(done) < trial["personnes_anonymisees"]
    for pk, (name, anonymised, notes, syntheses) in after.items():
        if anonymised:
            assert (name, notes, syntheses) == ("", 0, 0), pk
        else:
            assert (name, anonymised, notes, syntheses) == before[pk], pk
    assert base.count("SELECT COUNT(*) FROM privacy_purgerun WHERE finished_at IS NULL") == 1

    rerun = json.loads(base.run(*args).stdout)
    assert rerun["personnes_anonymisees"] == trial["personnes_anonymisees"] - len(done)
    finished = people(base)
    anonymised = {pk for pk, row in finished.items() if row[1]}
    assert len(anonymised) >= trial["personnes_anonymisees"]
    assert all(finished[pk] == ("", True, 0, 0) for pk in anonymised)
    again = json.loads(base.run(*args).stdout)
    assert again["personnes_anonymisees"] == 0
    assert base.count("SELECT COUNT(*) FROM privacy_purgerun WHERE finished_at IS NOT NULL") == 2
