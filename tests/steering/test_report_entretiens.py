"""Section « entretiens » : par mode (chaque code listé), face à face, bornes de l'année."""

from datetime import date

import pytest

from parcours.core.nomenclatures import Mode
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


def test_contacts_by_mode_and_face_to_face(org, build):
    c = case(person(org), opened=date(2024, 11, 1))
    for on, mode in [
        (date(2024, 12, 31), Mode.VAD),  # année précédente
        (date(2025, 1, 1), Mode.VAD),
        (date(2025, 3, 1), Mode.TELEPHONE),
        (date(2025, 3, 2), Mode.RENCONTRE_INFORMELLE),
        (date(2025, 3, 3), Mode.CONTACT_TIERS),
        (date(2025, 3, 4), Mode.PERMANENCE),
        (date(2025, 12, 31), Mode.COURRIER),
        (date(2026, 1, 1), Mode.VAD),  # année suivante
    ]:
        contact(c, on, mode)
    document = build(2025)
    assert document["entretiens"] == {
        "total": 6,
        "face_a_face": 3,
        "par_mode": {
            "RECEPTION_RDV": 0,
            "ACCUEIL_SANS_RDV": 0,
            "PERMANENCE": 1,
            "VAD": 1,
            "TELEPHONE": 1,
            "VISIO": 0,
            "COURRIER": 1,
            "RENCONTRE_INFORMELLE": 1,
            "CONTACT_TIERS": 1,
        },
    }
    assert list(document["entretiens"]["par_mode"]) == Mode.values


def test_contact_belongs_to_its_case_departement(org, build):
    resident_01 = person(org, departement="01")
    contact(case(resident_01, departement="69"), date(2025, 5, 1), Mode.VAD)
    contact(case(resident_01, departement="01"), date(2025, 5, 2), Mode.VISIO)
    document = build(2025)
    by_code = {d["territoire"]["code"]: d["entretiens"] for d in document["departements"]}
    assert by_code["69"]["par_mode"]["VAD"] == 1 and by_code["69"]["total"] == 1
    assert by_code["01"]["par_mode"]["VISIO"] == 1 and by_code["01"]["face_a_face"] == 0
    assert document["entretiens"]["total"] == 2
