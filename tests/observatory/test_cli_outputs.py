"""``parcours observatoire communes|departements`` (formats.md §6.3) : exactement les colonnes
du contrat, octet pour octet sur un petit cas ; JSON ; période ; erreurs en français."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parcours.core import clock
from parcours.observatory.queries import COMMUNE_COLUMNS, DEPARTEMENT_COLUMNS
from tests.factories import UserFactory
from tests.observatory.outputs_helpers import TODAY, action, session, store

pytestmark = pytest.mark.django_db

COMMUNES_CSV = """\
commune_insee;commune;epci;departement;retraites;retraites_60_plus;score_moyen;secret;fragile;concentration;actions_collectives;zone_blanche
01001;L'Abergement-Clémenciat;200069193;01;20;18;1.00;0;0;0;0;0
01002;L'Abergement-de-Varey;240100883;01;20;20;3.35;0;0;0;0;0
01004;Ambérieu-en-Bugey;240100883;01;250;201;10.00;0;1;1;1;1
01005;Ambérieux-en-Dombes;200042497;01;10;10;;1;0;0;0;0
69001;Affoux;200040566;69;11;11;4.00;0;1;0;0;1
"""  # noqa: E501

DEPARTEMENTS_CSV = """\
departement;retraites;retraites_60_plus;score_moyen;moyenne_communes;ecart_type_communes;communes;communes_fragiles;zones_blanches
01;300;249;8.99;4.7833;3.8115;4;1;1
69;11;11;4.00;4.0000;0.0000;1;1;1
"""  # noqa: E501


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def year(org):
    """Quatre communes de l'Ain (dont une secrète, une concentration) et une du Rhône ; une
    action tenue à Ambérieu-en-Bugey le 3 mai 2025 (deux séances)."""
    store(
        org,
        [
            ("01001", 20, 18, 20),
            ("01002", 20, 20, 67),
            ("01004", 250, 201, 2500),
            ("01005", 10, 10, 110),
            ("69001", 11, 11, 44),
        ],
    )
    agent = UserFactory(organisation=org, manager=True, departements=["01"])
    act = action(org, agent)
    session(act, agent, datetime.date(2025, 5, 3), commune="01004")
    session(act, agent, datetime.date(2025, 5, 4), commune="01004")
    return 2025


def run(*args):
    out = StringIO()
    call_command("observatoire", *args, stdout=out)
    return out.getvalue()


def test_communes_csv_byte_for_byte(org, year):
    text = run("communes", "--organisation", org.code, "--annee", "2025", "--format", "csv")
    assert text == COMMUNES_CSV
    assert text.splitlines()[0].split(";") == list(COMMUNE_COLUMNS)


def test_departements_csv_byte_for_byte(org, year):
    text = run("departements", "--organisation", org.code, "--annee", "2025", "--format", "csv")
    assert text == DEPARTEMENTS_CSV
    assert text.splitlines()[0].split(";") == list(DEPARTEMENT_COLUMNS)


def test_sortie_writes_the_same_bytes_in_utf8(org, year, tmp_path):
    target = tmp_path / "communes.csv"
    said = run(
        "communes", "--organisation", org.code, "--annee", "2025", "--format", "csv",
        "--sortie", str(target),
    )  # fmt: skip
    assert target.read_bytes() == COMMUNES_CSV.encode("utf-8")
    assert said == f"5 communes écrites dans {target}.\n"
    target = tmp_path / "departements.json"
    said = run(
        "departements", "--organisation", org.code, "--annee", "2025", "--format", "json",
        "--sortie", str(target),
    )  # fmt: skip
    assert [d["departement"] for d in json.loads(target.read_text("utf-8"))] == ["01", "69"]
    assert said == f"2 départements écrits dans {target}.\n"


def test_communes_json_exact_keys_numbers_and_null(org, year):
    data = json.loads(
        run("communes", "--organisation", org.code, "--annee", "2025", "--format", "json")
    )
    assert [list(d) for d in data] == [list(COMMUNE_COLUMNS)] * 5
    assert data[2] == {
        "commune_insee": "01004",
        "commune": "Ambérieu-en-Bugey",
        "epci": "240100883",
        "departement": "01",
        "retraites": 250,
        "retraites_60_plus": 201,
        "score_moyen": 10.0,
        "secret": 0,
        "fragile": 1,
        "concentration": 1,
        "actions_collectives": 1,
        "zone_blanche": 1,
    }
    assert data[1]["score_moyen"] == 3.35
    assert data[3]["score_moyen"] is None and data[3]["secret"] == 1
    for d in data:
        for key in ("retraites", "secret", "fragile", "zone_blanche", "actions_collectives"):
            assert type(d[key]) is int


def test_departements_json(org, year):
    data = json.loads(
        run("departements", "--organisation", org.code, "--annee", "2025", "--format", "json")
    )
    assert data == [
        {
            "departement": "01", "retraites": 300, "retraites_60_plus": 249, "score_moyen": 8.99,
            "moyenne_communes": 4.7833, "ecart_type_communes": 3.8115, "communes": 4,
            "communes_fragiles": 1, "zones_blanches": 1,
        },
        {
            "departement": "69", "retraites": 11, "retraites_60_plus": 11, "score_moyen": 4.0,
            "moyenne_communes": 4.0, "ecart_type_communes": 0.0, "communes": 1,
            "communes_fragiles": 1, "zones_blanches": 1,
        },
    ]  # fmt: skip


def test_departement_filter(org, year):
    text = run(
        "communes", "--organisation", org.code, "--annee", "2025", "--departement", "69",
        "--format", "csv",
    )  # fmt: skip
    assert (
        text
        == COMMUNES_CSV.splitlines(keepends=True)[0] + COMMUNES_CSV.splitlines(keepends=True)[-1]
    )
    text = run(
        "departements", "--organisation", org.code, "--annee", "2025", "--departement", "01",
        "--format", "json",
    )  # fmt: skip
    assert [d["departement"] for d in json.loads(text)] == ["01"]
    empty = run(
        "communes", "--organisation", org.code, "--annee", "2025", "--departement", "2A",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(empty) == []


def test_period_du_au_inclusive(org, year):
    def ambérieu(*period):
        text = run(
            "communes", "--organisation", org.code, "--annee", "2025", "--format", "json",
            *period,
        )  # fmt: skip
        return next(d for d in json.loads(text) if d["commune_insee"] == "01004")

    assert ambérieu("--du", "2025-05-04", "--au", "2025-05-04")["actions_collectives"] == 1
    assert ambérieu("--du", "2025-05-05")["actions_collectives"] == 0
    assert ambérieu("--au", "2025-05-02")["zone_blanche"] == 1
    assert ambérieu("--au", "2025-05-03")["actions_collectives"] == 1
    text = run(
        "departements", "--organisation", org.code, "--annee", "2025", "--format", "csv",
        "--du", "2025-06-01", "--au", "2025-12-31",
    )  # fmt: skip
    assert text == DEPARTEMENTS_CSV  # l'action n'enlevait aucune zone blanche (une seule)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "inconnu"], "Organisme inconnu : « inconnu »."),
        (
            ["--annee", "2024"],
            "Aucun import de l'observatoire pour 2024 (années importées : 2025).",
        ),
        (["--annee", "25"], "--annee : « 25 » n'est pas une année sur quatre chiffres."),
        (["--departement", "00"], "Département inconnu : « 00 »."),
        (["--du", "2025-02-30"], "--du : « 2025-02-30 » n'est pas une date AAAA-MM-JJ"),
        (["--au", "31/12/2025"], "--au : « 31/12/2025 » n'est pas une date AAAA-MM-JJ"),
        (["--du", "20250101"], "--du : « 20250101 » n'est pas une date AAAA-MM-JJ"),
        (
            ["--du", "2025-06-02", "--au", "2025-06-01"],
            "La période est vide : --du (2025-06-02) est après --au (2025-06-01).",
        ),
        (["--du", "2026-01-01"], "--du (2026-01-01) est après --au (2025-12-31)"),
    ],
)
@pytest.mark.parametrize("subcommand", ["communes", "departements"])
def test_errors_in_french(org, year, subcommand, args, message):
    options = {"--organisation": org.code, "--annee": "2025", "--format": "csv"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        options[flag] = value
    argv = [subcommand, *(x for kv in options.items() for x in kv)]
    with pytest.raises(CommandError) as error:
        run(*argv)
    assert message in str(error.value)


def test_no_import_at_all(org):
    with pytest.raises(CommandError) as error:
        run("communes", "--organisation", org.code, "--annee", "2025", "--format", "csv")
    assert str(error.value).startswith("Aucun import de l'observatoire pour 2025 : importez")


def test_other_organisation_sees_its_own_year_only(org, other_org, year):
    with pytest.raises(CommandError, match="Aucun import de l'observatoire pour 2025"):
        run("communes", "--organisation", other_org.code, "--annee", "2025", "--format", "csv")
    store(other_org, [("01004", 20, 18, 20)])  # seule commune : fragile ; l'action est de org
    text = run("communes", "--organisation", other_org.code, "--annee", "2025", "--format", "csv")
    assert text.splitlines()[1] == "01004;Ambérieu-en-Bugey;240100883;01;20;18;1.00;0;1;0;0;1"
    assert len(text.splitlines()) == 2
