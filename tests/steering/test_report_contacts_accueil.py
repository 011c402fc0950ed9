"""Section « contacts_accueil » : contacts d'accueil datés dans l'année, par leur département."""

from datetime import date

import pytest

from tests.steering.factories import front_line, person

pytestmark = pytest.mark.django_db


def test_front_line_contacts_of_the_year_by_departement(org, build, other_org):
    front_line(org, date(2025, 1, 1))
    front_line(org, date(2025, 12, 31), departement="69", who=person(org, departement="01"))
    front_line(org, date(2025, 6, 1), departement="69")
    front_line(org, date(2026, 1, 1))
    front_line(org, date(2024, 12, 31))
    front_line(other_org, date(2025, 6, 1))
    document = build(2025)
    assert document["contacts_accueil"] == 3
    by_code = {d["territoire"]["code"]: d["contacts_accueil"] for d in document["departements"]}
    assert by_code == {"01": 1, "69": 2}
    assert build(2025, departement="69")["contacts_accueil"] == 2
    assert build(2026)["contacts_accueil"] == 1
    assert build(2023)["contacts_accueil"] == 0
