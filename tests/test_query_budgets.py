"""Budgets de requêtes des pages lourdes : un N+1 (une requête par ligne affichée) échoue ici.

Chaque page est mesurée deux fois, avec peu puis avec beaucoup de lignes : le nombre de
requêtes ne doit pas grandir avec les données, et ne pas dépasser le budget, fixé au compte du
2 décembre 2026. Un budget se baisse quand une page s'allège ; le relever se justifie dans le
message du commit.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.cases import services as case_services
from parcours.core.nomenclatures import Mode, Programme
from tests.conftest import login_as
from tests.factories import UserFactory, make_case, make_contact, make_person
from tests.steering import factories as steering

pytestmark = pytest.mark.django_db

BUDGETS = {
    "accompagnement": 17,
    "personnes": 13,  # + l'entrée du journal (résultats de recherche, 2026-12-03)
    "personne": 17,
    "pilotage-rapport": 129,
    "api-orientations": 8,  # GET /api/v1/orientations (2026-12-04)
}

_names = (f"Durand{suffix}" for suffix in itertools.count())


def queries(send):
    """Nombre de requêtes SQL d'un appel de page (réponse 200 exigée)."""
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code == 200
    return len(captured.captured_queries)


def assert_flat_and_within_budget(name, measure, grow, django_assert_max_num_queries):
    measure()  # première page de la session : caches et session s'établissent
    small = measure()
    grow()
    with django_assert_max_num_queries(BUDGETS[name]):
        large = measure()
    assert large == small, (
        f"« {name} » : {small} requêtes avec peu de lignes, {large} avec plus : "
        "une requête par ligne (N+1) ?"
    )


@pytest.fixture
def team(org):
    return [
        UserFactory(organisation=org, social_worker=True, departements=["01"]) for _ in range(4)
    ]


def test_case_page(client, org, team, django_assert_max_num_queries):
    referent = team[0]
    person = make_person(org=org, actor=referent)
    case = make_case(person=person, referent=referent)
    modes = itertools.cycle([Mode.RECEPTION_RDV, Mode.TELEPHONE, Mode.VAD])

    def grow(n=2):
        for i in range(n):
            author = team[i % len(team)]
            make_contact(
                case=case,
                actor=author,
                on=datetime.date(2026, 2, 1) + datetime.timedelta(days=i),
                mode=next(modes),
                note=f"Entretien {i}",
            )
            case_services.add_objective(actor=author, case=case, label=f"Objectif {i}")
            case_services.add_private_note(actor=referent, case=case, text=f"Note {i}")

    grow()
    login_as(client, referent)
    url = reverse("accompagnement", args=[case.pk])
    assert_flat_and_within_budget(
        "accompagnement",
        lambda: queries(lambda: client.get(url)),
        lambda: grow(6),
        django_assert_max_num_queries,
    )


def test_person_search(client, org, team, django_assert_max_num_queries):
    # 5 résultats au moins dès le départ : en deçà, la recherche tente aussi les fautes de frappe.
    count = itertools.count()

    def grow(n=5):
        for i in (next(count) for _ in range(n)):
            who = make_person(org=org, actor=team[0], last_name="Durand", first_names=f"Ana{i}")
            make_case(person=who, referent=team[i % len(team)])

    grow()
    login_as(client, team[0])
    url = reverse("personnes")
    assert_flat_and_within_budget(
        "personnes",
        lambda: queries(lambda: client.post(url, {"q": "durand"})),
        lambda: grow(10),
        django_assert_max_num_queries,
    )


def test_person_page(client, org, team, django_assert_max_num_queries):
    person = make_person(org=org, actor=team[0])
    programmes = itertools.cycle(Programme.values)

    def grow(n=1):
        for i in range(n):
            closed = steering.case(
                person,
                programme=next(programmes),
                opened=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                closed=datetime.date(2024, 6, 1) + datetime.timedelta(days=i),
                referent=team[i % len(team)],
            )
            steering.contact(closed, datetime.date(2024, 2, 1), by=team[i % len(team)])

    make_case(person=person, referent=team[0])
    grow()
    login_as(client, team[0])
    url = reverse("personne", args=[person.pk])
    assert_flat_and_within_budget(
        "personne",
        lambda: queries(lambda: client.get(url)),
        lambda: grow(4),
        django_assert_max_num_queries,
    )


def test_activity_report_page(client, org, django_assert_max_num_queries):
    modes = itertools.cycle([Mode.RECEPTION_RDV, Mode.TELEPHONE, Mode.VAD])
    programmes = itertools.cycle([Programme.PDP, Programme.PARCOURS_SANTE, Programme.DEUIL])

    def grow(n=2):
        for i in range(n):
            for departement in ("01", "69"):
                who = steering.person(org, departement=departement, name=next(_names))
                c = steering.case(who, programme=next(programmes), opened=datetime.date(2025, 2, 1))
                steering.contact(
                    c, datetime.date(2025, 3, 1) + datetime.timedelta(days=i), next(modes)
                )
                steering.contact(c, datetime.date(2025, 5, 1), next(modes))

    grow()
    login_as(client, UserFactory(organisation=org, steering=True, departements=["01", "69"]))
    url = reverse("pilotage-rapport")
    params = {"annee": 2025, "territoire": "organisme"}
    assert_flat_and_within_budget(
        "pilotage-rapport",
        lambda: queries(lambda: client.get(url, params)),
        lambda: grow(5),
        django_assert_max_num_queries,
    )


def test_api_orientation_list(client, org, team, django_assert_max_num_queries):
    """GET /api/v1/orientations : la dernière évaluation de chaque personne listée se lit en une
    requête pour toute la liste, pas une par orientation (1 puis 20 orientations)."""
    from parcours.partners.models import Partner
    from parcours.sharing.services import orientations as orientation_services
    from tests.aid.factories import ALL_C, make_evaluation
    from tests.api.conftest import bearer, issue

    partner = Partner.objects.create(organisation=org, kind="AUTRE", name="Cap emploi")
    worker = team[0]

    def grow(n=1):
        for _ in range(n):
            person = make_person(org=org, actor=worker, last_name=next(_names))
            for day in (1, 2):
                make_evaluation(
                    person=person, actor=worker, grid=ALL_C, on=datetime.date(2026, 11, day)
                )
            orientation_services.send_orientation(
                actor=worker,
                person=person,
                partner=partner,
                reason="EMPLOI",
                request="Étudier un maintien dans l'emploi",
                categories=["IDENTITE", "SITUATION", "EVALUATION"],
                basis="MISSION_LEGALE",
            )

    grow()
    _, secret = issue(org, partner=partner, scopes=["orientations:lire"])

    def measure():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/orientations", **bearer(secret))
        assert response.status_code == 200
        assert all(row["evaluation"]["date"] == "2026-11-02" for row in response.json())
        return len(captured.captured_queries)

    assert_flat_and_within_budget(
        "api-orientations", measure, lambda: grow(19), django_assert_max_num_queries
    )
