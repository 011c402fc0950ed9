"""Section « personnes » : aidées dans l'année, une fois par territoire, sexe et âge."""

from datetime import date

import pytest

from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


def test_contact_on_31_december_counts_1_january_does_not(org, build):
    dec = person(org, name="Decembre")
    jan = person(org, name="Janvier")
    contact(case(dec, opened=date(2025, 3, 1)), date(2025, 12, 31))
    contact(case(jan, opened=date(2025, 3, 1)), date(2026, 1, 1))
    before = person(org, name="Avant")
    contact(case(before, opened=date(2024, 3, 1)), date(2024, 12, 31))
    assert build(2025)["personnes"]["total"] == 1
    assert build(2026)["personnes"]["total"] == 1
    assert build(2024)["personnes"]["total"] == 1


def test_person_counted_once_per_territory(org, build):
    both = person(org, departement="01")
    contact(case(both, departement="01"), date(2025, 2, 1))
    contact(case(both, departement="01"), date(2025, 3, 1))
    contact(case(both, departement="69"), date(2025, 4, 1))
    other = person(org, departement="69", sex="M")
    contact(case(other), date(2025, 5, 1))
    document = build(2025)
    assert document["personnes"]["total"] == 2
    assert document["personnes"]["individuel_seul"] == 2
    assert document["personnes"]["sexe"] == {"F": 1, "M": 1}
    by_code = {d["territoire"]["code"]: d for d in document["departements"]}
    assert [d["territoire"]["code"] for d in document["departements"]] == ["01", "69"]
    assert by_code["01"]["personnes"]["total"] == 1
    assert by_code["69"]["personnes"]["total"] == 2  # contact in 69 for a resident of 01
    region = build(2025, region="84")
    assert region["personnes"]["total"] == 2
    assert build(2025, departement="69")["personnes"]["total"] == 2
    assert build(2025, departement="01")["personnes"]["total"] == 1


def test_ages_on_31_december(org, build):
    births = [
        date(2000, 1, 1),  # 25 -> moins_26
        date(1999, 12, 31),  # 26
        date(1980, 1, 1),  # 45
        date(1979, 12, 31),  # 46
        date(1966, 1, 1),  # 59
        date(1965, 12, 31),  # 60
        date(1951, 1, 1),  # 74
        date(1950, 12, 31),  # 75
        date(1920, 2, 29),  # 105
    ]
    for i, born in enumerate(births):
        contact(case(person(org, born=born, name=f"P{i}")), date(2025, 6, 1))
    assert build(2025)["personnes"]["age"] == {
        "moins_26": 1,
        "26_45": 2,
        "46_59": 2,
        "60_74": 2,
        "75_et_plus": 2,
    }


def test_other_organisation_and_empty_year(org, other_org, build):
    contact(case(person(other_org)), date(2025, 6, 1))
    document = build(2025)
    assert document["personnes"] == {
        "total": 0,
        "individuel_seul": 0,
        "individuel_et_collectif": 0,
        "collectif_seul": 0,
        "sexe": {"F": 0, "M": 0},
        "age": {"moins_26": 0, "26_45": 0, "46_59": 0, "60_74": 0, "75_et_plus": 0},
    }
    assert document["departements"] == []


def test_helped_individually_collectively_or_both(org, build):
    from parcours.core.nomenclatures import Programme, TypeCollectif
    from tests.steering.factories import action, attend, session

    workshop = action(org, type=TypeCollectif.ATELIER, programme=Programme.BIEN_VIEILLIR)
    on = session(workshop, date(2025, 6, 1))
    late = session(workshop, date(2026, 1, 1))
    only_ind = person(org, name="Individuel", born=date(1990, 1, 1))
    contact(case(only_ind), date(2025, 2, 1))
    both = person(org, name="Les deux", sex="M", born=date(1950, 12, 31))
    contact(case(both), date(2025, 12, 31))
    attend(on, both)
    only_col = person(org, name="Collectif", sex="M", born=date(2000, 1, 1))
    attend(on, only_col)
    absent = person(org, name="Absent")
    attend(on, absent, present=False)
    next_year = person(org, name="Janvier")
    attend(late, next_year)
    assert build(2025)["personnes"] == {
        "total": 3,
        "individuel_seul": 1,
        "individuel_et_collectif": 1,
        "collectif_seul": 1,
        "sexe": {"F": 1, "M": 2},
        "age": {"moins_26": 1, "26_45": 1, "46_59": 0, "60_74": 0, "75_et_plus": 1},
    }


def test_individual_in_one_departement_collective_in_another(org, build):
    from parcours.core.nomenclatures import TypeCollectif
    from tests.steering.factories import action, attend, session

    who = person(org, departement="01")
    contact(case(who, departement="01"), date(2025, 3, 1))
    attend(session(action(org, type=TypeCollectif.TSG, departement="69"), date(2025, 4, 1)), who)
    document = build(2025)
    whole = document["personnes"]
    assert (whole["total"], whole["individuel_et_collectif"]) == (1, 1)
    by_code = {d["territoire"]["code"]: d["personnes"] for d in document["departements"]}
    assert (by_code["01"]["total"], by_code["01"]["individuel_seul"]) == (1, 1)
    assert (by_code["69"]["total"], by_code["69"]["collectif_seul"]) == (1, 1)
    assert build(2025, departement="69")["personnes"]["collectif_seul"] == 1
    assert build(2025, region="84")["personnes"]["individuel_et_collectif"] == 1
