"""Import de l'extrait d'arrêts de travail : lignes rejetées, essais, import réel, ré-import."""

import datetime
import json

import pytest
from django.core.management.base import CommandError

from parcours.core.models import AuditEntry
from parcours.outreach import services
from parcours.outreach.models import TargetingEntry, TargetingRule, TargetingRun
from parcours.people.models import Person
from tests.factories import UserFactory, make_case, make_person
from tests.outreach.factories import extract_row, generate_extract, nir_for, write_extract

pytestmark = pytest.mark.django_db
KEYS = {
    "lignes",
    "valides",
    "rejetees",
    "erreurs",
    "cibles",
    "deja_connus",
    "deja_en_accompagnement",
    "nouvelles_personnes",
}


def run_cli(call, path, *extra, org="carsat-test", date="2026-06-01"):
    out = call(
        "importer-extrait-arrets",
        str(path),
        "--organisation",
        org,
        "--date-extraction",
        date,
        "--format",
        "json",
        *extra,
    )
    return json.loads(out.splitlines()[0]), out


@pytest.fixture
def sample(tmp_path):
    rows = [
        extract_row(1, start="2026-03-01"),  # ligne 2 : 92 jours -> ciblée
        extract_row(2, start="2026-04-02"),  # ligne 3 : 60 jours -> non ciblée
        extract_row(3, start="2026-04-01"),  # ligne 4 : 61 jours -> ciblée
        extract_row(4, nir=nir_for(4)[:-2] + "00"),  # ligne 5 : mauvaise clé
        extract_row(5, date_naissance="1975-02-30"),  # ligne 6 : date impossible
        extract_row(6, risque="ACCIDENT"),  # ligne 7 : code inconnu
        extract_row(7, nom=""),  # ligne 8 : valeur manquante
        extract_row(8, sexe="H"),  # ligne 9 : mauvais sexe
        extract_row(9, start="2025-12-01", commune="01053"),  # ligne 10 : ciblée, Ain
    ]
    return write_extract(tmp_path / "extrait.csv", rows, bom=True)


def test_dry_run_reports_every_bad_row_and_writes_nothing(call, org, sample):
    summary, _ = run_cli(call, sample, "--essai")
    assert set(summary) == KEYS
    assert summary == {
        "lignes": 9,
        "valides": 4,
        "rejetees": 5,
        "erreurs": [
            {
                "ligne": 5,
                "colonne": "nir",
                "motif": "NIR invalide : La clé de contrôle ne correspond pas au numéro : "
                "vérifiez la saisie.",
            },
            {
                "ligne": 6,
                "colonne": "date_naissance",
                "motif": "« 1975-02-30 » n'est pas une date qui existe",
            },
            {
                "ligne": 7,
                "colonne": "risque",
                "motif": "code risque « ACCIDENT » inconnu (attendu : MALADIE ou AT_MP)",
            },
            {"ligne": 8, "colonne": "nom", "motif": "valeur obligatoire manquante"},
            {
                "ligne": 9,
                "colonne": "sexe",
                "motif": "code sexe « H » inconnu (attendu : F ou M)",
            },
        ],
        "cibles": 3,
        "deja_connus": 0,
        "deja_en_accompagnement": 0,
        "nouvelles_personnes": 3,
    }
    assert Person.objects.count() == 0
    assert TargetingRun.objects.count() == 0
    assert TargetingEntry.objects.count() == 0


def test_real_run_creates_people_once_and_reimport_changes_nothing(call, org, sample):
    worker = UserFactory(organisation=org, social_worker=True, departements=["69"])
    known = make_person(org=org, actor=worker, departement="69", nir=nir_for(1), last_name="Connue")
    in_case = make_person(
        org=org, actor=worker, departement="69", nir=nir_for(3), last_name="Suivie"
    )
    make_case(person=in_case, referent=worker, opened_on=datetime.date(2026, 1, 5))
    summary, _ = run_cli(call, sample)
    assert (
        summary["cibles"],
        summary["deja_connus"],
        summary["nouvelles_personnes"],
        summary["deja_en_accompagnement"],
    ) == (2, 1, 1, 1)
    assert Person.objects.filter(organisation=org).count() == 3  # 2 existantes + 1 créée
    created = Person.objects.get(last_name="Arret9")
    assert (created.departement_id, created.commune_id, created.address) == (
        "01",
        "01053",
        "9 rue des Lilas; bâtiment B",
    )
    assert created.nir_hash and created.nir_masked.startswith("2 75 04")
    run = TargetingRun.objects.get()
    assert (run.status, run.dry_run, run.rule_code, run.programme) == (
        "termine",
        False,
        "ARRET_LONG",
        "PDP",
    )
    assert run.parameters["duree_min_jours"] == 60
    assert len(run.file_sha256) == 64 and run.rejected == 5 and len(run.errors) == 5
    assert sorted(TargetingEntry.objects.values_list("person__last_name", "already_known")) == [
        ("Arret9", False),
        ("Connue", True),
    ]
    assert AuditEntry.objects.filter(person_id=created.pk, summary__contains="fiche créée").exists()
    assert AuditEntry.objects.filter(object_type="targetingrun", object_id=str(run.pk)).exists()
    assert known.pk in TargetingEntry.objects.values_list("person_id", flat=True)

    again, out = run_cli(call, sample)
    assert "déjà été importé" in out and "rien n'a été modifié" in out
    assert (again["cibles"], again["nouvelles_personnes"], again["deja_connus"]) == (2, 0, 2)
    assert Person.objects.filter(organisation=org).count() == 3
    assert TargetingRun.objects.count() == 1
    assert TargetingEntry.objects.count() == 2


def test_same_nir_twice_in_file_is_rejected(call, org, tmp_path):
    path = write_extract(tmp_path / "x.csv", [extract_row(1), extract_row(1, nom="Autre")])
    summary, _ = run_cli(call, path)
    assert summary["erreurs"] == [
        {"ligne": 3, "colonne": "nir", "motif": "même NIR qu'à la ligne 2"}
    ]
    assert Person.objects.count() == 1


def test_rule_parameters_of_the_organisation_apply(call, org, sample):
    rule = services.targeting_rule(organisation=org)
    services.update_targeting_rule(
        actor=None, rule=rule, parameters={"duree_min_jours": 90, "departements": ["69"]}
    )
    summary, _ = run_cli(call, sample, "--essai")
    assert summary["cibles"] == 1  # ligne 2 seulement : 92 jours, Rhône
    assert TargetingRule.objects.get().parameters["departements"] == ["69"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"nir;nom\n", "Colonnes manquantes dans l'en-tête (ligne 1) : prenom, sexe"),
        (
            "nir;nom;prenom;sexe;date_naissance;commune_insee;adresse;code_postal;"
            "date_debut_arret;risque;telephone;email\n1;Lefèvre\n".encode("latin-1"),
            "n'est pas encodé en UTF-8 (caractère illisible ligne 2)",
        ),
        (b"", "Le fichier est vide"),
        (b"nir,nom,prenom\n", "Le séparateur de colonnes doit être le point-virgule"),
    ],
)
def test_file_refused_at_once(call, org, tmp_path, content, message):
    path = tmp_path / "mauvais.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run_cli(call, path)
    assert message in str(error.value)
    assert str(error.value).startswith("Fichier refusé : ")
    assert TargetingRun.objects.count() == 0


def test_unknown_organisation_and_bad_date(call, org, sample):
    with pytest.raises(CommandError, match="Organisme inconnu"):
        run_cli(call, sample, org="nope")
    with pytest.raises(CommandError, match="n'est pas une date AAAA-MM-JJ"):
        run_cli(call, sample, date="01/06/2026")


def test_text_output(call, org, sample):
    out = call(
        "importer-extrait-arrets",
        str(sample),
        "--organisation",
        "carsat-test",
        "--date-extraction",
        "2026-06-01",
        "--essai",
    )
    assert "Essai (rien n'est écrit)" in out
    assert "Cibles : 3" in out
    assert "ligne 9, colonne sexe : code sexe « H » inconnu (attendu : F ou M)" in out


def test_extra_column_ignored_and_quoted_separator(call, org, tmp_path):
    header = "commentaire;" + ";".join(
        [
            "nir",
            "nom",
            "prenom",
            "sexe",
            "date_naissance",
            "commune_insee",
            "adresse",
            "code_postal",
            "date_debut_arret",
            "risque",
            "telephone",
            "email",
        ]
    )
    path = write_extract(tmp_path / "x.csv", ['"a;b";' + extract_row(1)], header=header)
    summary, _ = run_cli(call, path, "--essai")
    assert (summary["valides"], summary["cibles"]) == (1, 1)


def test_thousand_rows_bulk(call, org, tmp_path):
    path = generate_extract(tmp_path / "big.csv", 1000)
    dry, _ = run_cli(call, path, "--essai")
    real, _ = run_cli(call, path)
    assert dry == real
    assert real["erreurs"][:1] == [] and real["lignes"] == 1000
    assert Person.objects.filter(organisation=org).count() == real["nouvelles_personnes"]
    assert TargetingEntry.objects.count() == real["cibles"]
    assert real["cibles"] == real["deja_connus"] + real["nouvelles_personnes"]


def test_crlf_line_endings_and_blank_lines(call, org, tmp_path):
    path = tmp_path / "windows.csv"
    header = ";".join(
        ["nir", "nom", "prenom", "sexe", "date_naissance", "commune_insee", "adresse",
         "code_postal", "date_debut_arret", "risque", "telephone", "email"]
    )  # fmt: skip
    text = "\r\n".join([header, extract_row(1), "", extract_row(2, sexe="Z")]) + "\r\n"
    path.write_bytes(("\ufeff" + text).encode())
    summary, _ = run_cli(call, path, "--essai")
    assert (summary["lignes"], summary["valides"]) == (2, 1)
    assert summary["erreurs"] == [
        {"ligne": 4, "colonne": "sexe", "motif": "code sexe « Z » inconnu (attendu : F ou M)"}
    ]


def test_utf16_file_refused_at_line_1(call, org, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("nir;nom\n".encode("utf-16"))
    with pytest.raises(CommandError, match="caractère illisible ligne 1"):
        run_cli(call, path)
