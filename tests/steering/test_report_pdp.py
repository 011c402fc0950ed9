"""Section « pdp » : profil (le plus récent des accompagnements PDP de l'année), clôtures."""

from datetime import date

import pytest

from parcours.core.nomenclatures import Programme
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


def test_profile_uses_most_recently_opened_case(org, build):
    p = person(org, born=date(1980, 1, 1))  # 45 on 31/12/2025 -> moins_46
    old = case(p, opened=date(2024, 3, 1), risk="MALADIE", sector="INDUSTRIE")
    recent = case(p, opened=date(2025, 2, 1), risk="AT_MP", sector="")
    contact(old, date(2025, 1, 15))
    contact(recent, date(2025, 2, 15))
    q = person(org, sex="M", born=date(1979, 12, 31))  # 46 -> 46_et_plus
    contact(case(q, risk="", sector="CONSTRUCTION"), date(2025, 6, 1))
    # a more recent PDP case without any contact in the year does not count
    case(q, opened=date(2025, 7, 1), risk="MALADIE", sector="AGRICULTURE")
    pdp = build(2025)["pdp"]
    assert pdp["accompagnes"] == 2
    assert pdp["sexe_pct"] == {"F": 50.0, "M": 50.0}
    assert pdp["age_pct"] == {"moins_46": 50.0, "46_et_plus": 50.0}
    assert pdp["risque_pct"] == {"MALADIE": 0.0, "AT_MP": 50.0, "INCONNU": 50.0}
    assert pdp["secteur_pct"] == {
        "INDUSTRIE": 0.0,
        "CONSTRUCTION": 50.0,
        "TERTIAIRE_MARCHAND": 0.0,
        "TERTIAIRE_NON_MARCHAND": 0.0,
        "AGRICULTURE": 0.0,
        "INCONNU": 50.0,
    }


def test_profile_of_three_people_rounds_half_away(org, build):
    for i, risk in enumerate(["MALADIE", "MALADIE", "AT_MP"]):
        contact(case(person(org, name=f"P{i}"), risk=risk), date(2025, 5, 1))
    pdp = build(2025)["pdp"]
    assert pdp["risque_pct"] == {"MALADIE": 66.7, "AT_MP": 33.3, "INCONNU": 0.0}


def test_non_pdp_cases_are_not_in_the_pdp_profile(org, build):
    contact(case(person(org), programme=Programme.DEUIL, risk="MALADIE"), date(2025, 5, 1))
    assert build(2025)["pdp"]["accompagnes"] == 0


def test_closures_duration_and_outcomes(org, build):
    p = person(org)
    # 200 days and 100 days: mean 150 days = 4.928… -> 4.9 months
    case(
        p,
        opened=date(2025, 1, 1),
        closed=date(2025, 7, 20),
        outcome="MAINTIEN_EMPLOI",
        risk="MALADIE",
    )
    case(p, opened=date(2025, 9, 22), closed=date(2025, 12, 31), outcome="ABANDON")
    case(p, opened=date(2025, 9, 22), closed=date(2026, 1, 1), outcome="DECES")  # next year
    case(
        p,
        programme=Programme.DEUIL,
        opened=date(2025, 1, 1),
        closed=date(2025, 5, 1),
        outcome="OBJECTIFS_ATTEINTS",
    )
    pdp = build(2025)["pdp"]
    assert pdp["clotures"] == 2
    assert pdp["duree_moyenne_mois"] == 4.9
    assert pdp["issues_pct"] == {
        "MAINTIEN_EMPLOI": 50.0,
        "LICENCIEMENT_INAPTITUDE": 0.0,
        "INVALIDITE_RETRAITE": 0.0,
        "PARCOURS_SOINS": 0.0,
        "AUTRE": 50.0,
    }
    assert pdp["accompagnes"] == 0  # closures without contact: no profile


def test_pdp_by_departement(org, build):
    p = person(org)
    contact(case(p, departement="01", risk="MALADIE", opened=date(2025, 1, 1)), date(2025, 3, 1))
    contact(case(p, departement="69", risk="AT_MP", opened=date(2024, 1, 1)), date(2025, 3, 1))
    document = build(2025)
    assert document["pdp"]["accompagnes"] == 1
    assert document["pdp"]["risque_pct"]["MALADIE"] == 100.0  # most recent overall
    by_code = {d["territoire"]["code"]: d["pdp"] for d in document["departements"]}
    assert by_code["01"]["risque_pct"]["MALADIE"] == 100.0
    assert by_code["69"]["risque_pct"]["AT_MP"] == 100.0  # most recent in the département
