"""Le panneau des purges et l'essai à blanc sur le web : administrateurs et DPO seulement (404
pour tout autre rôle et hors de l'organisme) ; l'essai n'écrit rien."""

import datetime
import zoneinfo

import pytest

from parcours.core import clock
from parcours.people.models import Person
from parcours.privacy.models import PurgeRun
from parcours.privacy.services import purge
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.steering import factories as f

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)
PAGE = "/protection-donnees/purges/"
PREVIEW = "/protection-donnees/purges/essai/"

ROLES = {
    "admin": {"admin": True},
    "dpo": {"is_dpo": True, "social_worker": True},
    "as": {"social_worker": True},
    "accueil": {"front_line": True},
    "secretaire": {"secretary": True},
    "responsable": {"manager": True},
    "pilotage": {"steering": True},
}


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def closed_file(org):
    worker = UserFactory(organisation=org, social_worker=True)
    who = make_person(org=org, actor=worker, last_name="Dupont")
    f.case(who, opened=datetime.date(2018, 1, 1), closed=datetime.date(2019, 1, 1))
    return who


@pytest.mark.parametrize("role", ROLES)
def test_every_role(client, org, closed_file, role):
    login_as(client, UserFactory(organisation=org, **ROLES[role]))
    allowed = role in {"admin", "dpo"}
    page = client.get(PAGE)
    assert page.status_code == (200 if allowed else 404)
    preview = client.post(PREVIEW, HTTP_HX_REQUEST="true")
    assert preview.status_code == (200 if allowed else 404)
    if allowed:
        assert "Aucune purge réelle encore" in page.content.decode()
        assert "16/06/2026 à 03:30" in page.content.decode()
        text = preview.content.decode()
        assert "rien n&#x27;a été modifié" in text or "rien n'a été modifié" in text
        assert "1 personne à anonymiser" in text
    closed_file.refresh_from_db()
    assert closed_file.anonymised_on is None and not PurgeRun.objects.exists()


def test_another_organisations_admin_sees_only_their_own(client, org, other_org, closed_file):
    login_as(client, UserFactory(organisation=other_org, admin=True))
    text = client.post(PREVIEW, HTTP_HX_REQUEST="true").content.decode()
    assert "aucune personne à anonymiser" in text


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get(PAGE).status_code == 302
    assert client.post(PREVIEW).status_code == 302


def test_the_panel_shows_the_last_run_and_an_interrupted_one(client, org, closed_file):
    dpo = UserFactory(organisation=org, is_dpo=True, username="dpo")
    purge.purge(organisation=org, dry_run=False, actor=dpo)
    login_as(client, dpo)
    text = client.get(PAGE).content.decode()
    assert "1 personne anonymisée" in text and "15/06/2026" in text
    PurgeRun.objects.create(organisation=org, as_of=NOW.date(), dry_run=False)
    assert "Interrompue" in client.get(PAGE).content.decode()
    # without htmx, the trial comes back in the whole page
    whole = client.post(PREVIEW).content.decode()
    assert "<h1>Purges de conservation</h1>" in whole and "Essai au 15/06/2026" in whole
    assert Person.objects.filter(anonymised_on__isnull=False).count() == 1
