"""Le référentiel administratif livré (sans base de données)."""

import pytest

from parcours.core.reference import read_reference


@pytest.fixture(scope="module")
def ref():
    return read_reference()


def test_structure_and_provenance(ref):
    assert set(ref) == {
        "source",
        "version",
        "licence",
        "regions",
        "departements",
        "epci",
        "communes",
    }
    assert (ref["source"], ref["version"], ref["licence"]) == (
        "@etalab/decoupage-administratif",
        "6.0.0",
        "MIT",
    )


def test_counts(ref):
    assert len(ref["regions"]) == 26
    assert len(ref["departements"]) == 109
    assert len(ref["epci"]) == 1255
    assert len(ref["communes"]) == 34969


def test_corsica_and_overseas(ref):
    codes = {d["code"] for d in ref["departements"]}
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= codes
    assert "20" not in codes


def test_referential_integrity(ref):
    regions = {r["code"] for r in ref["regions"]}
    departements = {d["code"]: d for d in ref["departements"]}
    epcis = {e["code"] for e in ref["epci"]}
    assert all(d["region"] in regions for d in departements.values())
    for commune in ref["communes"]:
        assert len(commune["code"]) == 5
        assert commune["departement"] in departements
        assert commune["epci"] is None or commune["epci"] in epcis


def test_known_communes(ref):
    communes = {c["code"]: c for c in ref["communes"]}
    assert communes["01001"]["departement"] == "01"
    lyon = communes["69123"]
    assert lyon["nom"] == "Lyon" and lyon["population"] > 500000
    assert "69001" in lyon["codes_postaux"]
    assert communes["2A004"]["nom"] == "Ajaccio"
    assert "69381" not in communes  # arrondissement municipal exclu
