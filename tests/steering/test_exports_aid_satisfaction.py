"""Rapport PDF et XLSX : pages « Aides individuelles » et « Satisfaction et impact »."""

import datetime
from decimal import Decimal as D
from io import BytesIO

import pytest

from parcours.aid import services as aid_services
from parcours.core import clock
from parcours.groups import services as group_services
from parcours.groups.models import Invitation, Response
from parcours.steering import exports, report
from tests.aid.factories import install_catalogue, ready_request
from tests.factories import UserFactory, make_person
from tests.steering.factories import action, attend, session

pytestmark = pytest.mark.django_db

PARIS = datetime.UTC


def at(day: datetime.date):
    return clock.frozen(datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS))


@pytest.fixture
def aid_data(org):
    with at(datetime.date(2026, 1, 5)):
        as_ = UserFactory(organisation=org, social_worker=True, departements=["01", "69"])
        manager = UserFactory(organisation=org, manager=True, departements=["01", "69"])
        install_catalogue(org, UserFactory(organisation=org, admin=True, departements=[]))
        people = {
            name: make_person(org=org, actor=as_, departement=dep, last_name=name)
            for name, dep in (("Ain1", "01"), ("Ain2", "01"), ("Rhone", "69"), ("Ain3", "01"))
        }

    def ready(name, on):
        with at(on):
            return ready_request(person=people[name], actor=as_, on=on)

    granted = ready("Ain1", datetime.date(2026, 2, 2))
    refused = ready("Ain2", datetime.date(2026, 3, 2))
    granted69 = ready("Rhone", datetime.date(2026, 4, 1))
    adjourned = ready("Ain3", datetime.date(2026, 6, 1))
    with at(datetime.date(2026, 2, 20)):  # 18 jours
        granted = aid_services.decide(
            actor=manager,
            request=granted,
            decision="accorder",
            amount=D("250.50"),
            reason="Urgence.",
        )
    with at(datetime.date(2026, 3, 1)):
        aid_services.record_payment(
            actor=manager,
            request=granted,
            amount=D("100.25"),
            paid_on=datetime.date(2026, 3, 1),
            payee="PERSONNE",
        )
    with at(datetime.date(2026, 5, 1)):  # 60 jours
        aid_services.decide(
            actor=manager, request=refused, decision="refuser", reason="Hors règle."
        )
    with at(datetime.date(2026, 4, 11)):  # 10 jours
        aid_services.decide(
            actor=manager, request=granted69, decision="accorder", amount=D("200"), reason="Oui."
        )
    with at(datetime.date(2026, 6, 30)):
        meeting = aid_services.create_session(
            actor=manager,
            organisation_id=org.pk,
            departement_id="01",
            held_on=datetime.date(2026, 6, 30),
        )
        assert aid_services.build_agenda(actor=manager, session=meeting) == 1
        adjourned.refresh_from_db()
        aid_services.decide(actor=manager, request=adjourned, decision="ajourner", reason="Devis.")
    return org


@pytest.fixture
def satisfaction_data(org):
    with at(datetime.date(2026, 1, 5)):
        as_ = UserFactory(organisation=org, social_worker=True, departements=["01", "69"])
        q = group_services.create_questionnaire(
            actor=as_,
            organisation_id=org.pk,
            title="Satisfaction réunion",
            moment="A_CHAUD",
            action_type="INFO_COLLECTIVE",
        )
        scale = group_services.add_question(
            actor=as_, questionnaire=q, text="Clarté", answer_type="ECHELLE"
        )
        yes = group_services.add_question(
            actor=as_, questionnaire=q, text="Droits", answer_type="OUI_NON"
        )
        free = group_services.add_question(
            actor=as_, questionnaire=q, text="Un mot", answer_type="TEXTE"
        )
        people = [
            make_person(org=org, actor=as_, departement="01", last_name=f"P{i}") for i in range(4)
        ]
    meeting = action(org, departement="01")
    s = session(meeting, datetime.date(2026, 2, 10))
    for i, who in enumerate(people):
        attend(s, who, present=i < 3)  # P3 absente : hors des personnes concernées
    invitation = {p.pk: Invitation.objects.get(action=meeting, person=p) for p in people}
    with at(datetime.date(2026, 2, 10)):
        for who, raw in (
            (people[0], {f"q{scale.pk}": "5", f"q{yes.pk}": "1", f"q{free.pk}": "Confidentiel"}),
            (people[1], {f"q{scale.pk}": "2", f"q{yes.pk}": "1"}),
        ):
            group_services.submit_response(
                actor=None,
                questionnaire=q,
                invitation=invitation[who.pk],
                raw=raw,
                source=Response.Source.LIEN,
            )
    return org


def _exports(org, departement=""):
    where = report.territory(org, departement=departement)
    with at(datetime.date(2026, 12, 31)):
        document = report.build(org, 2026, where)
        series = report.evolution(org, 2026, where)
        pdf = exports.pdf(document, series, org)
        xlsx = exports.xlsx(document, series, org)
    return pdf, xlsx


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _sheet(content: bytes, name: str) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(content))[name].iter_rows(values_only=True))


def _normalise(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_aid_page_exact_figures(aid_data):
    pdf, xlsx = _exports(aid_data)
    text = _normalise(_pdf_text(pdf))
    assert "Aides individuelles" in text
    for line in (
        "Demandes reçues 4",
        "Décisions rendues 4",
        "dont accordées 2",
        "dont refusées 1",
        "dont ajournées 1",
        "Montant accordé 450,50 €",
        "Montant payé 100,25 €",
        "Délai médian de décision (jours) 18",
        "Part des décisions en 40 jours ou moins (%) 66,7 %",
        "Décisions avec délai mesuré (demande complète) 3",
        "8e décile du délai (jours) 60",
        "9e décile du délai (jours) 60",
        "Secours et aides financières 30 000 € 450,50 € 100,25 € 29 549,50 € 0,3 %",
    ):
        assert line in text, line
    assert "Satisfaction et impact" not in text

    rows = _sheet(xlsx, "Aides individuelles")
    assert rows[2] == ("Indicateur", "Valeur")
    values = dict(rows[3:])
    assert values["Demandes reçues"] == 4
    assert values["dont ajournées"] == 1
    assert D(str(values["Montant accordé"])) == D("450.50")
    assert D(str(values["Montant payé"])) == D("100.25")
    assert values["Délai médian de décision (jours)"] == 18
    assert values["Part des décisions en 40 jours ou moins (%)"] == 66.7
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx))["Aides individuelles"]
    assert sheet["B9"].number_format == exports.EUROS_FORMAT  # Montant accordé
    budget = {row[0]: row[1:] for row in _sheet(xlsx, "Budget des aides")[3:]}
    assert budget["SECOURS — Secours et aides financières"] == (30000, 450.5, 100.25, 29549.5, 0.3)
    assert "Satisfaction" not in load_workbook(BytesIO(xlsx)).sheetnames


def test_aid_page_scoped_to_departement(aid_data):
    pdf, xlsx = _exports(aid_data, departement="01")
    text = _normalise(_pdf_text(pdf))
    for line in (
        "Demandes reçues 3",
        "dont accordées 1",
        "dont refusées 1",
        "dont ajournées 1",
        "Montant accordé 250,50 €",
        "Montant payé 100,25 €",
        "Délai médian de décision (jours) 39",
        "Part des décisions en 40 jours ou moins (%) 50,0 %",
    ):
        assert line in text, line
    values = dict(_sheet(xlsx, "Aides individuelles")[3:])
    assert values["Demandes reçues"] == 3


def test_satisfaction_page_exact_figures_without_free_text(satisfaction_data):
    pdf, xlsx = _exports(satisfaction_data)
    text = _normalise(_pdf_text(pdf))
    assert "Satisfaction et impact" in text
    assert "Satisfaction réunion — 2 réponses sur 3 participants (taux de réponse 66,7 %)" in text
    assert "Clarté 2 50,0 %" in text
    assert "Droits 2 100,0 %" in text
    assert "Confidentiel" not in text and "Un mot" not in text
    assert "Aides individuelles" not in text
    rows = _sheet(xlsx, "Satisfaction")
    assert rows[2] == ("Questionnaire", "Question", "Réponses", "Réponses positives ou taux (%)")
    assert rows[3:] == [
        (
            "Satisfaction réunion",
            "Taux de réponse (2 sur 3 participants)",
            2,
            66.7,
        ),
        ("Satisfaction réunion", "Clarté", 2, 50),
        ("Satisfaction réunion", "Droits", 2, 100),
    ]
    # Un autre département : aucune réponse, pas de page ni de feuille.
    pdf69, xlsx69 = _exports(satisfaction_data, departement="69")
    assert "Satisfaction et impact" not in _pdf_text(pdf69)
    from openpyxl import load_workbook

    assert "Satisfaction" not in load_workbook(BytesIO(xlsx69)).sheetnames


def test_no_aid_nor_satisfaction_no_pages_nor_sheets(org):
    from openpyxl import load_workbook

    pdf, xlsx = _exports(org)
    text = _pdf_text(pdf)
    assert "Aides individuelles" not in text and "Satisfaction et impact" not in text
    names = load_workbook(BytesIO(xlsx)).sheetnames
    assert not {"Aides individuelles", "Budget des aides", "Satisfaction"} & set(names)
