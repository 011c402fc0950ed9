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


def test_init_creates_the_organisation_through_the_audited_service(call):
    from parcours.core.models import AuditEntry

    call("init", "--sans-referentiel", organisation="carsat-x", nom="Carsat X", region="84")
    organisation = Organisation.objects.get(code="carsat-x")
    assert organisation.kind == Organisation.Kind.AUTRE
    [entry] = AuditEntry.objects.filter(object_type="organisation", object_id=str(organisation.pk))
    assert (entry.action, entry.actor, entry.summary) == ("CREATE", None, "Organisme créé")
    assert entry.organisation_id == organisation.pk


def test_init_without_region_creates_an_organisation_without_departements(call):
    out = call("init", "--sans-referentiel", organisation="ccas-y", nom="CCAS Y")
    assert "Organisme ccas-y créé : CCAS Y." in out
    organisation = Organisation.objects.get(code="ccas-y")
    assert organisation.region_id is None and not organisation.departements.exists()


def test_init_refuses_an_invalid_code_in_french(call):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="lettres sans accent"):
        call("init", "--sans-referentiel", organisation="code avec espaces", nom="X")


def test_init_without_organisation_only_prepares_the_database(call):
    """Ce que lancent `make run` et les parcours navigateur : ni code ni nom."""
    before = Organisation.objects.count()
    out = call("init")
    assert "Référentiel chargé" in out
    assert Organisation.objects.count() == before


def test_init_finds_an_organisation_whatever_the_case_of_its_code(call):
    call("init", "--sans-referentiel", organisation="carsat-ra", nom="Carsat", region="84")
    out = call("init", "--sans-referentiel", organisation="CARSAT-RA")
    assert "existe déjà" in out
    assert Organisation.objects.filter(code="carsat-ra").count() == 1
