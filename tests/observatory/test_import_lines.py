"""Numéros de ligne d'un gros CSV lu par DuckDB en parallèle (deux fils) : les motifs de rejet
citent la vraie ligne du fichier, après des lignes vides et des lignes mal formées, partout dans
un fichier plus gros que les tampons de lecture de DuckDB ; et le générateur de fichiers."""

import csv
import random

import duckdb
import pytest

from parcours.core.models import Commune
from parcours.observatory import retirees_file, sample
from parcours.observatory.services.importer import import_retirees
from parcours.rules import fragility, nir

pytestmark = pytest.mark.django_db

YEAR = 2025


def _communes(dep=None):
    qs = Commune.objects.order_by("code")
    if dep:
        qs = qs.filter(departement_id=dep)
    return list(qs.values_list("code", "population"))


def test_line_numbers_of_a_large_file_read_by_two_threads(org, tmp_path):
    generated = sample.write_retirees(
        tmp_path / "gen.csv", communes=_communes(), rows=2_000_000, seed=3, year=YEAR
    )
    rng = random.Random(5)
    bad = set(rng.sample(range(2, 2_000_002), 60)) | {2, 2_000_001}
    path = tmp_path / "retraites.csv"
    expected = []
    with open(generated, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        physical = 0
        for number, line in enumerate(src, start=1):
            if number in (700_000, 1_500_000):
                out.write("\n")  # une ligne vide : sautée par DuckDB, comptée dans les numéros
                physical += 1
            if number == 1_300_000:
                out.write("mal;forme\n")  # trop peu de colonnes : écartée, comptée
                physical += 1
                expected.append(physical)
                malformed = physical
            physical += 1
            if number in bad:
                fields = line.rstrip("\n").split(";")
                fields[2] = "XXXXX"
                line = ";".join(fields) + "\n"
                expected.append(physical)
            out.write(line)
    generated.unlink()
    imp = import_retirees(
        actor=None, organisation=org, path=path, year=YEAR, dry_run=True, keep=1000
    )
    assert (imp.lines, imp.rejected) == (2_000_001, len(bad) + 1)
    assert [e["ligne"] for e in imp.errors] == sorted(expected)
    assert [e["motif"] for e in imp.errors].count("2 colonnes au lieu de 5") == 1
    assert all(
        e["motif"] == "« XXXXX » : commune inconnue (code INSEE actuel attendu)"
        for e in imp.errors
        if "colonnes" not in e["motif"]
    )
    # et la ligne citée est bien celle-là dans le fichier
    with open(path, encoding="utf-8") as handle:
        lines = {n: text for n, text in enumerate(handle, start=1) if n in set(expected)}
    assert all(";XXXXX;" in lines[e["ligne"]] for e in imp.errors if "XXXXX" in e["motif"])
    assert malformed == 1_300_001 and lines[malformed] == "mal;forme\n"
    assert imp.warnings == []


def test_ordinality_follows_the_file_order_with_two_threads(tmp_path):
    """La garantie dont dépend la numérotation : ``WITH ORDINALITY`` sur ``read_csv`` numérote
    dans l'ordre du fichier, même lu par plusieurs fils."""
    path = tmp_path / "ordre.csv"
    con = duckdb.connect(config={"threads": 2})
    con.execute(
        f"COPY (SELECT i AS id, 1950 AS annee_naissance, '01001' AS commune_insee, 0 AS reversion,"
        f" 1 AS exonere_csg FROM range(4000000) t(i)) TO '{path}' (HEADER, DELIMITER ';')"
    )
    rf = retirees_file.open_file(path)
    retirees_file.load_communes(con, ["01001"])
    rows = retirees_file.rows_sql(rf, YEAR, with_line=True)
    wrong = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE ordinal - 1 <> CAST(id AS BIGINT)) FROM {rows}"
    ).fetchone()
    assert wrong == (4_000_000, 0)


def test_the_generator_is_deterministic_proportional_and_near_the_national_mean(tmp_path):
    communes = _communes("01")
    a = sample.write_retirees(
        tmp_path / "a.parquet", communes=communes, rows=200_000, seed=7, fmt="parquet", year=YEAR
    )
    b = sample.write_retirees(
        tmp_path / "b.parquet", communes=communes, rows=200_000, seed=7, fmt="parquet", year=YEAR
    )
    assert a.read_bytes() == b.read_bytes()
    assert retirees_file.detect_format(a) == "parquet"
    con = duckdb.connect()
    score = fragility.score_sql(f"({YEAR} - annee_naissance)", "reversion", "exonere_csg")
    total, mean, present = con.execute(
        f"SELECT count(*), avg({score}), count(DISTINCT commune_insee) FROM read_parquet('{a}')"
    ).fetchone()
    assert total == 200_000 and present == len(communes)
    assert 3.2 < mean < 3.5
    biggest = max(communes, key=lambda c: c[1] or 0)
    share = con.execute(
        f"SELECT count(*) FROM read_parquet('{a}') WHERE commune_insee = '{biggest[0]}'"
    ).fetchone()[0]
    population = sum(max(p or 0, 1) for _, p in communes)
    assert abs(share - 200_000 * biggest[1] / population) <= len(communes)


def test_identity_columns_are_plausible(tmp_path):
    path = sample.write_retirees(
        tmp_path / "id.csv", communes=_communes("2A")[:5], rows=300, seed=1, year=YEAR,
        identity=True,
    )  # fmt: skip
    rf = retirees_file.open_file(path)
    assert rf.identity == list(retirees_file.IDENTITY) and rf.warnings == []
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 300
    for row in rows:
        assert nir.validate(row["nir"]) == row["nir"]
        assert row["nir"][0] == ("2" if row["sexe"] == "F" else "1")
        assert row["nir"][1:3] == row["annee_naissance"][2:]
        assert row["nir"][5:10] == row["commune_insee"]
        assert row["nom"] and row["prenom"] and row["email"].endswith("@exemple.fr")
        assert len(row["code_postal"]) == 5 and len(row["telephone"]) == 10
