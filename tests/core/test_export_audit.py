"""Chaque lecture qui remet (fichier) ou montre (liste, résultats de recherche) des données
personnelles en nombre laisse exactement une entrée du journal : qui, quoi, combien de
personnes. La table des URL se vérifie contre l'URLconf : un nouvel export (URL en .pdf, .csv,
.xlsx, nom en *export*, *csv*, *xlsx*, *liste*) ou une nouvelle liste de personnes sans ligne
ici fait échouer ``test_every_export_url_is_in_the_table``."""

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parcours.aid import services as aid_services
from parcours.core import clock
from parcours.core.models import AuditEntry
from parcours.groups import services as group_services
from parcours.outreach import services as outreach_services
from parcours.outreach.models import Referral, TargetingEntry, TargetingRun
from parcours.people.models import Person
from tests.aid.factories import ALL_C, install_catalogue, make_evaluation, ready_request
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_person
from tests.steering import factories as steering

pytestmark = pytest.mark.django_db

EXPORT, LIST, READ = AuditEntry.Action.EXPORT, AuditEntry.Action.LIST, AuditEntry.Action.READ

#: Pages qui montrent des personnes en nombre sans que leur URL le dise (listes, recherches).
LISTS = {
    "personnes",
    "mon-activite",
    "accompagnements",
    "signalements",
    "accueil-contacts",
    "ciblage",
    "ciblage-avancement",
    "signalement-nouveau",
    "accueil-contact-nouveau",
    "campagne-nouvelle",
    "campagne",
    "agenda",
    "collectif-invitations",
    "collectif-seance",
    "collectif-presences",
    "aides",
    "aide-commission",
    "pilotage-detail",
}

#: Exports sans donnée personnelle, ou journalisés ailleurs : la raison est dite.
EXEMPT = {
    "pilotage-export": "rapport d'activité : des agrégats, aucune personne",
    "subventions-export": "subventions de l'année : des partenaires et des montants, aucune "
    "personne (sa ligne d'export au journal : tests/partners/test_subsidies_views.py)",
    "observatoire-departement-export": "communes de l'observatoire : des agrégats par commune, "
    "aucune personne (sa ligne d'export au journal : tests/observatory/test_views.py)",
    "protection-donnees-registre-pdf": "registre des traitements : des traitements, aucune "
    "personne (sa ligne d'export au journal : tests/privacy/test_register.py)",
}


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry.name


def export_urls() -> set[str]:
    """Les noms d'URL de l'URLconf qui remettent un fichier ou listent des personnes."""
    found = set()
    for route, name in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        if (
            route.endswith((".pdf", ".csv", ".xlsx"))
            or any(word in name for word in ("export", "csv", "xlsx", "liste", "pdf"))
            or name in {"collectif-courriers", "collectif-relances"}
            or name in LISTS
        ):
            found.add(name)
    return found


# ---------------------------------------------------------------- un organisme, tout y est


@dataclass
class World:
    org: object
    as01: object
    manager: object
    steering: object
    admin: object
    people: list
    payment_request: object
    evaluation: object
    commission: object
    action: object
    past_action: object
    session: object
    questionnaire: object
    referral: object
    campaign: object
    run: object
    history_job: object


@pytest.fixture
def world(org):
    as01 = UserFactory(organisation=org, social_worker=True, departements=["01"])
    manager = UserFactory(organisation=org, manager=True, departements=["01"])
    pilot = UserFactory(organisation=org, steering=True, departements=["01"])
    admin = UserFactory(organisation=org, admin=True, departements=[])
    install_catalogue(org, admin)
    today = clock.today()
    people = [
        make_person(org=org, actor=as01, departement="01", last_name=f"Durand{i}") for i in range(3)
    ]
    for who in people[:2]:
        make_case(person=who, referent=as01)
    paid = ready_request(person=people[0], actor=as01)
    paid = aid_services.decide(
        actor=manager, request=paid, decision="accorder", amount=D("100"), reason="Oui."
    )
    aid_services.record_payment(
        actor=manager, request=paid, amount=D("40"), paid_on=today, payee="PERSONNE"
    )
    aid_services.record_payment(
        actor=manager, request=paid, amount=D("60"), paid_on=today, payee="PERSONNE"
    )  # deux paiements, une personne
    evaluation = make_evaluation(person=people[1], actor=as01, grid=ALL_C)
    aid_services.record_transmission(actor=as01, evaluation=evaluation)
    commission = aid_services.create_session(
        actor=manager, organisation_id=org.pk, departement_id="01", held_on=today
    )
    for who in people[1:]:
        ready_request(person=who, actor=as01)  # 500 € : en commission
    aid_services.build_agenda(actor=manager, session=commission)

    action = steering.action(org)
    session = steering.session(action, today + datetime.timedelta(days=10))
    for who in people:
        steering.attend(session, who, present=None)
    past_action = steering.action(org)  # une inscription par action : une autre action
    past = steering.session(past_action, today - datetime.timedelta(days=10))
    steering.attend(past, people[0], present=True)  # concernée par le questionnaire à chaud
    questionnaire = group_services.create_questionnaire(
        actor=manager,
        organisation_id=org.pk,
        title="Satisfaction",
        moment="A_CHAUD",
        action_type="INFO_COLLECTIVE",
    )
    referral = steering.referral(people[0], today)
    Referral.objects.filter(pk=referral.pk).update(
        assigned_to=as01, status=Referral.Status.PRIS_EN_CHARGE
    )
    steering.front_line(org, today, who=people[2])
    campaign = steering.offer(people[0], today).campaign
    from parcours.core.models import Commune

    commune = Commune.objects.filter(code="01053").first() or Commune.objects.first()
    Person.objects.filter(pk=people[0].pk).update(
        address="1 rue de la Paix", postal_code="01000", commune=commune
    )
    rule = outreach_services.targeting_rule(organisation=org)
    run = TargetingRun.objects.create(
        organisation=org,
        rule=rule,
        rule_code=rule.code,
        programme=rule.programme,
        parameters=rule.parameters,
        file_name="extrait.csv",
        extraction_date=today,
        status=TargetingRun.Status.TERMINE,
    )
    for line, who in enumerate(people[:2], 2):
        TargetingEntry.objects.create(
            organisation=org, run=run, person=who, departement_id="01", line=line
        )
    from parcours.steering.models import HistoryImport

    job = HistoryImport.objects.create(
        organisation=org,
        created_by=manager,
        file_name="lot.zip",
        status=HistoryImport.Status.TERMINE,
        result={"nombre_erreurs": 0, "erreurs": []},
    )
    return World(
        org, as01, manager, pilot, admin, people, paid, evaluation, commission, action,
        past_action, session,
        questionnaire, referral, campaign, run, job,
    )  # fmt: skip


@dataclass
class Case:
    role: str
    url: object  # World -> str
    count: object  # World -> int : personnes distinctes montrées ou remises
    action: str = EXPORT
    post: dict | None = None


YEAR = f"?annee={clock.today().year}"

CASES = {
    # fichiers remis
    "aides-paiements-csv": Case("manager", lambda w: reverse("aides-paiements-csv") + YEAR,
                                lambda w: 1),
    "aide-notification-pdf": Case(
        "manager", lambda w: reverse("aide-notification-pdf", args=[w.payment_request.pk]),
        lambda w: 1),
    "aide-transmission-pdf": Case(
        "as01", lambda w: reverse("aide-transmission-pdf", args=[w.evaluation.pk]), lambda w: 1),
    "aide-commission-pdf": Case(
        "manager",
        lambda w: reverse("aide-commission-pdf", args=[w.commission.pk, "ordre-du-jour"]),
        lambda w: 2),  # les deux demandes à 500 € de Durand1 et Durand2
    "collectif-emargement": Case(
        "as01", lambda w: reverse("collectif-emargement", args=[w.session.pk]), lambda w: 3),
    "collectif-questionnaires-papier": Case(
        "as01", lambda w: reverse("collectif-questionnaires-papier",
                                  args=[w.session.pk, w.questionnaire.pk]), lambda w: 3),
    "collectif-courriers": Case(
        "as01", lambda w: reverse("collectif-courriers", args=[w.action.pk]), lambda w: 3,
        post={"tous": "1"}),
    "collectif-relances": Case(
        "as01",
        lambda w: reverse("collectif-relances", args=[w.past_action.pk, w.questionnaire.pk]),
        lambda w: 1, post={}),
    "campagne-courriers": Case(
        "manager", lambda w: reverse("campagne-courriers", args=[w.campaign.pk]), lambda w: 1),
    "signalement-reponse": Case(
        "as01", lambda w: reverse("signalement-reponse", args=[w.referral.pk]), lambda w: 1),
    "ciblage-rejets": Case(
        "manager", lambda w: reverse("ciblage-rejets", args=[w.run.pk]), lambda w: None, READ),
    "pilotage-historique-rejets": Case(
        "admin", lambda w: reverse("pilotage-historique-rejets", args=[w.history_job.pk]),
        lambda w: None, READ),
    # listes et recherches
    "personnes": Case("as01", lambda w: reverse("personnes"), lambda w: 3, LIST,
                      post={"q": "durand"}),
    "aides": Case("as01", lambda w: reverse("aides"), lambda w: 3, LIST, post={"q": "durand"}),
    "mon-activite": Case("as01", lambda w: reverse("mon-activite"), lambda w: 2, LIST),
    "accompagnements": Case("manager", lambda w: reverse("accompagnements"), lambda w: 2, LIST),
    "signalements": Case("manager", lambda w: reverse("signalements"), lambda w: 1, LIST),
    "accueil-contacts": Case("as01", lambda w: reverse("accueil-contacts"), lambda w: 1, LIST),
    "ciblage": Case("manager", lambda w: reverse("ciblage", args=[w.run.pk]), lambda w: 2, LIST),
    "ciblage-avancement": Case(
        "manager", lambda w: reverse("ciblage-avancement", args=[w.run.pk]), lambda w: 2, LIST),
    "signalement-nouveau": Case("as01", lambda w: reverse("signalement-nouveau"), lambda w: 3,
                                LIST, post={"q": "durand"}),
    "accueil-contact-nouveau": Case("as01", lambda w: reverse("accueil-contact-nouveau"),
                                    lambda w: 3, LIST, post={"q": "durand"}),
    "campagne-nouvelle": Case("manager", lambda w: reverse("campagne-nouvelle"), lambda w: 3,
                              LIST, post={"q": "durand"}),
    "campagne": Case("manager", lambda w: reverse("campagne", args=[w.campaign.pk]),
                     lambda w: 1, LIST),
    "agenda": Case("as01", lambda w: reverse("agenda"), lambda w: 0, LIST),
    "collectif-invitations": Case(
        "as01", lambda w: reverse("collectif-invitations", args=[w.action.pk]), lambda w: 3, LIST),
    "collectif-seance": Case(
        "as01", lambda w: reverse("collectif-seance", args=[w.session.pk]), lambda w: 3, LIST),
    "collectif-presences": Case(
        "as01", lambda w: reverse("collectif-presences", args=[w.session.pk]), lambda w: 3, LIST),
    "aide-commission": Case(
        "manager", lambda w: reverse("aide-commission", args=[w.commission.pk]),
        lambda w: 2, LIST),
    "droit-acces-export": Case(
        "manager", lambda w: reverse("droit-acces-export", args=[w.people[0].pk]), lambda w: 1,
        post={"format": "pdf", "private_notes": "communiquer"}),
    "pilotage-detail": Case(
        "manager",
        lambda w: reverse("pilotage-detail")
        + f"?annee={clock.today().year}&territoire=departement-01&chiffre=personnes",
        lambda w: 1, LIST),  # aidée dans l'année : la seule présente à une séance
}  # fmt: skip


def test_every_export_url_is_in_the_table():
    """Un export ou une liste de personnes ajouté sans sa ligne ici (donc sans test de son
    entrée au journal) échoue."""
    assert export_urls() - set(CASES) - set(EXEMPT) == set()
    assert set(CASES) | set(EXEMPT) <= export_urls() | set(LISTS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_export_writes_exactly_one_audit_row(client, world, name):
    case = CASES[name]
    user = getattr(world, case.role)
    login_as(client, user)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    url = case.url(world)
    response = client.post(url, case.post) if case.post is not None else client.get(url)
    assert response.status_code in (200, 422), (name, response.status_code)
    new = list(AuditEntry.objects.exclude(pk__in=before).filter(action=case.action))
    assert len(new) == 1, [(e.action, e.summary) for e in new]
    entry = new[0]
    assert entry.actor == user and entry.organisation_id == world.org.pk
    expected = case.count(world)
    if expected is not None:
        assert entry.changes["personnes"] == expected, entry.summary
        assert entry.summary.endswith(f"({expected} personne{'s' if expected > 1 else ''})")
    others = AuditEntry.objects.exclude(pk__in=before).exclude(pk=entry.pk)
    assert not others.filter(action__in=[EXPORT, LIST]).exists()


def test_the_audit_journal_shows_exports_readably_in_french(client, world):
    login_as(client, world.manager)
    client.get(reverse("accompagnements") + "?etat=ouvert&programme=PDP")
    client.get(reverse("aides-paiements-csv") + YEAR)
    login_as(client, world.admin)
    page = client.get(reverse("administration-journal")).content.decode()
    assert "Liste consultée" in page and "Liste des accompagnements (2 personnes)" in page
    assert "Critères : état ouvert ; programme PDP" in page
    assert f"Export des paiements {clock.today().year} (1 personne)" in page
    assert "&quot;personnes&quot;" not in page and "&quot;criteres&quot;" not in page
