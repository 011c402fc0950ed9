"""Le rôle DPO : l'administrateur coche « délégué·e à la protection des données » sur la fiche
d'un agent (journal compris) ; un DPO sans fonction est permis ; il voit l'entrée du menu."""

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry, User
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture
def admin(org):
    return UserFactory(organisation=org, admin=True, departements=["01", "69"])


def test_admin_creates_a_dpo_without_function(client, org, admin):
    login_as(client, admin)
    page = client.get(reverse("administration-agent-nouveau")).content.decode()
    assert "Délégué·e à la protection des données (DPO)" in page
    response = client.post(
        reverse("administration-agent-nouveau"),
        {
            "username": "dpo.carsat",
            "first_name": "Chloé",
            "last_name": "Marchand",
            "function": "",
            "fte": "1",
            "departements": [],
            "is_dpo": "on",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="dpo.carsat")
    assert user.is_dpo and not user.is_org_admin and user.function == ""
    entry = AuditEntry.objects.get(object_type="user", object_id=str(user.pk))
    assert entry.changes["is_dpo"] == {"avant": None, "apres": True}
    listing = client.get(reverse("administration-agents")).content.decode()
    assert ">DPO<" in listing


def test_a_function_is_still_required_without_admin_or_dpo(client, org, admin):
    login_as(client, admin)
    response = client.post(
        reverse("administration-agent-nouveau"),
        {
            "username": "sans.fonction",
            "first_name": "A",
            "last_name": "B",
            "function": "",
            "fte": "1",
            "password": PASSWORD,
        },
    )
    assert response.status_code in (200, 422)
    assert "Choisissez une fonction" in response.content.decode()
    assert not User.objects.filter(username="sans.fonction").exists()


def test_admin_sets_then_removes_the_dpo_flag_audited(client, org, admin):
    worker = UserFactory(organisation=org, function="CHARGE_MISSION", departements=["01"])
    login_as(client, admin)
    url = reverse("administration-agent", args=[worker.pk])
    data = {
        "username": worker.username,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "function": "CHARGE_MISSION",
        "fte": "1",
        "departements": ["01"],
        "is_dpo": "on",
    }
    assert client.get(url).context["form"].initial["is_dpo"] is False
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    assert worker.is_dpo
    entry = AuditEntry.objects.filter(object_id=str(worker.pk), object_type="user").latest("pk")
    assert entry.changes == {"is_dpo": {"avant": False, "apres": True}}
    data.pop("is_dpo")
    assert client.post(url, data).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_dpo


def test_menu_entry_for_admin_and_dpo_only(client, org, admin):
    dpo = UserFactory(organisation=org, function="CHARGE_MISSION", is_dpo=True)
    worker = UserFactory(organisation=org, function="AS")
    entry = '<a class="fr-nav__link" href="/protection-donnees/"'
    for user, shown in ((admin, True), (dpo, True), (worker, False)):
        login_as(client, user)
        html = client.get(reverse("personnes") if user is worker else "/", follow=True)
        assert (entry in html.content.decode()) is shown, user


def test_a_dpo_without_function_sees_neither_aid_nor_its_simulator(client, org):
    dpo = UserFactory(organisation=org, function="", is_dpo=True)
    login_as(client, dpo)
    html = client.get("/", follow=True).content.decode()
    assert 'href="/protection-donnees/"' in html
    assert 'href="/aides/"' not in html
    assert client.get(reverse("aides-simulateur")).status_code == 404
