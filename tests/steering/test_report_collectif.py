"""Section « collectif » : actions, séances et participants présents de l'année, par type."""

from datetime import date

import pytest

from parcours.core.nomenclatures import Programme, TypeCollectif
from tests.steering.factories import action, attend, person, session

pytestmark = pytest.mark.django_db

ZERO_TYPES = {t: {"seances": 0, "participants": 0} for t in TypeCollectif.values}


def test_every_type_listed_with_zero(org, build):
    document = build(2025)
    assert document["collectif"] == {
        "actions": 0,
        "seances": 0,
        "participants": 0,
        "par_type": ZERO_TYPES,
    }


def test_sessions_of_the_year_and_present_people_only(org, build):
    info = action(org, type=TypeCollectif.INFO_COLLECTIVE)
    workshop = action(org, type=TypeCollectif.ATELIER, programme=Programme.BIEN_VIEILLIR)
    dec = session(info, date(2025, 12, 31))
    jan = session(info, date(2026, 1, 1))
    w1 = session(workshop, date(2025, 3, 1))
    w2 = session(workshop, date(2025, 4, 1))
    anne, bruno, chloe, absent = (person(org, name=n) for n in ("Anne", "Bruno", "Chloe", "Absent"))
    attend(dec, anne)
    attend(jan, bruno)  # 2026
    attend(w1, anne)
    attend(w2, anne)  # the same person twice in a type: one participant
    attend(w2, chloe)
    attend(w1, absent, present=False)
    attend(w2, absent, present=None)  # not marked: not present
    document = build(2025)["collectif"]
    expected_types = dict(ZERO_TYPES)
    expected_types[TypeCollectif.INFO_COLLECTIVE] = {"seances": 1, "participants": 1}
    expected_types[TypeCollectif.ATELIER] = {"seances": 2, "participants": 2}
    assert document == {
        "actions": 2,
        "seances": 3,
        "participants": 2,
        "par_type": expected_types,
    }
    next_year = build(2026)["collectif"]
    assert (next_year["actions"], next_year["seances"], next_year["participants"]) == (1, 1, 1)


def test_a_session_belongs_to_its_action_departement(org, build):
    in01 = action(org, departement="01")
    in69 = action(org, departement="69", type=TypeCollectif.ATELIER)
    s01, s69 = session(in01, date(2025, 5, 1)), session(in69, date(2025, 6, 1))
    both = person(org, departement="01")
    attend(s01, both)
    attend(s69, both)
    document = build(2025)
    assert document["collectif"]["participants"] == 1  # once for the organisation
    by_code = {d["territoire"]["code"]: d["collectif"] for d in document["departements"]}
    assert (by_code["01"]["actions"], by_code["01"]["participants"]) == (1, 1)
    assert (by_code["69"]["actions"], by_code["69"]["participants"]) == (1, 1)
    assert by_code["69"]["par_type"][TypeCollectif.ATELIER] == {"seances": 1, "participants": 1}
    only69 = build(2025, departement="69")["collectif"]
    assert (only69["actions"], only69["seances"], only69["participants"]) == (1, 1, 1)
    assert only69["par_type"][TypeCollectif.INFO_COLLECTIVE] == {"seances": 0, "participants": 0}


def test_pdp_information_participants(org, build):
    pdp_info = action(org, type=TypeCollectif.INFO_COLLECTIVE, programme=Programme.PDP)
    other_info = action(org, type=TypeCollectif.INFO_COLLECTIVE, programme=Programme.BIEN_VIEILLIR)
    pdp_workshop = action(
        org, type=TypeCollectif.ATELIER, programme=Programme.PDP, departement="69"
    )
    a, b, c, d = (person(org, name=n) for n in "ABCD")
    first, second = session(pdp_info, date(2025, 2, 1)), session(pdp_info, date(2025, 9, 1))
    attend(first, a)
    attend(second, a)
    attend(second, b, present=False)
    attend(session(other_info, date(2025, 2, 1)), c)
    attend(session(pdp_workshop, date(2025, 2, 1)), d)
    document = build(2025)
    assert document["pdp"]["participants_information_collective"] == 1
    by_code = {x["territoire"]["code"]: x["pdp"] for x in document["departements"]}
    assert by_code["01"]["participants_information_collective"] == 1
    assert by_code["69"]["participants_information_collective"] == 0
