"""Le rapport en tableur (une feuille par tableau) et en PDF (WeasyPrint, graphiques SVG)."""

from decimal import Decimal
from pathlib import Path

from parcours.core import clock, tabular
from parcours.core.nomenclatures import Mode, Programme
from parcours.core.pdf import render_pdf
from parcours.steering import charts, queries, tables

PDF_CSS = Path(__file__).resolve().parent / "pdf" / "rapport.css"


EUROS_FORMAT = '#,##0.00 "€"'
PCT_FORMAT = '0.0" %"'


def aid_figures(organisation, year: int, departements=None) -> dict | None:
    """Aides individuelles du territoire et de l'année (agrégats SQL) ; ``None`` sans aucune
    demande reçue ni décidée dans l'année."""
    from django.db.models import Count, Q, Sum

    from parcours.aid import queries as aid_queries
    from parcours.aid.models import AidRequest, Payment, RequestEvent
    from parcours.rules import aid_workflow as wf
    from parcours.rules.report import year_bounds

    start, end = year_bounds(year)
    requests = AidRequest.objects.filter(organisation=organisation)
    payments = Payment.objects.filter(
        organisation=organisation, paid_on__gte=start, paid_on__lte=end
    )
    if departements is not None:
        requests = requests.filter(departement_id__in=list(departements))
        payments = payments.filter(request__departement_id__in=list(departements))
    granted_states = [wf.ACCORDEE, wf.PAYEE]
    decided = Q(decided_on__gte=start, decided_on__lte=end)
    figures = requests.aggregate(
        received=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
        granted=Count("id", filter=decided & Q(state__in=granted_states)),
        refused=Count("id", filter=decided & Q(state=wf.REFUSEE)),
        amount_granted=Sum("decided_amount", filter=decided & Q(state__in=granted_states)),
    )
    # Une demande ajournée n'a pas de date de décision : l'ajournement est daté par son événement.
    figures["adjourned"] = (
        RequestEvent.objects.filter(
            request__in=requests, event="ajourner", on__gte=start, on__lte=end
        )
        .values("request_id")
        .distinct()
        .count()
    )
    if not any(figures[k] for k in ("received", "granted", "refused", "adjourned")):
        return None
    paid = payments.aggregate(total=Sum("amount"))["total"]
    times = wf.processing_times(
        aid_queries.processing_days(organisation.pk, start, end, departements=departements)
    )
    return {
        **figures,
        "decided": figures["granted"] + figures["refused"] + figures["adjourned"],
        "amount_granted": Decimal(figures["amount_granted"] or 0).quantize(Decimal("0.01")),
        "amount_paid": Decimal(paid or 0).quantize(Decimal("0.01")),
        "times": times,
        "budget": aid_queries.budget_status(organisation.pk, year),
        "whole_organisation": departements is None,
    }


def aid_rows(aid: dict) -> list[tuple[str, object, str]]:
    """(libellé, valeur, format) : le tableau « Aides individuelles »."""
    t = aid["times"]
    return [
        ("Demandes reçues", aid["received"], "count"),
        ("Décisions rendues", aid["decided"], "count"),
        ("dont accordées", aid["granted"], "count"),
        ("dont refusées", aid["refused"], "count"),
        ("dont ajournées", aid["adjourned"], "count"),
        ("Montant accordé", aid["amount_granted"], "euros"),
        ("Montant payé", aid["amount_paid"], "euros"),
        ("Décisions avec délai mesuré (demande complète)", t.count, "count"),
        ("Délai médian de décision (jours)", t.median, "days"),
        ("Part des décisions en 40 jours ou moins (%)", t.share_within_40_days, "pct"),
        ("8e décile du délai (jours)", t.decile_8, "days"),
        ("9e décile du délai (jours)", t.decile_9, "days"),
    ]


def satisfaction_results(organisation, year: int, departements=None) -> list[dict]:
    """Questionnaires ayant des réponses des participants de l'année sur le territoire : taux de
    réponse et part de réponses positives par question fermée (jamais les réponses libres)."""
    from parcours.groups.models import Questionnaire, Response
    from parcours.groups.queries import questionnaire_results
    from parcours.rules import collective

    questionnaires = Questionnaire.objects.filter(
        organisation=organisation,
        pk__in=Response.objects.filter(organisation=organisation).values("questionnaire_id"),
    ).order_by("title", "pk")
    results = []
    for questionnaire in questionnaires:
        found = questionnaire_results(
            questionnaire, today=clock.today(), year=year, departements=departements
        )
        if not found["responses"]:
            continue
        results.append(
            {
                "title": questionnaire.title,
                "eligible": found["eligible"],
                "responses": found["responses"],
                "response_rate": found["response_rate"],
                "questions": [
                    {
                        "text": q["question"].text,
                        "answered": q["answered"],
                        "positive_pct": q["positive_pct"],
                    }
                    for q in found["questions"]
                    if q["question"].answer_type != collective.TEXT
                ],
            }
        )
    return results


def _report_territory(document: dict, organisation):
    from parcours.steering import report

    where = document["territoire"]
    return report.territory(
        organisation,
        region=where["code"] if where["niveau"] == report.REGION else "",
        departement=where["code"] if where["niveau"] == report.DEPARTEMENT else "",
    )


def _styled_sheet(book, title: str, heading: str, headers: list[str], rows, formats):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    numbers = {"count": "#,##0", "euros": EUROS_FORMAT, "pct": PCT_FORMAT, "days": "0.0"}
    sheet = book.create_sheet(title)
    tabular.xlsx_rows(sheet, [[heading], [], headers])
    sheet["A1"].font = Font(bold=True, size=12)
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="000091")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row, row_formats in zip(rows, formats):
        tabular.xlsx_rows(sheet, [row])
        for cell, kind in zip(sheet[sheet.max_row], row_formats):
            if kind in numbers and cell.value is not None:
                cell.number_format = numbers[kind]
    sheet.freeze_panes = "A4"
    for index, _ in enumerate(headers, 1):
        sheet.column_dimensions[get_column_letter(index)].width = 46 if index <= 2 else 18
    return sheet


def _aid_and_satisfaction_sheets(book, document: dict, organisation, heading: str) -> None:
    departements = _report_territory(document, organisation).departements
    aid = aid_figures(organisation, document["annee"], departements)
    if aid is not None:
        rows = aid_rows(aid)
        _styled_sheet(
            book,
            "Aides individuelles",
            heading,
            ["Indicateur", "Valeur"],
            [(label, value) for label, value, _ in rows],
            [(None, kind) for _, _, kind in rows],
        )
        if aid["budget"]:
            _styled_sheet(
                book,
                "Budget des aides",
                heading + " — organisme entier",
                ["Ligne budgétaire", "Dotation", "Engagé", "Payé", "Reste", "Exécution (%)"],
                [
                    (
                        f"{b['line'].code} — {b['line'].label}",
                        b["line"].allocated,
                        b["committed"],
                        b["paid"],
                        b["remaining"],
                        b["execution_pct"],
                    )
                    for b in aid["budget"]
                ],
                [(None, "euros", "euros", "euros", "euros", "pct")] * len(aid["budget"]),
            )
    satisfaction = satisfaction_results(organisation, document["annee"], departements)
    if satisfaction:
        lines: list[tuple[object, ...]] = []
        formats: list[tuple[str | None, ...]] = []
        for q in satisfaction:
            lines.append(
                (
                    q["title"],
                    f"Taux de réponse ({q['responses']} sur {q['eligible']} participants)",
                    q["responses"],
                    q["response_rate"],
                )
            )
            formats.append((None, None, "count", "pct"))
            for question in q["questions"]:
                lines.append(
                    (q["title"], question["text"], question["answered"], question["positive_pct"])
                )
                formats.append((None, None, "count", "pct"))
        _styled_sheet(
            book,
            "Satisfaction",
            heading,
            ["Questionnaire", "Question", "Réponses", "Réponses positives ou taux (%)"],
            lines,
            formats,
        )


def xlsx(document: dict, series: list[dict], organisation=None) -> bytes:
    """Une feuille par tableau, en-têtes en gras et figés, formats de nombres français."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = tabular.workbook()
    territory = document["territoire"]
    heading = f"Rapport d'activité {document['annee']} — {territory['libelle']}"
    for table in tables.all_tables(document, series):
        sheet = book.create_sheet(table.sheet)
        tabular.xlsx_rows(sheet, [[heading], [], table.headers])
        sheet["A1"].font = Font(bold=True, size=12)
        for cell in sheet[3]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="000091")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            tabular.xlsx_rows(sheet, [row])
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
    if organisation is not None:
        _aid_and_satisfaction_sheets(book, document, organisation, heading)
    return tabular.xlsx_bytes(book)


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
    territory = _report_territory(document, organisation)
    aid = aid_figures(organisation, document["annee"], territory.departements)
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
        "aid": aid,
        "aid_rows": aid_rows(aid) if aid else [],
        "satisfaction": satisfaction_results(
            organisation, document["annee"], territory.departements
        ),
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
