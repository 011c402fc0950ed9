import datetime
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse

from parcours.cases.models import Case, Contact
from parcours.core import clock
from parcours.core.nomenclatures import Mode, Programme
from parcours.outreach.models import Appointment, AppointmentRequest
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_contact, make_person

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 15)  # un lundi


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(
        organisation=org, social_worker=True, departements=["01"], first_name="Claire"
    )


@pytest.fixture
def case(org, worker):
    return make_case(
        person=make_person(org=org, actor=worker),
        referent=worker,
        opened_on=datetime.date(2026, 1, 10),
    )


def test_record_contact_htmx_returns_the_fragment_with_the_new_contact(client, case, worker):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[case.pk]),
        {
            "on": "2026-06-15",
            "mode": "TELEPHONE",
            "duration_minutes": "20",
            "actions": ["INFO_ORIENTATION"],
            "problems": ["ACCES_DROITS"],
            "note": "Appel",
        },
        HTTP_HX_REQUEST="true",
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "<html" not in html
    assert "L'entretien est enregistré" in html and "Information, orientation" in html
    assert Contact.objects.get().mode == "TELEPHONE"


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2026-06-16", "futur"),
        ("2026-01-09", "antérieure à l'ouverture"),
        ("", "Ce champ est obligatoire"),
    ],
)
def test_record_contact_bad_date_answers_422_with_message(client, case, worker, on, message):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[case.pk]),
        {"on": on, "mode": "VAD", "note": "gardée"},
        HTTP_HX_REQUEST="true",
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert message in html and "gardée" in html  # la saisie n'est pas perdue
    assert not Contact.objects.exists()


def test_record_contact_without_javascript_redirects(client, case, worker):
    login_as(client, worker)
    response = client.post(
        reverse("entretien-nouveau", args=[case.pk]), {"on": "2026-06-15", "mode": "VAD"}
    )
    assert response.status_code == 302


def test_closure_without_outcome_refused_with_message(client, case, worker):
    login_as(client, worker)
    response = client.post(
        reverse("cloture", args=[case.pk]),
        {"closed_on": "2026-06-15", "outcome": "", "version": case.version},
    )
    assert response.status_code == 200
    assert "issue" in unescape(response.content.decode()).lower()
    case.refresh_from_db()
    assert case.state == Case.State.OUVERT


def test_closure_pdp_then_reopen(client, case, worker):
    login_as(client, worker)
    response = client.post(
        reverse("cloture", args=[case.pk]),
        {
            "closed_on": "2026-06-15",
            "outcome": "LICENCIEMENT_INAPTITUDE",
            "risk": "MALADIE",
            "sector": "TERTIAIRE_MARCHAND",
            "employment_contract": "CDI",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.closed_on) == ("clos", TODAY)
    client.post(reverse("reouverture", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    assert case.state == "ouvert"


def test_closure_form_offers_only_the_programme_outcomes(client, org, worker):
    case = make_case(
        person=make_person(org=org, actor=worker), referent=worker, programme=Programme.DEUIL
    )
    login_as(client, worker)
    html = unescape(client.get(reverse("cloture", args=[case.pk])).content.decode())
    assert "OBJECTIFS_ATTEINTS" in html and "MAINTIEN_EMPLOI" not in html
    assert 'name="risk"' not in html


def test_concurrent_synthesis_edit_shows_both_versions(client, case, worker):
    from parcours.cases import services

    colleague = UserFactory(organisation=case.organisation, social_worker=True, departements=["01"])
    stale = case.version
    services.update_synthesis(
        actor=colleague, case=case, synthesis="Texte du collègue", expected_version=stale
    )
    login_as(client, worker)
    response = client.post(
        reverse("synthese", args=[case.pk]), {"synthesis": "Mon texte", "version": stale}
    )
    html = unescape(response.content.decode())
    assert response.status_code == 409
    assert "Texte du collègue" in html and "Mon texte" in html
    case.refresh_from_db()
    assert case.synthesis == "Texte du collègue"


def test_my_activity_shows_alerts_appointments_and_month_figures(client, org, worker):
    quiet = make_case(
        person=make_person(org=org, actor=worker, last_name="Silencieux"),
        referent=worker,
        opened_on=datetime.date(2026, 1, 10),
    )
    make_contact(case=quiet, actor=worker, on=datetime.date(2026, 2, 15))  # 4 mois pile
    almost = make_case(
        person=make_person(org=org, actor=worker, last_name="Presque"),
        referent=worker,
        opened_on=datetime.date(2026, 1, 10),
    )
    make_contact(case=almost, actor=worker, on=datetime.date(2026, 2, 16))  # 4 mois moins 1 j
    lively = make_case(
        person=make_person(org=org, actor=worker, last_name="Actif"),
        referent=worker,
        opened_on=datetime.date(2026, 6, 1),
    )
    make_contact(case=lively, actor=worker, on=datetime.date(2026, 6, 2), mode=Mode.VAD)
    make_contact(case=lively, actor=worker, on=datetime.date(2026, 6, 3), mode=Mode.TELEPHONE)
    person = lively.person
    AppointmentRequest.objects.create(
        organisation=org,
        person=person,
        departement_id="01",
        received_on=datetime.date(2026, 5, 30),
        assigned_to=worker,
        created_by=worker,
        reason="Attend depuis 16 jours",
    )
    AppointmentRequest.objects.create(
        organisation=org,
        person=person,
        departement_id="01",
        received_on=datetime.date(2026, 5, 31),
        assigned_to=worker,
        created_by=worker,
        reason="Attend depuis 15 jours",
    )
    Appointment.objects.create(
        organisation=org,
        person=person,
        staff=worker,
        created_by=worker,
        starts_at=datetime.datetime(2026, 6, 18, 14, tzinfo=PARIS),
    )
    Appointment.objects.create(
        organisation=org,
        person=person,
        staff=worker,
        created_by=worker,
        starts_at=datetime.datetime(2026, 6, 22, 9, tzinfo=PARIS),
    )
    for moment in (
        datetime.datetime(2026, 6, 14, 9, tzinfo=PARIS),
        datetime.datetime(2026, 6, 21, 23, 30, tzinfo=PARIS),
    ):
        Appointment.objects.create(
            organisation=org,
            person=person,
            staff=worker,
            created_by=worker,
            starts_at=moment,
        )
    login_as(client, worker)
    response = client.get(reverse("mon-activite"))
    ctx = response.context
    assert [c.person.last_name for c in ctx["inactive"]] == ["Silencieux"]
    assert [r.reason for r, days in ctx["waiting"]] == ["Attend depuis 16 jours"]
    assert [d for r, d in ctx["waiting"]] == [16]
    # Aujourd'hui et les 6 jours suivants : ni la veille, ni le 7e jour.
    assert [a.starts_at.day for a in ctx["appointments"]] == [18, 21]
    figures = ctx["figures"]
    assert (figures["total"], figures["home_visits"], figures["people"]) == (2, 1, 1)
    assert {m.value: n for m, n in figures["by_mode"]}["TELEPHONE"] == 1


def test_manager_team_page_and_reassignment(client, org, worker, case):
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    colleague = UserFactory(organisation=org, social_worker=True, departements=["01"], fte="0.50")
    make_contact(case=case, actor=worker, on=datetime.date(2026, 3, 2), mode=Mode.VAD)
    make_contact(case=case, actor=worker, on=datetime.date(2026, 3, 3), mode=Mode.VAD)
    login_as(client, manager)
    rows = {r["worker"].pk: r for r in client.get(reverse("equipe")).context["rows"]}
    assert rows[worker.pk]["home_visits"] == 2 and rows[worker.pk]["caseload"] == 1
    assert rows[worker.pk]["home_visit_target"] == 300
    assert rows[colleague.pk]["home_visit_target"] == 150
    departements = client.get(reverse("equipe")).context["departements"]
    assert departements == [
        {"departement": "01", "open_cases": 1, "people": 1, "contacts": 2, "home_visits": 2}
    ]
    response = client.get(reverse("accompagnements"))
    assert case in list(response.context["page"])
    response = client.post(
        reverse("reaffectation", args=[case.pk]), {"referent": colleague.pk, "retour": "liste"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.referent == colleague


def test_manager_pages_404_for_other_roles(client, org, worker):
    login_as(client, worker)
    assert client.get(reverse("equipe")).status_code == 404
    assert client.get(reverse("accompagnements")).status_code == 404
