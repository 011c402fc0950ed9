"""Un formulaire de création envoyé cinq fois (double clic, retour, réseau lent) ne crée qu'un
objet ; un nouvel affichage du formulaire porte un nouveau jeton et permet un second objet."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parcours.cases.models import Case, Contact, Objective, PrivateNote
from parcours.core import clock
from parcours.core.models import FormSubmission
from parcours.core.once import FIELD
from parcours.groups.models import GroupAction, Session
from parcours.people.models import Person
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory, make_case, make_person
from tests.groups.factories import make_action

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

#: Les vues qui créent un objet (nom d'URL) : chacune passe par ``@creates_once``.
CREATE_VIEWS = {
    "personne-nouvelle", "accompagnement-nouveau", "entretien-nouveau", "objectif-nouveau",
    "note-privee-nouvelle", "demande-nouvelle", "rendez-vous-nouveau", "ciblages",
    "ciblage-lancer", "signalement-nouveau", "accueil-contact-nouveau", "campagne-nouvelle",
    "agenda", "premier-creneau", "collectif-action-nouvelle", "collectif-seance-nouvelle",
    "collectif-inscrire", "collectif-nouveau-participant", "collectif-accompagnement",
    "collectif-questionnaires", "collectif-questionnaire", "collectif-saisie", "collectif-lien",
    "collectif-lien-questionnaire", "collectif-invitations", "aide-evaluation-nouvelle",
    "aide-demande-nouvelle", "aide-transmission", "aide-paiement", "aide-remboursement",
    "aide-indu", "aide-recouvrement", "aides-commissions", "aides-reglement-nouveau",
    "aides-version-suivante", "aides-aide-nouvelle", "pilotage-historique",
    "administration-lieu-nouveau", "administration-secteur-nouveau",
    "administration-agent-nouveau", "administration-organisme-nouveau",
    "orientation-nouvelle", "orientation-lien", "protection-donnees-traitement-nouveau",
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


@pytest.fixture
def case(org, worker):
    person = make_person(org=org, actor=worker)
    return make_case(person=person, referent=worker, opened_on=datetime.date(2026, 1, 10))


def _patterns(patterns=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield p


def test_every_create_view_creates_once():
    by_name = {p.name: p.callback for p in _patterns()}
    assert set(by_name) >= CREATE_VIEWS
    missing = sorted(n for n in CREATE_VIEWS if not getattr(by_name[n], "creates_once", False))
    assert missing == []


def token_in_form(html: str, action: str) -> str:
    """Le jeton ``_once`` du formulaire qui envoie vers ``action``."""
    for form in re.findall(r"<form\b.*?</form>", html, flags=re.S):
        head = form[: form.index(">")]
        if f'action="{action}"' in head or ("action=" not in head and 'method="post"' in head):
            found = re.search(rf'name="{FIELD}" value="([^"]+)"', form)
            if found:
                return found.group(1)
    raise AssertionError(f"Pas de jeton {FIELD} dans le formulaire vers {action}")


def scenarios(org, worker, case):
    """(page qui affiche le formulaire, adresse d'envoi, données, objets comptés, en-têtes)."""
    page = reverse("accompagnement", args=[case.pk])
    fresh = make_person(org=org, actor=worker, last_name="Sansdossier")
    site = SiteFactory(organisation=org, name="Point d'accueil Bourg", departement_id="01")
    group = make_action(org=org, actor=worker, facilitators=[worker])
    contact = {"on": "2026-06-15", "mode": "VAD", "note": "Visite"}
    return {
        "entretien (htmx)": (
            page, reverse("entretien-nouveau", args=[case.pk]), contact, Contact.objects,
            {"HTTP_HX_REQUEST": "true"},
        ),
        "entretien": (page, reverse("entretien-nouveau", args=[case.pk]), contact,
                      Contact.objects, {}),
        "note privée": (page, reverse("note-privee-nouvelle", args=[case.pk]),
                        {"text": "Mon ressenti"}, PrivateNote.objects, {}),
        "objectif": (page, reverse("objectif-nouveau", args=[case.pk]),
                     {"label": "Reprendre le travail"}, Objective.objects, {}),
        "personne": (
            reverse("personne-nouvelle"), reverse("personne-nouvelle"),
            {"last_name": "Bernard", "first_names": "Lucie", "sex": "F",
             "birth_date": "1975-04-09", "departement": "01", "commune_code": "01053",
             "postal_code": "01000", "phone": "0474000000"},
            Person.objects.filter(first_names="Lucie"), {},
        ),
        "accompagnement": (
            reverse("accompagnement-nouveau", args=[fresh.pk]),
            reverse("accompagnement-nouveau", args=[fresh.pk]),
            {"programme": "PDP", "origin": "DEMANDE_DIRECTE", "referent": worker.pk,
             "opened_on": "2026-06-01"},
            Case.objects.filter(person=fresh), {},
        ),
        "action collective": (
            reverse("collectif-action-nouvelle"), reverse("collectif-action-nouvelle"),
            {"type": "INFO_COLLECTIVE", "programme": "PDP", "title": "Et après ?",
             "public": "salariés", "departement": "01", "partners": "", "cofunders": "",
             "facilitators": [worker.pk], "partner_facilitators": ""},
            GroupAction.objects.filter(title="Et après ?"), {},
        ),
        "séance": (
            reverse("collectif-seance-nouvelle", args=[group.pk]),
            reverse("collectif-seance-nouvelle", args=[group.pk]),
            {"date": "2026-07-20", "start_time": "14:00", "capacity": "12", "site": site.pk},
            Session.objects, {},
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "entretien (htmx)",
        "entretien",
        "note privée",
        "objectif",
        "personne",
        "action collective",
        "séance",
    ],  # fmt: skip
)
def test_five_submits_of_one_render_create_one_object(client, org, worker, case, name):
    login_as(client, worker)
    page, action, data, objects, headers = scenarios(org, worker, case)[name]
    token = token_in_form(unescape(client.get(page).content.decode()), action)
    responses = [client.post(action, {**data, FIELD: token}, **headers) for _ in range(5)]
    assert objects.count() == 1
    first = responses[0]
    assert first.status_code in (200, 302), first.status_code
    for again in responses[1:]:
        assert again.status_code == first.status_code
        assert again.get("Location") == first.get("Location")
    second = token_in_form(unescape(client.get(page).content.decode()), action)
    assert second != token
    # une autre personne : la même serait signalée comme doublon probable
    other = {"last_name": "Martin", "birth_date": "1980-02-03"} if name == "personne" else {}
    client.post(action, {**data, **other, FIELD: second}, **headers)
    assert objects.count() == 2


def test_open_case_twice_from_one_render(client, org, worker, case):
    login_as(client, worker)
    page, action, data, objects, headers = scenarios(org, worker, case)["accompagnement"]
    token = token_in_form(unescape(client.get(page).content.decode()), action)
    for _ in range(5):
        client.post(action, {**data, FIELD: token})
    assert objects.count() == 1


def test_refused_submit_frees_its_token(client, org, worker, case):
    login_as(client, worker)
    page = reverse("accompagnement", args=[case.pk])
    action = reverse("entretien-nouveau", args=[case.pk])
    token = token_in_form(unescape(client.get(page).content.decode()), action)
    refused = client.post(action, {"on": "31/02/2026", "mode": "VAD", FIELD: token})
    assert refused.status_code == 422 and not FormSubmission.objects.exists()
    client.post(action, {"on": "2026-06-15", "mode": "VAD", FIELD: token})
    assert Contact.objects.count() == 1


def test_a_token_is_bound_to_its_author(client, org, worker, case):
    colleague = UserFactory(organisation=org, social_worker=True, departements=["01"])
    login_as(client, worker)
    page = reverse("accompagnement", args=[case.pk])
    action = reverse("note-privee-nouvelle", args=[case.pk])
    token = token_in_form(unescape(client.get(page).content.decode()), action)
    client.post(action, {"text": "À moi", FIELD: token})
    login_as(client, colleague)
    replay = client.post(action, {"text": "À moi", FIELD: token})
    assert replay.status_code == 409
    assert "déjà été envoyé" in unescape(replay.content.decode())
    assert PrivateNote.objects.count() == 1
