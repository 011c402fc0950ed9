"""Sections alimentées par les modules à venir : la structure du contrat, chaque code à 0."""

from datetime import date

import pytest

from parcours.core.nomenclatures import Emetteur, TypeCollectif
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


def test_zero_structures_list_every_code(org, build):
    contact(case(person(org)), date(2025, 5, 1))
    document = build(2025)
    assert document["contacts_accueil"] == 0
    assert document["collectif"] == {
        "actions": 0,
        "seances": 0,
        "participants": 0,
        "par_type": {t: {"seances": 0, "participants": 0} for t in TypeCollectif.values},
    }
    assert document["signalements"] == {
        "total": 0,
        "par_emetteur": dict.fromkeys(Emetteur.values, 0),
    }
    assert document["offres"] == {"envoyees": 0, "suivies_d_intervention": 0, "taux_pct": 0.0}
    assert document["pdp"]["participants_information_collective"] == 0
    assert document["pdp"]["signales_service_medical"] == 0
    assert document["personnes"]["collectif_seul"] == 0
    assert document["departements"][0]["collectif"]["actions"] == 0
