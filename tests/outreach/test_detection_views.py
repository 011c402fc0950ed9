"""Pages de la détection : ciblage sur le web, signalements, accueil, campagnes, par rôle."""

import datetime
import io
import zoneinfo
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.outreach import services
from parcours.outreach.models import (
    Campaign,
    FrontLineContact,
    Referral,
    ServiceOffer,
    TargetingRun,
)
from parcours.people.models import Person
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory, make_case, make_contact, make_person
from tests.outreach.factories import extract_row, write_extract

POST = {"address": "3 rue des Lilas", "postal_code": "01000", "commune_id": "01053"}
pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def frozen_today(settings, tmp_path):
    settings.PARCOURS_IMPORT_DIR = tmp_path / "imports"
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def team(org):
    site = SiteFactory(organisation=org, departement_id="01", address="1 place Carriat")
    return {
        "as": UserFactory(organisation=org, social_worker=True, departements=["01"]),
        "desk": UserFactory(organisation=org, front_line=True, departements=["01"], site=site),
        "secretary": UserFactory(organisation=org, secretary=True, departements=["01"]),
        "manager": UserFactory(organisation=org, manager=True, departements=["01"], site=site),
        "manager69": UserFactory(organisation=org, manager=True, departements=["69"]),
        "steering": UserFactory(organisation=org, steering=True, departements=["01"]),
        "admin": UserFactory(organisation=org, admin=True, departements=["01"]),
    }


def upload(client, tmp_path, rows, on_commit, date="2026-06-01"):
    """Envoie l'extrait ; la tâche de fond part à la validation de la transaction."""
    path = write_extract(tmp_path / "extrait.csv", rows)
    with on_commit(execute=True):
        return client.post(
            reverse("ciblages"),
            {
                "fichier": SimpleUploadedFile("extrait-juin.csv", path.read_bytes()),
                "date_extraction": date,
            },
        )


def test_manager_journey_upload_dry_run_launch_campaign_letters(
    client, org, team, tmp_path, django_capture_on_commit_callbacks
):
    login_as(client, team["manager"])
    rows = [
        extract_row(1, start="2026-03-01", commune="01053"),
        extract_row(2, start="2026-05-20", commune="01053"),  # trop court
        extract_row(3, start="2026-02-01", commune="69123"),  # Rhône : hors de mon département
        extract_row(4, sexe="X"),
    ]
    response = upload(client, tmp_path, rows, django_capture_on_commit_callbacks)
    dry = TargetingRun.objects.get()
    assert response.url == reverse("ciblage", args=[dry.pk])
    assert (dry.dry_run, dry.status, dry.lines, dry.rejected, dry.targeted) == (
        True,
        "termine",
        4,
        1,
        2,
    )
    assert Person.objects.count() == 0
    page = unescape(client.get(response.url).content.decode())
    assert "Lancer l'import réel" in page
    assert "code sexe « X » inconnu (attendu : F ou M)" in page
    partial = client.get(reverse("ciblage-avancement", args=[dry.pk]))
    assert b"hx-get" not in partial.content  # terminé : plus de rafraîchissement

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ciblage-lancer", args=[dry.pk]))
    real = TargetingRun.objects.exclude(pk=dry.pk).get()
    assert (real.dry_run, real.status, real.new_people, real.file_sha256) == (
        False,
        "termine",
        2,
        dry.file_sha256,
    )
    page = unescape(client.get(reverse("ciblage", args=[real.pk])).content.decode())
    assert "ARRET1" in page and "ARRET3" not in page  # seulement mes départements
    assert "Lancer l'import réel" not in page
    again = unescape(client.get(reverse("ciblage", args=[dry.pk])).content.decode())
    assert "Lancer l'import réel" not in again  # déjà importé

    response = client.post(
        reverse("campagne-nouvelle") + f"?ciblage={real.pk}",
        {
            "ciblage": real.pk,
            "name": "Arrêts longs juin",
            "channel": "COURRIER",
            "proposal": "RENDEZ_VOUS",
            "programme": "PDP",
            "phone": "04 74 00 00 00",
            "action": "creer",
        },
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("campagne", args=[campaign.pk])
    offer = ServiceOffer.objects.get()
    assert (offer.person.last_name, offer.status, offer.channel) == (
        "Arret1",
        "ENVOYEE",
        "COURRIER",
    )
    pdf = client.get(reverse("campagne-courriers", args=[campaign.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert offer.reference in text and "ARRET1" in text and "04 74 00 00 00" in text

    client.post(reverse("offre-etat", args=[offer.pk]), {"action": "relancer"})
    client.post(reverse("offre-etat", args=[offer.pk]), {"action": "ACCEPTEE"})
    offer.refresh_from_db()
    assert (offer.status, offer.reminders, offer.answered_on) == (
        "ACCEPTEE",
        1,
        datetime.date(2026, 6, 15),
    )


def test_refused_file_via_web(client, org, team, tmp_path, django_capture_on_commit_callbacks):
    login_as(client, team["manager"])
    path = tmp_path / "x.csv"
    path.write_bytes("nir;nom\n1;Lefèvre\n".encode("latin-1"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("ciblages"),
            {
                "fichier": SimpleUploadedFile("x.csv", path.read_bytes()),
                "date_extraction": "2026-06-01",
            },
        )
    run = TargetingRun.objects.get()
    assert run.status == "refuse"
    assert "UTF-8" in run.message
    page = unescape(client.get(reverse("ciblage", args=[run.pk])).content.decode())
    assert "Fichier refusé" in page


def test_rule_form(client, org, team):
    login_as(client, team["manager"])
    response = client.post(
        reverse("ciblage-regle"),
        {"duree_min_jours": "90", "age_min": "50", "age_max": "40", "departements": ["01"]},
    )
    assert "L&#x27;âge maximum doit être supérieur" in response.content.decode()
    client.post(reverse("ciblage-regle"), {"duree_min_jours": "90", "departements": ["01"]})
    rule = services.targeting_rule(organisation=org)
    assert rule.parameters == {
        "duree_min_jours": 90,
        "age_min": None,
        "age_max": None,
        "departements": ["01"],
    }


@pytest.mark.parametrize("role", ["as", "desk", "secretary", "steering", "admin", "manager69"])
def test_targeting_pages_are_for_managers_only(client, org, team, tmp_path, role):
    run = services.run_sick_leave_extract(
        actor=team["manager"],
        organisation=org,
        path=write_extract(tmp_path / "e.csv", [extract_row(1, commune="01053")]),
        extraction_date=datetime.date(2026, 6, 1),
        dry_run=False,
    )
    login_as(client, team[role])
    expected = 200 if role == "manager69" else 404
    assert client.get(reverse("ciblages")).status_code == expected
    assert client.get(reverse("ciblage", args=[run.pk])).status_code == expected
    assert client.get(reverse("campagnes")).status_code == expected
    if role == "manager69":  # même organisme, autre département : la personne n'apparaît pas
        assert "ARRET1" not in client.get(reverse("ciblage", args=[run.pk])).content.decode()


def test_run_of_another_organisation_is_404(client, org, other_org, team, tmp_path):
    foreign = UserFactory(organisation=other_org, manager=True, departements=["01"])
    run = services.run_sick_leave_extract(
        actor=foreign,
        organisation=other_org,
        path=write_extract(tmp_path / "e.csv", [extract_row(1, commune="01053")]),
        extraction_date=datetime.date(2026, 6, 1),
        dry_run=False,
    )
    login_as(client, team["manager"])
    assert client.get(reverse("ciblage", args=[run.pk])).status_code == 404
    assert client.post(reverse("ciblage-lancer", args=[run.pk])).status_code == 404


# ---------------------------------------------------------------- signalements


def referral_post(person, **extra):
    data = {
        "person": person.pk,
        "emitter": "SERVICE_MEDICAL",
        "emitter_name": "Dr Martin, service médical",
        "emitter_address": "12 rue de la Santé, 01000 Bourg-en-Bresse",
        "received_on": "2026-06-10",
        "reason": "Arrêt long, risque de désinsertion",
        "priority": "HAUTE",
        "programme": "PDP",
        "action": "enregistrer",
    }
    data.update(extra)
    return data


def test_referral_for_person_in_open_case_goes_to_its_social_worker(client, org, team):
    person = make_person(org=org, actor=team["as"], last_name="Suivie")
    make_case(person=person, referent=team["as"])
    login_as(client, team["manager"])
    response = client.post(reverse("signalement-nouveau"), referral_post(person))
    referral = Referral.objects.get()
    assert response.url == reverse("signalement", args=[referral.pk])
    assert (referral.assigned_to, referral.status, referral.case.person) == (
        team["as"],
        "PRIS_EN_CHARGE",
        person,
    )
    assert AuditEntry.objects.filter(object_type="referral", person_id=person.pk).exists()


def test_unassigned_referral_listed_with_age_then_assigned_and_answered(client, org, team):
    person = make_person(org=org, actor=team["as"], last_name="Nouvelle")
    login_as(client, team["as"])
    client.post(reverse("signalement-nouveau"), referral_post(person, received_on="2026-06-01"))
    referral = Referral.objects.get()
    assert (referral.status, referral.assigned_to) == ("RECU", None)
    login_as(client, team["manager"])
    page = unescape(client.get(reverse("signalements")).content.decode())
    assert "Signalements sans AS" in page and "14 jours" in page
    client.post(reverse("signalement", args=[referral.pk]), {"social_worker": team["as"].pk})
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == ("PRIS_EN_CHARGE", team["as"])
    login_as(client, team["as"])
    client.post(reverse("signalement-etat", args=[referral.pk]), {"status": "RENCONTRE"})
    referral.refresh_from_db()
    assert referral.status == "RENCONTRE"
    pdf = client.get(reverse("signalement-reponse", args=[referral.pk]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Le service social a rencontré la personne" in text
    assert "Dr Martin, service médical" in text
    client.post(reverse("signalement-repondu", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.answered_on == datetime.date(2026, 6, 15)
    # État final : plus de changement possible.
    client.post(reverse("signalement-etat", args=[referral.pk]), {"status": "REFUS"})
    referral.refresh_from_db()
    assert referral.status == "RENCONTRE"


def test_referral_form_search_then_errors(client, org, team):
    make_person(org=org, actor=team["as"], last_name="Bernardin", first_names="Odile")
    login_as(client, team["as"])
    page = client.post(
        reverse("signalement-nouveau"), {"q": "Bernardin", "action": "chercher"}
    ).content.decode()
    assert "BERNARDIN Odile" in page and "Ce champ est obligatoire" not in page
    page = unescape(
        client.post(reverse("signalement-nouveau"), {"action": "enregistrer"}).content.decode()
    )
    assert "Cherchez puis choisissez la personne concernée." in page
    assert Referral.objects.count() == 0


@pytest.mark.parametrize("role", ["desk", "secretary", "steering", "admin", "manager69"])
def test_referral_out_of_scope_404(client, org, team, role):
    person = make_person(org=org, actor=team["as"])
    referral = services.record_referral(
        actor=team["as"],
        person=person,
        emitter="CCAS",
        received_on=datetime.date(2026, 6, 1),
        reason="Isolement",
        programme="BIEN_VIEILLIR",
    )
    login_as(client, team[role])
    assert client.get(reverse("signalement", args=[referral.pk])).status_code == 404
    assert (
        client.post(
            reverse("signalement-etat", args=[referral.pk]), {"status": "REORIENTE"}
        ).status_code
        == 404
    )
    expected_list = 200 if role == "manager69" else 404
    assert client.get(reverse("signalements")).status_code == expected_list


# ---------------------------------------------------------------- accueil


def test_front_line_contact_with_new_person_then_booking(client, org, team):
    login_as(client, team["desk"])
    response = client.post(
        reverse("accueil-contact-nouveau"),
        {
            "channel": "TELEPHONE",
            "new_last_name": "Appelant",
            "new_first_names": "Jeanne",
            "new_birth_date": "1961-02-03",
            "new_sex": "F",
            "new_phone": "0474000000",
            "departement": "01",
            "reason": "Retour à domicile après hospitalisation",
            "answer": "RENDEZ_VOUS",
            "duration_minutes": "4",
            "action": "enregistrer",
        },
    )
    contact = FrontLineContact.objects.get()
    person = Person.objects.get(last_name="Appelant")
    assert response.url == reverse("premier-creneau", args=[person.pk])
    assert (contact.person, contact.agent, contact.date, contact.departement_id) == (
        person,
        team["desk"],
        datetime.date(2026, 6, 15),
        "01",
    )
    assert contact.site == team["desk"].site


def test_front_line_anonymous_and_counts(client, org, team):
    login_as(client, team["desk"])
    for answer, extra in (("INFORMATION", {}), ("ORIENTATION", {"partner": "CCAS de Bourg"})):
        client.post(
            reverse("accueil-contact-nouveau"),
            {
                "channel": "ACCUEIL",
                "person": "",
                "departement": "01",
                "reason": "Question sur les aides",
                "answer": answer,
                "duration_minutes": "3",
                "action": "enregistrer",
                **extra,
            },
        )
    assert FrontLineContact.objects.filter(person__isnull=True).count() == 2
    page = unescape(client.get(reverse("accueil-contacts")).content.decode())
    assert "2 contacts" in page and "CCAS de Bourg" in page
    response = client.post(
        reverse("accueil-contact-nouveau"),
        {
            "channel": "ACCUEIL",
            "departement": "01",
            "reason": "x",
            "answer": "ORIENTATION",
            "duration_minutes": "3",
            "action": "enregistrer",
        },
    )
    assert "Indiquez le partenaire" in unescape(response.content.decode())
    assert FrontLineContact.objects.count() == 2


@pytest.mark.parametrize("role", ["steering", "admin"])
def test_front_line_out_of_scope(client, org, team, role):
    login_as(client, team[role])
    assert client.get(reverse("accueil-contacts")).status_code == 404
    assert client.get(reverse("accueil-contact-nouveau")).status_code == 404
    assert client.get(reverse("detection")).status_code == 404


@pytest.mark.parametrize("role", ["as", "desk", "secretary", "manager"])
def test_detection_home_by_role(client, org, team, role):
    login_as(client, team[role])
    page = client.get(reverse("detection")).content.decode()
    assert "Contacts d" in page
    assert ("Ciblages" in page) is (role == "manager")
    assert ("Signalements" in page) is (role in {"as", "manager"})


# ---------------------------------------------------------------- campagnes


def test_hand_made_campaign_and_funnel_from_records(client, org, team):
    people = [
        make_person(org=org, actor=team["as"], last_name=f"Main{i}", first_names="Paul", **POST)
        for i in range(3)
    ]
    login_as(client, team["manager"])
    page = client.post(
        reverse("campagne-nouvelle"), {"q": "Main", "action": "chercher"}
    ).content.decode()
    assert "MAIN0 Paul" in page
    client.post(
        reverse("campagne-nouvelle"),
        {
            "name": "Bien vieillir",
            "channel": "COURRIER",
            "proposal": "APPEL",
            "programme": "BIEN_VIEILLIR",
            "people": [p.pk for p in people],
            "action": "creer",
        },
    )
    campaign = Campaign.objects.get()
    offers = {o.person_id: o for o in ServiceOffer.objects.all()}
    assert len(offers) == 3 and campaign.sent_on == datetime.date(2026, 6, 15)
    services.set_offer_status(actor=team["manager"], offer=offers[people[0].pk], status="ACCEPTEE")
    services.set_offer_status(actor=team["manager"], offer=offers[people[1].pk], status="REFUSEE")
    case = make_case(person=people[0], referent=team["as"], opened_on=datetime.date(2026, 6, 15))
    make_contact(case=case, actor=team["as"], on=datetime.date(2026, 6, 15))
    page = client.get(reverse("campagne", args=[campaign.pk])).content.decode()
    from parcours.outreach import queries

    assert queries.campaign_funnel(team["manager"], campaign) == {
        "envoyees": 3,
        "repondues": 2,
        "acceptees": 1,
        "aidees": 1,
    }
    assert "personnes aidées dans les 90 jours" in unescape(page)
    pdf = client.get(reverse("campagne-courriers", args=[campaign.pk]))
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 3


def test_answer_to_emitter_by_email(
    client, org, team, settings, tmp_path, django_capture_on_commit_callbacks
):
    import json

    settings.PARCOURS_REMINDER_DIR = tmp_path / "envois"
    person = make_person(org=org, actor=team["as"], last_name="Courriel")
    make_case(person=person, referent=team["as"])
    login_as(client, team["as"])
    client.post(
        reverse("signalement-nouveau"),
        referral_post(person, emitter_address="signalements@ch-bourg.example"),
    )
    referral = Referral.objects.get()
    page = unescape(client.get(reverse("signalement", args=[referral.pk])).content.decode())
    assert "Répondre par courriel à signalements@ch-bourg.example" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signalement-repondu", args=[referral.pk]), {"courriel": "1"})
    referral.refresh_from_db()
    assert referral.answered_on == datetime.date(2026, 6, 15)
    sent = json.loads((tmp_path / "envois" / f"S{referral.pk}-email.json").read_text())
    assert sent["to"] == "signalements@ch-bourg.example"
    assert "a pris la situation en charge" in sent["body"]
    assert "COURRIEL" in sent["body"]  # nom de la personne, connu de l'émetteur


def test_progress_partial_polls_while_running(client, org, team):
    rule = services.targeting_rule(organisation=org)
    run = TargetingRun.objects.create(
        organisation=org,
        rule=rule,
        rule_code=rule.code,
        parameters=rule.parameters,
        programme=rule.programme,
        dry_run=True,
        file_name="gros.csv",
        extraction_date=datetime.date(2026, 6, 1),
        status=TargetingRun.Status.EN_COURS,
        progress=42,
        created_by=team["manager"],
    )
    login_as(client, team["manager"])
    partial = unescape(client.get(reverse("ciblage-avancement", args=[run.pk])).content.decode())
    assert f'hx-get="{reverse("ciblage-avancement", args=[run.pk])}"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert '<progress id="progression" max="100" value="42">' in partial
    assert "Lecture du fichier : 42 %" in partial
    page = client.get(reverse("ciblage", args=[run.pk])).content.decode()
    assert 'id="etat-ciblage"' in page and "Lancer l&#x27;import réel" not in page


def test_person_calls_back_with_offer_reference(client, org, team):
    person = make_person(org=org, actor=team["as"], last_name="Rappel")
    campaign = services.create_campaign(
        actor=team["manager"],
        name="Test",
        channel="COURRIER",
        proposal="RENDEZ_VOUS",
        programme="PDP",
        people=[person],
    )
    offer = campaign.offers.get()
    login_as(client, team["desk"])
    post = {
        "channel": "TELEPHONE",
        "departement": "01",
        "reason": "Répond au courrier",
        "answer": "RENDEZ_VOUS",
        "duration_minutes": "3",
        "action": "enregistrer",
    }
    page = unescape(
        client.post(
            reverse("accueil-contact-nouveau"), {**post, "offer_reference": "OS9999-00001"}
        ).content.decode()
    )
    assert "Aucune offre de service de vos départements n'a cette référence." in page
    page = unescape(
        client.post(
            reverse("accueil-contact-nouveau"),
            {**post, "offer_reference": offer.reference.lower(), "action": "chercher"},
        ).content.decode()
    )
    assert f"Offre de service {offer.reference}" in page and "RAPPEL Claire" in page
    response = client.post(
        reverse("accueil-contact-nouveau"), {**post, "offer_reference": offer.reference}
    )
    assert response.url == reverse("premier-creneau", args=[person.pk])
    offer.refresh_from_db()
    assert (offer.status, offer.answered_on) == ("ACCEPTEE", datetime.date(2026, 6, 15))
    assert FrontLineContact.objects.get().person == person


def test_sms_campaign_keeps_reachable_people_and_sends(
    org, team, django_capture_on_commit_callbacks
):
    reachable = make_person(org=org, actor=team["as"], last_name="Joignable", phone="0611223344")
    make_person(org=org, actor=team["as"], last_name="Injoignable")

    class Memory:
        def __init__(self):
            self.sent = []

        def send(self, message):
            self.sent.append(message)

    memory = Memory()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.create_campaign(
            actor=team["manager"],
            name="SMS",
            channel="SMS",
            proposal="APPEL",
            programme="PDP",
            phone="36 46",
            people=Person.objects.filter(organisation=org),
            sender=memory,
        )
    offer = campaign.offers.get()
    assert offer.person == reachable
    assert [(m.channel, m.to, m.reference) for m in memory.sent] == [
        ("SMS", "0611223344", offer.reference)
    ]
    assert "au 36 46" in memory.sent[0].body and offer.reference in memory.sent[0].body
    from parcours.core.exceptions import BusinessError

    with pytest.raises(BusinessError, match="joignable par ce canal"):
        services.create_campaign(
            actor=team["manager"],
            name="Courriel",
            channel="EMAIL",
            proposal="APPEL",
            programme="PDP",
            people=Person.objects.filter(organisation=org),
            sender=memory,
        )


def test_campaign_reminders_mark_overdue_and_print_letters(client, org, team):
    people = [
        make_person(org=org, actor=team["as"], last_name=f"Relance{i}", first_names="Anne", **POST)
        for i in range(3)
    ]
    campaign = services.create_campaign(
        actor=team["manager"],
        name="Relances",
        channel="COURRIER",
        proposal="RENDEZ_VOUS",
        programme="PDP",
        people=people,
        sent_on=datetime.date(2026, 5, 1),  # il y a 45 jours
    )
    offers = {o.person_id: o for o in campaign.offers.all()}
    services.set_offer_status(actor=team["manager"], offer=offers[people[0].pk], status="ACCEPTEE")
    login_as(client, team["manager"])
    client.post(reverse("campagne-relance", args=[campaign.pk]))
    statuses = dict(campaign.offers.values_list("person__last_name", "status"))
    assert statuses == {
        "Relance0": "ACCEPTEE",
        "Relance1": "SANS_REPONSE",
        "Relance2": "SANS_REPONSE",
    }
    assert sorted(campaign.offers.values_list("reminders", flat=True)) == [0, 1, 1]
    pdf = client.get(reverse("campagne-courriers", args=[campaign.pk]) + "?relance=1")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2
    assert "Sans nouvelles de votre part" in reader.pages[0].extract_text()
    login_as(client, team["as"])
    assert client.post(reverse("campagne-relance", args=[campaign.pk])).status_code == 404
