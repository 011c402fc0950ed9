"""Pages des subventions : le parcours d'un appel, saisies refusées (422, en français), export
relu, bilan déclaré face à l'activité enregistrée des actions financées."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.groups import services as group_services
from parcours.partners.models import Application, Grant, Payment, ProjectCall, YearlyReport
from tests.conftest import login_as
from tests.factories import make_person
from tests.groups.factories import make_action, make_registration, make_session
from tests.partners.factories import (
    make_application,
    make_call,
    make_convention,
    make_partner,
    subsidy_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(client, manager):
    login_as(client, manager)
    return client


def errors(response):
    return response.content.decode()


def test_full_journey_through_the_pages(logged, org, manager, today):
    partner = make_partner(org=org, actor=manager, name="Siel Bleu")
    make_convention(partner=partner, actor=manager, object="Convention activité physique")
    response = logged.post(
        reverse("appel-nouveau"),
        {
            "title": "Prévention 2026",
            "year": "2026",
            "programme": "BIEN_VIEILLIR",
            "theme": "Activité physique",
            "departements": [],
            "budget": "30000",
            "opens_on": "2026-01-10",
            "closes_on": "2026-03-31",
            "description": "",
        },
    )
    call = ProjectCall.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appel", args=[call.pk])
    response = logged.post(
        reverse("candidature-nouvelle", args=[call.pk]),
        {
            "partner": partner.pk,
            "project_title": "Gym douce",
            "requested_amount": "12000",
            "received_on": "2026-02-01",
        },
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("candidature", args=[application.pk])
    decision = reverse("candidature-decision", args=[application.pk])
    assert logged.post(decision, {"status": "INSTRUITE", "retour": "appel"})["Location"] == (
        reverse("appel", args=[call.pk])
    )
    logged.post(decision, {"status": "RETENUE", "decided_on": "2026-04-10"})
    application.refresh_from_db()
    assert application.status == "RETENUE" and application.decided_on == datetime.date(2026, 4, 10)
    convention = partner.conventions.get()
    response = logged.post(
        reverse("subvention-nouvelle", args=[application.pk]),
        {"year": "2026", "convention": convention.pk, "amount": "10000"},
    )
    grant = Grant.objects.get()
    assert response["Location"] == reverse("subvention", args=[grant.pk])
    logged.post(
        reverse("versement-nouveau", args=[grant.pk]), {"paid_on": "2026-05-02", "amount": "4000"}
    )
    assert Payment.objects.get().amount == Decimal("4000")
    page = logged.get(reverse("subvention", args=[grant.pk])).content.decode()
    assert "4\u202f000 €" in page and "6\u202f000 €" in page and "40,0\u00a0%" in page
    listing = logged.get(reverse("subventions"), {"annee": 2026}).content.decode()
    assert "Prévention 2026" in listing and "33,3\u00a0%" in listing
    assert "Décidé" in listing
    partner_page = logged.get(reverse("partenaire", args=[partner.pk])).content.decode()
    assert "Gym douce" in partner_page and "Retenue" in partner_page


def test_call_form_errors_answer_422_in_french(logged):
    response = logged.post(
        reverse("appel-nouveau"),
        {
            "title": "",
            "year": "deux mille",
            "programme": "BIEN_VIEILLIR",
            "budget": "-5",
            "opens_on": "2026-04-01",
            "closes_on": "2026-03-01",
        },
    )
    assert response.status_code == 422
    body = errors(response)
    assert "Indiquez une année sur quatre chiffres, par exemple 2026." in body
    assert "Le montant ne peut pas être négatif." in body
    assert "La date de fin ne peut pas précéder la date de début." in body
    assert not ProjectCall.objects.exists()


def test_application_outside_call_window_answers_422(logged, org, manager):
    partner = make_partner(org=org, actor=manager)
    call = make_call(org=org, actor=manager)
    response = logged.post(
        reverse("candidature-nouvelle", args=[call.pk]),
        {
            "partner": partner.pk,
            "project_title": "Projet tardif",
            "requested_amount": "1 000",
            "received_on": "2026-04-02",
        },
    )
    assert response.status_code == 422
    assert "Indiquez un montant en euros" in errors(response)
    response = logged.post(
        reverse("candidature-nouvelle", args=[call.pk]),
        {
            "partner": partner.pk,
            "project_title": "Projet tardif",
            "requested_amount": "1000",
            "received_on": "2026-04-02",
        },
    )
    assert response.status_code == 422
    assert "reçue pendant l&#x27;appel, du 15/01/2026 au 31/03/2026" in errors(response)
    assert 'value="Projet tardif"' in errors(response)


def test_bad_transition_and_missing_reason_answer_422(logged, org, manager):
    partner = make_partner(org=org, actor=manager)
    call = make_call(org=org, actor=manager)
    application = make_application(call=call, partner=partner, actor=manager)
    page = logged.get(reverse("candidature", args=[application.pk]))
    assert page.context["decision"].fields["status"].choices == [("INSTRUITE", "Instruite")]
    url = reverse("candidature-decision", args=[application.pk])
    response = logged.post(url, {"status": "RETENUE"})
    assert response.status_code == 422
    assert "elle doit d&#x27;abord être instruite" in errors(response)
    logged.post(url, {"status": "INSTRUITE"})
    page = logged.get(reverse("candidature", args=[application.pk]))
    assert page.context["decision"].fields["status"].choices == [
        ("RETENUE", "Retenue"),
        ("REJETEE", "Rejetée"),
    ]
    response = logged.post(url, {"status": "REJETEE", "refusal_reason": ""})
    assert response.status_code == 422 and "Indiquez le motif du rejet." in errors(response)
    response = logged.post(url, {"status": "PERDUE"})
    assert response.status_code == 422
    application.refresh_from_db()
    assert application.status == "INSTRUITE"


def test_grant_without_covering_convention_and_overpayment_answer_422(logged, org, manager):
    world = subsidy_world(org=org, actor=manager)
    response = logged.post(
        reverse("subvention-nouvelle", args=[world["application"].pk]),
        {"year": "2027", "convention": world["convention"].pk, "amount": "5000"},
    )
    assert response.status_code == 422
    assert "Pas de subvention sans convention" in errors(response)
    assert "ne couvre pas 2027" in errors(response)
    response = logged.post(
        reverse("versement-nouveau", args=[world["grant"].pk]),
        {"paid_on": "2026-06-01", "amount": "6000.01"},
    )
    assert response.status_code == 422
    assert "Ce versement dépasserait le montant accordé : il reste 6\u202f000 €" in errors(response)
    response = logged.post(
        reverse("versement-nouveau", args=[world["grant"].pk]),
        {"paid_on": "", "amount": "0"},
    )
    assert response.status_code == 422 and "Le montant est positif." in errors(response)
    assert Payment.objects.count() == 1


def test_over_budget_answers_422(logged, org, manager):
    world = subsidy_world(org=org, actor=manager)
    second = make_application(
        call=world["call"], partner=world["partner"], actor=manager, status="RETENUE"
    )
    response = logged.post(
        reverse("subvention-nouvelle", args=[second.pk]),
        {"year": "2026", "convention": world["convention"].pk, "amount": "40000.01"},
    )
    assert response.status_code == 422
    assert "Le budget de l&#x27;appel serait dépassé : il reste 40\u202f000 €" in errors(response)


def test_report_form_and_declared_against_recorded(logged, org, manager):
    world = subsidy_world(org=org, actor=manager)
    grant = world["grant"]
    action = make_action(org=org, actor=manager, title="Gym douce à Bourg")
    group_services.update_action(actor=manager, action=action, data={"grant": grant})
    other = make_action(org=org, actor=manager, title="Atelier équilibre")
    group_services.update_action(actor=manager, action=other, data={"grant": grant})
    people = [make_person(org=org, actor=manager) for _ in range(3)]
    first = make_session(action=action, actor=manager, date=datetime.date(2026, 3, 10))
    second = make_session(action=action, actor=manager, date=datetime.date(2026, 4, 10))
    third = make_session(action=other, actor=manager, date=datetime.date(2026, 5, 10))
    make_session(action=other, actor=manager, date=datetime.date(2027, 1, 10))  # hors de l'année
    for session in (first, second):
        make_registration(session=session, person=people[0], actor=manager, present=True)
    make_registration(session=first, person=people[1], actor=manager, present=False)
    make_registration(session=third, person=people[0], actor=manager, present=True)
    make_registration(session=third, person=people[2], actor=manager, present=True)
    page = logged.get(reverse("subvention", args=[grant.pk]))
    activity = page.context["activity"]
    assert (activity.sessions, activity.participants) == (3, 2)
    assert [(a["title"], a["sessions"], a["participants"]) for a in activity.actions] == [
        ("Atelier équilibre", 1, 2),
        ("Gym douce à Bourg", 2, 1),
    ]
    assert page.context["gaps"] == {"sessions": 12 - 3, "participants": 40 - 2}
    body = page.content.decode()
    assert "+9" in body and "+38" in body
    assert reverse("collectif-action", args=[action.pk]) in body

    url = reverse("bilan", args=[grant.pk])
    assert logged.get(url).context["form"].initial["participants"] == 40
    response = logged.post(url, {"participants": "-1", "sessions": "2", "received_on": ""})
    assert response.status_code == 422
    logged.post(url, {"participants": "1", "sessions": "2", "received_on": "2026-12-01"})
    assert YearlyReport.objects.get().participants == 1
    page = logged.get(reverse("subvention", args=[grant.pk]))
    assert page.context["gaps"] == {"sessions": -1, "participants": -1}
    assert "\u22121" in page.content.decode()


def test_action_form_offers_grants_to_managers_only(client, org, manager):
    from tests.factories import UserFactory

    world = subsidy_world(org=org, actor=manager)
    action = make_action(org=org, actor=manager)
    login_as(client, manager)
    form = client.get(reverse("collectif-action-modifier", args=[action.pk])).context["form"]
    assert list(form.fields["grant"].queryset) == [world["grant"]]
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    group_services.update_action(actor=manager, action=action, data={"grant": world["grant"]})
    login_as(client, worker)
    form = client.get(reverse("collectif-action-modifier", args=[action.pk])).context["form"]
    assert "grant" not in form.fields
    page = client.get(reverse("collectif-action", args=[action.pk])).content.decode()
    assert "Financée par la subvention" not in page
    login_as(client, manager)
    page = client.get(reverse("collectif-action", args=[action.pk])).content.decode()
    assert "Financée par la subvention" in page


def test_action_refuses_a_grant_of_another_organisation(org, other_org, manager, foreign_manager):
    from parcours.core.exceptions import BusinessError

    foreign = subsidy_world(org=other_org, actor=foreign_manager)
    action = make_action(org=org, actor=manager)
    with pytest.raises(BusinessError, match="Subvention inconnue"):
        group_services.update_action(actor=manager, action=action, data={"grant": foreign["grant"]})


def test_export_read_back(logged, org, manager):
    from openpyxl import load_workbook

    world = subsidy_world(org=org, actor=manager)
    partner = world["partner"]
    response = logged.get(reverse("subventions-export", args=["xlsx"]), {"annee": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="subventions-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Année", "Appel à projets", "Programme", "Partenaire")
    assert rows[1][0] == 2026 and rows[1][3] == partner.name
    assert rows[1][5] == "Ateliers mémoire"
    assert [Decimal(str(v)) for v in rows[1][7:10]] == [
        Decimal(10000),
        Decimal(4000),
        Decimal(6000),
    ]
    assert rows[1][10:] == ("20/11/2026", 40, 12)
    assert len(rows) == 2
    from parcours.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="EXPORT").latest("pk")
    assert entry.actor == manager and entry.person_id is None
    response = logged.get(reverse("subventions-export", args=["csv"]), {"annee": 2026})
    lines = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert lines[1][3] == partner.name and lines[1][7:10] == ["10000.00", "4000.00", "6000.00"]
    empty = logged.get(reverse("subventions-export", args=["csv"]), {"annee": 2025})
    assert len(empty.content.decode().splitlines()) == 1
    assert logged.get(reverse("subventions-export", args=["pdf"])).status_code == 404
    assert logged.get(reverse("subventions"), {"annee": "vingt"}).status_code == 400


def test_formula_in_project_title_is_neutralised(logged, org, manager):
    partner = make_partner(org=org, actor=manager)
    convention = make_convention(partner=partner, actor=manager)
    call = make_call(org=org, actor=manager)
    application = make_application(
        call=call, partner=partner, actor=manager, title="=HYPERLINK(1)", status="RETENUE"
    )
    from tests.partners.factories import make_grant

    make_grant(application=application, actor=manager, convention=convention)
    response = logged.get(reverse("subventions-export", args=["csv"]), {"annee": 2026})
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_pages_do_not_query_per_row(logged, org, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = subsidy_world(org=org, actor=manager)

    def counts():
        result = {}
        for name, url in (
            ("liste", reverse("subventions") + "?annee=2026"),
            ("appel", reverse("appel", args=[world["call"].pk])),
            ("partenaire", reverse("partenaire", args=[world["partner"].pk])),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert logged.get(url).status_code == 200
            result[name] = len(queries)
        return result

    few = counts()
    for i in range(4):
        call = make_call(org=org, actor=manager, title=f"Appel {i}")
        application = make_application(
            call=call, partner=world["partner"], actor=manager, status="RETENUE"
        )
        from tests.partners.factories import make_grant

        make_grant(application=application, actor=manager, convention=world["convention"])
        make_application(call=world["call"], partner=world["partner"], actor=manager)
    assert counts() == few
