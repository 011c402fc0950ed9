"""``parcours rapport-activite`` : JSON sur la sortie standard, XLSX et PDF relus."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from parcours.core.nomenclatures import Mode
from tests.steering.conftest import validate
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(org):
    a = person(org, departement="01")
    contact(case(a, opened=date(2025, 1, 1)), date(2025, 3, 1), Mode.VAD)
    contact(case(a, opened=date(2024, 1, 1)), date(2024, 3, 1), Mode.TELEPHONE)
    b = person(org, departement="69", sex="M")
    contact(case(b, departement="69", opened=date(2025, 1, 1)), date(2025, 3, 1))
    return org


def run(*args):
    out = io.StringIO()
    call_command("rapport-activite", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_to_stdout(data):
    document = json.loads(run("--organisation", data.code, "--annee", "2025"))
    validate(document)
    assert document["personnes"]["total"] == 2
    assert [d["territoire"]["code"] for d in document["departements"]] == ["01", "69"]
    region = json.loads(run("--organisation", data.code, "--annee", "2025", "--region", "84"))
    assert region["territoire"]["niveau"] == "region"
    dep = json.loads(
        run(
            "--organisation",
            data.code,
            "--annee",
            "2025",
            "--departement",
            "69",
            "--format",
            "json",
        )
    )
    assert dep["personnes"]["total"] == 1


def test_json_to_file(data, tmp_path):
    target = tmp_path / "r.json"
    assert run("--organisation", data.code, "--annee", "2025", "--sortie", str(target)) == ""
    validate(json.loads(target.read_text()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "inconnu", "--annee", "2025"], "Organisme inconnu"),
        (["--organisation", "carsat-test", "--annee", "2025", "--region", "99"], "Région inconnue"),
        (["--organisation", "carsat-test", "--annee", "2025", "--format", "pdf"], "--sortie"),
    ],
)
def test_errors_in_french(data, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_xlsx_read_back(data, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "r.xlsx"
    run("--organisation", data.code, "--annee", "2025", "--format", "xlsx", "--sortie", str(target))
    book = load_workbook(target)
    assert book.sheetnames == [
        "Chiffres clés",
        "Population aidée",
        "Entretiens par mode",
        "Personnes par programme",
        "Actions collectives",
        "Signalements par émetteur",
        "PDP — les trois étapes",
        "PDP — profil des personnes",
        "PDP — issues des clôtures",
        "Par département",
        "Évolution sur 5 ans",
    ]
    key = book["Chiffres clés"]
    assert key["A1"].value == "Rapport d'activité 2025 — Carsat carsat-test"
    assert [c.value for c in key[3]] == ["Indicateur", "Valeur"]
    assert [key["A4"].value, key["B4"].value] == ["Personnes aidées", 2]
    assert key["B4"].number_format == "#,##0"
    modes = {
        row[0]: row[1] for row in book["Entretiens par mode"].iter_rows(min_row=4, values_only=True)
    }
    assert modes["Visite à domicile"] == 1 and modes["Réception sur rendez-vous"] == 1
    assert modes["Total"] == 2
    profile = book["PDP — profil des personnes"]
    assert profile["C4"].value == 50.0 and profile["C4"].number_format == "0.0"
    deps = list(book["Par département"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in deps] == ["01 — Ain", "69 — Rhône"]
    history = list(book["Évolution sur 5 ans"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in history] == [
        (2021, 0),
        (2022, 0),
        (2023, 0),
        (2024, 1),
        (2025, 2),
    ]


def test_pdf_read_back(data, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "r.pdf"
    run("--organisation", data.code, "--annee", "2025", "--format", "pdf", "--sortie", str(target))
    reader = PdfReader(target)
    text = [page.extract_text() for page in reader.pages]
    assert "Rapport d'activité 2025" in text[0]
    everything = "\n".join(text)
    for title in (
        "L'année en chiffres",
        "L'activité individuelle",
        "Les programmes",
        "1. Entrer en relation",
        "3. Évaluer",
        "Les moyens",
        "Évolution sur 5 ans",
    ):
        assert title in everything, title
    assert "01 — Ain" in text[-2] and "69 — Rhône" in text[-1]  # one page per département
    assert len(reader.pages) == 11


def test_collective_referrals_and_offers_in_xlsx_and_pdf(data, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from parcours.core.nomenclatures import TypeCollectif
    from tests.steering.factories import action, attend, offer, referral, session

    workshop = session(action(data, type=TypeCollectif.ATELIER), date(2025, 5, 1))
    collective = person(data, name="Collectif")
    attend(workshop, collective)
    attend(workshop, person(data, name="Absent"), present=False)
    referral(collective, date(2025, 2, 1))
    offer(collective, date(2025, 4, 15))
    target = tmp_path / "r.xlsx"
    run("--organisation", data.code, "--annee", "2025", "--format", "xlsx", "--sortie", str(target))
    book = load_workbook(target)
    rows = {r[0]: r[1:] for r in book["Actions collectives"].iter_rows(min_row=4, values_only=True)}
    assert rows["Atelier"] == (1, 1)
    assert rows["Total (1 action)"] == (1, 1)
    referrals = dict(book["Signalements par émetteur"].iter_rows(min_row=4, values_only=True))
    assert referrals["Service médical"] == 1 and referrals["Total"] == 1
    key = dict(book["Chiffres clés"].iter_rows(min_row=4, values_only=True))
    assert key["Personnes aidées"] == 3
    assert key["Offres de service envoyées"] == 1
    assert key["Offres suivies d'une intervention (90 jours)"] == 1
    assert key["Taux de suite des offres (%)"] == 100.0
    pdf = tmp_path / "r.pdf"
    run("--organisation", data.code, "--annee", "2025", "--format", "pdf", "--sortie", str(pdf))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "L'activité collective et la détection" in text
    assert "Signalements par émetteur" in text and "Total (1 action)" in text
