# ruff: noqa: E501
"""Import d'historique des fichiers des modules collectif et détection : actions collectives,
séances, participations, signalements, offres, contacts d'accueil (formats.md §2)."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from parcours.core.nomenclatures import TypeCollectif
from parcours.groups.models import GroupAction, Registration, Session
from parcours.outreach.models import FrontLineContact, Referral, ServiceOffer
from parcours.steering import report
from parcours.steering.models import ExternalRef

pytestmark = pytest.mark.django_db

FILES = {
    "agents.csv": "id;nom;prenom;fonction;departement;etp\nA1;Durand;Anne;AS;01;1\n",
    "beneficiaires.csv": (
        "id;nom;prenom;sexe;date_naissance;departement\n"
        "B1;Martin;Claire;F;1970-05-17;01\n"
        "B2;Petit;Jean;M;1980-01-01;69\n"
    ),
    "actions_collectives.csv": (
        "id;type;programme;departement;intitule\n"
        "G1;INFO_COLLECTIVE;PDP;01;Réunion PDP\n"
        "G2;ATELIER;BIEN_VIEILLIR;69;\n"
        "G3;KERMESSE;PDP;01;x\n"
        "G4;ATELIER;PDP;00;x\n"
    ),
    "seances.csv": (
        "id;action_id;date;lieu\n"
        "S1;G1;2025-03-01;Salle A\n"
        "S2;G2;2025-12-31;\n"
        "S3;G3;2025-03-01;\n"
        "S4;G1;01/03/2025;\n"
    ),
    "participations.csv": (
        "seance_id;beneficiaire_id;present\n"
        "S1;B1;1\n"
        "S1;B2;0\n"
        "S2;B2;1\n"
        "S1;B1;1\n"
        "S9;B1;1\n"
        "S2;B1;oui\n"
    ),
    "signalements.csv": (
        "id;beneficiaire_id;date;emetteur;programme;departement\n"
        "R1;B1;2025-01-02;SERVICE_MEDICAL;PDP;\n"
        "R2;B2;2025-02-03;CPAM;;01\n"
        "R3;B1;2025-02-30;CPAM;;\n"
        "R4;B1;2025-02-03;CPAM;;99\n"
    ),
    "offres.csv": (
        "id;beneficiaire_id;date_envoi;canal;statut;programme;departement\n"
        "O1;B1;2025-01-01;COURRIER;ACCEPTEE;PDP;\n"
        "O2;B2;2025-01-01;COURRIER;ENVOYEE;PDP;69\n"
        "O3;B2;2025-01-01;PIGEON;ENVOYEE;;\n"
        "O4;B7;2025-01-01;SMS;BIZARRE;;\n"
    ),
    "contacts_accueil.csv": (
        "date;departement;agent_id;beneficiaire_id;motif\n"
        "2025-05-02;01;A1;B1;Question retraite\n"
        "2025-05-02;01;;;Renseignement\n"
        "2025-05-02;01;;;Renseignement\n"
        "2025-05-02;2A;A9;;\n"
    ),
}


def write_bundle(tmp_path, files=FILES):
    folder = tmp_path / "historique"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("importer-historique", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_bad_rows_reported_with_file_line_column_reason(org, tmp_path):
    out = run(str(write_bundle(tmp_path)), "--organisation", org.code, "--essai")
    for expected in (
        "actions_collectives.csv, ligne 4, colonne type : « KERMESSE » n'est pas un code connu",
        "actions_collectives.csv, ligne 5, colonne departement : « 00 » n'est pas un code de département INSEE",
        "seances.csv, ligne 4, colonne action_id : action « G3 » inconnu (absent ou rejeté)",
        "seances.csv, ligne 5, colonne date : « 01/03/2025 » n'est pas une date AAAA-MM-JJ",
        "participations.csv, ligne 5, colonne beneficiaire_id : participation en double pour cette séance",
        "participations.csv, ligne 6, colonne seance_id : séance « S9 » inconnu (absent ou rejeté)",
        "participations.csv, ligne 7, colonne present : « oui » n'est pas 1 ou 0",
        "signalements.csv, ligne 4, colonne date : « 2025-02-30 » n'est pas une date AAAA-MM-JJ",
        "signalements.csv, ligne 5, colonne departement : « 99 » n'est pas un code de département INSEE",
        "offres.csv, ligne 4, colonne canal : « PIGEON » n'est pas un code connu",
        "offres.csv, ligne 5, colonne beneficiaire_id : bénéficiaire « B7 » inconnu (absent ou rejeté)",
        "offres.csv, ligne 5, colonne statut : « BIZARRE » n'est pas un code connu",
        "contacts_accueil.csv, ligne 5, colonne agent_id : agent « A9 » inconnu (absent ou rejeté)",
    ):
        assert expected in out, expected
    assert "participations.csv : 6 lignes lues, 3 valides, 3 rejetées, 3 à créer" in out
    assert "contacts_accueil.csv : 4 lignes lues, 3 valides, 1 rejetées, 3 à créer" in out
    assert "pas encore importé" not in out
    assert not GroupAction.objects.exists() and not Referral.objects.exists()


def test_valid_rows_are_imported_and_feed_the_report(org, tmp_path):
    out = run(str(write_bundle(tmp_path)), "--organisation", org.code)
    assert "Import terminé" in out
    ref = {
        (k, s): o for k, s, o in ExternalRef.objects.values_list("kind", "source_id", "object_id")
    }
    g1 = GroupAction.objects.get(pk=ref[("action_collective", "G1")])
    assert (g1.type, g1.programme, g1.departement_id, g1.title) == (
        "INFO_COLLECTIVE",
        "PDP",
        "01",
        "Réunion PDP",
    )
    assert (
        GroupAction.objects.get(pk=ref[("action_collective", "G2")]).title
        == "Action collective (historique)"
    )
    s1 = Session.objects.get(pk=ref[("seance", "S1")])
    assert (s1.action_id, s1.date, s1.partner_place, s1.capacity) == (
        g1.pk,
        date(2025, 3, 1),
        "Salle A",
        2,
    )
    assert sorted(Registration.objects.values_list("session_id", "present")) == sorted(
        [(s1.pk, True), (s1.pk, False), (ref[("seance", "S2")], True)]
    )
    assert ("participation", "S1|B1") in ref
    r1 = Referral.objects.get(pk=ref[("signalement", "R1")])
    assert (r1.emitter, r1.received_on, r1.departement_id) == (
        "SERVICE_MEDICAL",
        date(2025, 1, 2),
        "01",
    )
    r2 = Referral.objects.get(pk=ref[("signalement", "R2")])
    assert (r2.departement_id, r2.programme) == ("01", "AUTRE")  # its own département
    o1 = ServiceOffer.objects.get(pk=ref[("offre", "O1")])
    assert (o1.status, o1.departement_id, o1.reference) == ("ACCEPTEE", "01", f"HIST{o1.pk}")
    assert ServiceOffer.objects.get(pk=ref[("offre", "O2")]).departement_id == "69"
    assert o1.campaign_id == ServiceOffer.objects.get(pk=ref[("offre", "O2")]).campaign_id
    fronts = FrontLineContact.objects.order_by("id")
    assert fronts.count() == 3
    assert fronts[0].agent.last_name == "Durand" and fronts[0].person.last_name == "Martin"
    assert fronts[1].agent.username == f"{org.code}.historique"
    document = report.build(org, 2025, report.territory(org))
    assert document["collectif"]["actions"] == 2
    assert document["collectif"]["seances"] == 2
    assert document["collectif"]["participants"] == 2
    assert document["collectif"]["par_type"][TypeCollectif.ATELIER] == {
        "seances": 1,
        "participants": 1,
    }
    assert document["pdp"]["participants_information_collective"] == 1
    assert document["pdp"]["signales_service_medical"] == 1
    assert document["signalements"]["total"] == 2
    assert document["offres"]["envoyees"] == 2
    assert document["contacts_accueil"] == 3
    assert document["personnes"]["collectif_seul"] == 2


def test_second_import_changes_nothing(org, tmp_path):
    bundle = write_bundle(tmp_path)
    run(str(bundle), "--organisation", org.code)
    models = [
        GroupAction,
        Session,
        Registration,
        Referral,
        ServiceOffer,
        FrontLineContact,
        ExternalRef,
    ]
    counts = [m.objects.count() for m in models]
    out = run(str(bundle), "--organisation", org.code)
    for line in (
        "actions_collectives.csv : 4 lignes lues, 2 valides, 2 rejetées, 0 créées, 2 déjà importées",
        "seances.csv : 4 lignes lues, 2 valides, 2 rejetées, 0 créées, 2 déjà importées",
        "participations.csv : 6 lignes lues, 3 valides, 3 rejetées, 0 créées, 3 déjà importées",
        "signalements.csv : 4 lignes lues, 2 valides, 2 rejetées, 0 créées, 2 déjà importées",
        "offres.csv : 4 lignes lues, 2 valides, 2 rejetées, 0 créées, 2 déjà importées",
        "contacts_accueil.csv : 4 lignes lues, 3 valides, 1 rejetées, 0 créées, 3 déjà importées",
    ):
        assert line in out, line
    assert [m.objects.count() for m in models] == counts


def test_later_bundle_adds_sessions_to_an_imported_action(org, tmp_path):
    run(str(write_bundle(tmp_path)), "--organisation", org.code)
    later = tmp_path / "later"
    later.mkdir()
    (later / "beneficiaires.csv").write_text("id;sexe;date_naissance;departement\n")
    (later / "seances.csv").write_text("id;action_id;date\nS7;G1;2025-06-01\n")
    (later / "participations.csv").write_text("seance_id;beneficiaire_id;present\nS7;B2;1\n")
    out = run(str(later), "--organisation", org.code)
    assert "participations.csv : 1 lignes lues, 1 valides, 0 rejetées, 1 créées" in out
    assert report.build(org, 2025, report.territory(org))["collectif"]["participants"] == 2
