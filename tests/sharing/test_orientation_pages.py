"""Pages des orientations : l'écran d'orientation (refus sans base, catégories couvertes), le
détail, le lien du partenaire, la chronologie et « Mon activité », la page des responsables et
du pilotage, la liste par partenaire ; chaque rôle des deux organismes."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from parcours.core import clock
from parcours.partners import services as partner_services
from parcours.sharing.models import Consent, Disclosure, Orientation
from parcours.sharing.services import consents as consent_services
from parcours.sharing.services import orientations as services
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_person

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "front_line", "secretary", "manager", "steering", "admin"]


def make_role(org, role):
    return UserFactory(organisation=org, departements=["01"], **{role: True})


@pytest.fixture
def contact(partner, worker):
    return partner_services.create_contact(
        actor=worker, partner=partner, data={"name": "Jeanne Roux", "email": "j.roux@cap.example"}
    )


@pytest.fixture
def consent(person, worker, partner, today):
    return consent_services.record_consent(
        actor=worker,
        person=person,
        categories=["IDENTITE"],
        purpose="Maintien dans l'emploi",
        given_on=datetime.date(2026, 11, 20),
        method="ECRIT",
        given_by="PERSONNE",
        partners=[partner],
    )


@pytest.fixture
def orientation(person, worker, partner, contact, today):
    return services.send_orientation(
        actor=worker,
        person=person,
        partner=partner,
        partner_contact=contact,
        reason="EMPLOI",
        request="Étudier un maintien dans l'emploi",
        categories=["IDENTITE"],
        basis="MISSION_LEGALE",
    )


def form_data(partner, **kw):
    return {
        "recipient": f"p{partner.pk}",
        "reason": "EMPLOI",
        "request": "Étude d'un aménagement de poste",
        "basis": "CONSENTEMENT",
        "consent": "",
        "categories": ["IDENTITE"],
        "deadline": "2026-12-18",
        "consent_given_by": "PERSONNE",
    } | kw


def test_orient_from_a_case_in_one_screen(client, person, worker, partner, contact, today):
    case = make_case(person=person, referent=worker)
    login_as(client, worker)
    url = reverse("orientation-nouvelle", args=[person.pk]) + f"?accompagnement={case.pk}"
    page = client.get(url)
    assert page.status_code == 200
    body = unescape(page.content.decode())
    assert "Depuis l'accompagnement" in body and "Le recueillir maintenant" in body
    response = client.post(
        url,
        form_data(
            partner,
            partner_contact=contact.pk,
            consent="nouveau",
            consent_given_on="2026-12-03",
            consent_method="ORAL",
        ),
    )
    assert response.status_code == 302
    orientation = Orientation.objects.get()
    assert orientation.case == case and orientation.consent.recorded_by == worker
    detail = unescape(client.get(response["Location"]).content.decode())
    assert "Orientation vers Cap emploi de l'Ain" in detail and "Envoyée" in detail


def test_without_basis_or_consent_refused_422(client, person, worker, partner, today):
    login_as(client, worker)
    url = reverse("orientation-nouvelle", args=[person.pk])
    response = client.post(url, form_data(partner))
    assert response.status_code == 422
    assert "enregistrez-le d'abord" in unescape(response.content.decode())
    response = client.post(url, form_data(partner, basis=""))
    assert response.status_code == 422
    assert not Orientation.objects.exists() and not Disclosure.objects.exists()


def test_only_covered_categories_are_offered(client, person, worker, partner, consent, today):
    login_as(client, worker)
    fragment = client.get(
        reverse("orientation-categories", args=[person.pk]),
        {"basis": "CONSENTEMENT", "consent": consent.pk},
    )
    body = fragment.content.decode()
    assert 'value="IDENTITE"' in body and 'value="SITUATION"' not in body
    legal = client.get(
        reverse("orientation-categories", args=[person.pk]), {"basis": "MISSION_LEGALE"}
    ).content.decode()
    assert 'value="SITUATION"' in legal and 'value="EVALUATION"' in legal
    assert 'value="ETAPES"' not in legal and 'value="SYNTHESE"' not in legal
    # une catégorie non couverte, forcée à la main : refusée, rien d'enregistré
    response = client.post(
        reverse("orientation-nouvelle", args=[person.pk]),
        form_data(partner, consent=consent.pk, categories=["IDENTITE", "SITUATION"]),
    )
    assert response.status_code == 422
    assert not Orientation.objects.exists()
    ok = client.post(
        reverse("orientation-nouvelle", args=[person.pk]), form_data(partner, consent=consent.pk)
    )
    assert ok.status_code == 302 and Orientation.objects.get().consent == consent


def test_partner_link_shows_only_shared_categories_and_answers_by_post(
    client, person, orientation, today
):
    token = services.make_token(orientation)
    url = reverse("orientation-lien", args=[token])
    page = client.get(url)
    body = unescape(page.content.decode())
    assert page.status_code == 200
    assert person.last_name.upper() in body and "Identité et coordonnées" in body
    assert '<h3 class="fr-h6">Situation</h3>' not in body and "GIR" not in body
    orientation.refresh_from_db()
    assert orientation.status == "ENVOYEE"  # le GET n'a rien écrit
    assert client.post(url, {"status": "RECUE"}).status_code == 302
    response = client.post(url, {"status": "REFUSEE", "comment": ""})
    assert response.status_code == 422
    assert client.post(url, {"status": "ACCEPTEE", "comment": "RDV le 10"}).status_code == 302
    orientation.refresh_from_db()
    assert (orientation.status, orientation.answer_comment) == ("ACCEPTEE", "RDV le 10")


def test_another_token_or_a_withdrawn_consent_answers_404(
    client, person, worker, partner, consent, orientation, today
):
    assert client.get(reverse("orientation-lien", args=["abc-1-def"])).status_code == 404
    forged = services.make_token(orientation)[:-2] + "zz"
    assert client.get(reverse("orientation-lien", args=[forged])).status_code == 404
    under_consent = services.send_orientation(
        actor=worker,
        person=person,
        partner=partner,
        reason="EMPLOI",
        request="x",
        categories=["IDENTITE"],
        basis="CONSENTEMENT",
        consent=consent,
    )
    url = reverse("orientation-lien", args=[services.make_token(under_consent)])
    assert client.get(url).status_code == 200
    consent_services.withdraw_consent(actor=worker, consent=consent)
    response = client.get(url)
    assert response.status_code == 404 and "Accès retiré" in response.content.decode()
    assert client.post(url, {"status": "RECUE"}).status_code == 404


def test_answer_on_the_timeline_and_my_activity(client, person, worker, orientation, today):
    make_case(person=person, referent=worker)
    services.answer_by_link(orientation=orientation, status="ACCEPTEE", comment="Pris en charge")
    login_as(client, worker)
    body = unescape(client.get(reverse("personne", args=[person.pk])).content.decode())
    assert "Réponse du destinataire : acceptée" in body and "Pris en charge" in body
    activity = unescape(client.get(reverse("mon-activite")).content.decode())
    assert "Mes orientations : réponses et relances (1)" in activity
    assert "vers Cap emploi de l'Ain : acceptée" in activity


def test_reminder_shows_on_my_activity(client, person, worker, orientation, today):
    with clock.frozen(datetime.datetime(2026, 12, 19, 9, tzinfo=datetime.UTC)):
        assert services.send_due_reminders() == 1
        login_as(client, worker)
        activity = unescape(client.get(reverse("mon-activite")).content.decode())
    assert "sans réponse à l'échéance, relancée le 19/12/2026" in activity


def test_manager_closes_an_answered_orientation(client, org, orientation, today):
    services.answer_by_link(orientation=orientation, status="REFUSEE", comment="Hors champ")
    manager = make_role(org, "manager")
    login_as(client, manager)
    response = client.post(reverse("orientation-cloturer", args=[orientation.pk]), {})
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.status == "CLOTUREE"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_of_both_organisations(client, org, other_org, person, orientation, role):
    partner = orientation.partner
    pages = {
        "form": reverse("orientation-nouvelle", args=[person.pk]),
        "detail": reverse("orientation", args=[orientation.pk]),
        "dashboard": reverse("orientations"),
        "partner": reverse("partenaire-orientations", args=[partner.pk]),
    }
    expected = {
        "social_worker": {"form": 200, "detail": 200, "dashboard": 404, "partner": 404},
        "front_line": {"form": 200, "detail": 200, "dashboard": 404, "partner": 404},
        "secretary": {"form": 200, "detail": 200, "dashboard": 404, "partner": 404},
        "manager": {"form": 200, "detail": 200, "dashboard": 200, "partner": 200},
        "steering": {"form": 404, "detail": 404, "dashboard": 200, "partner": 404},
        "admin": {"form": 404, "detail": 404, "dashboard": 404, "partner": 404},
    }[role]
    user = make_role(org, role)
    login_as(client, user)
    for name, url in pages.items():
        assert client.get(url).status_code == expected[name], (role, name)
    if expected["dashboard"] == 200:
        body = unescape(client.get(pages["dashboard"]).content.decode())
        assert "Cap emploi de l'Ain" in body
        assert person.last_name.upper() not in body  # des chiffres, aucun nom
    if expected["partner"] == 200:
        body = unescape(client.get(pages["partner"]).content.decode())
        assert person.last_name.upper() in body
    # le même rôle dans l'autre organisme : 404 partout, des chiffres vides
    foreign = make_role(other_org, role)
    client.logout()
    login_as(client, foreign)
    for name in ("form", "detail", "partner"):
        assert client.get(pages[name]).status_code == 404, (role, name)
    if expected["dashboard"] == 200:
        body = unescape(client.get(pages["dashboard"]).content.decode())
        assert "Cap emploi de l'Ain" not in body


def test_manager_counts_stay_in_their_departements(client, org, worker, partner, today):
    far = make_person(org=org, actor=worker, departement="69", last_name="Loin")
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    services.send_orientation(
        actor=as69,
        person=far,
        partner=partner,
        reason="EMPLOI",
        request="x",
        categories=["IDENTITE"],
        basis="MISSION_LEGALE",
    )
    manager = make_role(org, "manager")
    login_as(client, manager)
    body = unescape(client.get(reverse("orientations")).content.decode())
    assert "Aucune orientation envoyée cette année." in body
    assert not Consent.objects.exists()


def test_sent_five_times_creates_one_orientation(client, person, worker, partner, today):
    import re

    login_as(client, worker)
    url = reverse("orientation-nouvelle", args=[person.pk])
    token = re.search(r'name="_once" value="([^"]+)"', client.get(url).content.decode()).group(1)
    data = form_data(partner, basis="MISSION_LEGALE", _once=token)
    codes = {client.post(url, data).status_code for _ in range(5)}
    assert codes == {302}
    assert Orientation.objects.count() == 1


def test_reminder_command(call, person, worker, orientation, today):
    out = call("relancer-orientations", "--date", "2026-12-19")
    assert out.strip() == "1 orientation relancée."
    assert (
        call("relancer-orientations", "--date", "2026-12-19").strip() == "0 orientation relancée."
    )


def test_delays_counted_by_the_base_match_the_rule_on_each_row(org, person, worker, partner, today):
    """Les délais par destinataire, comptés par la base (SQLite et PostgreSQL), sont ceux de
    ``delay_summary`` appliquée aux orientations une à une."""
    from parcours.rules import orientations as orientation_rules
    from parcours.sharing import queries
    from tests.partners.factories import make_partner

    other = make_partner(org=org, actor=worker, name="Mission locale")
    sent = datetime.date(2026, 3, 2)
    answers = {partner: [0, 4, 4, 15, 16, 31, None], other: [2, 9, None, None]}
    for target, delays in answers.items():
        for delay in delays:
            o = services.send_orientation(
                actor=worker,
                person=person,
                partner=target,
                reason="EMPLOI",
                request="x",
                categories=["IDENTITE"],
                basis="MISSION_LEGALE",
            )
            answered = None if delay is None else sent + datetime.timedelta(days=delay)
            deadline = sent + datetime.timedelta(days=15)
            Orientation.objects.filter(pk=o.pk).update(
                sent_on=sent, first_deadline=deadline, answered_on=answered
            )
    everything, by_partner = queries.delays_by_partner(Orientation.objects.all())
    rows = list(Orientation.objects.values_list("sent_on", "first_deadline", "answered_on"))
    assert everything == orientation_rules.delay_summary(rows)
    assert everything["total"] == 11 and everything["answered"] == 8
    assert [(r["name"], r["median_days"], r["within_deadline_pct"]) for r in by_partner] == [
        ("Cap emploi de l'Ain", 9.5, 57.1),
        ("Mission locale", 5.5, 50.0),
    ]
