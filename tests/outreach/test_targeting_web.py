"""Ciblages sur le web, pour toutes les règles du catalogue : choisir la règle et son fichier,
régler chaque règle, voir l'événement ou le score des personnes ciblées ; par rôle."""

import datetime
import zoneinfo
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.core import clock
from parcours.outreach import services
from parcours.outreach.models import Campaign, TargetingRun
from parcours.people.models import Person
from parcours.rules import targeting
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.outreach.factories import event_row, nir_for, write_events

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
RETIREES_HEADER = "id;annee_naissance;commune_insee;reversion;exonere_csg;nir;nom;prenom;sexe"


@pytest.fixture(autouse=True)
def frozen_today(settings, tmp_path):
    settings.PARCOURS_IMPORT_DIR = tmp_path / "imports"
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def team(org):
    return {
        "as": UserFactory(organisation=org, social_worker=True, departements=["01"]),
        "manager": UserFactory(organisation=org, manager=True, departements=["01"]),
        "steering": UserFactory(organisation=org, steering=True, departements=["01"]),
        "admin": UserFactory(organisation=org, admin=True, departements=["01"]),
    }


def upload(client, on_commit, name, content, regle, **extra):
    with on_commit(execute=True):
        return client.post(
            reverse("ciblages"),
            {
                "regle": regle,
                "fichier": SimpleUploadedFile(name, content),
                "date_extraction": "2026-06-01",
                **extra,
            },
        )


def test_targeting_page_lists_every_rule(client, team):
    login_as(client, team["manager"])
    page = unescape(client.get(reverse("ciblages")).content.decode())
    for code, spec in targeting.RULES.items():
        assert spec.label in page
        assert reverse("ciblage-regle-code", args=[code]) in page
    assert "Fichier d'événements" in page and "Fichier des retraités (avec identités)" in page


def test_events_upload_dry_run_launch_entries_and_campaign(
    client, org, team, tmp_path, django_capture_on_commit_callbacks
):
    login_as(client, team["manager"])
    path = write_events(
        tmp_path / "e.csv",
        [
            event_row(1, "DECES_CONJOINT", "2026-05-10"),
            event_row(2, "DECES_CONJOINT", "2026-01-10"),  # plus de 90 jours
            event_row(3, "DIVORCE", "2026-05-10"),
        ],
    )
    response = upload(
        client, django_capture_on_commit_callbacks, "evenements.csv", path.read_bytes(),
        "DECES_CONJOINT",
    )  # fmt: skip
    dry = TargetingRun.objects.get()
    assert response.url == reverse("ciblage", args=[dry.pk])
    assert (dry.rule_code, dry.programme, dry.targeted, dry.rejected) == (
        "DECES_CONJOINT", "DEUIL", 1, 1,
    )  # fmt: skip
    page = unescape(client.get(response.url).content.decode())
    assert "ligne 4" not in page or "DIVORCE" in page
    assert "code événement « DIVORCE » inconnu" in page
    assert Person.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ciblage-lancer", args=[dry.pk]))
    real = TargetingRun.objects.exclude(pk=dry.pk).get()
    assert (real.dry_run, real.status, real.rule_code, real.new_people) == (
        False, "termine", "DECES_CONJOINT", 1,
    )  # fmt: skip
    page = unescape(client.get(reverse("ciblage", args=[real.pk])).content.decode())
    assert "Date de l'événement" in page and "décès du conjoint" in page and "10/05/2026" in page
    client.post(
        reverse("campagne-nouvelle") + f"?ciblage={real.pk}",
        {
            "ciblage": real.pk,
            "name": "Veuvage",
            "channel": "COURRIER",
            "proposal": "APPEL",
            "programme": "DEUIL",
            "phone": "04 74 00 00 00",
            "action": "creer",
        },
    )
    campaign = Campaign.objects.get()
    assert campaign.run_id == real.pk and campaign.offers.count() == 1


def test_retirees_upload_for_fragility_with_year(
    client, org, team, django_capture_on_commit_callbacks
):
    login_as(client, team["manager"])
    rows = [
        f"R1;1940;01053;1;1;{nir_for(1, birth=datetime.date(1940, 3, 1), dep='01')};Vieux;Jean;M",
        f"R2;1960;01053;0;0;{nir_for(2, birth=datetime.date(1960, 3, 1), dep='01')};Jeune;Paul;M",
    ]
    content = ("\n".join([RETIREES_HEADER, *rows]) + "\n").encode()
    upload(
        client, django_capture_on_commit_callbacks, "retraites.csv", content, "FRAGILITE",
        annee="2025",
    )  # fmt: skip
    dry = TargetingRun.objects.get()
    assert (dry.rule_code, dry.status, dry.targeted, dry.parameters["annee"]) == (
        "FRAGILITE", "termine", 1, 2025,
    )  # fmt: skip
    page = unescape(client.get(reverse("ciblage", args=[dry.pk])).content.decode())
    assert "fichier des retraités de 2025" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ciblage-lancer", args=[dry.pk]))
    real = TargetingRun.objects.exclude(pk=dry.pk).get()
    assert (real.status, real.parameters["annee"], real.targeted) == ("termine", 2025, 1)
    page = unescape(client.get(reverse("ciblage", args=[real.pk])).content.decode())
    assert "Score de fragilité" in page and "<td>10</td>" in page


@pytest.mark.parametrize("code", list(targeting.RULES))
def test_every_rule_page_saves_its_parameters(client, org, team, code):
    login_as(client, team["manager"])
    url = reverse("ciblage-regle-code", args=[code])
    page = unescape(client.get(url).content.decode())
    assert targeting.RULES[code].label in page
    defaults = targeting.clean_parameters(code, None)[0]
    data = {k: v for k, v in defaults.items() if v not in (None, [], False)}
    data["departements"] = ["01"]
    response = client.post(url, data)
    assert response.status_code == 302
    rule = services.targeting_rule(organisation=org, code=code)
    assert rule.parameters == defaults | {"departements": ["01"]}


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("FRAGILITE", {"score_min": "12", "delai_offre_mois": "12"}, "11"),
        ("PLUS_90_ANS", {"age_min": "59", "mois_sans_visite": "24", "delai_offre_mois": "12"},
         "L'âge minimum doit être compris entre 60 et 120 ans."),
        ("C2S", {"delai_max_jours": "0", "delai_offre_mois": "12"}, "1"),
    ],
)  # fmt: skip
def test_rule_page_refuses_bad_values_in_french(client, org, team, code, data, message):
    login_as(client, team["manager"])
    before = services.targeting_rule(organisation=org, code=code).parameters
    response = client.post(reverse("ciblage-regle-code", args=[code]), data)
    assert response.status_code == 200 and message in unescape(response.content.decode())
    assert services.targeting_rule(organisation=org, code=code).parameters == before


def test_unknown_rule_page_is_404(client, team):
    login_as(client, team["manager"])
    assert client.get(reverse("ciblage-regle-code", args=["INCONNUE"])).status_code == 404


@pytest.mark.parametrize("role", ["as", "steering", "admin"])
def test_rule_pages_are_for_managers_only(client, team, role):
    login_as(client, team[role])
    assert client.get(reverse("ciblages")).status_code == 404
    for code in ("FRAGILITE", "PLUS_90_ANS", "C2S"):
        url = reverse("ciblage-regle-code", args=[code])
        assert client.get(url).status_code == 404
        assert client.post(url, {"score_min": "3"}).status_code == 404
