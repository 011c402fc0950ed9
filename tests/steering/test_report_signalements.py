"""Section « signalements » et « pdp.signales_service_medical » (outreach.Referral)."""

from datetime import date

import pytest

from parcours.core.nomenclatures import Emetteur
from tests.steering.factories import person, referral

pytestmark = pytest.mark.django_db


def test_every_emitter_listed_with_zero(org, build):
    document = build(2025)
    assert document["signalements"] == {
        "total": 0,
        "par_emetteur": dict.fromkeys(Emetteur.values, 0),
    }
    assert document["pdp"]["signales_service_medical"] == 0


def test_referrals_of_the_year_by_emitter(org, build):
    anne, bruno = person(org, name="Anne"), person(org, name="Bruno", departement="69")
    referral(anne, date(2025, 1, 1))
    referral(anne, date(2025, 12, 31))  # same person twice: two referrals, one person
    referral(bruno, date(2025, 6, 1), emitter=Emetteur.CPAM)
    referral(bruno, date(2026, 1, 1))
    referral(bruno, date(2024, 12, 31))
    document = build(2025)
    expected = dict.fromkeys(Emetteur.values, 0) | {Emetteur.SERVICE_MEDICAL: 2, Emetteur.CPAM: 1}
    assert document["signalements"] == {"total": 3, "par_emetteur": expected}
    assert document["pdp"]["signales_service_medical"] == 1
    by_code = {d["territoire"]["code"]: d for d in document["departements"]}
    assert by_code["01"]["signalements"]["total"] == 2
    assert by_code["69"]["signalements"]["par_emetteur"][Emetteur.CPAM] == 1
    assert by_code["69"]["pdp"]["signales_service_medical"] == 0
    assert build(2026)["pdp"]["signales_service_medical"] == 1


def test_referral_belongs_to_its_departement_not_the_person(org, build):
    resident01 = person(org, departement="01")
    referral(resident01, date(2025, 3, 1), departement="69")
    document = build(2025)
    by_code = {d["territoire"]["code"]: d for d in document["departements"]}
    assert list(by_code) == ["69"]
    assert by_code["69"]["signalements"]["total"] == 1
    assert by_code["69"]["pdp"]["signales_service_medical"] == 1
    assert build(2025, departement="01")["signalements"]["total"] == 0


def test_referral_imported_without_departement_belongs_to_the_person(org, build, tmp_path):
    """Un signalement sans département (historique) prend celui de la personne (ici 69)."""
    import io

    from django.core.management import call_command

    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "beneficiaires.csv").write_text(
        "id;sexe;date_naissance;departement\nB1;F;1970-01-01;69\n"
    )
    (folder / "signalements.csv").write_text(
        "id;beneficiaire_id;date;emetteur;programme;departement\n"
        "R1;B1;2025-04-01;SERVICE_MEDICAL;PDP;\n"
        "R2;B1;2025-04-02;CPAM;;01\n"
    )
    call_command(
        "importer-historique", str(folder), "--organisation", org.code, stdout=io.StringIO()
    )
    document = build(2025)
    by_code = {d["territoire"]["code"]: d for d in document["departements"]}
    assert by_code["69"]["signalements"]["par_emetteur"][Emetteur.SERVICE_MEDICAL] == 1
    assert by_code["69"]["signalements"]["total"] == 1
    assert by_code["01"]["signalements"]["total"] == 1
    assert by_code["69"]["pdp"]["signales_service_medical"] == 1
