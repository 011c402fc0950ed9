"""``parcours rgpd extrait`` : l'extrait pseudonymisé (formats.md §8), relu en CSV et Parquet."""

import csv
import io
import os
import resource
import signal
import stat
from datetime import date

import duckdb
import pytest
from django.core.management import CommandError, call_command

from parcours.cases.models import ContactAction, ContactProblem
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Mode, Programme
from parcours.privacy.queries import extract as queries
from parcours.privacy.services import extract as services
from parcours.rules import report as report_rules
from parcours.rules.secrecy import TOTAL
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db

COLUMNS = [
    "pseudonyme",
    "sexe",
    "tranche_age",
    "departement",
    "programme",
    "mode",
    "date",
    "duree_minutes",
    "actions",
    "problematiques",
]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("rgpd", "extrait", *args, stdout=out, stderr=err)
    return out.getvalue()


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def data(org, other_org):
    """Claire (01, née le 31/12/1979 : 46 ans au 31/12/2025) : deux entretiens en 2025 dans un
    accompagnement du 69, un en 2024 ; Paul (née le 01/01/1980 : 45 ans) : un entretien ; un
    entretien d'un autre organisme."""
    claire = person(org, born=date(1979, 12, 31), departement="01", name="Dupont-Secret")
    claire.nir_masked = "2 79 12 01 *** *** **"
    claire.address = "12 rue des Lilas"
    claire.save()
    pdp = case(claire, departement="69", programme=Programme.PDP, opened=date(2024, 6, 1))
    first = contact(pdp, date(2025, 3, 1), Mode.VAD)
    first.duration_minutes = 45
    first.note = "Note libre très personnelle"
    first.save()
    ContactAction.objects.create(contact=first, code="INFO_ORIENTATION")
    ContactAction.objects.create(contact=first, code="EVALUATION_BESOINS")
    ContactProblem.objects.create(contact=first, code="SANTE")
    contact(pdp, date(2025, 12, 31), Mode.TELEPHONE)
    contact(pdp, date(2024, 12, 31), Mode.TELEPHONE)
    paul = person(org, sex="M", born=date(1980, 1, 1), departement="01", name="Martin")
    contact(case(paul, programme=Programme.DEUIL, opened=date(2025, 1, 1)), date(2025, 1, 1))
    stranger = person(other_org, departement="01")
    contact(case(stranger, opened=date(2025, 1, 1)), date(2025, 2, 1))
    return {"org": org, "claire": claire, "paul": paul}


def test_one_row_per_contact_of_the_year_with_exactly_the_columns(data):
    text = run("--organisation", "carsat-test", "--annee", "2025")
    assert text.splitlines()[0] == ";".join(COLUMNS)
    rows = read_csv(text)
    assert [(r["date"], r["mode"]) for r in rows] == [
        ("2025-01-01", "RECEPTION_RDV"),
        ("2025-03-01", "VAD"),
        ("2025-12-31", "TELEPHONE"),
    ]
    paul, first, last = rows
    assert {k: v for k, v in first.items() if k != "pseudonyme"} == {
        "sexe": "F",
        "tranche_age": "46_59",  # 46 ans au 31 décembre 2025
        "departement": "69",  # le département de l'accompagnement, pas celui de la personne
        "programme": "PDP",
        "mode": "VAD",
        "date": "2025-03-01",
        "duree_minutes": "45",
        "actions": "EVALUATION_BESOINS|INFO_ORIENTATION",
        "problematiques": "SANTE",
    }
    assert (last["duree_minutes"], last["actions"], last["problematiques"]) == ("", "", "")
    assert (paul["sexe"], paul["tranche_age"], paul["programme"]) == ("M", "26_45", "DEUIL")
    assert first["pseudonyme"] == last["pseudonyme"] != paul["pseudonyme"]
    assert len(first["pseudonyme"]) == 24 and first["pseudonyme"].isalnum()
    # la population est celle du rapport d'activité (entretiens de l'année, §5)
    from parcours.steering import report

    document = report.build(data["org"], 2025, report.territory(data["org"]))
    assert len(rows) == document["entretiens"]["total"]
    assert len({r["pseudonyme"] for r in rows}) == document["personnes"]["total"]


def test_age_band_is_the_report_rule(data):
    rows = read_csv(run("--organisation", "carsat-test", "--annee", "2025"))
    for who, row in ((data["claire"], rows[1]), (data["paul"], rows[0])):
        age = report_rules.age_on_dec31(who.birth_date, 2025)
        assert row["tranche_age"] == report_rules.age_band(age)


def test_nothing_personal_in_the_file(data, tmp_path):
    target = tmp_path / "e.csv"
    run("--organisation", "carsat-test", "--annee", "2025", "--sortie", str(target))
    text = target.read_text()
    for secret in (
        "Dupont",
        "Claire",
        "1979-12-31",
        "1980-01-01",
        "Lilas",
        "Note libre",
        "*** ***",
    ):
        assert secret not in text
    ids = {str(data["claire"].pk), str(data["paul"].pk)}
    assert not {r["pseudonyme"] for r in read_csv(text)} & ids
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def pseudonyms(*args):
    return [r["pseudonyme"] for r in read_csv(run("--organisation", "carsat-test", *args))]


def test_new_key_each_extract_unless_kept(data, tmp_path):
    one, two = pseudonyms("--annee", "2025"), pseudonyms("--annee", "2025")
    assert one[1] == one[2] and two[1] == two[2]
    assert not set(one) & set(two)
    key = tmp_path / "cle.txt"
    kept = pseudonyms("--annee", "2025", "--cle", str(key))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    content = key.read_text()
    assert len(content.strip()) == 64
    assert pseudonyms("--annee", "2025", "--cle", str(key)) == kept
    assert key.read_text() == content  # gardée, pas réécrite
    # d'une année à l'autre avec la même clé, la même personne garde son pseudonyme
    assert pseudonyms("--annee", "2024", "--cle", str(key)) == [kept[1]]
    # la clé n'est ni au journal ni dans le fichier
    for entry in AuditEntry.objects.filter(object_type="export"):
        assert content.strip() not in str(entry.changes) + entry.summary


def test_pseudonym_is_a_keyed_hash_of_the_internal_id(data):
    key = bytes(range(32))
    pseudonym = services.pseudonymiser(key)
    import base64
    import hashlib
    import hmac

    digest = hmac.new(key, b"parcours.extrait/1:42", hashlib.sha256).digest()
    assert pseudonym(42) == base64.b32encode(digest[:15]).decode().lower()
    assert pseudonym(42) != services.pseudonymiser(bytes(32))(42)


def test_key_file_errors(data, tmp_path, settings):
    loose = tmp_path / "large.txt"
    loose.write_text("ab" * 32)
    loose.chmod(0o644)
    with pytest.raises(CommandError, match="lisible par d'autres"):
        run("--organisation", "carsat-test", "--annee", "2025", "--cle", str(loose))
    bad = tmp_path / "mauvaise.txt"
    bad.write_text("pas une clé")
    bad.chmod(0o600)
    with pytest.raises(CommandError, match="ne contient pas une clé d'extrait"):
        run("--organisation", "carsat-test", "--annee", "2025", "--cle", str(bad))
    nir = tmp_path / "nir.txt"
    nir.write_text(settings.PARCOURS_NIR_HMAC_KEY)
    nir.chmod(0o600)
    with pytest.raises(CommandError, match="clé du NIR"):
        run("--organisation", "carsat-test", "--annee", "2025", "--cle", str(nir))


def test_parquet_read_back(data, tmp_path):
    key = tmp_path / "cle"
    target = tmp_path / "e.parquet"
    args = ("--organisation", "carsat-test", "--annee", "2025", "--cle", str(key))
    rows = read_csv(run(*args))
    run(*args, "--format", "parquet", "--sortie", str(target))
    con = duckdb.connect()
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(target)]).fetchall()
    assert [(c[0], c[1]) for c in described] == [
        (name, {"date": "DATE", "duree_minutes": "INTEGER"}.get(name, "VARCHAR"))
        for name in COLUMNS
    ]
    back = con.execute("SELECT * FROM read_parquet(?)", [str(target)]).fetchall()
    assert back[1][0] == rows[1]["pseudonyme"]
    assert back[1][6:] == (date(2025, 3, 1), 45, "EVALUATION_BESOINS|INFO_ORIENTATION", "SANTE")
    assert back[2][7:] == (None, None, None)
    assert len(back) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cle", "e.parquet"]  # rien de temporaire


def test_audited_who_what_how_many(data, tmp_path):
    before = AuditEntry.objects.count()
    run("--organisation", "carsat-test", "--annee", "2025", "--sortie", str(tmp_path / "a.csv"))
    run(
        "--organisation", "carsat-test", "--annee", "2025", "--cle", str(tmp_path / "k"),
        "--agregats", "departement", "--format", "parquet", "--sortie", str(tmp_path / "b.pq"),
    )  # fmt: skip
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.actor_id, e.organisation_id) for e in entries] == [
        (AuditEntry.Action.EXPORT, None, data["org"].pk)
    ] * 2
    rows, aggregated = entries
    assert rows.summary == "Extrait pseudonymisé 2025, ligne de commande (2 personnes)"
    assert rows.changes["lignes"] == 3 and rows.changes["entretiens"] == 3
    assert rows.changes["cle_conservee"] is False
    assert rows.changes["criteres"] == {
        "annee": 2025,
        "format": "csv",
        "agregats": [],
        "origine": "ligne de commande",
    }
    assert aggregated.changes["cle_conservee"] is True
    assert aggregated.changes["criteres"]["agregats"] == ["departement"]
    assert aggregated.summary.startswith("Agrégats de l'extrait pseudonymisé 2025")


def test_rows_stream_by_chunks_in_the_same_order(data):
    for _i in range(7):  # même date : la pagination par clé passe aussi par l'identifiant
        contact(case(data["paul"], opened=date(2025, 1, 1)), date(2025, 3, 1))
    pseudonym = services.pseudonymiser(bytes(32))
    stream = queries.rows(data["org"], 2025, pseudonym, chunk=2)
    assert iter(stream) is stream  # un itérateur, pas une liste
    by_two = list(stream)
    assert by_two == list(queries.rows(data["org"], 2025, pseudonym, chunk=1000))
    assert len(by_two) == 10


# ------------------------------------------------------------------ agrégats


@pytest.fixture
def crowd(org):
    """01 : 11 personnes (PDP) ; 69 : 10 personnes (PDP) ; 38 : 12 personnes (DEUIL), chacune
    avec deux entretiens dans l'année."""
    for dep, n, programme in (("01", 11, "PDP"), ("69", 10, "PDP"), ("38", 12, "DEUIL")):
        for i in range(n):
            someone = person(org, departement=dep, name=f"N{dep}{i}")
            c = case(someone, programme=programme, opened=date(2025, 1, 1))
            contact(c, date(2025, 2, 1))
            contact(c, date(2025, 5, 1))
    return org


def test_aggregates_ten_masked_eleven_published(crowd, tmp_path):
    target = tmp_path / "a.csv"
    run(
        "--organisation", "carsat-test", "--annee", "2025", "--agregats", "departement",
        "--sortie", str(target),
    )  # fmt: skip
    rows = read_csv(target.read_text())
    assert list(rows[0]) == ["departement", "personnes", "entretiens", "secret"]
    assert [tuple(r.values()) for r in rows] == [
        ("01", "", "", "1"),  # 11 personnes, mais seule avec 69 elle le révélerait par le total
        ("38", "12", "24", "0"),
        ("69", "", "", "1"),  # 10 personnes : masquée
        (TOTAL, "33", "66", "0"),
    ]


def test_aggregates_two_dimensions_and_parquet(crowd, tmp_path):
    target = tmp_path / "a.parquet"
    run(
        "--organisation", "carsat-test", "--annee", "2025", "--agregats",
        "departement,programme", "--format", "parquet", "--sortie", str(target),
    )  # fmt: skip
    back = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(target)]).fetchall()
    cells = {(r[0], r[1]): r[2:] for r in back}
    assert cells[("38", "DEUIL")] == (12, 24, 0)
    assert cells[("69", "PDP")] == (None, None, 1)
    assert cells[("01", "PDP")] == (None, None, 1)  # secret secondaire (colonne PDP)
    assert cells[(TOTAL, "PDP")] == (21, 42, 0)
    assert cells[(TOTAL, TOTAL)] == (33, 66, 0)


# ------------------------------------------------------------------ erreurs


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "inconnu", "--annee", "2025"], "Organisme inconnu : « inconnu »"),
        (["--annee", "25"], "n'est pas une année sur quatre chiffres"),
        (["--annee", "deux"], "n'est pas une année sur quatre chiffres"),
        (["--annee", "2999"], "est dans le futur"),
        (["--annee", "2025", "--format", "xlsx"], "choisissez csv ou parquet"),
        (["--annee", "2025", "--format", "parquet"], "indiquez le fichier à écrire"),
        (["--annee", "2025", "--agregats", "nom"], "dimensions possibles"),
        (["--annee", "2025", "--agregats", "mode,mode"], "deux fois"),
        (["--annee", "2025", "--sortie", "/pas/de/dossier/e.csv"], "n'existe pas"),
        (["--annee", "2025", "--sortie", "/proc/extrait.csv"], "Écriture impossible"),
        (["--annee", "2025", "--sortie", "/tmp"], "est un dossier"),
    ],
)
def test_bad_input_in_french(data, args, message):
    if "--organisation" not in args:
        args = ["--organisation", "carsat-test", *args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_failure_mid_write_leaves_nothing_and_keeps_the_old_file(data, tmp_path):
    for _i in range(300):
        contact(case(data["paul"], opened=date(2025, 1, 1)), date(2025, 4, 1))
    target, key = tmp_path / "e.csv", tmp_path / "cle"
    target.write_text("ancien extrait\n")
    before = AuditEntry.objects.count()
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, limit[1]))  # le disque « se remplit »
    try:
        with pytest.raises(CommandError, match="Écriture impossible"):
            run(
                "--organisation", "carsat-test", "--annee", "2025", "--sortie", str(target),
                "--cle", str(key),
            )  # fmt: skip
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, handler)
    assert target.read_text() == "ancien extrait\n"
    assert sorted(os.listdir(tmp_path)) == ["e.csv"]  # ni fichier temporaire, ni clé
    assert AuditEntry.objects.count() == before
