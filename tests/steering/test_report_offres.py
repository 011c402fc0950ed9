"""Section « offres » : offres envoyées dans l'année, suivies d'intervention dans les 90 jours."""

from datetime import date, timedelta

import pytest

from parcours.core.nomenclatures import TypeCollectif
from tests.steering.factories import action, attend, case, contact, offer, person, session

pytestmark = pytest.mark.django_db

SENT = date(2025, 3, 1)


def test_no_offer(org, build):
    assert build(2025)["offres"] == {"envoyees": 0, "suivies_d_intervention": 0, "taux_pct": 0.0}


def test_contact_on_day_90_follows_day_91_does_not(org, build):
    on_day_90 = person(org, name="Quatre-vingt-dix")
    offer(on_day_90, SENT)
    contact(case(on_day_90), SENT + timedelta(days=90))
    on_day_91 = person(org, name="Quatre-vingt-onze")
    offer(on_day_91, SENT)
    contact(case(on_day_91), SENT + timedelta(days=91))
    same_day = person(org, name="Jour meme")
    offer(same_day, SENT)
    contact(case(same_day), SENT)
    before = person(org, name="Avant")
    offer(before, SENT)
    contact(case(before), SENT - timedelta(days=1))
    assert build(2025)["offres"] == {"envoyees": 4, "suivies_d_intervention": 2, "taux_pct": 50.0}


def test_session_attendance_follows_an_offer(org, build):
    workshop = action(org, type=TypeCollectif.ATELIER)
    present = person(org, name="Presente")
    offer(present, SENT)
    attend(session(workshop, SENT + timedelta(days=90)), present)
    absent = person(org, name="Absente")
    offer(absent, SENT)
    attend(session(workshop, SENT + timedelta(days=10)), absent, present=False)
    late = person(org, name="Tard")
    offer(late, SENT)
    attend(session(workshop, SENT + timedelta(days=91)), late)
    assert build(2025)["offres"] == {"envoyees": 3, "suivies_d_intervention": 1, "taux_pct": 33.3}


def test_offers_of_the_year_by_their_departement(org, build):
    a = person(org, name="A", departement="01")
    offer(a, date(2025, 12, 31), departement="69")
    contact(case(a), date(2026, 1, 15))  # follow-up in the next year still counts
    offer(person(org, name="B"), date(2026, 1, 1))
    c = person(org, name="C")
    offer(c, date(2025, 1, 1))
    document = build(2025)
    assert document["offres"] == {"envoyees": 2, "suivies_d_intervention": 1, "taux_pct": 50.0}
    by_code = {d["territoire"]["code"]: d["offres"] for d in document["departements"]}
    assert by_code["69"] == {"envoyees": 1, "suivies_d_intervention": 1, "taux_pct": 100.0}
    assert by_code["01"]["envoyees"] == 1
    assert build(2025, departement="69")["offres"]["envoyees"] == 1


def test_rate_rounded_half_away_from_zero(org, build):
    # 1 / 8 = 12.5 %, 1 / 16 = 6.25 % -> 6.3
    people = [person(org, name=f"P{i}") for i in range(16)]
    for i, p in enumerate(people):
        offer(p, SENT, reference=f"R{i}")
    contact(case(people[0]), SENT)
    assert build(2025)["offres"]["taux_pct"] == 6.3
