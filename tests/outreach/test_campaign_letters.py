"""Courriers d'une campagne : « Préparer les courriers » est un POST, le PDF ne fait que lire
(sa ligne du journal) ; pas de courrier sans adresse postale (personnes listées à part) ;
chaque courrier paginé depuis 1 ; PDF balisé (PDF/UA-1)."""

import datetime
import io
import re
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.groups import services as group_services
from parcours.groups.models import Invitation
from parcours.outreach import services
from parcours.outreach.models import Campaign
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action
from tests.pdf_checks import assert_tagged_pdf

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
POST = {"address": "3 rue des Lilas", "postal_code": "01000", "commune_id": "01053"}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def manager(org):
    return UserFactory(organisation=org, manager=True, departements=["01"])


@pytest.fixture
def people(org, manager):
    return [
        make_person(org=org, actor=manager, last_name="Alpha", **POST),
        make_person(org=org, actor=manager, last_name="Bravo", **POST),
        make_person(org=org, actor=manager, last_name="Charlie", phone="04 74 00 00 00"),
        make_person(org=org, actor=manager, last_name="Delta", **{**POST, "postal_code": ""}),
    ]


def meeting(org, manager, sessions=1):
    action = make_action(org=org, actor=manager, title="Réunion arrêt long")
    for day in range(sessions):
        group_services.add_session(
            actor=manager,
            action=action,
            date=datetime.date(2026, 7, 1) + datetime.timedelta(days=day),
            start_time=datetime.time(14, 0),
            capacity=20,
            site=None,
            partner_place=f"Salle des fêtes n°{day + 1}, grande salle du rez-de-chaussée",
        )
    return action


def campaign_of(manager, people, *, action=None):
    return services.create_campaign(
        actor=manager,
        name="Arrêts longs",
        channel="COURRIER",
        proposal=Campaign.Proposal.REUNION if action else Campaign.Proposal.RENDEZ_VOUS,
        programme="PDP",
        phone="36 46",
        people=people,
        group_action=action,
    )


def counts():
    """Le nombre de lignes de chaque table touchée par une campagne et ses courriers."""
    from parcours.outreach.models import ServiceOffer

    return {
        "invitations": Invitation.objects.count(),
        "offers": list(ServiceOffer.objects.values_list("id", "status", "reminders")),
        "campaigns": list(Campaign.objects.values_list("id", "name", "sent_on")),
    }


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_prepare_is_a_post_and_the_pdf_only_reads(client, org, manager, people):
    action = meeting(org, manager)
    campaign = campaign_of(manager, people, action=action)
    assert Invitation.objects.count() == 0  # par courrier : rien avant la préparation
    login_as(client, manager)
    url = reverse("campagne-courriers", args=[campaign.pk])
    before = counts()
    not_ready = client.get(url)
    assert not_ready.status_code == 302 and counts() == before
    page = unescape(client.get(not_ready.url).content.decode())
    assert "Préparez d'abord les courriers" in page and "Préparer les courriers" in page
    prepare = reverse("campagne-preparer-courriers", args=[campaign.pk])
    assert client.get(prepare).status_code == 405 and counts() == before
    client.post(prepare)
    # Une invitation par personne qui recevra un courrier (Charlie et Delta n'ont pas d'adresse).
    invited = Invitation.objects.filter(action=action).values_list("person__last_name", flat=True)
    assert sorted(invited) == ["Alpha", "Bravo"]
    assert "Préparer les courriers" not in unescape(client.get(not_ready.url).content.decode())
    ready = counts()
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert exports.count() == 0
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert counts() == ready  # un GET n'écrit rien
    entry = exports.get()
    assert (entry.actor, entry.object_type, entry.object_id) == (
        manager,
        "campaign",
        str(campaign.pk),
    )
    assert entry.summary == "Courriers de la campagne « Arrêts longs » (2 personnes)"
    assert entry.changes["personnes"] == 2
    client.post(prepare)  # une seconde préparation ne double rien
    assert Invitation.objects.count() == 2
    for text in pages_text(response.content):
        assert "collectif/lien/" in text


def test_people_without_postal_address_have_no_letter_and_are_listed_apart(
    client, org, manager, people
):
    campaign = campaign_of(manager, people)
    login_as(client, manager)
    texts = pages_text(client.get(reverse("campagne-courriers", args=[campaign.pk])).content)
    assert len(texts) == 2
    assert "ALPHA" in texts[0] and "BRAVO" in texts[1]
    assert not any("CHARLIE" in t or "DELTA" in t for t in texts)
    page = unescape(client.get(reverse("campagne", args=[campaign.pk])).content.decode())
    assert "Sans adresse postale : 2 personnes sans courrier" in page
    assert "Personnes sans adresse postale (2)" in page
    apart = page.split("Personnes sans adresse postale (2)")[1].split("</table>")[0]
    assert "CHARLIE" in apart and "04 74 00 00 00" in apart and "DELTA" in apart
    assert "ALPHA" not in apart


def test_no_letter_at_all_when_nobody_has_an_address(client, org, manager, people):
    campaign = campaign_of(manager, people[2:])
    login_as(client, manager)
    response = client.get(reverse("campagne-courriers", args=[campaign.pk]), follow=True)
    assert "Aucune personne de cette campagne n'a d'adresse postale." in unescape(
        response.content.decode()
    )
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_page_numbers_restart_with_each_letter(client, org, manager, people):
    # Vingt dates de réunion : chaque courrier tient sur deux pages.
    campaign = campaign_of(manager, people, action=meeting(org, manager, sessions=20))
    login_as(client, manager)
    client.post(reverse("campagne-preparer-courriers", args=[campaign.pk]))
    texts = pages_text(client.get(reverse("campagne-courriers", args=[campaign.pk])).content)
    footers = [re.findall(r"Page \d+ / \d+", t)[-1] for t in texts]
    assert footers == ["Page 1 / 2", "Page 2 / 2", "Page 1 / 2", "Page 2 / 2"]
    assert "ALPHA" in texts[0] and "BRAVO" in texts[2]


def test_letters_are_a_tagged_pdf(client, org, manager, people):
    campaign = campaign_of(manager, people)
    login_as(client, manager)
    response = client.get(reverse("campagne-courriers", args=[campaign.pk]) + "?relance=1")
    reader = assert_tagged_pdf(response.content)
    assert reader.metadata.title == "Arrêts longs"
    assert "Sans nouvelles de votre part" in reader.pages[0].extract_text()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.summary == "Courriers de relance de la campagne « Arrêts longs » (2 personnes)"


def test_a_large_batch_is_prepared_in_the_background(
    client, org, manager, people, settings, django_capture_on_commit_callbacks
):
    from parcours.outreach.models import LetterBatch

    settings.PARCOURS_LETTERS_BACKGROUND_FROM = 2  # deux courriers font ici un « gros lot »
    action = meeting(org, manager)
    campaign = campaign_of(manager, people, action=action)
    login_as(client, manager)
    url = reverse("campagne-courriers", args=[campaign.pk])
    client.post(reverse("campagne-preparer-courriers", args=[campaign.pk]))  # tâche pas lancée
    assert LetterBatch.objects.get().status == "EN_COURS"
    page = unescape(client.get(url, follow=True).content.decode())
    assert "2 courriers : le PDF est en préparation" in page
    assert "Courriers de la campagne : en préparation" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campagne-preparer-courriers", args=[campaign.pk]))
    batch = LetterBatch.objects.get()
    assert (batch.status, batch.count, batch.created_by) == ("PRET", 2, manager)
    detail = unescape(client.get(reverse("campagne", args=[campaign.pk])).content.decode())
    assert "Courriers de la campagne (PDF, 2 courriers prêts le" in detail
    before = counts()
    response = client.get(url)
    assert counts() == before
    texts = pages_text(assert_tagged_pdf(response.content) and response.content)
    assert len(texts) == 2 and "ALPHA" in texts[0] and "collectif/lien/" in texts[0]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.summary == "Courriers de la campagne « Arrêts longs » (2 personnes)"
    # Un autre responsable ne reçoit pas le lot d'un collègue.
    other = UserFactory(organisation=org, manager=True, departements=["01"])
    login_as(client, other)
    assert client.get(url).status_code == 302
