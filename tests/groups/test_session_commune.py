"""La commune d'une séance (observatoire des fragilités) : saisie facultative, contrôlée,
journalisée ; « programmer une action » depuis une zone blanche (?commune=&programme=)."""

from html import unescape

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.groups.forms import COMMUNE_HELP, SessionForm, action_prefill
from parcours.groups.models import GroupAction, Session
from tests.conftest import login_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BOURG = "01053"  # Bourg-en-Bresse


def html_of(response):
    return unescape(response.content.decode())


def test_help_text_is_the_observatory_one(action, as01):
    field = SessionForm(action=action, user=as01).fields["commune"]
    assert not field.required
    assert field.help_text == (
        "Pour une séance hors d'un lieu d'accueil ou d'un partenaire de l'annuaire : la commune "
        "où elle se tient (observatoire des fragilités)."
    )
    assert field.help_text == COMMUNE_HELP


def _post(**extra):
    return {
        "date": "2026-03-20",
        "start_time": "14:00",
        "capacity": "12",
        "partner_place": "Salle des fêtes de Brou",
        **extra,
    }


def test_new_session_with_a_commune_is_saved_and_audited(client, frozen, action, as01):
    login_as(client, as01)
    url = reverse("collectif-seance-nouvelle", args=[action.pk])
    page = html_of(client.get(url))
    assert "Commune (code INSEE)" in page and "observatoire des fragilités" in page
    response = client.post(url, _post(commune=" 01053 "))
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.commune_id == BOURG
    entry = AuditEntry.objects.get(object_type="session", action="CREATE")
    assert entry.changes["commune"] == {"avant": None, "apres": BOURG}
    detail = html_of(client.get(reverse("collectif-seance", args=[session.pk])))
    assert "Bourg-en-Bresse (01053)" in detail


def test_unknown_commune_refused_in_french(client, frozen, action, as01):
    login_as(client, as01)
    url = reverse("collectif-seance-nouvelle", args=[action.pk])
    response = client.post(url, _post(commune="99999"))
    assert response.status_code == 422
    assert "Code commune inconnu : « 99999 »." in html_of(response)
    assert not Session.objects.exists()


def test_session_without_commune_still_fine(client, frozen, action, as01):
    login_as(client, as01)
    url = reverse("collectif-seance-nouvelle", args=[action.pk])
    assert client.post(url, _post()).status_code == 302
    assert Session.objects.get().commune_id is None


def test_edit_session_commune_shown_changed_and_audited(client, frozen, session, as01):
    login_as(client, as01)
    url = reverse("collectif-seance-modifier", args=[session.pk])
    data = _post(date="2026-03-10", capacity="2", commune="2a004")  # Ajaccio, en minuscules
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.commune_id == "2A004"
    entry = AuditEntry.objects.filter(object_type="session", action="UPDATE").latest("id")
    assert entry.changes["commune"] == {"avant": "None", "apres": "2A004"}
    page = html_of(client.get(url))
    assert 'value="2A004"' in page
    # effacer la commune
    assert client.post(url, _post(date="2026-03-10", capacity="2")).status_code == 302
    session.refresh_from_db()
    assert session.commune_id is None


def test_session_form_prefilled_from_the_address(client, frozen, action, as01):
    login_as(client, as01)
    url = reverse("collectif-seance-nouvelle", args=[action.pk])
    assert f'value="{BOURG}"' in html_of(client.get(url, {"commune": BOURG}))
    for bad in ("99999", "<b>", "x" * 200, ""):
        response = client.get(url, {"commune": bad})
        assert response.status_code == 200
        assert 'name="commune" value=' not in html_of(response)


# ------------------------------------------------------------------ programmer une action


def test_action_prefill_validates_everything(org, as01):
    initial, commune = action_prefill({"commune": BOURG, "programme": "bien_vieillir"}, as01)
    assert initial == {"programme": "BIEN_VIEILLIR", "departement": "01", "commune": BOURG}
    assert commune.code == BOURG
    assert action_prefill({"commune": "69123", "programme": "NIMPORTE"}, as01) == ({}, None)
    assert action_prefill({}, as01) == ({}, None)
    assert action_prefill({"commune": "abc", "programme": ""}, as01) == ({}, None)


def test_programme_an_action_from_a_white_zone(client, frozen, org, as01):
    login_as(client, as01)
    url = reverse("collectif-action-nouvelle")
    page = client.get(url, {"commune": BOURG, "programme": "BIEN_VIEILLIR"})
    text = html_of(page)
    assert page.status_code == 200
    assert "Action programmée depuis l'observatoire des fragilités pour Bourg-en-Bresse" in text
    assert '<option value="BIEN_VIEILLIR" selected>' in text
    assert '<option value="01" selected>' in text
    assert f'name="commune" value="{BOURG}"' in text
    response = client.post(
        url,
        {
            "type": "ATELIER",
            "programme": "BIEN_VIEILLIR",
            "title": "Atelier équilibre",
            "departement": "01",
            "commune": BOURG,
        },
    )
    action = GroupAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("collectif-seance-nouvelle", args=[action.pk]) + f"?commune={BOURG}"
    )
    form_page = html_of(client.get(response["Location"]))
    assert f'value="{BOURG}"' in form_page
    assert "Ajoutez sa première séance, à Bourg-en-Bresse" in form_page


def test_bad_prefill_values_are_ignored_without_error(client, frozen, org, as01):
    login_as(client, as01)
    url = reverse("collectif-action-nouvelle")
    for params in (
        {"commune": "99999", "programme": "XYZ"},
        {"commune": "69123", "programme": "PDP"},  # Lyon : hors du département de l'agent
        {"commune": "'\"><script>", "programme": "<i>"},
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "Action programmée depuis" not in html_of(response)


def test_commune_dropped_when_the_departement_is_changed(client, frozen, org):
    agent = UserFactory(organisation=org, social_worker=True, departements=["01", "69"])
    login_as(client, agent)
    response = client.post(
        reverse("collectif-action-nouvelle"),
        {
            "type": "ATELIER",
            "programme": "BIEN_VIEILLIR",
            "title": "Atelier",
            "departement": "69",
            "commune": BOURG,
        },
    )
    action = GroupAction.objects.get()
    assert response["Location"] == reverse("collectif-action", args=[action.pk])


def test_plain_action_creation_unchanged(client, frozen, org, as01):
    login_as(client, as01)
    response = client.post(
        reverse("collectif-action-nouvelle"),
        {"type": "ATELIER", "programme": "PDP", "title": "Atelier", "departement": "01"},
    )
    action = GroupAction.objects.get()
    assert response["Location"] == reverse("collectif-action", args=[action.pk])
