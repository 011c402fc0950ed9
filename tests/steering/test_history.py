# ruff: noqa: E501
"""``parcours importer-historique`` : validation ligne à ligne, liens, idempotence, essai."""

import io
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from parcours.cases.models import Case, Contact, ContactAction
from parcours.core.models import AuditEntry, Organisation, User
from parcours.people.models import Person
from parcours.steering import history, report
from parcours.steering.models import ExternalRef

pytestmark = pytest.mark.django_db

FILES = {
    "agents.csv": "id;nom;prenom;fonction;departement;etp\nA1;Durand;Anne;AS;01;0,8\nA2;X;Y;JARDINIER;01;1\n",
    "beneficiaires.csv": (
        "\ufeffid;nir;nom;prenom;sexe;date_naissance;commune_insee;departement;couleur\n"
        "B1;;Martin;Claire;F;1970-05-17;01053;01;bleu\n"
        "B2;;Petit;Jean;M;31/02/1980;;01;\n"
        "B3;185057800608491;Leroy;Paul;M;1985-05-01;;69;\n"
        "B4;185057800608499;Faux;Nir;M;1985-05-01;;69;\n"
        "B5;;Sans;Dep;F;1990-01-01;;00;\n"
    ),
    "accompagnements.csv": (
        "id;beneficiaire_id;programme;origine;departement;referent_id;date_debut;date_fin;issue;risque;secteur\n"
        "C1;B1;PDP;SIGNALEMENT;01;A1;2024-03-01;2025-02-01;MAINTIEN_EMPLOI;MALADIE;INDUSTRIE\n"
        "C2;B2;PDP;SIGNALEMENT;01;A1;2024-03-01;;;;\n"
        "C3;B3;DEUIL;DEMANDE_DIRECTE;69;;2025-01-10;;;;\n"
        "C4;B3;DEUIL;DEMANDE_DIRECTE;69;;2025-01-10;2025-03-01;;;\n"
        "C5;B3;DEUIL;DEMANDE_DIRECTE;69;;2025-01-10;2024-03-01;AUTRE;;\n"
    ),
    "entretiens.csv": (
        "id;accompagnement_id;date;mode;agent_id;duree_minutes;actions;problematiques\n"
        "E1;C1;2024-03-02;VAD;A1;45;INFO_ORIENTATION|EVALUATION_BESOINS;EMPLOI\n"
        "E2;C1;2025-02-02;VAD;A1;45;;\n"
        "E3;C3;2025-01-10;TELEPHONE;;;;\n"
        "E4;C9;2025-01-10;TELEPHONE;;;;\n"
        "E5;C3;2025-02-10;PIGEON;;;FOO;\n"
        "E3;C3;2025-02-11;TELEPHONE;;;;\n"
    ),
    "signalements.csv": "id;beneficiaire_id;date;emetteur;programme;departement\nS1;B1;2025-01-02;SERVICE_MEDICAL;PDP;\nS2;B9;2025-01-02;MEDECIN;;\n",
}


def write_bundle(tmp_path, files=FILES, as_zip=False):
    if as_zip:
        target = tmp_path / "historique.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for name, text in files.items():
                archive.writestr(f"historique/{name}", text.encode())
        return target
    folder = tmp_path / "historique"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("importer-historique", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_rejected_row_is_reported_in_french(org, tmp_path):
    out, _ = run(str(write_bundle(tmp_path)), "--organisation", org.code, "--essai")
    assert "Essai (rien n'a été écrit)" in out
    for expected in (
        "agents.csv, ligne 3, colonne fonction : « JARDINIER » n'est pas un code connu",
        "beneficiaires.csv, ligne 3, colonne date_naissance : « 31/02/1980 » n'est pas une date AAAA-MM-JJ",
        "beneficiaires.csv, ligne 5, colonne nir : « 185057800608499 »",
        "beneficiaires.csv, ligne 6, colonne departement : « 00 » n'est pas un code de département INSEE",
        "accompagnements.csv, ligne 3, colonne beneficiaire_id : bénéficiaire « B2 » inconnu (absent ou rejeté)",
        "accompagnements.csv, ligne 5, colonne issue : date_fin et issue sont toutes deux vides ou toutes deux remplies",
        "accompagnements.csv, ligne 6, colonne date_fin : « 2024-03-01 » précède date_debut",
        "entretiens.csv, ligne 3, colonne date : « 2025-02-02 » suit la clôture de l'accompagnement",
        "entretiens.csv, ligne 5, colonne accompagnement_id : accompagnement « C9 » inconnu",
        "entretiens.csv, ligne 6, colonne mode : « PIGEON » n'est pas un code connu",
        "entretiens.csv, ligne 6, colonne actions : « FOO » n'est pas un code connu",
        "entretiens.csv, ligne 7, colonne id : identifiant « E3 » en double dans le fichier",
        "signalements.csv, ligne 3, colonne beneficiaire_id : bénéficiaire « B9 » inconnu",
        "signalements.csv, ligne 3, colonne emetteur : « MEDECIN » n'est pas un code connu",
    ):
        assert expected in out, expected
    assert "beneficiaires.csv : colonnes inconnues ignorées : couleur" in out
    assert "signalements.csv : 2 lignes lues, 1 valides, 1 rejetées, 1 à créer" in out
    assert "beneficiaires.csv : 5 lignes lues, 2 valides, 3 rejetées, 2 à créer" in out
    assert not Person.objects.filter(organisation=org).exists()
    assert not ExternalRef.objects.exists()


def test_import_writes_valid_rows_and_is_idempotent(org, tmp_path):
    bundle = write_bundle(tmp_path, as_zip=True)
    out, _ = run(str(bundle), "--organisation", org.code)
    assert "Import terminé" in out
    assert (
        "entretiens.csv : 6 lignes lues, 2 valides, 4 rejetées, 2 créées, 0 déjà importées" in out
    )
    people = Person.objects.filter(organisation=org)
    assert people.count() == 2
    leroy = people.get(last_name="Leroy")
    assert leroy.nir_masked and leroy.sex == "M"
    c1 = Case.objects.get(
        pk=ExternalRef.objects.get(kind="accompagnement", source_id="C1").object_id
    )
    assert (c1.state, c1.closed_on, c1.outcome, c1.risk, c1.sector) == (
        "clos",
        date(2025, 2, 1),
        "MAINTIEN_EMPLOI",
        "MALADIE",
        "INDUSTRIE",
    )
    agent = User.objects.get(pk=c1.referent_id)
    assert (agent.last_name, agent.function, str(agent.fte), agent.is_active) == (
        "Durand",
        "AS",
        "0.80",
        False,
    )
    assert list(agent.departements.values_list("code", flat=True)) == ["01"]
    assert set(ContactAction.objects.filter(contact__case=c1).values_list("code", flat=True)) == {
        "INFO_ORIENTATION",
        "EVALUATION_BESOINS",
    }
    e3 = Contact.objects.get(pk=ExternalRef.objects.get(kind="entretien", source_id="E3").object_id)
    assert e3.staff.username == f"{org.code}.historique"  # no agent, no referent
    assert AuditEntry.objects.filter(object_type="import_historique").count() == 1
    counts = (Person.objects.count(), Case.objects.count(), Contact.objects.count())
    out, _ = run(str(bundle), "--organisation", org.code)
    assert (
        "beneficiaires.csv : 5 lignes lues, 2 valides, 3 rejetées, 0 créées, 2 déjà importées"
        in out
    )
    assert (Person.objects.count(), Case.objects.count(), Contact.objects.count()) == counts
    # the imported history feeds the report
    document = report.build(org, 2025, report.territory(org))
    assert document["personnes"]["total"] == 1
    assert document["pdp"]["clotures"] == 1


def test_later_bundle_links_to_earlier_import(org, tmp_path):
    run(str(write_bundle(tmp_path)), "--organisation", org.code)
    later = tmp_path / "later"
    later.mkdir()
    (later / "beneficiaires.csv").write_text("id;sexe;date_naissance;departement\n")
    (later / "entretiens.csv").write_text(
        "id;accompagnement_id;date;mode\nE9;C3;2025-06-01;VISIO\n"
    )
    out, _ = run(str(later), "--organisation", org.code)
    assert "entretiens.csv : 1 lignes lues, 1 valides, 0 rejetées, 1 créées" in out


def test_missing_organisation_is_created_with_a_warning(db, tmp_path):
    out, err = run(str(write_bundle(tmp_path)), "--organisation", "nouvelle", "--essai")
    assert "il sera créé" in err and not Organisation.objects.filter(code="nouvelle").exists()
    out, err = run(str(write_bundle(tmp_path)), "--organisation", "Nouvelle")
    assert "vient d'être créé" in err
    assert Person.objects.filter(organisation__code="nouvelle").count() == 2
    created = Organisation.objects.get(code="nouvelle")  # par le service, journalisé
    assert AuditEntry.objects.filter(
        organisation_id=created.pk, object_type="organisation", summary="Organisme créé"
    ).exists()
    with pytest.raises(CommandError, match="lettres sans accent, chiffres et tirets"):
        run(str(write_bundle(tmp_path)), "--organisation", "code avec espaces")


def test_bundle_errors(org, tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        run(str(tmp_path / "rien"), "--organisation", org.code)
    empty = tmp_path / "vide"
    empty.mkdir()
    with pytest.raises(CommandError, match="beneficiaires.csv"):
        run(str(empty), "--organisation", org.code)
    (empty / "beneficiaires.csv").write_text("id;nom\nB1;Martin\n")
    out, _ = run(str(empty), "--organisation", org.code)
    assert (
        "beneficiaires.csv, ligne 1 : colonnes obligatoires absentes : sexe, date_naissance, "
        "departement"
    ) in out


def test_report_counts_only(org, tmp_path):
    result = history.run(write_bundle(tmp_path), organisation=org, dry_run=True)
    assert result.created["beneficiaires.csv"] == 2 and result.dry_run
    assert len(result.errors) == 14


def test_generated_bench_bundle_is_valid_and_imports(org, tmp_path):
    from parcours.steering import bundle

    counts = bundle.generate(tmp_path / "lot", people=60, contacts=200, front_line=30)
    assert counts["beneficiaires.csv"] == 60 and counts["entretiens.csv"] == 200
    result = history.run(tmp_path / "lot", organisation=org, dry_run=False)
    assert result.errors == []
    assert result.created["entretiens.csv"] == 200
    assert Contact.objects.filter(organisation=org).count() == 200
    document = report.build(org, 2025, report.territory(org, region="84"))
    assert (
        document["entretiens"]["total"]
        == Contact.objects.filter(organisation=org, on__year=2025).count()
    )
