"""Section « programmes » : chaque code listé, personnes distinctes par programme."""

from datetime import date

import pytest

from parcours.core.nomenclatures import Programme
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


def test_people_by_programme(org, build):
    a = person(org, name="A")
    contact(case(a, programme=Programme.PDP), date(2025, 2, 1))
    contact(case(a, programme=Programme.PDP), date(2025, 3, 1))  # 2nd PDP case: once
    contact(case(a, programme=Programme.DEUIL), date(2025, 3, 1))
    b = person(org, name="B", departement="69")
    contact(case(b, programme=Programme.PDP), date(2025, 4, 1))
    c = person(org, name="C")
    contact(case(c, programme=Programme.BIEN_VIEILLIR, opened=date(2024, 1, 1)), date(2024, 4, 1))
    document = build(2025)
    assert list(document["programmes"]) == Programme.values
    assert document["programmes"]["PDP"] == {"individuel": 2, "collectif": 0, "total": 2}
    assert document["programmes"]["DEUIL"] == {"individuel": 1, "collectif": 0, "total": 1}
    assert document["programmes"]["BIEN_VIEILLIR"] == {"individuel": 0, "collectif": 0, "total": 0}
    by_code = {d["territoire"]["code"]: d["programmes"] for d in document["departements"]}
    assert by_code["69"]["PDP"]["total"] == 1
    assert by_code["69"]["DEUIL"]["total"] == 0
    assert by_code["01"]["PDP"]["individuel"] == 1


def test_collective_and_union_per_programme(org, build):
    from parcours.core.nomenclatures import Programme, TypeCollectif
    from tests.steering.factories import action, attend, session

    pdp_info = session(action(org, type=TypeCollectif.INFO_COLLECTIVE), date(2025, 3, 1))
    elderly = session(
        action(
            org, type=TypeCollectif.ATELIER, programme=Programme.BIEN_VIEILLIR, departement="69"
        ),
        date(2025, 4, 1),
    )
    both = person(org, name="Deux")
    contact(case(both, programme=Programme.PDP), date(2025, 2, 1))
    attend(pdp_info, both)
    attend(elderly, both)
    col = person(org, name="Collectif")
    attend(pdp_info, col)
    attend(elderly, person(org, name="Absente"), present=False)
    document = build(2025)
    assert document["programmes"][Programme.PDP] == {"individuel": 1, "collectif": 2, "total": 2}
    assert document["programmes"][Programme.BIEN_VIEILLIR] == {
        "individuel": 0,
        "collectif": 1,
        "total": 1,
    }
    assert document["programmes"][Programme.DEUIL] == {"individuel": 0, "collectif": 0, "total": 0}
    by_code = {d["territoire"]["code"]: d["programmes"] for d in document["departements"]}
    assert by_code["69"][Programme.BIEN_VIEILLIR]["collectif"] == 1
    assert by_code["69"][Programme.PDP]["total"] == 0
