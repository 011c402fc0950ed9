"""Import du fichier des retraités (formats.md §4, §6.1–§6.3) : vrais fichiers CSV et Parquet,
vraie base ; agrégats exacts, chaque motif de rejet, essai, réimport, nouvelle année."""

import json
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parcours.core.models import AuditEntry, Commune
from parcours.observatory import retirees_file
from parcours.observatory.models import Aggregate, ObservatoryImport, ObservatorySettings
from parcours.observatory.services.importer import RetireesFileError, import_retirees
from parcours.rules import fragility

pytestmark = pytest.mark.django_db

HEADER = "id;annee_naissance;commune_insee;reversion;exonere_csg"
YEAR = 2025


def _codes(n=3, dep="01"):
    return list(
        Commune.objects.filter(departement_id=dep)
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


def write_csv(path: Path, lines: list[str], *, header: str = HEADER, bom: bool = False) -> Path:
    text = "\n".join([header, *lines]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def to_parquet(csv_path: Path) -> Path:
    """Le même contenu en Parquet, aux types de formats.md §4 (entiers, codes en texte)."""
    target = csv_path.with_suffix(".donnees")  # le format se lit aux octets, pas au nom
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT id, CAST(annee_naissance AS INTEGER) AS annee_naissance, commune_insee, "
        "CAST(reversion AS TINYINT) AS reversion, CAST(exonere_csg AS TINYINT) AS exonere_csg "
        "FROM read_csv(?, delim = ';', header = true, all_varchar = true)) "
        "TO ? (FORMAT parquet)",
        [str(csv_path), str(target)],
    )
    con.close()
    return target


def _counts():
    return (
        Aggregate.objects.count(),
        ObservatoryImport.objects.count(),
        AuditEntry.objects.count(),
        ObservatorySettings.objects.count(),
    )


def _people(codes):
    """Un petit fichier écrit à la main : (id, année, commune, réversion, exonération)."""
    rows = []
    births = [1965, 1956, 1955, 1946, 1945, 1936, 1935, 1930, 1970, 1960, 1950, 1940]
    for i in range(40):
        rows.append((f"A{i}", births[i % len(births)], codes[0], i % 3 == 0, i % 4 == 0))
    for i in range(15):
        rows.append((f"B{i}", births[(i * 5) % len(births)], codes[1], i % 2 == 0, i % 5 == 0))
    for i in range(5):  # commune secrète (moins de 11 retraités)
        rows.append((f"C{i}", 1930 + i, codes[2], True, True))
    return rows


def _expected(rows, thresholds=fragility.DEFAULT_AGE_THRESHOLDS):
    out: dict[str, list[int]] = {}
    for _id, birth, code, rev, csg in rows:
        age = YEAR - birth
        t = out.setdefault(code, [0, 0, 0])
        t[0] += 1
        t[1] += age >= 60
        t[2] += fragility.score(age, rev, csg, thresholds)
    return out


def _lines(rows):
    return [f"{i};{b};{c};{int(r)};{int(e)}" for i, b, c, r, e in rows]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_exact_aggregates_of_a_hand_built_file(org, tmp_path, fmt):
    codes = _codes()
    rows = _people(codes)
    path = write_csv(tmp_path / "retraites.csv", _lines(rows))
    if fmt == "parquet":
        path = to_parquet(path)
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    assert imp.status == ObservatoryImport.Status.TERMINE
    assert imp.file_format == fmt
    summary = imp.summary()
    assert list(summary) == ["lignes", "valides", "rejetees", "erreurs", "communes", "duree_s"]
    assert (summary["lignes"], summary["valides"], summary["rejetees"]) == (60, 60, 0)
    assert (summary["erreurs"], summary["communes"]) == ([], 3)
    stored = {
        a.code: [a.retirees, a.retirees_60_plus, a.score_sum]
        for a in Aggregate.objects.filter(organisation=org, year=YEAR, level="COM")
    }
    assert stored == _expected(rows)
    assert Aggregate.objects.get(level="COM", code=codes[2]).secret
    dep = Aggregate.objects.get(level="DEP", code="01")
    assert dep.retirees == 60 and dep.score_sum == sum(t[2] for t in _expected(rows).values())
    entry = AuditEntry.objects.get(object_type="observatoryimport", object_id=str(imp.pk))
    assert entry.changes["resume"]["valides"] == 60 and entry.organisation_id == org.pk
    assert ObservatorySettings.objects.filter(organisation=org).count() == 1


def test_the_organisations_age_bands_are_applied(org, tmp_path):
    ObservatorySettings.objects.create(organisation=org, age_thresholds=[65, 75, 85])
    codes = _codes()
    rows = _people(codes)
    path = write_csv(tmp_path / "retraites.csv", _lines(rows))
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    assert imp.age_thresholds == [65, 75, 85]
    stored = {
        a.code: [a.retirees, a.retirees_60_plus, a.score_sum]
        for a in Aggregate.objects.filter(level="COM")
    }
    assert stored == _expected(rows, (65, 75, 85))
    assert stored != _expected(rows)


def test_every_kind_of_bad_row_line_column_and_reason(org, tmp_path):
    code = _codes(1)[0]
    good = f"{code};0;1"
    lines = [
        f"ok1;1950;{good}",  # 2
        f";1950;{good}",  # 3 id manquant
        f"x4;19x0;{good}",  # 4
        f"x5;;{good}",  # 5
        f"x6;1850;{good}",  # 6
        f"x7;2031;{good}",  # 7
        "x8;1950;99999;0;1",  # 8 commune inconnue
        "x9;1950;;0;1",  # 9
        f"x10;1950;{code};2;1",  # 10
        f"x11;1950;{code};0;oui",  # 11
        "",  # 12 ligne vide (sautée, comptée dans les numéros)
        f"x13;1950;{code};0;1;en trop",  # 13 trop de colonnes
        f"x14;1950;{code};0",  # 14 trop peu
        f"x15;19x0;{code};7;1",  # 15 deux motifs
        f"ok16;1940;{good}",  # 16
    ]
    path = write_csv(tmp_path / "retraites.csv", lines)
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    assert (imp.lines, imp.valid, imp.rejected) == (14, 2, 12)
    assert imp.errors == [
        {"ligne": 3, "colonne": "id", "motif": "valeur manquante"},
        {"ligne": 4, "colonne": "annee_naissance", "motif": "« 19x0 » n'est pas une année"},
        {"ligne": 5, "colonne": "annee_naissance", "motif": "valeur manquante"},
        {
            "ligne": 6,
            "colonne": "annee_naissance",
            "motif": "« 1850 » : année de naissance entre 1900 et 2025 attendue",
        },
        {
            "ligne": 7,
            "colonne": "annee_naissance",
            "motif": "« 2031 » : année de naissance entre 1900 et 2025 attendue",
        },
        {
            "ligne": 8,
            "colonne": "commune_insee",
            "motif": "« 99999 » : commune inconnue (code INSEE actuel attendu)",
        },
        {"ligne": 9, "colonne": "commune_insee", "motif": "valeur manquante"},
        {"ligne": 10, "colonne": "reversion", "motif": "« 2 » : 0 ou 1 attendu"},
        {"ligne": 11, "colonne": "exonere_csg", "motif": "« oui » : 0 ou 1 attendu"},
        {"ligne": 13, "colonne": "", "motif": "6 colonnes au lieu de 5"},
        {"ligne": 14, "colonne": "exonere_csg", "motif": "4 colonnes au lieu de 5"},
        {"ligne": 15, "colonne": "annee_naissance", "motif": "« 19x0 » n'est pas une année"},
        {"ligne": 15, "colonne": "reversion", "motif": "« 7 » : 0 ou 1 attendu"},
    ]
    assert imp.error_count == 13
    assert "commune inconnue : 1" in imp.message and "ligne mal formée : 2" in imp.message
    assert Aggregate.objects.get(level="COM", code=code).retirees == 2


def test_only_the_first_reasons_are_kept_all_are_counted(org, tmp_path):
    code = _codes(1)[0]
    lines = [f"x{i};1950;{'99999' if i % 2 else code};0;1" for i in range(30)]
    path = write_csv(tmp_path / "retraites.csv", lines)
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=True, keep=4)
    assert (imp.rejected, imp.error_count) == (15, 15)
    assert [e["ligne"] for e in imp.errors] == [3, 5, 7, 9]


def test_parquet_rows_are_numbered_by_rank(org, tmp_path):
    code = _codes(1)[0]
    path = to_parquet(write_csv(tmp_path / "r.csv", [f"a;1950;{code};0;1", f"b;1950;{code};1;5"]))
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=True)
    assert imp.errors == [{"ligne": 2, "colonne": "exonere_csg", "motif": "« 5 » : 0 ou 1 attendu"}]


def test_bom_crlf_and_an_unknown_column(org, tmp_path):
    code = _codes(1)[0]
    path = tmp_path / "retraites.csv"
    text = f"{HEADER};commentaire\r\nA;1950;{code};1;1;rien\r\nB;1940;{code};0;0;\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    assert (imp.valid, imp.rejected) == (2, 0)
    assert imp.warnings == ["colonne inconnue ignorée : commentaire"]
    expected = fragility.score(75, True, True) + fragility.score(85, False, False)
    assert Aggregate.objects.get(level="COM", code=code).score_sum == expected


def test_identity_columns_are_known(org, tmp_path):
    code = _codes(1)[0]
    header = HEADER + ";nir;nom;prenom;sexe;adresse;code_postal;telephone;email"
    path = write_csv(
        tmp_path / "r.csv", [f"A;1950;{code};1;1;;DUPONT;Jean;M;\"3; rue X\";01000;;"],
        header=header,
    )  # fmt: skip
    rf = retirees_file.open_file(path)
    assert rf.warnings == [] and rf.identity == list(retirees_file.IDENTITY)
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=True)
    assert (imp.valid, imp.rejected) == (1, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "id;annee_naissance;commune_insee;reversion\nA;1950;01001;0\n",
            "colonne obligatoire absente de l'en-tête : « exonere_csg »",
        ),
        ("id,annee_naissance,commune_insee\n", "point-virgule"),
        ("", "vide"),
        (HEADER + ";id\n", "deux fois"),
    ],
)
def test_a_refused_file_writes_nothing(org, tmp_path, content, message):
    before = _counts()
    path = tmp_path / "r.csv"
    path.write_text(content)
    with pytest.raises(RetireesFileError, match=message):
        import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    assert _counts() == before


def test_a_file_not_in_utf8_is_refused(org, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes((HEADER + "\nA;1950;01001;0;0\nÉ;1950;01001;0;0\n").encode("latin-1"))
    with pytest.raises(RetireesFileError, match="UTF-8 .*ligne 3"):
        import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)


def test_dry_run_writes_nothing(org, tmp_path):
    codes = _codes()
    path = write_csv(tmp_path / "r.csv", _lines(_people(codes)) + ["x;19x0;01001;0;0"])
    before = _counts()
    imp = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=True)
    assert imp.pk is None and (imp.valid, imp.rejected, imp.communes) == (60, 1, 3)
    assert imp.message.startswith("Essai : rien n'a été écrit.")
    assert _counts() == before


def test_the_same_file_again_changes_nothing_and_says_so(org, tmp_path):
    path = write_csv(tmp_path / "r.csv", _lines(_people(_codes())))
    first = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    before = _counts()
    figures = list(Aggregate.objects.order_by("pk").values_list("pk", "score_sum"))
    again = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    assert again.status == ObservatoryImport.Status.DEJA_IMPORTE and again.pk is None
    assert "déjà" in again.message and "rien n'a changé" in again.message
    assert f"import n°{first.pk}" in again.message
    assert again.summary()["valides"] == 60
    assert _counts() == before
    assert list(Aggregate.objects.order_by("pk").values_list("pk", "score_sum")) == figures
    trial = import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=True)
    assert "déjà l'année 2025" in trial.message and _counts() == before


def test_a_new_year_adds_a_year(org, tmp_path):
    path = write_csv(tmp_path / "r.csv", _lines(_people(_codes())))
    import_retirees(actor=None, organisation=org, path=path, year=YEAR, dry_run=False)
    nxt = import_retirees(actor=None, organisation=org, path=path, year=YEAR + 1, dry_run=False)
    assert nxt.status == ObservatoryImport.Status.TERMINE
    assert "s'ajoute" in nxt.message
    years = set(Aggregate.objects.filter(level="DEP").values_list("year", flat=True))
    assert years == {YEAR, YEAR + 1}
    # un an de plus pour chacun : les scores de la nouvelle année sont ceux de l'âge + 1
    a = Aggregate.objects.get(level="DEP", year=YEAR)
    b = Aggregate.objects.get(level="DEP", year=YEAR + 1)
    assert a.retirees == b.retirees and b.score_sum >= a.score_sum


def test_another_file_for_the_same_year_replaces_it(org, tmp_path):
    codes = _codes()
    first_path = write_csv(tmp_path / "a.csv", _lines(_people(codes)))
    second_path = write_csv(tmp_path / "b.csv", [f"Z{i};1940;{codes[0]};1;1" for i in range(12)])
    first = import_retirees(actor=None, organisation=org, path=first_path, year=YEAR, dry_run=False)
    second = import_retirees(
        actor=None, organisation=org, path=second_path, year=YEAR, dry_run=False
    )
    assert "remplace" in second.message and f"import n°{first.pk}" in second.message
    assert list(Aggregate.objects.filter(level="COM").values_list("code", "retirees")) == [
        (codes[0], 12)
    ]
    assert set(Aggregate.objects.values_list("source_id", flat=True)) == {second.pk}
    # le premier fichier, importé de nouveau, redevient l'année (sa ligne d'import reprise)
    back = import_retirees(actor=None, organisation=org, path=first_path, year=YEAR, dry_run=False)
    assert back.pk == first.pk and back.status == ObservatoryImport.Status.TERMINE
    assert Aggregate.objects.filter(level="COM").count() == 3
    assert ObservatoryImport.objects.count() == 2


def test_command_json_summary(org, tmp_path):
    path = write_csv(tmp_path / "r.csv", _lines(_people(_codes())) + ["x;1950;99999;0;0"])
    out = StringIO()
    call_command(
        "observatoire", "importer", str(path), "--organisation", org.code, "--annee", "2025",
        "--essai", "--format", "json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert list(data) == ["lignes", "valides", "rejetees", "erreurs", "communes", "duree_s"]
    assert (data["lignes"], data["valides"], data["rejetees"], data["communes"]) == (61, 60, 1, 3)
    assert data["erreurs"] == [
        {
            "ligne": 62,
            "colonne": "commune_insee",
            "motif": "« 99999 » : commune inconnue (code INSEE actuel attendu)",
        }
    ]
    assert isinstance(data["duree_s"], float)
    assert ObservatoryImport.objects.count() == 0


def test_command_human_summary_and_errors(org, tmp_path):
    path = write_csv(tmp_path / "r.csv", _lines(_people(_codes())))
    out = StringIO()
    call_command(
        "observatoire", "importer", str(path), "--organisation", org.code, "--annee", "2025",
        stdout=out,
    )  # fmt: skip
    assert "Import de l'année 2025 terminé : 60 lignes valides sur 60, 3 communes" in out.getvalue()
    with pytest.raises(CommandError, match="Organisme inconnu"):
        call_command(
            "observatoire", "importer", str(path), "--organisation", "x", "--annee", "2025"
        )
    with pytest.raises(CommandError, match="introuvable"):
        call_command(
            "observatoire", "importer", str(tmp_path / "absent.csv"), "--organisation", org.code,
            "--annee", "2025",
        )  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("id;commune_insee\n")
    with pytest.raises(CommandError, match="colonnes obligatoires absentes"):
        call_command(
            "observatoire", "importer", str(bad), "--organisation", org.code, "--annee", "2025"
        )
