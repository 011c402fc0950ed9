"""Les formulaires des autres domaines proposent l'annuaire de l'organisme : un partenaire d'un
autre organisme (ou inactif) n'est pas proposé, et l'envoyer quand même répond 422 ; choisi, il
s'affiche avec un lien vers sa fiche ; sans partenaire, le texte libre reste possible."""

import datetime

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.groups.models import GroupAction, Session
from parcours.outreach.models import FrontLineContact, Referral
from parcours.partners.models import Partner
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action
from tests.partners.factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def world(org, other_org, manager, foreign_manager, frozen):
    return {
        "as": UserFactory(organisation=org, social_worker=True, departements=["01"]),
        "desk": UserFactory(organisation=org, front_line=True, departements=["01"]),
        "mine": make_partner(org=org, actor=manager, name="CCAS de Bourg"),
        "asleep": Partner.objects.create(
            organisation=org, kind="AUTRE", name="Ancien partenaire", active=False
        ),
        "theirs": make_partner(org=other_org, actor=foreign_manager, name="CCAS d'ailleurs"),
    }


def _choices(response, field):
    return {p.pk for p in response.context["form"].fields[field].queryset}


def test_group_action_and_session(client, world):
    login_as(client, world["as"])
    url = reverse("collectif-action-nouvelle")
    assert _choices(client.get(url), "directory_partners") == {world["mine"].pk}
    data = {
        "type": "ATELIER",
        "programme": "BIEN_VIEILLIR",
        "title": "Atelier mémoire",
        "departement": "01",
        "partners": "Plateforme de répit",
    }
    refused = client.post(url, data | {"directory_partners": [world["theirs"].pk]})
    assert refused.status_code == 422
    assert refused.context["form"].errors["directory_partners"]
    assert 'value="Atelier mémoire"' in refused.content.decode()
    assert client.post(url, data | {"facilitator_partners": [world["asleep"].pk]}).status_code == (
        422
    )
    assert not GroupAction.objects.exists()
    client.post(url, data | {"directory_partners": [world["mine"].pk]})
    action = GroupAction.objects.get()
    assert list(action.directory_partners.all()) == [world["mine"]]
    assert action.partners == "Plateforme de répit"  # hors annuaire : le texte reste
    page = client.get(reverse("collectif-action", args=[action.pk])).content.decode()
    link = f'<a href="{reverse("partenaire", args=[world["mine"].pk])}">CCAS de Bourg</a>'
    assert link in page and "Plateforme de répit" in page
    session_url = reverse("collectif-seance-nouvelle", args=[action.pk])
    base = {"date": "2026-07-01", "start_time": "14:00", "capacity": "12"}
    refused = client.post(session_url, base | {"partner": world["theirs"].pk})
    assert refused.status_code == 422
    assert refused.context["form"].errors["partner"] == ["Choisissez un partenaire de l'annuaire."]
    client.post(session_url, base | {"partner": world["mine"].pk, "partner_place": "Salle 2"})
    session = Session.objects.get()
    assert (session.partner, session.partner_place, session.place) == (
        world["mine"],
        "Salle 2",
        "CCAS de Bourg — Salle 2",
    )
    page = client.get(reverse("collectif-seance", args=[session.pk])).content.decode()
    assert link in page


def test_referral_emitter(client, org, world):
    person = make_person(org=org, actor=world["as"], last_name="Signalée")
    login_as(client, world["as"])
    data = {
        "person": person.pk,
        "emitter": "SERVICE_MEDICAL",
        "emitter_name": "",
        "received_on": "2026-06-10",
        "reason": "Arrêt long",
        "priority": "HAUTE",
        "programme": "PDP",
        "action": "enregistrer",
    }
    url = reverse("signalement-nouveau")
    refused = client.post(url, data | {"emitter_partner": world["theirs"].pk})
    assert refused.status_code == 422 and "emitter_partner" in refused.context["form"].errors
    assert not Referral.objects.exists()
    client.post(url, data | {"emitter_partner": world["mine"].pk, "emitter_name": "Mme Roux"})
    referral = Referral.objects.get()
    # choisi dans l'annuaire : le texte libre n'est pas gardé en double
    assert (referral.emitter_partner, referral.emitter_name) == (world["mine"], "")
    page = client.get(reverse("signalement", args=[referral.pk])).content.decode()
    assert reverse("partenaire", args=[world["mine"].pk]) in page


def test_front_line_orientation(client, world):
    login_as(client, world["desk"])
    url = reverse("accueil-contact-nouveau")
    assert _choices(client.get(url), "oriented_to") == {world["mine"].pk}
    data = {
        "channel": "TELEPHONE",
        "departement": "01",
        "reason": "Aide ménagère",
        "answer": "ORIENTATION",
        "duration_minutes": "4",
        "action": "enregistrer",
    }
    refused = client.post(url, data | {"oriented_to": world["theirs"].pk})
    assert refused.status_code == 422 and "oriented_to" in refused.context["form"].errors
    nothing = client.post(url, data)
    assert nothing.status_code == 422
    assert nothing.context["form"].errors["partner"] == [
        "Indiquez le partenaire vers lequel la personne est orientée."
    ]
    client.post(url, data | {"partner": "Mairie de Belley"})  # hors annuaire
    client.post(url, data | {"oriented_to": world["mine"].pk})
    contacts = FrontLineContact.objects.order_by("pk")
    assert [(c.oriented_to, c.partner) for c in contacts] == [
        (None, "Mairie de Belley"),
        (world["mine"], ""),
    ]
    page = client.get(reverse("accueil-contacts")).content.decode()
    assert reverse("partenaire", args=[world["mine"].pk]) in page and "Mairie de Belley" in page


def test_services_refuse_a_foreign_partner(org, world):
    from parcours.core.exceptions import BusinessError
    from parcours.groups import services as groups

    action = make_action(org=org, actor=world["as"])
    with pytest.raises(BusinessError) as error:
        groups.update_action(
            actor=world["as"],
            action=action,
            data={},
            directory_partners=[world["theirs"]],
        )
    assert error.value.errors == {
        "directory_partners": "Partenaire inconnu dans l'annuaire de l'organisme."
    }
