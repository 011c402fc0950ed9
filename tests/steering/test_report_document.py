"""Le document : format, territoire, détail départemental trié, schéma JSON, régénération."""

from datetime import date

import jsonschema
import pytest

from parcours.steering import report
from tests.steering.conftest import validate
from tests.steering.factories import case, contact, person

pytestmark = pytest.mark.django_db


def test_document_header_and_departements(org, build):
    contact(case(person(org, departement="69")), date(2025, 5, 1))
    contact(case(person(org, departement="01")), date(2025, 5, 1))
    contact(case(person(org, departement="38")), date(2025, 5, 1))
    document = build(2025)
    assert document["format"] == "parcours.rapport-activite/1"
    assert document["annee"] == 2025
    assert document["territoire"] == {
        "niveau": "organisation",
        "code": org.code,
        "libelle": org.name,
    }
    assert [d["territoire"]["code"] for d in document["departements"]] == ["01", "38", "69"]
    first = document["departements"][0]
    assert first["territoire"] == {"niveau": "departement", "code": "01", "libelle": "Ain"}
    assert first["departements"] == [] and first["annee"] == 2025
    region = build(2025, region="84")
    assert region["territoire"] == {
        "niveau": "region",
        "code": "84",
        "libelle": "Auvergne-Rhône-Alpes",
    }
    assert region["personnes"]["total"] == 3
    dep = build(2025, departement="38")
    assert dep["personnes"]["total"] == 1 and dep["departements"] == []


def test_region_excludes_other_regions(org, build):
    contact(case(person(org, departement="75")), date(2025, 5, 1))
    contact(case(person(org, departement="01")), date(2025, 5, 1))
    region = build(2025, region="84")
    assert region["personnes"]["total"] == 1
    assert [d["territoire"]["code"] for d in region["departements"]] == ["01"]


def test_same_figures_when_regenerated(org, build):
    contact(case(person(org)), date(2025, 5, 1))
    assert build(2025) == build(2025)


def test_unknown_territory(org):
    with pytest.raises(report.UnknownTerritory):
        report.territory(org, region="99")
    with pytest.raises(report.UnknownTerritory):
        report.territory(org, departement="00")
    with pytest.raises(report.UnknownTerritory):
        report.territory(org, region="84", departement="01")


def test_schema_rejects_a_missing_code(org, build):
    document = build(2025)
    del document["entretiens"]["par_mode"]["VAD"]
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_evolution_over_five_years(org):
    for year in (2021, 2023, 2025):
        contact(case(person(org), opened=date(year, 1, 1)), date(year, 6, 1))
    where = report.territory(org)
    series = report.evolution(org, 2025, where)
    assert [d["annee"] for d in series] == [2021, 2022, 2023, 2024, 2025]
    assert [d["personnes"]["total"] for d in series] == [1, 0, 1, 0, 1]
    assert all(d["departements"] == [] for d in series)
