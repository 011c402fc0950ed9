"""Ciblage des retraités fragiles (règle FRAGILITE) sur le fichier des retraités avec identités
(formats.md §4, §6.4) : lecture DuckDB (CSV et Parquet), essai sans écriture, un import par
fichier, zones blanches, exclusions, ligne de commande, campagne depuis le ciblage."""

import datetime
import json

import pytest
from django.core.management.base import CommandError

from parcours.core.models import AuditEntry, Commune
from parcours.core.nomenclatures import Programme
from parcours.observatory.models import ObservatoryImport
from parcours.observatory.services.aggregates import CommuneTotals, store_year
from parcours.observatory.services.targeting import run_fragility_targeting, white_zone_communes
from parcours.outreach import services as outreach_services
from parcours.outreach.models import TargetingEntry, TargetingRun
from parcours.people.models import Person
from parcours.rules.extract_identity import HeaderError
from tests.factories import UserFactory, make_case, make_person
from tests.outreach.factories import nir_for
from tests.steering.factories import action, offer, session

pytestmark = pytest.mark.django_db
YEAR = 2025
EXTRACTION = datetime.date(2026, 1, 15)
HEADER = (
    "id;annee_naissance;commune_insee;reversion;exonere_csg;nir;nom;prenom;sexe;adresse;"
    "code_postal;telephone;email"
)


def retiree(i, born=1940, commune="01053", rev=1, exo=1, sex="F", **over):
    cells = {
        "id": f"R{i}",
        "annee_naissance": str(born),
        "commune_insee": commune,
        "reversion": str(rev),
        "exonere_csg": str(exo),
        "nir": nir_for(i, sex=sex, birth=datetime.date(born, 3, 1), dep="01"),
        "nom": f"Retraite{i}",
        "prenom": "Louise",
        "sexe": sex,
        "adresse": f"{i} chemin des Vignes",
        "code_postal": "01000",
        "telephone": "",
        "email": "",
    }
    cells.update(over)
    return ";".join(cells[c] for c in HEADER.split(";"))


def write(path, rows, header=HEADER):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def counts():
    return (
        Person.objects.count(),
        TargetingEntry.objects.count(),
        TargetingRun.objects.count(),
        AuditEntry.objects.count(),
    )


def target(org, path, dry_run=False, year=YEAR):
    return run_fragility_targeting(
        actor=None,
        organisation=org,
        path=path,
        extraction_date=EXTRACTION,
        dry_run=dry_run,
        year=year,
    )


def set_rule(org, **parameters):
    manager = UserFactory(organisation=org, manager=True)
    rule = outreach_services.targeting_rule(organisation=org, code="FRAGILITE")
    outreach_services.update_targeting_rule(actor=manager, rule=rule, parameters=parameters)


@pytest.fixture
def sample(tmp_path):
    return write(
        tmp_path / "retraites.csv",
        [
            retiree(1),  # ligne 2 : 85 ans, réversion, exonéré : 10 -> ciblée
            retiree(2, born=1935, rev=0, exo=1),  # ligne 3 : 90 ans -> 4 + 4 = 8 -> ciblée
            retiree(3, born=1936, rev=0, exo=1),  # ligne 4 : 89 ans -> 3 + 4 = 7 -> non
            retiree(4, rev=2),  # ligne 5 : réversion invalide
            retiree(5, commune="99999"),  # ligne 6 : commune inconnue
            retiree(6, sexe="X"),  # ligne 7 : retenue, identité invalide -> rejetée
            retiree(7, born=1960, rev=0, exo=0, sexe="X"),  # ligne 8 : non retenue, non vérifiée
            retiree(8, commune="69123"),  # ligne 9 : ciblée, Rhône
        ],
    )


def test_dry_run_writes_nothing_and_reports(org, sample):
    before = counts()
    dry = target(org, sample, dry_run=True)
    assert counts() == before
    assert (dry.lines, dry.valid, dry.rejected, dry.targeted, dry.new_people) == (8, 5, 3, 3, 3)
    assert dry.errors == [
        {"ligne": 5, "colonne": "reversion", "motif": "« 2 » : 0 ou 1 attendu"},
        {
            "ligne": 6,
            "colonne": "commune_insee",
            "motif": "« 99999 » : commune inconnue (code INSEE actuel attendu)",
        },
        {"ligne": 7, "colonne": "sexe", "motif": "code sexe « X » inconnu (attendu : F ou M)"},
    ]
    assert dry.parameters["annee"] == YEAR and dry.programme == Programme.BIEN_VIEILLIR


def test_real_run_only_selected_rows_become_people_with_their_score(org, sample):
    real = target(org, sample)
    assert real.status == TargetingRun.Status.TERMINE
    entries = list(TargetingEntry.objects.select_related("person").order_by("line"))
    assert [(e.line, e.score, e.departement_id) for e in entries] == [
        (2, 10, "01"),
        (3, 8, "01"),
        (9, 10, "69"),
    ]
    assert Person.objects.count() == 3
    louise = entries[0].person
    assert louise.birth_date == datetime.date(1940, 3, 1)  # mois du NIR, année du fichier
    assert louise.commune_id == "01053"
    again = target(org, sample)
    assert again.status == TargetingRun.Status.DEJA_IMPORTE and Person.objects.count() == 3


def test_parquet_same_selection(org, sample, tmp_path):
    import duckdb

    parquet = tmp_path / "retraites.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT id, CAST(annee_naissance AS INTEGER) AS annee_naissance, commune_insee, "
        f"CAST(reversion AS INTEGER) AS reversion, CAST(exonere_csg AS INTEGER) AS exonere_csg, "
        f"nir, nom, prenom, sexe, adresse, code_postal, telephone, email FROM read_csv('{sample}', "
        f"delim=';', header=true, all_varchar=true) WHERE reversion IN ('0', '1')) "
        f"TO '{parquet}' (FORMAT PARQUET)"
    )
    con.close()
    dry = target(org, parquet, dry_run=True)
    assert (dry.lines, dry.rejected, dry.targeted) == (7, 2, 3)  # la ligne 5 n'y est pas


def test_score_min_age_min_departements(org, sample):
    set_rule(org, score_min=10, departements=["01"])
    assert target(org, sample, dry_run=True).targeted == 1
    set_rule(org, score_min=8, age_min=90)
    assert target(org, sample, dry_run=True).targeted == 1  # ligne 3 : 90 ans


def _fragile_commune(org):
    """Un département fabriqué à la main : 4 communes de moyennes 2, 3, 4 et 7 ; la dernière
    est fragile (moyenne ≥ 4 + ½ × 1,87)."""
    codes = [c.code for c in Commune.objects.filter(departement_id="01").order_by("code")[:4]]
    source = ObservatoryImport.objects.create(
        organisation=org, year=YEAR, file_name="r.csv", file_sha256="1" * 64
    )
    store_year(
        source=source,
        totals=[CommuneTotals(c, 20, 20, 20 * m) for c, m in zip(codes, (2, 3, 4, 7), strict=True)],
    )
    return codes


@pytest.mark.parametrize(("actions", "white"), [(0, True), (1, True), (2, False)])
def test_white_zones_with_0_1_2_actions(org, tmp_path, actions, white):
    codes = _fragile_commune(org)
    fragile, calm = codes[3], codes[0]
    for _ in range(actions):
        held = session(action(org, programme=Programme.BIEN_VIEILLIR), datetime.date(2025, 5, 2))
        type(held).objects.filter(pk=held.pk).update(commune_id=fragile)
    assert white_zone_communes(organisation_id=org.pk, year=YEAR) == ({fragile} if white else set())
    path = write(tmp_path / "r.csv", [retiree(1, commune=fragile), retiree(2, commune=calm)])
    set_rule(org, zones_blanches=True)
    dry = target(org, path, dry_run=True)
    assert dry.targeted == (1 if white else 0)
    set_rule(org, zones_blanches=False)
    assert target(org, path, dry_run=True).targeted == 2


def test_already_in_case_and_already_offered(org, tmp_path):
    referent = UserFactory(organisation=org, social_worker=True, departements=["01"])
    followed = make_person(org=org, nir=nir_for(1, birth=datetime.date(1940, 3, 1), dep="01"))
    make_case(person=followed, referent=referent, programme=Programme.BIEN_VIEILLIR)
    offered = make_person(org=org, nir=nir_for(2, birth=datetime.date(1940, 3, 1), dep="01"))
    offer(offered, datetime.date(2025, 3, 1))
    path = write(tmp_path / "r.csv", [retiree(1), retiree(2), retiree(3)])
    real = target(org, path)
    assert (real.targeted, real.already_in_case, real.already_offered, real.new_people) == (
        1, 1, 1, 1,
    )  # fmt: skip
    set_rule(org, delai_offre_mois=0)
    other = write(tmp_path / "r2.csv", [retiree(2)])
    assert target(org, other, dry_run=True).targeted == 1


def test_file_without_identity_columns_refused(org, tmp_path):
    path = write(
        tmp_path / "anonyme.csv",
        ["R1;1940;01053;1;1"],
        header="id;annee_naissance;commune_insee;reversion;exonere_csg",
    )
    with pytest.raises(HeaderError, match="n'a pas les colonnes d'identité nir, nom, prenom, sexe"):
        target(org, path, dry_run=True)
    assert TargetingRun.objects.count() == 0


def test_cli_dry_run_then_real(call, org, sample):
    out = call(
        "observatoire", "cibler", str(sample), "--organisation", org.code, "--annee", "2025",
        "--essai", "--format", "json", "--date-extraction", "2026-01-15",
    )  # fmt: skip
    summary = json.loads(out)
    assert (summary["lignes"], summary["cibles"], summary["deja_sollicites"]) == (8, 3, 0)
    assert summary["ciblage"] is None and Person.objects.count() == 0
    text = call(
        "observatoire", "cibler", str(sample), "--organisation", org.code, "--annee", "2025"
    )
    assert "Cibles : 3" in text and "ligne 5, colonne reversion : « 2 » : 0 ou 1 attendu" in text
    assert TargetingRun.objects.get().rule_code == "FRAGILITE"
    with pytest.raises(CommandError, match="Organisme inconnu"):
        call("observatoire", "cibler", str(sample), "--organisation", "x", "--annee", "2025")


def test_campaign_from_a_fragility_run(org, sample):
    real = target(org, sample)
    manager = UserFactory(organisation=org, manager=True, departements=["01", "69"])
    campaign = outreach_services.create_campaign(
        actor=manager,
        name="Bien vieillir — retraités fragiles",
        channel="COURRIER",
        proposal="APPEL",
        programme=real.programme,
        people=[e.person for e in real.entries.select_related("person")],
        run=real,
        phone="04 74 00 00 00",
    )
    assert campaign.run_id == real.pk and campaign.offers.count() == 3
