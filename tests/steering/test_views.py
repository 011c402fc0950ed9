"""Pages du pilotage : chaque rôle, périmètre (404), chiffres reliés à ce qu'ils comptent."""

import json
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Mode
from parcours.steering.models import Target
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.pdf_checks import assert_tagged_pdf
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]


@pytest.fixture
def world(org, other_org):
    here = person(org, departement="01", name="Ici")
    c = case(here, opened=date(2025, 1, 2), risk="MALADIE")
    contact(c, date(2025, 3, 1), Mode.VAD)
    contact(c, date(2025, 4, 1), Mode.TELEPHONE)
    there = person(org, departement="69", name="Labas")
    contact(case(there, opened=date(2025, 1, 2)), date(2025, 3, 1), Mode.VAD)
    foreign = person(other_org, departement="01", name="Ailleurs")
    contact(case(foreign, opened=date(2025, 1, 2)), date(2025, 3, 1))
    return org


def user(org, role, departements=("01",)):
    return UserFactory(organisation=org, departements=list(departements), **{role: True})


def get(client, name, params=None, **kwargs):
    url = reverse(name, **kwargs)
    return client.get(url, params or {})


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, world, role):
    login_as(client, user(world, role))
    allowed = role in {"manager", "steering"}
    params = {"annee": 2025, "territoire": "departement-01"}
    for name in ("pilotage", "pilotage-rapport", "pilotage-objectifs"):
        response = get(client, name, params)
        assert response.status_code == (200 if allowed else 404), name
    response = get(client, "pilotage-detail", params | {"chiffre": "entretiens"})
    assert response.status_code == (200 if allowed else 404)
    html = unescape(client.get(reverse("mon-compte")).content.decode())
    assert ('href="/pilotage/"' in html) is allowed


def test_manager_out_of_scope_territories_answer_404(client, world):
    login_as(client, user(world, "manager"))
    for key in ("departement-69", "region-84", "organisme", "departement-zz"):
        response = get(client, "pilotage-rapport", {"annee": 2025, "territoire": key})
        assert response.status_code == 404, key
    assert (
        get(client, "pilotage", {"annee": 1800, "territoire": "departement-01"}).status_code == 400
    )


def test_steering_sees_organisation_regions_and_departements(client, world):
    login_as(client, user(world, "steering"))
    html = unescape(get(client, "pilotage-rapport").content.decode())
    assert "Tout l'organisme" in html and "Région Auvergne-Rhône-Alpes" in html
    response = get(client, "pilotage-rapport", {"annee": 2025, "territoire": "organisme"})
    html = unescape(response.content.decode())
    assert "2 personnes aidées" in html
    assert "01 — Ain" in html and "69 — Rhône" in html
    response = get(client, "pilotage-rapport", {"annee": 2025, "territoire": "region-84"})
    assert response.status_code == 200


def test_manager_follows_a_figure_to_its_records(client, world):
    manager = user(world, "manager")
    login_as(client, manager)
    params = {"annee": 2025, "territoire": "departement-01"}
    html = unescape(get(client, "pilotage-rapport", params).content.decode())
    assert "1 personne aidée" in html
    assert "chiffre=mode%3AVAD" in html
    detail = get(client, "pilotage-detail", params | {"chiffre": "mode:VAD"})
    html = unescape(detail.content.decode())
    assert "1 entretien" in html and "ICI Claire" in html and "Labas" not in html.upper()
    people = unescape(
        get(client, "pilotage-detail", params | {"chiffre": "personnes"}).content.decode()
    )
    assert "ICI Claire" in people
    cases = unescape(
        get(client, "pilotage-detail", params | {"chiffre": "pdp_accompagnes"}).content.decode()
    )
    assert "Maladie, invalidité" in cases
    assert get(client, "pilotage-detail", params | {"chiffre": "inconnu"}).status_code == 404


def test_steering_sees_aggregates_only(client, world):
    login_as(client, user(world, "steering"))
    params = {"annee": 2025, "territoire": "organisme", "chiffre": "personnes"}
    html = unescape(get(client, "pilotage-detail", params).content.decode())
    assert "jamais les dossiers" in html
    assert "ICI" not in html and "LABAS" not in html and "Claire" not in html
    assert ">01<" in html and ">69<" in html


def test_exports(client, world):
    login_as(client, user(world, "steering"))
    params = {"annee": 2025, "territoire": "organisme"}
    response = get(client, "pilotage-export", params, args=["json"])
    assert json.loads(response.content)["personnes"]["total"] == 2
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-activite-2025-organisme.json"'
    )
    response = get(client, "pilotage-export", params, args=["xlsx"])
    assert response.content[:2] == b"PK"
    assert get(client, "pilotage-export", params, args=["doc"]).status_code == 404


def test_pdf_export(client, world):
    login_as(client, user(world, "manager"))
    response = get(
        client, "pilotage-export", {"annee": 2025, "territoire": "departement-01"}, args=["pdf"]
    )
    assert response.content[:4] == b"%PDF"
    assert_tagged_pdf(response.content)  # PDF/UA-1 : balisé, langue du document


def test_dashboard_status_and_targets(client, world):
    manager = user(world, "manager")
    login_as(client, manager)
    params = {"annee": 2025, "territoire": "departement-01"}
    url = reverse("pilotage-objectifs") + "?annee=2025&territoire=departement-01"
    response = client.post(url, {"objectif_PERS_IND": "1", "objectif_SER_PSB_05_01": "120"})
    assert response.status_code == 422
    assert "Un pourcentage ne dépasse pas 100." in unescape(response.content.decode())
    assert not Target.objects.exists()
    response = client.post(url, {"objectif_PERS_IND": "1", "objectif_ENT_FAF": "5,5"})
    assert response.status_code == 302
    assert dict(Target.objects.values_list("indicator", "value")) == {
        "PERS.IND": 1,
        "ENT.FAF": 5.5,
    }
    assert AuditEntry.objects.filter(object_type="objectifs").count() == 1
    html = unescape(get(client, "pilotage", params).content.decode())
    assert "Objectif atteint" in html  # 1 person helped, target 1
    assert "Non atteint, en progrès" in html  # 1 face-to-face (0 in 2024), target 5.5
    assert "Détail par agent" in html
    # steering cannot edit a manager-only scope? it can: its scope includes the département
    login_as(client, user(world, "steering"))
    assert client.get(url).status_code == 200


def test_dashboard_no_previous_value_is_never_a_recul(client, world):
    """PDP.DUREE has a value in 2025 but none in 2024: not met, no trend (not « en recul »)."""
    here = person(world, departement="01", name="Close")
    c = case(here, opened=date(2025, 1, 2), closed=date(2025, 6, 2), outcome="MAINTIEN_EMPLOI")
    contact(c, date(2025, 2, 1))
    manager = user(world, "manager")
    Target.objects.create(
        organisation=world,
        indicator="PDP.DUREE",
        year=2025,
        level="departement",
        territory_code="01",
        value=1,
        updated_by=manager,
    )
    login_as(client, manager)
    html = unescape(
        get(client, "pilotage", {"annee": 2025, "territoire": "departement-01"}).content.decode()
    )
    row = html[html.index("PDP : durée moyenne") :]
    row = row[: row.index("</tr>")]
    assert "Non atteint, pas de valeur antérieure" in row
    assert "Pas de valeur antérieure" in row and "recul" not in row
    assert "Sans objectif" in html  # indicators without a target for 2025
    legend = html[html.index('aria-label="Légende des statuts"') :]
    legend = legend[: legend.index("</ul>")]
    from parcours.rules.indicators import STATUS_LABELS

    assert [m for m in STATUS_LABELS.values() if f"<li>{m}</li>" in legend] == list(
        STATUS_LABELS.values()
    )


def test_dashboard_drill_down_region_to_departements(client, world):
    login_as(client, user(world, "steering"))
    html = unescape(
        get(client, "pilotage", {"annee": 2025, "territoire": "region-84"}).content.decode()
    )
    assert "Détail par territoire" in html
    assert "territoire=departement-69" in html
    html = unescape(
        get(
            client, "pilotage", {"annee": 2025, "territoire": "organisme", "indicateur": "ENT.FAF"}
        ).content.decode()
    )
    assert "territoire=region-84" in html
    assert get(client, "pilotage", {"indicateur": "NOPE"}).status_code == 404


@pytest.fixture
def bundle_zip(tmp_path):
    import io
    import zipfile

    from tests.steering.test_history import FILES

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(name, text.encode())
    buffer.seek(0)
    buffer.name = "historique.zip"
    return buffer


@pytest.mark.parametrize("role", ROLES)
def test_history_upload_is_for_admins_only(client, world, role):
    login_as(client, user(world, role))
    assert get(client, "pilotage-historique").status_code == (200 if role == "admin" else 404)


def test_admin_uploads_tries_then_imports(
    client, world, bundle_zip, settings, tmp_path, django_capture_on_commit_callbacks
):
    from parcours.people.models import Person
    from parcours.steering.models import HistoryImport

    settings.VAR_DIR = tmp_path
    admin = user(world, "admin")
    login_as(client, admin)
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilotage-historique"), {"archive": bundle_zip})
    assert response.status_code == 302
    job = HistoryImport.objects.get()
    assert job.dry_run and job.status == "termine"
    html = unescape(client.get(response["Location"]).content.decode())
    assert "beneficiaires.csv : 5 lignes lues, 2 valides, 3 rejetées, 2 à créer" in html
    assert "« 31/02/1980 » n'est pas une date AAAA-MM-JJ" in html
    assert Person.objects.count() == before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilotage-historique-detail", args=[job.pk]))
    real = HistoryImport.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("pilotage-historique-detail", args=[real.pk])
    assert not real.dry_run and real.result["crees"]["beneficiaires.csv"] == 2
    assert Person.objects.count() == before + 2
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert "Importer les lignes valides" not in partial.content.decode()
    # another organisation's admin gets 404
    stranger = UserFactory(
        organisation=world.__class__.objects.exclude(pk=world.pk).first(), admin=True
    )
    login_as(client, stranger)
    assert client.get(reverse("pilotage-historique-detail", args=[job.pk])).status_code == 404


def test_upload_rejects_a_non_zip(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_as(client, user(world, "admin"))
    response = client.post(
        reverse("pilotage-historique"),
        {"archive": SimpleUploadedFile("lot.csv", b"id;nom\n")},
    )
    assert response.status_code == 422
    assert "Le fichier doit être une archive .zip." in unescape(response.content.decode())


def test_other_organisation_steering_sees_none_of_our_figures(client, world, other_org):
    login_as(client, user(other_org, "steering"))
    response = get(client, "pilotage-rapport", {"annee": 2025, "territoire": "organisme"})
    html = unescape(response.content.decode())
    assert "1 personne aidée" in html  # only its own person (Ailleurs)
    response = get(
        client,
        "pilotage-detail",
        {"annee": 2025, "territoire": "organisme", "chiffre": "entretiens"},
    )
    assert ">01<" in unescape(response.content.decode())


def test_departement_outside_the_scope_is_listed_without_link(client, world):
    contact(case(person(world, departement="38", name="Isere")), date(2025, 3, 1))
    login_as(client, user(world, "steering"))
    html = unescape(
        get(client, "pilotage-rapport", {"annee": 2025, "territoire": "region-84"}).content.decode()
    )
    assert "38 — Isère" in html
    assert "territoire=departement-38" not in html
    assert "territoire=departement-69" in html


def test_every_linked_figure_lists_exactly_what_it_counts(client, world):
    """Pour le responsable de l'Ain : chaque chiffre du rapport = taille de la liste derrière."""
    from parcours.steering import drilldown, report
    from tests.steering.factories import action, attend, offer, referral, session

    contact(case(person(world, sex="M", born=date(1999, 12, 31), name="Jeune")), date(2025, 6, 1))
    info = session(action(world), date(2025, 5, 1))
    attend(info, person(world, sex="M", born=date(1960, 1, 1), name="Collectif"))
    attend(info, person(world, name="Absent"), present=False)
    signaled = person(world, name="Signale")
    referral(signaled, date(2025, 2, 1))
    referral(signaled, date(2025, 3, 1), emitter="CPAM")
    offer(signaled, date(2025, 1, 20), reference="OFF-A")
    followed = person(world, name="Suivie")
    offer(followed, date(2025, 5, 1), reference="OFF-B")
    contact(case(followed), date(2025, 5, 20))
    manager = user(world, "manager")
    login_as(client, manager)
    where = report.territory(world, departement="01")
    document = report.build(world, 2025, where)
    expected = {
        "personnes": document["personnes"]["total"],
        "sexe:M": document["personnes"]["sexe"]["M"],
        "age:26_45": document["personnes"]["age"]["26_45"],
        "age:46_59": document["personnes"]["age"]["46_59"],
        "entretiens": document["entretiens"]["total"],
        "face_a_face": document["entretiens"]["face_a_face"],
        "mode:VAD": document["entretiens"]["par_mode"]["VAD"],
        "programme:PDP": document["programmes"]["PDP"]["total"],
        "collectif_participants": document["collectif"]["participants"],
        "pdp_information_collective": document["pdp"]["participants_information_collective"],
        "pdp_service_medical": document["pdp"]["signales_service_medical"],
        "signalements": document["signalements"]["total"],
        "emetteur:CPAM": document["signalements"]["par_emetteur"]["CPAM"],
        "offres": document["offres"]["envoyees"],
        "offres_suivies": document["offres"]["suivies_d_intervention"],
        "pdp_accompagnes": document["pdp"]["accompagnes"],
        "pdp_clotures": document["pdp"]["clotures"],
    }
    assert expected["sexe:M"] == 2 and expected["age:26_45"] == 1
    assert expected["personnes"] == 4 and expected["collectif_participants"] == 1
    assert expected["pdp_service_medical"] == 1
    assert (expected["signalements"], expected["emetteur:CPAM"]) == (2, 1)
    assert (expected["offres"], expected["offres_suivies"]) == (2, 1)
    for code, count in expected.items():
        fig = drilldown.figure(code)
        scope = report.Scope(world.pk, 2025, where, False)
        assert drilldown.records(scope, fig).count() == count, code
        response = get(
            client,
            "pilotage-detail",
            {"annee": 2025, "territoire": "departement-01", "chiffre": code},
        )
        assert f"<caption>{count} {fig.kind}</caption>" in unescape(response.content.decode())


def test_steering_sees_referral_and_offer_aggregates_only(client, world):
    from tests.steering.factories import offer, referral

    signaled = person(world, departement="69", name="Signalee")
    referral(signaled, date(2025, 2, 1))
    offer(signaled, date(2025, 2, 1), reference="OFF-S")
    login_as(client, user(world, "steering"))
    for code in ("signalements", "emetteur:SERVICE_MEDICAL", "offres", "offres_suivies"):
        params = {"annee": 2025, "territoire": "organisme", "chiffre": code}
        html = unescape(get(client, "pilotage-detail", params).content.decode())
        assert "jamais les dossiers" in html and "SIGNALEE" not in html, code
        if code != "offres_suivies":
            assert ">69<" in html, code
