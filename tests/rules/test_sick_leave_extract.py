from datetime import date

import pytest

from parcours.rules import nir as nir_rules
from parcours.rules.sick_leave_extract import COLUMNS, HeaderError, check_header, parse_row

EXTRACTION = date(2026, 6, 1)
COMMUNES = {"01053": "01", "69123": "69"}
BASE = "2800569123045"
NIR = BASE + f"{nir_rules.compute_key(BASE):02d}"
BAD_KEY = BASE + f"{(nir_rules.compute_key(BASE) % 97) + 1:02d}"


def row(**values):
    cells = {
        "nir": NIR,
        "nom": "Martin",
        "prenom": "Claire",
        "sexe": "F",
        "date_naissance": "1980-05-12",
        "commune_insee": "69123",
        "adresse": "3 rue des Lilas",
        "code_postal": "69003",
        "date_debut_arret": "2026-02-01",
        "risque": "MALADIE",
        "telephone": "0601020304",
        "email": "",
    }
    cells.update(values)
    return [cells[c] for c in COLUMNS]


POSITIONS = {c: i for i, c in enumerate(COLUMNS)}


def parse(**values):
    return parse_row(row(**values), 7, POSITIONS, COMMUNES, EXTRACTION)


def test_valid_row():
    parsed, errors = parse()
    assert errors == []
    assert (parsed.line, parsed.nir, parsed.birth_date, parsed.sick_leave_start) == (
        7,
        NIR,
        date(1980, 5, 12),
        date(2026, 2, 1),
    )


def test_header_order_free_extra_columns_reported():
    header = ["Email ", *reversed(COLUMNS[:-1]), "commentaire"]
    positions, extra = check_header(header)
    assert positions["email"] == 0 and positions["nir"] == 11
    assert extra == ["commentaire"]


def test_header_missing_columns_named():
    with pytest.raises(HeaderError) as error:
        check_header([c for c in COLUMNS if c not in ("sexe", "risque")])
    assert error.value.message.startswith(
        "Colonnes manquantes dans l'en-tête (ligne 1) : sexe, risque."
    )


def test_header_repeated_column():
    with pytest.raises(HeaderError, match="Colonnes en double dans l'en-tête : nom."):
        check_header([*COLUMNS, "nom"])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"nir": BAD_KEY},
            [
                (
                    "nir",
                    "NIR invalide : La clé de contrôle ne correspond pas au numéro : "
                    "vérifiez la saisie.",
                )
            ],
        ),
        (
            {"date_naissance": "31/02/1980"},
            [("date_naissance", "« 31/02/1980 » n'est pas une date AAAA-MM-JJ")],
        ),
        (
            {"date_debut_arret": "2026-02-30"},
            [("date_debut_arret", "« 2026-02-30 » n'est pas une date qui existe")],
        ),
        ({"sexe": "H"}, [("sexe", "code sexe « H » inconnu (attendu : F ou M)")]),
        (
            {"risque": "ACCIDENT"},
            [("risque", "code risque « ACCIDENT » inconnu (attendu : MALADIE ou AT_MP)")],
        ),
        ({"commune_insee": "99999"}, [("commune_insee", "code commune « 99999 » inconnu")]),
        ({"nom": ""}, [("nom", "valeur obligatoire manquante")]),
        (
            {"date_debut_arret": "2026-06-02"},
            [("date_debut_arret", "début d'arrêt postérieur à la date d'extraction")],
        ),
        ({"code_postal": "6900"}, [("code_postal", "« 6900 » : 5 chiffres attendus")]),
        (
            {"email": "pas-une-adresse"},
            [("email", "« pas-une-adresse » n'est pas une adresse de courriel")],
        ),
    ],
)
def test_rejections(values, expected):
    parsed, errors = parse(**values)
    assert parsed is None
    assert errors == expected


def test_several_problems_on_one_row_all_reported():
    _, errors = parse(sexe="X", date_naissance="", risque="Z")
    assert [c for c, _ in errors] == ["date_naissance", "sexe", "risque"]


def test_nir_never_in_reason():
    _, errors = parse(nir=BAD_KEY)
    assert BAD_KEY not in errors[0][1]


def test_short_row():
    parsed, errors = parse_row(["a", "b"], 3, POSITIONS, COMMUNES, EXTRACTION)
    assert parsed is None
    assert errors == [("", "ligne incomplète : 2 valeurs pour 12 colonnes")]
