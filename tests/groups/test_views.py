import datetime
import io
from html import unescape

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.groups import services
from parcours.groups.models import GroupAction, Invitation, Registration, Response, Session
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory
from tests.groups.factories import make_registration

pytestmark = pytest.mark.django_db


def html_of(response):
    return unescape(response.content.decode())


def test_create_action_then_session(client, frozen, org, as01):
    site = SiteFactory(organisation=org, name="Point d'accueil Bourg")
    login_as(client, as01)
    response = client.post(
        reverse("collectif-action-nouvelle"),
        {
            "type": "INFO_COLLECTIVE",
            "programme": "PDP",
            "title": "Arrêt de travail : et après ?",
            "public": "salariés en arrêt",
            "departement": "01",
            "partners": "CPAM",
            "cofunders": "",
            "facilitators": [as01.pk],
            "partner_facilitators": "Dr Martin",
        },
    )
    action = GroupAction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "collectif-action", args=[action.pk]
    )
    assert (action.type, action.departement_id, action.partner_facilitators) == (
        "INFO_COLLECTIVE",
        "01",
        "Dr Martin",
    )
    # Séance sans lieu : erreur à côté du champ, rien d'enregistré.
    url = reverse("collectif-seance-nouvelle", args=[action.pk])
    bad = client.post(url, {"date": "2026-03-20", "start_time": "14:00", "capacity": "12"})
    assert bad.status_code == 422
    assert "Indiquez un lieu d'accueil" in html_of(bad)
    past = client.post(
        url, {"date": "2026-02-20", "start_time": "14:00", "capacity": "12", "site": site.pk}
    )
    assert "ne peut pas être dans le passé" in html_of(past)
    assert not Session.objects.exists()
    ok = client.post(
        url, {"date": "2026-03-20", "start_time": "14:00", "capacity": "12", "site": site.pk}
    )
    assert ok.status_code == 302
    session = Session.objects.get()
    assert (session.site, session.capacity, session.start_time) == (site, 12, datetime.time(14))
    detail = html_of(client.get(reverse("collectif-action", args=[action.pk])))
    assert "Point d'accueil Bourg" in detail and "Arrêt de travail" in detail


def test_register_from_search_and_waiting_list(client, frozen, session, people, as01):
    login_as(client, as01)
    found = html_of(client.post(reverse("collectif-seance", args=[session.pk]), {"q": "Durand"}))
    assert "DURAND Alice" in found
    url = reverse("collectif-inscrire", args=[session.pk])
    for person in people[:3]:
        client.post(url, {"person": person.pk, "relation": "PERSONNE"})
    page = client.get(reverse("collectif-seance", args=[session.pk]), follow=True)
    assert list(Registration.objects.order_by("id").values_list("status", flat=True)) == [
        "INSCRIT",
        "INSCRIT",
        "ATTENTE",
    ]
    assert "2 inscrits, 1 en liste d'attente" in html_of(page)


def test_register_person_without_file(client, frozen, session, as01):
    login_as(client, as01)
    url = reverse("collectif-nouveau-participant", args=[session.pk])
    bad = client.post(url, {"last_name": "Aidant", "relation": "AIDANT"})
    assert bad.status_code == 422
    assert "Ce champ est obligatoire" in html_of(bad)
    ok = client.post(
        url,
        {
            "last_name": "Lefort",
            "first_names": "Gisèle",
            "sex": "F",
            "birth_date": "1950-04-02",
            "relation": "AIDANT",
        },
    )
    assert ok.status_code == 302
    registration = Registration.objects.get()
    assert (registration.person.last_name, registration.relation, registration.status) == (
        "Lefort",
        "AIDANT",
        "INSCRIT",
    )
    assert not registration.person.cases.exists()


def test_attendance_in_one_screen(client, session, people, as01):
    regs = [make_registration(session=session, person=p, actor=as01) for p in people[:3]]
    login_as(client, as01)
    url = reverse("collectif-presences", args=[session.pk])
    with clock.frozen(datetime.datetime(2026, 3, 10, 18, tzinfo=datetime.UTC)):
        page = html_of(client.get(url))
        assert page.count('value="1"') == 3
        response = client.post(url, {f"presence-{regs[0].pk}": "1", f"presence-{regs[1].pk}": "0"})
    assert response.status_code == 302
    assert dict(Registration.objects.values_list("pk", "present")) == {
        regs[0].pk: True,
        regs[1].pk: False,
        regs[2].pk: None,
    }
    with clock.frozen(datetime.datetime(2026, 3, 1, 18, tzinfo=datetime.UTC)):
        early = client.post(url, {f"presence-{regs[0].pk}": "0"})
    assert "après" in html_of(early) or "jour de la séance" in html_of(early)
    assert Registration.objects.get(pk=regs[0].pk).present is True


def test_open_case_in_one_click(client, session, people, as01):
    reg = make_registration(session=session, person=people[0], actor=as01, present=True)
    login_as(client, as01)
    with clock.frozen(datetime.datetime(2026, 3, 11, 9, tzinfo=datetime.UTC)):
        response = client.post(reverse("collectif-accompagnement", args=[reg.pk]))
    case = people[0].cases.get()
    assert response["Location"] == reverse("accompagnement", args=[case.pk])
    assert case.origin == "INFORMATION_COLLECTIVE"


def test_attendance_sheet_pdf(client, session, people, as01, frozen):
    for p in people:
        make_registration(session=session, person=p, actor=as01)
    login_as(client, as01)
    response = client.get(reverse("collectif-emargement", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Feuille d'émargement" in text
    registered, waiting = text.split("Liste d'attente\n", 1)
    for name in ("DURAND", "PETIT"):  # 2 places : les deux premiers inscrits
        assert name in registered and name not in waiting
    for name in ("MOREAU", "ROUX"):  # listés à part, jamais parmi les inscrits
        assert name in waiting and name not in registered
    assert "2 personnes inscrites, 2 en liste d'attente." in " ".join(text.split())
    assert "mardi 10 mars 2026" in text


def test_attendance_sheet_without_waiting_list_and_first_of_month(client, action, people, as01):
    from tests.groups.factories import make_session

    session = make_session(action=action, actor=as01, date=datetime.date(2026, 5, 1), capacity=5)
    with clock.frozen(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)):
        make_registration(session=session, person=people[0], actor=as01)
    login_as(client, as01)
    response = client.get(reverse("collectif-emargement", args=[session.pk]))
    from pypdf import PdfReader

    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "vendredi 1er mai 2026" in text
    assert "1 personne inscrite. Les lignes vides" in text
    assert "Liste d'attente" not in text


def test_invite_and_letters(client, frozen, action, session, people, as01):
    login_as(client, as01)
    url = reverse("collectif-invitations", args=[action.pk])
    found = html_of(client.post(url, {"q": "Petit", "rechercher": "1"}))
    assert "PETIT Bruno" in found
    client.post(url, {"personnes": [people[1].pk, people[2].pk], "inviter": "1"})
    assert set(Invitation.objects.values_list("person__last_name", flat=True)) == {
        "Petit",
        "Moreau",
    }
    page = html_of(client.get(url))
    assert page.count('aria-label="Lien personnel de') == 2
    pdf = client.post(reverse("collectif-courriers", args=[action.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "/collectif/lien/" in text.replace("\n", "")
    assert Invitation.objects.filter(letter_printed_on=frozen).count() == 2
    again = client.post(reverse("collectif-courriers", args=[action.pk]))
    assert again.status_code == 302  # rien de nouveau à éditer


# ---------------------------------------------------------------- pages publiques


@pytest.fixture
def link(frozen, action, session, people, as01):
    (invitation,), _ = services.invite(actor=as01, action=action, people=[people[2]])
    return reverse("collectif-lien", args=[services.make_token(invitation)]), invitation


def test_public_link_register_then_reuse(client, link, session, people, as01):
    url, invitation = link
    page = html_of(client.get(url))
    assert "Bonjour Chloé" in page
    assert "Moreau" not in page and "MOREAU" not in page
    assert str(people[2].birth_date.year) not in page
    assert "<script" in page  # le DSFR, mais la page marche sans : formulaire classique
    response = client.post(url, {"seance": session.pk})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.person, registration.channel, registration.status) == (
        people[2],
        "LIEN",
        "INSCRIT",
    )
    again = html_of(client.get(url))
    assert "Vous êtes inscrit·e à la séance du" in again
    assert "Choisir une date" not in again
    client.post(url, {"seance": session.pk})  # lien utilisé deux fois : pas de doublon
    assert Registration.objects.count() == 1


def test_public_link_full_session_waiting_list(client, link, session, people, as01):
    url, _ = link
    for p in people[:2]:
        services.register(actor=as01, session=session, person=p)
    assert "complète : liste d'attente" in html_of(client.get(url))
    client.post(url, {"seance": session.pk})
    assert "Vous êtes en liste d'attente" in html_of(client.get(url))


def test_public_link_requires_a_date(client, link):
    url, _ = link
    response = client.post(url, {"seance": "999999"})
    assert response.status_code == 422
    assert "Choisissez l'une des dates proposées." in html_of(response)


def test_forged_expired_and_unknown_links_say_the_same(client, link, action, people, as01):
    url, invitation = link
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = client.get(reverse("collectif-lien", args=[token[:-3] + "abc"]))
    other = Invitation.objects.create(
        organisation=invitation.organisation,
        action=action,
        person=people[3],
        issued_on=invitation.issued_on,
    )
    deleted_token = services.make_token(other)
    other.delete()
    unknown = client.get(reverse("collectif-lien", args=[deleted_token]))
    with clock.frozen(datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC)):
        expired = client.get(url)
    bodies = set()
    for response in (forged, unknown, expired):
        assert response.status_code == 404
        body = html_of(response)
        assert "Ce lien n'est pas valable" in body
        bodies.add(body.split("<main")[1].split("</main>")[0])
    assert len(bodies) == 1  # même réponse : rien ne dit si la personne existe


def _survey(org, as01):
    q = services.create_questionnaire(
        actor=as01,
        organisation_id=org.pk,
        title="Votre avis sur la réunion",
        moment="A_CHAUD",
        action_type="INFO_COLLECTIVE",
    )
    scale = services.add_question(
        actor=as01, questionnaire=q, text="Clarté des informations", answer_type="ECHELLE"
    )
    yes = services.add_question(
        actor=as01, questionnaire=q, text="Utile ?", answer_type="OUI_NON", required=True
    )
    return q, scale, yes


def test_public_questionnaire(client, org, action, session, people, as01):
    q, scale, yes = _survey(org, as01)
    make_registration(session=session, person=people[0], actor=as01, present=True)
    invitation = Invitation.objects.get(person=people[0])
    token = services.make_token(invitation)
    with clock.frozen(datetime.datetime(2026, 3, 10, 19, tzinfo=datetime.UTC)):
        home = html_of(client.get(reverse("collectif-lien", args=[token])))
        assert "Votre avis sur la réunion" in home
        url = reverse("collectif-lien-questionnaire", args=[token, q.pk])
        bad = client.post(url, {f"q{scale.pk}": "3"})
        assert bad.status_code == 422
        assert "Veuillez répondre à cette question." in html_of(bad)
        assert not Response.objects.exists()
        ok = client.post(url, {f"q{scale.pk}": "4", f"q{yes.pk}": "1"})
        assert ok.status_code == 302
        again = html_of(client.get(url))
        assert "Vous avez déjà répondu" in again
        client.post(url, {f"q{scale.pk}": "1", f"q{yes.pk}": "0"})
    response = Response.objects.get()
    assert response.source == "LIEN"
    assert sorted(response.answers.values_list("value", flat=True)) == [1, 4]


def test_questionnaire_not_open_to_someone_absent(client, org, action, session, people, as01):
    q, *_ = _survey(org, as01)
    make_registration(session=session, person=people[0], actor=as01, present=False)
    token = services.make_token(Invitation.objects.get(person=people[0]))
    with clock.frozen(datetime.datetime(2026, 3, 10, 19, tzinfo=datetime.UTC)):
        response = client.get(reverse("collectif-lien-questionnaire", args=[token, q.pk]))
    assert response.status_code == 404


def test_paper_entry_and_results(client, org, action, session, people, as01):
    q, scale, yes = _survey(org, as01)
    for i, p in enumerate(people):
        make_registration(session=session, person=p, actor=as01, present=i < 3)
    login_as(client, as01)
    with clock.frozen(datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC)):
        session_page = html_of(client.get(reverse("collectif-seance", args=[session.pk])))
        assert session_page.count("Saisir le questionnaire papier") == 3  # les présents
        for person, value in ((people[0], "1"), (people[1], "0")):
            invitation = Invitation.objects.get(person=person)
            url = reverse("collectif-saisie", args=[invitation.pk, q.pk])
            response = client.post(
                f"{url}?seance={session.pk}", {f"q{scale.pk}": "5", f"q{yes.pk}": value}
            )
            assert response["Location"] == reverse("collectif-seance", args=[session.pk])
        bad = client.post(
            reverse("collectif-saisie", args=[Invitation.objects.get(person=people[2]).pk, q.pk]),
            {f"q{scale.pk}": "9"},
        )
        assert bad.status_code == 422
        page = html_of(client.get(reverse("collectif-resultats"), {"annee": "2026"}))
        session_page = html_of(client.get(reverse("collectif-seance", args=[session.pk])))
        assert session_page.count("Saisir le questionnaire papier") == 1  # reste : la 3e
    assert set(Response.objects.values_list("source", flat=True)) == {"PAPIER"}
    assert "2 réponses sur 3 participants concernés : taux de réponse <strong>66,7 %" in page
    assert "<strong>50,0 %</strong> de réponses positives" in page


def test_manager_builds_a_questionnaire(client, org):
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    login_as(client, manager)
    response = client.post(
        reverse("collectif-questionnaires"),
        {
            "title": "Impact séjour",
            "moment": "DIFFERE",
            "months_after": "3",
            "action_type": "SEJOUR",
            "programme": "",
        },
    )
    from parcours.groups.models import Questionnaire

    q = Questionnaire.objects.get()
    assert response["Location"] == reverse("collectif-questionnaire", args=[q.pk])
    client.post(
        reverse("collectif-questionnaire", args=[q.pk]),
        {
            "text": "Quel bénéfice ?",
            "answer_type": "CHOIX",
            "scale_max": "5",
            "choices": "+Repos\n+Rencontres\nAucun",
        },
    )
    question = q.questions.get()
    assert (question.choices, question.positive_choices) == (
        ["Repos", "Rencontres", "Aucun"],
        [0, 1],
    )


def test_nav_entry(client, as01):
    login_as(client, as01)
    assert 'href="/collectif/"' in client.get(reverse("collectif")).content.decode()


def test_edit_session_capacity_promotes_or_refuses(client, frozen, session, people, as01):
    regs = [services.register(actor=as01, session=session, person=p)[0] for p in people[:4]]
    login_as(client, as01)
    url = reverse("collectif-seance-modifier", args=[session.pk])
    data = {
        "date": "2026-03-10",
        "start_time": "14:00",
        "capacity": "1",
        "partner_place": "Salle des fêtes",
    }
    refused = client.post(url, data)
    assert "Déjà 2 personnes inscrites :" in html_of(refused)
    assert Session.objects.get().capacity == 2
    data["capacity"] = "3"
    assert client.post(url, data).status_code == 302
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [
        "INSCRIT",
        "INSCRIT",
        "INSCRIT",
        "ATTENTE",
    ]


def test_paper_questionnaires_pdf(client, org, session, people, as01, frozen):
    q, scale, yes = _survey(org, as01)
    for p in people[:2]:
        make_registration(session=session, person=p, actor=as01)
    login_as(client, as01)
    response = client.get(reverse("collectif-questionnaires-papier", args=[session.pk, q.pk]))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "Votre avis sur la réunion" in text and "DURAND" in text
    assert "1 — pas du tout" in text and "5 — tout à fait" in text
    front = UserFactory(organisation=org, front_line=True, departements=["01"])
    login_as(client, front)
    assert (
        client.get(reverse("collectif-questionnaires-papier", args=[session.pk, q.pk])).status_code
        == 404
    )


def test_public_cancel_frees_the_place(client, link, session, people, as01):
    url, invitation = link
    services.register(actor=as01, session=session, person=people[0])
    client.post(url, {"seance": session.pk})
    mine = Registration.objects.get(person=people[2])
    services.register(actor=as01, session=session, person=people[3])  # liste d'attente
    other = Registration.objects.get(person=people[0])
    # Annuler l'inscription de quelqu'un d'autre par son propre lien : sans effet.
    client.post(url, {"annuler": other.pk})
    assert Registration.objects.get(pk=other.pk).status == "INSCRIT"
    response = client.post(url, {"annuler": mine.pk})
    assert response.status_code == 302
    assert "Votre inscription est annulée." in html_of(client.get(response["Location"]))
    assert dict(Registration.objects.values_list("person__last_name", "status")) == {
        "Durand": "INSCRIT",
        "Moreau": "ANNULE",
        "Roux": "INSCRIT",
    }


def test_edit_action(client, frozen, action, as01):
    login_as(client, as01)
    url = reverse("collectif-action-modifier", args=[action.pk])
    assert "Réunion d'information PDP" in html_of(client.get(url))
    response = client.post(
        url,
        {
            "type": "INFO_COLLECTIVE",
            "programme": "PDP",
            "title": "Nouvel intitulé",
            "departement": "01",
            "cofunders": "Conseil départemental",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.cofunders, action.facilitators.count()) == (
        "Nouvel intitulé",
        "Conseil départemental",
        0,
    )


def test_questionnaire_reminder_letters(client, org, action, session, people, as01):
    q, scale, yes = _survey(org, as01)
    for i, p in enumerate(people):
        make_registration(session=session, person=p, actor=as01, present=i < 3)
    login_as(client, as01)
    with clock.frozen(datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC)):
        services.submit_response(
            actor=as01,
            questionnaire=q,
            invitation=Invitation.objects.get(person=people[0]),
            raw={f"q{yes.pk}": "1"},
            source=Response.Source.PAPIER,
        )
        page = html_of(client.get(reverse("collectif-action", args=[action.pk])))
        assert "2 personnes" in page  # présentes, sans réponse (l'absente n'est pas relancée)
        pdf = client.post(reverse("collectif-relances", args=[action.pk, q.pk]))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 2
    assert "MOREAU" in texts[0] and "PETIT" in texts[1]
    assert "Votre avis sur la réunion" in texts[0].replace("\n", " ")
