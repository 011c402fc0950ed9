import pytest

from parcours.core.models import Commune, Organisation

pytestmark = pytest.mark.django_db


def test_init_is_idempotent_and_creates_the_organisation(call):
    out = call("init", organisation="carsat-ra", nom="Carsat Rhône-Alpes", region="84")
    assert "34969 communes" in out and "Organisme carsat-ra créé" in out
    organisation = Organisation.objects.get(code="carsat-ra")
    assert organisation.region_id == "84"
    assert sorted(organisation.departements.values_list("code", flat=True)) == [
        "01",
        "03",
        "07",
        "15",
        "26",
        "38",
        "42",
        "43",
        "63",
        "69",
        "73",
        "74",
    ]
    again = call("init", organisation="carsat-ra", nom="Autre nom")
    assert "existe déjà" in again
    assert Organisation.objects.get(code="carsat-ra").name == "Carsat Rhône-Alpes"
    assert Commune.objects.count() == 34969


def test_init_errors_are_in_french(call):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="donnez son nom"):
        call("init", "--sans-referentiel", organisation="nouvelle")
    with pytest.raises(CommandError, match="Région inconnue"):
        call("init", "--sans-referentiel", organisation="x", nom="X", region="99")
