"""Le rapport en tableur (une feuille par tableau) et en PDF (WeasyPrint, graphiques SVG)."""

from io import BytesIO
from pathlib import Path

from parcours.core import clock
from parcours.core.nomenclatures import Mode, Programme
from parcours.core.pdf import render_pdf
from parcours.steering import charts, queries, tables

PDF_CSS = Path(__file__).resolve().parent / "pdf" / "rapport.css"


def xlsx(document: dict, series: list[dict]) -> bytes:
    """Une feuille par tableau, en-têtes en gras et figés, formats de nombres français."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    territory = document["territoire"]
    heading = f"Rapport d'activité {document['annee']} — {territory['libelle']}"
    for table in tables.all_tables(document, series):
        sheet = book.create_sheet(table.sheet)
        sheet.append([heading])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([])
        sheet.append(table.headers)
        for cell in sheet[3]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="000091")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
                elif isinstance(cell.value, int) and not (
                    table.key == "evolution" and cell.column == 1
                ):
                    cell.number_format = "#,##0"
        sheet.freeze_panes = "A4"
        for index, _ in enumerate(table.headers, 1):
            width = 46 if index == 1 else 18
            sheet.column_dimensions[get_column_letter(index)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _departement_page(dep: dict) -> dict:
    e = dep["entretiens"]
    return {
        "document": dep,
        "key_figures": tables.key_figures(dep),
        "programmes": tables.programmes(dep),
        "modes_chart": charts.bars(
            f"Entretiens par mode — {dep['territoire']['libelle']}",
            [(tables.label(Mode, m), e["par_mode"][m]) for m in Mode.values],
            width=620,
        ),
    }


def pdf_context(document: dict, series: list[dict], organisation) -> dict:
    e, p, pdp = document["entretiens"], document["personnes"], document["pdp"]
    years = [s["annee"] for s in series]
    where = document["territoire"]
    from parcours.steering import report

    territory = report.territory(
        organisation,
        region=where["code"] if where["niveau"] == report.REGION else "",
        departement=where["code"] if where["niveau"] == report.DEPARTEMENT else "",
    )
    return {
        "document": document,
        "organisation": organisation,
        "generated_on": clock.today(),
        "tables": {t.key: t for t in tables.all_tables(document, series)},
        "resources": queries.resources(organisation, territory),
        "charts": {
            "people_split": charts.share(
                "Personnes aidées : individuellement, individuellement et collectivement, "
                "collectivement",
                [
                    ("Individuellement seulement", _share(p["individuel_seul"], p["total"])),
                    (
                        "Individuellement et collectivement",
                        _share(p["individuel_et_collectif"], p["total"]),
                    ),
                    ("Collectivement seulement", _share(p["collectif_seul"], p["total"])),
                ],
            ),
            "modes": charts.bars(
                "Entretiens par mode",
                [(tables.label(Mode, m), e["par_mode"][m]) for m in Mode.values],
            ),
            "ages": charts.bars(
                "Personnes aidées par âge au 31 décembre",
                [(tables.AGE_LABELS[k], v) for k, v in p["age"].items()],
            ),
            "programmes": charts.bars(
                "Personnes aidées par programme",
                [
                    (tables.label(Programme, c), v["total"])
                    for c, v in document["programmes"].items()
                ],
            ),
            "evolution_people": charts.evolution(
                "Personnes aidées sur 5 ans",
                years,
                [
                    ("Personnes aidées", [s["personnes"]["total"] for s in series]),
                    ("Accompagnées PDP", [s["pdp"]["accompagnes"] for s in series]),
                ],
            ),
            "evolution_modes": charts.evolution(
                "Entretiens sur 5 ans : réception, domicile, téléphone, visioconférence",
                years,
                [
                    (
                        "Réception",
                        [
                            s["entretiens"]["face_a_face"] - s["entretiens"]["par_mode"]["VAD"]
                            for s in series
                        ],
                    ),
                    ("Domicile", [s["entretiens"]["par_mode"]["VAD"] for s in series]),
                    ("Téléphone", [s["entretiens"]["par_mode"]["TELEPHONE"] for s in series]),
                    ("Visioconférence", [s["entretiens"]["par_mode"]["VISIO"] for s in series]),
                ],
            ),
            "pdp_sex": charts.share(
                "PDP : sexe", [(tables.SEXE_LABELS[k], v) for k, v in pdp["sexe_pct"].items()]
            ),
            "pdp_age": charts.share(
                "PDP : âge", [(tables.AGE_LABELS[k], v) for k, v in pdp["age_pct"].items()]
            ),
            "pdp_risk": charts.share(
                "PDP : risque",
                [
                    (row[1], row[2])
                    for row in tables.pdp_profile(document).rows
                    if row[0] == "Risque"
                ],
            ),
            "pdp_sector": charts.share(
                "PDP : secteur",
                [
                    (row[1], row[2])
                    for row in tables.pdp_profile(document).rows
                    if row[0] == "Secteur"
                ],
            ),
            "pdp_outcomes": charts.share(
                "PDP : issues des accompagnements clos",
                [(row[0], row[1]) for row in tables.pdp_outcomes(document).rows],
            ),
        },
        "departements": [_departement_page(dep) for dep in document["departements"]],
        "face_share": _share(e["face_a_face"], e["total"]),
    }


def _share(part: int, whole: int) -> float:
    from parcours.rules.report import pct

    return pct(part, whole)


def pdf(document: dict, series: list[dict], organisation) -> bytes:
    return render_pdf(
        "steering/rapport_pdf.html",
        pdf_context(document, series, organisation),
        stylesheet=PDF_CSS,
    )
