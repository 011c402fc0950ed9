"""Liens entre Détection et Actions collectives : une campagne propose une réunion
d'information (invitation, lien personnel, acceptation à l'inscription) ; une action invite les
personnes d'un ciblage ou d'une campagne et envoie les invitations par courriel ou SMS."""

import datetime
import io
import json
import re
import zoneinfo
from html import unescape

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import TypeCollectif
from parcours.groups import services as group_services
from parcours.groups.models import Invitation, Registration
from parcours.outreach import services
from parcours.outreach.models import Campaign, ServiceOffer, TargetingEntry, TargetingRun
from tests.conftest import login_as
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today(settings, tmp_path):
    settings.PARCOURS_REMINDER_DIR = tmp_path / "envois"
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def team(org, other_org):
    return {
        "as": UserFactory(organisation=org, social_worker=True, departements=["01"]),
        "desk": UserFactory(organisation=org, front_line=True, departements=["01"]),
        "manager": UserFactory(organisation=org, manager=True, departements=["01"]),
        "manager69": UserFactory(organisation=org, manager=True, departements=["69"]),
        "steering": UserFactory(organisation=org, steering=True, departements=["01"]),
        "admin": UserFactory(organisation=org, admin=True, departements=["01"]),
        "other": UserFactory(organisation=other_org, manager=True, departements=["01"]),
    }


@pytest.fixture
def meeting(org, team):
    action = make_action(org=org, actor=team["manager"], title="Réunion arrêt long")
    group_services.add_session(
        actor=team["manager"],
        action=action,
        date=datetime.date(2026, 7, 2),
        start_time=datetime.time(14, 0),
        capacity=20,
        site=None,
        partner_place="Salle des fêtes de Bourg",
    )
    return action


@pytest.fixture
def people(org, team):
    post = {"address": "3 rue des Lilas", "postal_code": "01000", "commune_id": "01053"}
    return [
        make_person(
            org=org, actor=team["as"], last_name="Alpha", email="alpha@example.org", **post
        ),
        make_person(org=org, actor=team["as"], last_name="Bravo", phone="06 11 22 33 44", **post),
        make_person(org=org, actor=team["as"], last_name="Charlie", phone="04 74 00 00 00", **post),
    ]


def run_with(org, actor, people, *, dry_run=False):
    """Un ciblage terminé et ses personnes (lignes déjà importées)."""
    from parcours.outreach.services import targeting_rule

    rule = targeting_rule(organisation=org)
    run = TargetingRun.objects.create(
        organisation=org,
        rule=rule,
        rule_code=rule.code,
        parameters=rule.parameters,
        programme=rule.programme,
        dry_run=dry_run,
        file_name="extrait.csv",
        file_sha256=f"{len(people)}{dry_run}{org.pk}".ljust(64, "0"),
        extraction_date=datetime.date(2026, 6, 1),
        status=TargetingRun.Status.TERMINE,
        created_by=actor,
    )
    TargetingEntry.objects.bulk_create(
        TargetingEntry(organisation=org, run=run, person=p, departement_id=p.departement_id, line=i)
        for i, p in enumerate(people, 2)
    )
    return run


def meeting_campaign(team, meeting, people, channel="COURRIER", sender=None, **kwargs):
    """La campagne ; par courrier, ses courriers préparés (« Préparer les courriers »)."""
    campaign = services.create_campaign(
        actor=team["manager"],
        name="Réunion juillet",
        channel=channel,
        proposal=Campaign.Proposal.REUNION,
        programme="PDP",
        phone="36 46",
        people=people,
        group_action=meeting,
        sender=sender,
        link=lambda i: f"https://parcours.test/lien/{group_services.make_token(i)}/",
        **kwargs,
    )
    if channel == "COURRIER":
        services.prepare_campaign_letters(
            actor=team["manager"], campaign=campaign, offers=list(campaign.offers.all())
        )
    return campaign


class Memory:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


# ---------------------------------------------------------------- 1. campagne → réunion


def test_meeting_campaign_invites_each_person_once(team, meeting, people):
    (earlier,), _ = group_services.invite(actor=team["as"], action=meeting, people=[people[0]])
    campaign = meeting_campaign(team, meeting, people)
    assert campaign.group_action == meeting
    assert campaign.offers.count() == 3
    invitations = Invitation.objects.filter(action=meeting).order_by("person__last_name")
    assert [(i.person.last_name, i.source, i.channel) for i in invitations] == [
        ("Alpha", "LISTE", "COURRIER"),  # déjà invitée : gardée telle quelle
        ("Bravo", "CIBLAGE", "COURRIER"),
        ("Charlie", "CIBLAGE", "COURRIER"),
    ]
    assert invitations[0].pk == earlier.pk
    assert (
        AuditEntry.objects.filter(object_type="invitation", action=AuditEntry.Action.CREATE).count()
        == 3
    )


def test_meeting_campaign_needs_an_information_meeting_of_the_organisation(
    org, other_org, team, meeting, people
):
    with pytest.raises(BusinessError) as error:
        meeting_campaign(team, None, people)
    assert error.value.errors == {"group_action": "Choisissez la réunion d'information proposée."}
    workshop = make_action(
        org=org, actor=team["manager"], type=TypeCollectif.ATELIER, title="Atelier"
    )
    foreign = make_action(org=other_org, actor=team["other"], title="Autre organisme")
    for action in (workshop, foreign):
        with pytest.raises(BusinessError, match="pas une réunion d'information"):
            meeting_campaign(team, action, people)
    assert Campaign.objects.count() == 0 and Invitation.objects.count() == 0
    # Une autre proposition ignore l'action choisie : pas d'invitation.
    services.create_campaign(
        actor=team["manager"],
        name="RDV",
        channel="COURRIER",
        proposal="RENDEZ_VOUS",
        programme="PDP",
        people=people,
        group_action=meeting,
    )
    assert Campaign.objects.get().group_action is None and Invitation.objects.count() == 0


def test_meeting_campaign_by_email_and_sms_carries_the_personal_link(
    team, meeting, people, django_capture_on_commit_callbacks
):
    memory = Memory()
    with django_capture_on_commit_callbacks(execute=True):  # envoi après validation
        campaign = meeting_campaign(team, meeting, people, channel="EMAIL", sender=memory)
    (offer,) = campaign.offers.all()
    invitation = Invitation.objects.get(action=meeting)
    assert invitation.person == people[0] and invitation.channel == "EMAIL"
    (message,) = memory.sent
    assert (message.channel, message.to, message.reference) == (
        "EMAIL",
        "alpha@example.org",
        offer.reference,
    )
    token = group_services.make_token(invitation)
    assert f"https://parcours.test/lien/{token}/" in message.body
    assert "02/07/2026 à 14:00, Salle des fêtes de Bourg" in message.body
    sms = Memory()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_campaign(team, meeting, people, channel="SMS", sender=sms)
    # Le SMS part vers les deux téléphones ; l'invitation d'Alpha reste unique.
    assert sorted(m.to for m in sms.sent) == ["04 74 00 00 00", "06 11 22 33 44"]
    assert Invitation.objects.filter(action=meeting).count() == 3


def test_registration_through_the_link_accepts_the_offer(client, team, meeting, people):
    campaign = meeting_campaign(team, meeting, people)
    rdv = services.create_campaign(
        actor=team["manager"],
        name="RDV",
        channel="COURRIER",
        proposal="RENDEZ_VOUS",
        programme="PDP",
        people=people[:1],
    )
    offers = {o.person_id: o for o in campaign.offers.all()}
    services.set_offer_status(actor=team["manager"], offer=offers[people[2].pk], status="REFUSEE")
    invitation = Invitation.objects.get(action=meeting, person=people[0])
    url = reverse("collectif-lien", args=[group_services.make_token(invitation)])
    session = meeting.sessions.get()
    assert client.post(url, {"seance": session.pk}).status_code == 302
    assert Registration.objects.get().channel == "LIEN"
    statuses = dict(ServiceOffer.objects.values_list("reference", "status"))
    assert statuses == {
        offers[people[0].pk].reference: "ACCEPTEE",
        offers[people[1].pk].reference: "ENVOYEE",
        offers[people[2].pk].reference: "REFUSEE",
        rdv.offers.get().reference: "ENVOYEE",  # une autre proposition n'est pas touchée
    }
    accepted = ServiceOffer.objects.get(pk=offers[people[0].pk].pk)
    assert accepted.answered_on == TODAY
    entry = AuditEntry.objects.get(
        object_type="serviceoffer", action=AuditEntry.Action.UPDATE, actor__isnull=True
    )
    assert entry.person_id == people[0].pk and "acceptée" in entry.summary
    # Inscription par un agent (la personne a appelé) : même effet ; une refusée reste refusée.
    group_services.register(actor=team["desk"], session=session, person=people[1])
    group_services.register(actor=team["desk"], session=session, person=people[2])
    assert dict(campaign.offers.values_list("person_id", "status")) == {
        people[0].pk: "ACCEPTEE",
        people[1].pk: "ACCEPTEE",
        people[2].pk: "REFUSEE",
    }


def test_campaign_letters_carry_link_reference_and_dates(client, team, meeting, people):
    campaign = meeting_campaign(team, meeting, people)
    login_as(client, team["manager"])
    response = client.get(reverse("campagne-courriers", args=[campaign.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    offers = {o.person_id: o for o in campaign.offers.all()}
    for page in reader.pages:
        text = page.extract_text()
        name = re.search(r"(ALPHA|BRAVO|CHARLIE)", text).group(1)
        person = next(p for p in people if p.last_name.upper() == name)
        invitation = Invitation.objects.get(action=meeting, person=person)
        token = group_services.make_token(invitation)
        assert f"votre lien personnel : \nhttp://testserver/collectif/lien/{token}/" in text
        assert offers[person.pk].reference in text
        assert "réunion d'information collective" in text
        assert f"au 36 46 en donnant votre référence {offers[person.pk].reference}" in text
        assert "jeudi 2 juillet 2026 à 14h00" in text and "Salle des fêtes de Bourg" in text
        assert "Nous vous proposons un rendez-vous" not in text


def test_campaign_page_form_lists_information_meetings_in_scope(client, org, team, meeting, people):
    make_action(org=org, actor=team["manager"], type=TypeCollectif.ATELIER, title="Atelier mémoire")
    make_action(org=org, actor=team["manager69"], departement="69", title="Réunion du Rhône")
    login_as(client, team["manager"])
    page = unescape(client.get(reverse("campagne-nouvelle")).content.decode())
    assert "Réunion arrêt long (01)" in page
    assert "Atelier mémoire" not in page and "Réunion du Rhône" not in page
    post = {
        "name": "Réunion",
        "channel": "COURRIER",
        "proposal": "REUNION",
        "programme": "PDP",
        "phone": "",
        "people": [str(p.pk) for p in people],
        "action": "creer",
    }
    missing = unescape(client.post(reverse("campagne-nouvelle"), post).content.decode())
    assert "Choisissez la réunion d'information proposée." in missing
    response = client.post(reverse("campagne-nouvelle"), {**post, "group_action": meeting.pk})
    campaign = Campaign.objects.get()
    assert response.url == reverse("campagne", args=[campaign.pk])
    # Par courrier, les invitations naissent à « Préparer les courriers » (un POST).
    assert Invitation.objects.filter(action=meeting).count() == 0
    detail = unescape(client.get(response.url).content.decode())
    assert "Réunion arrêt long" in detail and "Préparer les courriers" in detail
    client.post(reverse("campagne-preparer-courriers", args=[campaign.pk]))
    assert Invitation.objects.filter(action=meeting, source="CIBLAGE").count() == 3


# ---------------------------------------------------------------- 2. action → ciblage, campagne


def test_invite_people_of_a_run_then_of_a_campaign(client, org, team, meeting, people):
    in69 = make_person(org=org, actor=team["manager69"], last_name="Rhône", departement="69")
    run = run_with(org, team["manager"], [*people[:2], in69])
    campaign = services.create_campaign(
        actor=team["manager"],
        name="Appel",
        channel="COURRIER",
        proposal="APPEL",
        programme="PDP",
        people=people[1:],
    )
    login_as(client, team["manager"])
    url = reverse("collectif-invitations", args=[meeting.pk])
    page = unescape(client.get(url).content.decode())
    assert f"Ciblage n°{run.pk} — extraction du 01/06/2026" in page
    assert "Appel — envoi du 15/06/2026" in page
    response = client.post(url, {"depuis_detection": "1", "ciblage": run.pk}, follow=True)
    text = unescape(response.content.decode())
    assert f"Personnes du ciblage n°{run.pk} : 2 invitations ajoutées ; 0 personne déjà" in text
    invited = Invitation.objects.filter(action=meeting)
    assert sorted(invited.values_list("person__last_name", "source")) == [
        ("Alpha", "CIBLAGE"),
        ("Bravo", "CIBLAGE"),
    ]
    response = client.post(url, {"depuis_detection": "1", "campagne": campaign.pk}, follow=True)
    text = unescape(response.content.decode())
    assert "« Appel » : 1 invitation ajoutée ; 1 personne déjà invitée." in text
    assert invited.count() == 3
    again = client.post(url, {"depuis_detection": "1", "ciblage": run.pk}, follow=True)
    assert "0 invitation ajoutée ; 2 personnes déjà invitées." in unescape(again.content.decode())
    assert invited.count() == 3
    both = client.post(
        url, {"depuis_detection": "1", "ciblage": run.pk, "campagne": campaign.pk}, follow=True
    )
    assert "l'un des deux" in unescape(both.content.decode())


def test_invite_from_detection_out_of_scope_is_404(client, org, other_org, team, meeting, people):
    foreign_person = make_person(org=other_org, actor=team["other"], last_name="Ailleurs")
    foreign_run = run_with(other_org, team["other"], [foreign_person])
    foreign_campaign = services.create_campaign(
        actor=team["other"],
        name="Ailleurs",
        channel="COURRIER",
        proposal="APPEL",
        programme="PDP",
        people=[foreign_person],
    )
    dry = run_with(org, team["manager"], people, dry_run=True)
    login_as(client, team["manager"])
    url = reverse("collectif-invitations", args=[meeting.pk])
    for data in (
        {"ciblage": foreign_run.pk},
        {"campagne": foreign_campaign.pk},
        {"ciblage": dry.pk},
    ):
        assert client.post(url, {"depuis_detection": "1", **data}).status_code == 404
    # Une action d'un autre département : 404, même avec un ciblage de l'organisme.
    run = run_with(org, team["manager"], people[:1])
    rhone = make_action(org=org, actor=team["manager69"], departement="69", title="Rhône")
    other_url = reverse("collectif-invitations", args=[rhone.pk])
    assert client.post(other_url, {"depuis_detection": "1", "ciblage": run.pk}).status_code == 404
    # Un responsable du Rhône ne voit pas les personnes de l'Ain d'un ciblage de l'organisme.
    login_as(client, team["manager69"])
    response = client.post(
        reverse("collectif-invitations", args=[rhone.pk]),
        {"depuis_detection": "1", "ciblage": run.pk},
        follow=True,
    )
    assert f"Aucune personne du ciblage n°{run.pk} dans vos départements." in unescape(
        response.content.decode()
    )
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "page", "detection", "post"),
    [
        ("manager", 200, True, 302),
        ("as", 200, False, 404),  # l'AS gère l'action mais ne voit pas les ciblages
        ("desk", 404, False, 404),
        ("steering", 404, False, 404),
        ("admin", 404, False, 404),
        ("other", 404, False, 404),
    ],
)
def test_invitations_page_by_role(client, org, team, meeting, people, role, page, detection, post):
    run = run_with(org, team["manager"], people)
    login_as(client, team[role])
    url = reverse("collectif-invitations", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == page
    if page == 200:
        html = unescape(response.content.decode())
        assert ("Inviter les personnes d'un ciblage ou d'une campagne" in html) is detection
        assert "Envoyer les invitations par" in html
    assert client.post(url, {"depuis_detection": "1", "ciblage": run.pk}).status_code == post
    assert Invitation.objects.count() == (3 if post == 302 else 0)


def test_send_invitations_by_email_then_sms(
    client, settings, tmp_path, team, meeting, people, django_capture_on_commit_callbacks
):
    group_services.invite(actor=team["as"], action=meeting, people=people)
    login_as(client, team["as"])
    url = reverse("collectif-invitations", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"envoyer": "1", "canal": "EMAIL"}, follow=True)
    text = unescape(response.content.decode())
    assert "1 invitation envoyée par courriel." in text
    assert (
        "2 personnes sans courriel, à inviter par courrier : BRAVO Claire, CHARLIE Claire." in text
    )
    alpha = Invitation.objects.get(person=people[0])
    files = sorted((tmp_path / "envois").iterdir())
    assert [f.name for f in files] == [f"I{alpha.pk}-email.json"]
    message = json.loads(files[0].read_text())
    assert message["to"] == "alpha@example.org"
    token = group_services.make_token(alpha)
    assert f"http://testserver/collectif/lien/{token}/" in message["body"]
    assert "02/07/2026 à 14:00, Salle des fêtes de Bourg" in message["body"]
    assert alpha.channel == "EMAIL"
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"envoyer": "1", "canal": "EMAIL"}, follow=True)
    assert "0 invitation envoyée par courriel." in unescape(again.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        sms = client.post(url, {"envoyer": "1", "canal": "SMS"}, follow=True)
    text = unescape(sms.content.decode())
    # Alpha a reçu le courriel mais n'a pas de mobile ; Charlie a un fixe.
    assert "1 invitation envoyée par SMS." in text
    assert "2 personnes sans téléphone mobile" in text and "CHARLIE Claire" in text
    assert (
        tmp_path / "envois" / f"I{Invitation.objects.get(person=people[1]).pk}-sms.json"
    ).exists()
    assert AuditEntry.objects.filter(summary__startswith="Invitation envoyée par").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        invalid = client.post(url, {"envoyer": "1", "canal": "COURRIER"})
    assert invalid.status_code == 302 and len(list((tmp_path / "envois").iterdir())) == 2


def test_invitations_are_sent_after_commit_only(
    team, meeting, people, django_capture_on_commit_callbacks
):
    """Les messages partent à la validation de la transaction ; annulée, rien ne part."""
    invitations, _ = group_services.invite(actor=team["as"], action=meeting, people=people)
    memory = Memory()

    def link(invitation):
        return f"https://parcours.test/lien/{group_services.make_token(invitation)}/"

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sent, _ = group_services.send_invitations(
            actor=team["as"], invitations=invitations, channel="EMAIL", link=link, sender=memory
        )
        assert len(sent) == 1
        raise RuntimeError("écriture annulée après l'envoi")
    assert callbacks == [] and memory.sent == []
    assert not Invitation.objects.filter(channel="EMAIL").exists()
    assert not AuditEntry.objects.filter(summary__startswith="Invitation envoyée par").exists()

    for invitation in invitations:  # les objets en mémoire gardent le canal de l'essai annulé
        invitation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        group_services.send_invitations(
            actor=team["as"], invitations=invitations, channel="EMAIL", link=link, sender=memory
        )
        assert memory.sent == []  # pas encore validée
    assert len(callbacks) == 1
    assert [m.to for m in memory.sent] == ["alpha@example.org"]


@pytest.mark.parametrize("role", ["as", "desk", "steering", "admin", "other", "manager69"])
def test_meeting_campaign_by_other_roles(client, team, meeting, people, role):
    """Seul un responsable du département de la réunion la propose ; les autres rôles n'ont pas
    la page (404) ; un responsable d'un autre département ou organisme ne peut pas la choisir."""
    login_as(client, team[role])
    post = {
        "name": "Réunion",
        "channel": "COURRIER",
        "proposal": "REUNION",
        "programme": "PDP",
        "people": [str(p.pk) for p in people],
        "group_action": str(meeting.pk),
        "action": "creer",
    }
    response = client.post(reverse("campagne-nouvelle"), post)
    if role in {"manager69", "other"}:
        assert response.status_code == 200
        page = unescape(response.content.decode())
        assert "Réunion arrêt long" not in page
    else:
        assert response.status_code == 404
    assert Campaign.objects.count() == 0 and Invitation.objects.count() == 0
    campaign = meeting_campaign(team, meeting, people)
    letters = client.get(reverse("campagne-courriers", args=[campaign.pk]))
    if role == "manager69":  # campagnes de l'organisme, mais personne de l'Ain dans ses lettres
        assert letters.status_code == 302 and letters["Content-Type"] != "application/pdf"
    else:
        assert letters.status_code == 404


def test_reminder_of_a_meeting_campaign_by_email_repeats_the_link(
    client, tmp_path, team, meeting, people, django_capture_on_commit_callbacks
):
    campaign = services.create_campaign(
        actor=team["manager"],
        name="Courriel",
        channel="EMAIL",
        proposal=Campaign.Proposal.REUNION,
        programme="PDP",
        people=people,
        group_action=meeting,
        sender=Memory(),
        sent_on=datetime.date(2026, 5, 1),
    )
    login_as(client, team["manager"])
    with django_capture_on_commit_callbacks(execute=True):  # envoi après validation
        client.post(reverse("campagne-relance", args=[campaign.pk]))
    offer = campaign.offers.get()
    assert (offer.status, offer.reminders) == ("SANS_REPONSE", 1)
    invitation = Invitation.objects.get(action=meeting, person=people[0])
    token = group_services.make_token(invitation)
    message = json.loads((tmp_path / "envois" / f"{offer.reference}-email.json").read_text())
    assert message["to"] == "alpha@example.org"
    assert f"http://testserver/collectif/lien/{token}/" in message["body"]
