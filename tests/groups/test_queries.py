"""Chiffres exacts sur de petites données construites à la main (formats.md §5, ``collectif``)."""

import datetime
from decimal import Decimal

import pytest

from parcours.core import clock
from parcours.groups import queries, services
from parcours.groups.models import Invitation, Response
from tests.factories import UserFactory, make_person
from tests.groups.factories import make_action, make_registration, make_session

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(org, other_org, as01):
    as69 = UserFactory(organisation=org, social_worker=True, departements=["69"])
    p = {
        name: make_person(org=org, actor=as01, last_name=name, departement=dep)
        for name, dep in [
            ("Ana", "01"),
            ("Ben", "01"),
            ("Cid", "01"),
            ("Dan", "01"),
            ("Eve", "69"),
        ]
    }
    info_pdp = make_action(org=org, actor=as01)
    workshop = make_action(
        org=org, actor=as01, type="ATELIER", programme="BIEN_VIEILLIR", title="Mémoire"
    )
    info_other = make_action(org=org, actor=as01, programme="PARCOURS_SANTE", title="Santé")
    info_69 = make_action(org=org, actor=as69, departement="69", title="PDP Rhône")
    s_dec31 = make_session(action=info_pdp, actor=as01, date=D(2025, 12, 31))
    s_jan1 = make_session(action=info_pdp, actor=as01, date=D(2026, 1, 1))
    s_jun = make_session(action=info_pdp, actor=as01, date=D(2026, 6, 15))
    w1 = make_session(action=workshop, actor=as01, date=D(2026, 3, 2))
    w2 = make_session(action=workshop, actor=as01, date=D(2026, 12, 31))
    s_other = make_session(action=info_other, actor=as01, date=D(2026, 5, 5))
    s_69 = make_session(action=info_69, actor=as69, date=D(2026, 2, 2))
    s_empty = make_session(action=info_other, actor=as01, date=D(2026, 9, 9))  # personne
    make_session(action=workshop, actor=as01, date=D(2027, 1, 1))  # l'année suivante
    # Une autre organisation, mêmes dates : jamais comptée.
    foreign_as = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    foreign = make_action(org=other_org, actor=foreign_as)
    fs = make_session(action=foreign, actor=foreign_as, date=D(2026, 1, 1))
    make_registration(session=fs, person=make_person(org=other_org), actor=foreign_as, present=True)

    reg = make_registration
    reg(session=s_dec31, person=p["Ana"], actor=as01, present=True)  # 2025 seulement
    reg(session=s_jan1, person=p["Ben"], actor=as01, present=True)
    reg(session=s_jan1, person=p["Cid"], actor=as01, present=False)  # absent
    reg(session=s_jun, person=p["Ana"], actor=as01, present=True)
    reg(session=s_jun, person=p["Dan"], actor=as01, present=None)  # non renseigné
    reg(session=w1, person=p["Ana"], actor=as01, present=True)
    reg(session=w2, person=p["Ana"], actor=as01, present=True)  # même personne, 2 séances
    reg(session=w1, person=p["Cid"], actor=as01, present=True)
    reg(session=s_other, person=p["Ben"], actor=as01, present=True)
    reg(session=s_69, person=p["Eve"], actor=as69, present=True)
    return {
        "org": org,
        "people": p,
        "actions": {"info": info_pdp, "workshop": workshop},
        "empty": s_empty,
    }


def test_collective_figures_2026(world):
    figures = queries.collective_figures(organisation_id=world["org"].pk, year=2026)
    assert figures == {
        "actions": 4,
        "seances": 7,
        "participants": 4,  # Ana, Ben, Cid (atelier), Eve ; Dan non renseigné
        "par_type": {
            "INFO_COLLECTIVE": {"seances": 5, "participants": 3},  # Ben, Ana, Eve
            "ISIC": {"seances": 0, "participants": 0},
            "TSG": {"seances": 0, "participants": 0},
            "ATELIER": {"seances": 2, "participants": 2},  # Ana, Cid
            "JOURNEE_SANTE": {"seances": 0, "participants": 0},
            "SEJOUR": {"seances": 0, "participants": 0},
        },
    }


def test_year_boundaries(world):
    org = world["org"].pk
    figures_2025 = queries.collective_figures(organisation_id=org, year=2025)
    assert (figures_2025["actions"], figures_2025["seances"], figures_2025["participants"]) == (
        1,
        1,
        1,
    )
    assert queries.pdp_information_participants(organisation_id=org, year=2025) == 1  # Ana
    figures_2027 = queries.collective_figures(organisation_id=org, year=2027)
    assert (figures_2027["seances"], figures_2027["participants"]) == (1, 0)


def test_by_territory(world):
    org = world["org"].pk
    only_01 = queries.collective_figures(organisation_id=org, year=2026, departements=["01"])
    assert (only_01["actions"], only_01["seances"], only_01["participants"]) == (3, 6, 3)
    only_69 = queries.collective_figures(organisation_id=org, year=2026, departements=["69"])
    assert (only_69["actions"], only_69["seances"], only_69["participants"]) == (1, 1, 1)
    assert (
        queries.pdp_information_participants(organisation_id=org, year=2026, departements=["69"])
        == 1
    )


def test_participants_by_programme_and_pdp_information(world):
    org = world["org"].pk
    assert queries.participants_by_programme(organisation_id=org, year=2026) == {
        "PDP": 3,  # Ben, Ana (01), Eve (69)
        "PARCOURS_SANTE": 1,  # Ben
        "RETOUR_DOMICILE": 0,
        "BIEN_VIEILLIR": 2,
        "DEUIL": 0,
        "AUTRE": 0,
    }
    assert queries.pdp_information_participants(organisation_id=org, year=2026) == 3
    assert sorted(
        queries.present_people(organisation_id=org, year=2026, programme="BIEN_VIEILLIR")
    ) == sorted([world["people"]["Ana"].pk, world["people"]["Cid"].pk])


def test_action_list_counts(world):
    from parcours.groups.models import GroupAction

    rows = {
        a.title: (a.n_sessions, a.n_present)
        for a in queries.actions_list(GroupAction.objects.filter(organisation=world["org"]), 2026)
    }
    assert rows == {
        "Réunion d'information PDP": (2, 2),
        "Mémoire": (2, 2),
        "Santé": (2, 1),
        "PDP Rhône": (1, 1),
    }
    rows_2025 = {
        a.title: (a.n_sessions, a.n_present, a.first_date)
        for a in queries.actions_list(GroupAction.objects.filter(organisation=world["org"]), 2025)
    }
    assert rows_2025 == {"Réunion d'information PDP": (1, 1, D(2025, 12, 31))}


def _answer(questionnaire, invitation, raw, day):
    with clock.frozen(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)):
        return services.submit_response(
            actor=None,
            questionnaire=questionnaire,
            invitation=invitation,
            raw=raw,
            source=Response.Source.LIEN,
        )


def test_questionnaire_results_exact(org, as01):
    q = services.create_questionnaire(
        actor=as01,
        organisation_id=org.pk,
        title="Satisfaction",
        moment="A_CHAUD",
        action_type="INFO_COLLECTIVE",
    )
    scale = services.add_question(actor=as01, questionnaire=q, text="Clarté", answer_type="ECHELLE")
    yes = services.add_question(actor=as01, questionnaire=q, text="Droits", answer_type="OUI_NON")
    choice = services.add_question(
        actor=as01,
        questionnaire=q,
        text="Domaine",
        answer_type="CHOIX",
        choices=["Droits", "Santé", "Aucun"],
        positive_choices=[0, 1],
    )
    text = services.add_question(actor=as01, questionnaire=q, text="Mot", answer_type="TEXTE")
    action = make_action(org=org, actor=as01)
    workshop = make_action(org=org, actor=as01, type="ATELIER", title="Atelier")
    s = make_session(action=action, actor=as01, date=D(2026, 2, 10), capacity=10)
    s_2025 = make_session(action=action, actor=as01, date=D(2025, 11, 10), capacity=10)
    w = make_session(action=workshop, actor=as01, date=D(2026, 2, 10), capacity=10)
    people = [make_person(org=org, actor=as01, last_name=f"P{i}") for i in range(6)]
    for i, person in enumerate(people[:5]):
        make_registration(session=s, person=person, actor=as01, present=i < 4)  # P4 absent
    make_registration(session=s_2025, person=people[5], actor=as01, present=True)
    make_registration(session=w, person=people[0], actor=as01, present=True)  # autre type
    inv = {p.pk: Invitation.objects.get(action=action, person=p) for p in people}
    day = D(2026, 2, 10)
    _answer(
        q,
        inv[people[0].pk],
        {f"q{scale.pk}": "5", f"q{yes.pk}": "1", f"q{choice.pk}": "0", f"q{text.pk}": "Merci"},
        day,
    )
    _answer(
        q, inv[people[1].pk], {f"q{scale.pk}": "4", f"q{yes.pk}": "1", f"q{choice.pk}": "2"}, day
    )
    _answer(q, inv[people[2].pk], {f"q{scale.pk}": "2", f"q{yes.pk}": "0"}, day)
    _answer(q, inv[people[5].pk], {f"q{scale.pk}": "1", f"q{yes.pk}": "0"}, D(2025, 11, 10))

    result = queries.questionnaire_results(q, today=D(2026, 3, 1), year=2026)
    assert (result["eligible"], result["responses"], result["response_rate"]) == (
        4,
        3,
        Decimal("75.0"),
    )
    by_text = {item["question"].text: item for item in result["questions"]}
    clarity = by_text["Clarté"]
    assert [(d["label"], d["count"], d["pct"]) for d in clarity["distribution"]] == [
        ("1 — pas du tout", 0, Decimal("0.0")),
        ("2", 1, Decimal("33.3")),
        ("3", 0, Decimal("0.0")),
        ("4", 1, Decimal("33.3")),
        ("5 — tout à fait", 1, Decimal("33.3")),
    ]
    assert (clarity["answered"], clarity["positive"], clarity["positive_pct"]) == (
        3,
        2,
        Decimal("66.7"),
    )
    rights = by_text["Droits"]
    assert [(d["label"], d["count"]) for d in rights["distribution"]] == [("Oui", 2), ("Non", 1)]
    assert rights["positive_pct"] == Decimal("66.7")
    domain = by_text["Domaine"]
    assert (domain["answered"], domain["positive"], domain["positive_pct"]) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert by_text["Mot"]["texts"] == ["Merci"]

    # Toutes années : P5 (2025) s'ajoute.
    every_year = queries.questionnaire_results(q, today=D(2026, 3, 1))
    assert (every_year["eligible"], every_year["responses"]) == (5, 4)
    # Par action : la même action ; un atelier n'est pas concerné par ce questionnaire.
    assert queries.questionnaire_results(q, today=D(2026, 3, 1), action=workshop)["eligible"] == 0
    # Par programme.
    assert queries.questionnaire_results(q, today=D(2026, 3, 1), programme="DEUIL")["eligible"] == 0
    empty = queries.questionnaire_results(q, today=D(2026, 3, 1), programme="DEUIL")
    assert empty["response_rate"] is None


def test_impact_questionnaire_eligibility_waits_n_months(org, as01):
    q = services.create_questionnaire(
        actor=as01,
        organisation_id=org.pk,
        title="Impact",
        moment="DIFFERE",
        months_after=3,
        programme="PDP",
    )
    services.add_question(actor=as01, questionnaire=q, text="Démarches", answer_type="OUI_NON")
    action = make_action(org=org, actor=as01)
    early = make_session(action=action, actor=as01, date=D(2026, 1, 15))
    late = make_session(action=action, actor=as01, date=D(2026, 2, 15))
    a, b = (make_person(org=org, actor=as01, last_name=n) for n in ("A", "B"))
    make_registration(session=early, person=a, actor=as01, present=True)
    make_registration(session=late, person=b, actor=as01, present=True)
    assert queries.questionnaire_results(q, today=D(2026, 4, 14))["eligible"] == 0
    assert queries.questionnaire_results(q, today=D(2026, 4, 15))["eligible"] == 1
    assert queries.questionnaire_results(q, today=D(2026, 5, 15))["eligible"] == 2
