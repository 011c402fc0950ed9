"""Injection de formule : chaque fichier CSV ou XLSX que Parcours écrit passe par
``core.tabular``, qui désarme les cellules commençant par ``=``, ``+``, ``-``, ``@``, une
tabulation ou un retour chariot ; ce que Parcours relit de ses propres fichiers reprend la
valeur d'origine (``restore``)."""

import ast
import csv
import datetime
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from parcours.aid import services as aid_services
from parcours.core import clock
from parcours.core.tabular import FORMULA_PREFIXES, TableWriter, neutralise, restore, write_csv
from parcours.groups.models import Question, Questionnaire
from parcours.people.models import Person
from tests.aid.factories import install_catalogue, ready_request
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.rules.test_aggir import VARIABLES
from tests.steering.test_exports_aid_satisfaction import satisfaction_data  # noqa: F401

#: les valeurs piégées de la revue de sécurité, une par caractère dangereux
PAYLOADS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"]

SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"


def dangerous(cells) -> list[str]:
    return [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_PREFIXES)]


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


# ---------------------------------------------------------------- l'écrivain


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_dangerous_cell_is_prefixed_and_restored_to_the_letter(payload):
    assert neutralise(payload) == "'" + payload
    assert restore(neutralise(payload)) == payload


@pytest.mark.parametrize("value", ["Martin", "'déjà cité", "", "2026-06-15", "161.85", "a=b"])
def test_a_harmless_cell_is_left_alone_both_ways(value):
    assert neutralise(value) == value and restore(value) == value


def test_numbers_and_empty_cells_pass_unchanged():
    assert [neutralise(v) for v in (-2, 1.5, None, D("-3"))] == [-2, 1.5, None, D("-3")]


def test_csv_writer_neutralises_header_and_rows_and_keeps_the_format():
    out = io.StringIO()
    assert write_csv(out, ["id", "=h"], [["B1", p] for p in PAYLOADS]) == len(PAYLOADS)
    text = out.getvalue()
    assert text.startswith('id;\'=h\nB1;"\'=HYPERLINK(""http://x"")"\nB1;\'+1\n')  # « ; », \n, "
    assert '"B1";"\'\rx"\n' in text  # un retour chariot : la ligne entre guillemets
    assert dangerous(csv_cells(text)) == []
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert [restore(r[1]) for r in rows] == PAYLOADS


def _writers_outside_tabular() -> list[str]:
    """Tout appel à ``csv.writer``/``csv.DictWriter`` ou à ``Workbook`` (openpyxl), toute
    importation de ``Workbook``, ailleurs que dans ``core/tabular.py``."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "core" / "tabular.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = ""
            if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"}:
                if isinstance(node.value, ast.Name) and node.value.id == "csv":
                    name = f"csv.{node.attr}"
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                name = ", ".join(a.name for a in node.names if a.name == "Workbook")
            elif isinstance(node, ast.ImportFrom) and node.module == "csv":
                name = ", ".join(a.name for a in node.names if a.name in {"writer", "DictWriter"})
            elif isinstance(node, ast.Attribute) and node.attr == "Workbook":
                name = "openpyxl.Workbook"
            if name:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
    return found


def test_no_csv_or_xlsx_writer_outside_core_tabular():
    """Un nouvel export qui écrirait son CSV ou son classeur lui-même échoue ici."""
    assert _writers_outside_tabular() == []


def test_the_guard_sees_an_ad_hoc_writer(tmp_path, monkeypatch):
    rogue = tmp_path / "parcours" / "rogue.py"
    rogue.parent.mkdir()
    rogue.write_text(
        "import csv\nfrom openpyxl import Workbook\ncsv.writer(None)\n", encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.SRC", rogue.parent)
    assert _writers_outside_tabular() == ["rogue.py:2 Workbook", "rogue.py:3 csv.writer"]


# ---------------------------------------------------------------- chaque export, téléchargé


@pytest.mark.django_db
def test_payments_csv_download_has_no_formula(client, org):
    as01 = UserFactory(organisation=org, social_worker=True, departements=["01"])
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    install_catalogue(org, UserFactory(organisation=org, admin=True, departements=[]))
    stored = []
    for payload in PAYLOADS:
        person = make_person(
            org=org, actor=as01, departement="01", last_name=payload, first_names=payload
        )
        stored += [person.last_name, person.first_names]
        request = ready_request(person=person, actor=as01)
        request = aid_services.decide(
            actor=manager, request=request, decision="accorder", amount=D("100"), reason="Oui."
        )
        aid_services.record_payment(
            actor=manager,
            request=request,
            amount=D("100"),
            paid_on=clock.today(),
            payee="PRESTATAIRE",
            payee_name=payload,
        )
    assert dangerous(stored)  # les noms piégés sont bien en base, tels quels
    login_as(client, manager)
    response = client.get(reverse("aides-paiements-csv") + f"?annee={clock.today().year}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    cells = csv_cells(response.content.decode("utf-8"))
    assert len(cells) == 9 * (len(PAYLOADS) + 1)
    assert dangerous(cells) == []
    assert set(dangerous(stored)) <= {restore(c) for c in cells}


@pytest.mark.django_db
def test_report_xlsx_download_has_no_formula(client, satisfaction_data):  # noqa: F811
    org = satisfaction_data
    Questionnaire.objects.filter(organisation=org).update(title=PAYLOADS[0])
    for question, payload in zip(Question.objects.all(), PAYLOADS[1:], strict=False):
        question.text = payload
        question.save(update_fields=["text"])
    login_as(client, UserFactory(organisation=org, steering=True, departements=["01", "69"]))
    with clock.frozen(datetime.datetime(2026, 12, 31, 10, tzinfo=datetime.UTC)):
        response = client.get(
            reverse("pilotage-export", args=["xlsx"]) + "?annee=2026&territoire=organisme"
        )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Satisfaction" in book.sheetnames and dangerous(cells) == []
    assert "'" + PAYLOADS[0] in cells and "'+1" in cells


def _gir(text: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("gir", stdin=io.StringIO(text), stdout=out, stderr=err)
    return out.getvalue()


def test_gir_output_has_no_formula_and_reads_back_as_the_original():
    source = io.StringIO()
    write_csv(source, ["ref", *VARIABLES], ([r, *"A" * 10] for r in PAYLOADS))
    out = _gir(source.getvalue())
    cells = csv_cells(out)
    assert dangerous(cells) == [] and len(cells) == 13 * (len(PAYLOADS) + 1)
    again = _gir(out)  # le fichier rendu se relit : mêmes références, mêmes GIR
    assert again == out
    refs = [restore(r[0]) for r in csv.reader(io.StringIO(out), delimiter=";")][1:]
    assert refs == PAYLOADS


@pytest.mark.django_db
def test_history_bundle_written_by_tabular_reads_back_the_original_names(org, tmp_path):
    folder = tmp_path / "lot"
    folder.mkdir()
    with (folder / "beneficiaires.csv").open("w", encoding="utf-8", newline="") as f:
        writer = TableWriter(f, ["id", "nom", "prenom", "sexe", "date_naissance", "departement"])
        for i, payload in enumerate(PAYLOADS):
            writer.row([f"B{i}", payload, "Claire", "F", "1970-05-17", "01"])
    assert dangerous(csv_cells((folder / "beneficiaires.csv").read_text(encoding="utf-8"))) == []
    call_command(
        "importer-historique",
        str(folder),
        "--organisation",
        org.code,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    names = set(Person.objects.filter(organisation=org).values_list("last_name", flat=True))
    assert names == {p.strip() for p in PAYLOADS}
