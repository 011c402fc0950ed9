"""Rows of the events file (formats.md §6.4): the same identity checks as the sick-leave
extract (shared helper), the event code and its date."""

from datetime import date

import pytest

from parcours.rules import nir as nir_rules
from parcours.rules import sick_leave_extract
from parcours.rules.events_extract import COLUMNS, EVENTS, HeaderError, check_header, parse_row
from parcours.rules.extract_identity import IDENTITY_COLUMNS

EXTRACTION = date(2026, 6, 1)
COMMUNES = {"01053": "01", "69123": "69"}
BASE = "1460569123045"
NIR = BASE + f"{nir_rules.compute_key(BASE):02d}"
BAD_KEY = BASE + f"{(nir_rules.compute_key(BASE) % 97) + 1:02d}"
POSITIONS = {c: i for i, c in enumerate(COLUMNS)}


def row(**values):
    cells = {
        "nir": NIR,
        "nom": "Durand",
        "prenom": "Paul",
        "sexe": "M",
        "date_naissance": "1946-05-12",
        "commune_insee": "01053",
        "adresse": "1 place du Marché",
        "code_postal": "01000",
        "telephone": "",
        "email": "",
        "evenement": "NOUVEAU_RETRAITE",
        "date_evenement": "2026-05-01",
    }
    cells.update(values)
    return [cells[c] for c in COLUMNS]


def parse(**values):
    return parse_row(row(**values), 4, POSITIONS, COMMUNES, EXTRACTION)


def test_columns_are_the_contract():
    assert COLUMNS == (
        "nir", "nom", "prenom", "sexe", "date_naissance", "commune_insee", "adresse",
        "code_postal", "telephone", "email", "evenement", "date_evenement",
    )  # fmt: skip
    assert set(sick_leave_extract.COLUMNS) - set(COLUMNS) == {"date_debut_arret", "risque"}
    assert set(IDENTITY_COLUMNS) < set(COLUMNS)


def test_valid_row():
    parsed, errors = parse(evenement="c2s")
    assert errors == []
    assert (parsed.line, parsed.nir, parsed.event, parsed.event_date, parsed.commune) == (
        4, NIR, "C2S", date(2026, 5, 1), "01053",
    )  # fmt: skip
    assert parsed.identity.last_name == "Durand"


@pytest.mark.parametrize("code", list(EVENTS))
def test_every_event_code_accepted(code):
    parsed, errors = parse(evenement=code)
    assert errors == [] and parsed.event == code


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"evenement": "MARIAGE"},
            [
                (
                    "evenement",
                    "code événement « MARIAGE » inconnu (attendu : " + ", ".join(EVENTS) + ")",
                )
            ],
        ),
        ({"evenement": ""}, [("evenement", "valeur obligatoire manquante")]),
        ({"date_evenement": ""}, [("date_evenement", "valeur obligatoire manquante")]),
        (
            {"date_evenement": "01/05/2026"},
            [("date_evenement", "« 01/05/2026 » n'est pas une date AAAA-MM-JJ")],
        ),
        (
            {"date_evenement": "2026-02-30"},
            [("date_evenement", "« 2026-02-30 » n'est pas une date qui existe")],
        ),
        (
            {"date_evenement": "2026-06-02"},
            [("date_evenement", "événement postérieur à la date d'extraction")],
        ),
        (
            {"date_evenement": "1940-01-01"},
            [("date_evenement", "événement antérieur à la date de naissance")],
        ),
        ({"sexe": "H"}, [("sexe", "code sexe « H » inconnu (attendu : F ou M)")]),
        ({"commune_insee": "99999"}, [("commune_insee", "code commune « 99999 » inconnu")]),
        ({"prenom": ""}, [("prenom", "valeur obligatoire manquante")]),
        ({"code_postal": "1000"}, [("code_postal", "« 1000 » : 5 chiffres attendus")]),
    ],
)
def test_rejections(values, expected):
    parsed, errors = parse(**values)
    assert parsed is None
    assert errors == expected


def test_bad_nir_reason_never_quotes_it():
    parsed, errors = parse(nir=BAD_KEY)
    assert parsed is None and errors[0][0] == "nir"
    assert BAD_KEY not in errors[0][1]


def test_several_problems_all_reported():
    _, errors = parse(sexe="X", evenement="Z", date_evenement="x")
    assert [c for c, _ in errors] == ["sexe", "evenement", "date_evenement"]


def test_header_missing_and_repeated():
    with pytest.raises(HeaderError) as error:
        check_header([c for c in COLUMNS if c != "evenement"])
    assert error.value.message.startswith(
        "Colonnes manquantes dans l'en-tête (ligne 1) : evenement."
    )
    with pytest.raises(HeaderError, match="Colonnes en double"):
        check_header([*COLUMNS, "nir"])
    positions, extra = check_header([" Date_Evenement", *COLUMNS[:-1], "source"])
    assert positions["date_evenement"] == 0 and extra == ["source"]


def test_short_row():
    parsed, errors = parse_row(["a"], 9, POSITIONS, COMMUNES, EXTRACTION)
    assert parsed is None
    assert errors == [("", "ligne incomplète : 1 valeurs pour 12 colonnes")]
