"""Une personne qui a de tout, écrit par les services de chaque domaine (tests/factories.py et
les fabriques des domaines) : la matière de l'export du droit d'accès."""

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from parcours.aid import services as aid_services
from parcours.cases import services as case_services
from parcours.core import clock
from parcours.people import services as people_services
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import orientations as orientation_services
from tests.aid.factories import ALL_C, install_catalogue, make_evaluation, ready_request
from tests.factories import UserFactory, make_case, make_contact, make_person
from tests.outreach.factories import nir_for
from tests.partners.factories import make_partner
from tests.steering import factories as steering

NIR = nir_for(7, sex="F", birth=datetime.date(1970, 5, 1), dep="01")
PRIVATE_TEXT = "Ressenti de l'AS : situation familiale tendue"


@pytest.fixture
def today():
    with clock.frozen(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC)):
        yield datetime.date(2026, 12, 3)


@dataclass
class World:
    org: object
    worker: object
    manager: object
    person: object


@pytest.fixture
def world(org, today):
    worker = UserFactory(organisation=org, social_worker=True, departements=["01"])
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    person = make_person(org=org, actor=worker, nir=NIR, phone="04 74 00 00 00")
    # Une rectification : le nom d'usage et le téléphone corrigés.
    person = people_services.update_person(
        actor=worker,
        person=person,
        data={"last_name": "Martin-Durand", "phone": "04 74 11 22 33"},
        expected_version=person.version,
    )
    # Deux accompagnements, un objectif, deux entretiens (un avec note), une note privée.
    case = make_case(person=person, referent=worker)
    make_case(person=person, referent=worker, opened_on=datetime.date(2026, 3, 1))
    case_services.add_objective(actor=worker, case=case, label="Reprendre le travail à mi-temps")
    case_services.add_private_note(actor=worker, case=case, text=PRIVATE_TEXT)
    make_contact(case=case, actor=worker, note="Point sur l'arrêt de travail.")
    make_contact(case=case, actor=worker, on=datetime.date(2026, 3, 2))
    # Une évaluation transmise ; une aide accordée, payée, avec un indu.
    evaluation = make_evaluation(person=person, actor=worker, grid=ALL_C)
    aid_services.record_transmission(actor=worker, evaluation=evaluation)
    install_catalogue(org, manager)
    request = ready_request(person=person, actor=worker)
    request = aid_services.decide(
        actor=manager, request=request, decision="accorder", amount=D("100"), reason="Urgence."
    )
    aid_services.record_payment(
        actor=manager, request=request, amount=D("100"), paid_on=today, payee="PERSONNE"
    )
    aid_services.record_overpayment(
        actor=manager, request=request, amount=D("20"), reason="Double paiement", detected_on=today
    )
    # Une séance collective, un signalement reçu.
    steering.attend(steering.session(steering.action(org), datetime.date(2026, 3, 10)), person)
    steering.referral(person, datetime.date(2026, 1, 3))
    # Un consentement et une orientation sous ce consentement (un partage).
    partner = make_partner(org=org, actor=worker, name="Cap emploi de l'Ain")
    consent = consent_services.record_consent(
        actor=worker,
        person=person,
        categories=["IDENTITE"],
        purpose="Maintien dans l'emploi",
        given_on=datetime.date(2026, 11, 20),
        method="ECRIT",
        given_by="PERSONNE",
        partners=[partner],
    )
    orientation_services.send_orientation(
        actor=worker,
        person=person,
        partner=partner,
        reason="EMPLOI",
        request="Étudier un maintien dans l'emploi",
        categories=["IDENTITE"],
        basis="CONSENTEMENT",
        consent=consent,
    )
    # Deux consultations de la fiche.
    people_services.record_view(actor=worker, person=person)
    people_services.record_view(actor=manager, person=person)
    person.refresh_from_db()
    return World(org, worker, manager, person)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Fichiers déposés et listes de rejets sous ``tmp_path`` : la purge n'y trouve que ceux
    du test."""
    settings.PARCOURS_IMPORT_DIR = tmp_path / "imports"
    return settings.PARCOURS_IMPORT_DIR
