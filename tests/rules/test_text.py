"""Search normalisation: fold, tokens, name keys, French phonetic key, phones, birth dates."""

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.rules.text import digits, fold, name_key, parse_birth_date, phonetic, tokens

FOLDED = re.compile(r"(?:[A-Z0-9]+(?: [A-Z0-9]+)*)?")
PHONETIC = re.compile(r"(?:[AEIOUBDFGJKLMNPRSTVX123]+(?: [AEIOUBDFGJKLMNPRSTVX123]+)*)?")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("Dupont", "DUPONT"),
        ("  Hélène d'Œuvray-Müller ", "HELENE D OEUVRAY MULLER"),
        ("Le Goff-Durand", "LE GOFF DURAND"),
        ("Jean--Pierre   MARTIN", "JEAN PIERRE MARTIN"),
        ("Lætitia", "LAETITIA"),
        ("cœur", "COEUR"),
        ("Straße", "STRASSE"),
        ("François Çà", "FRANCOIS CA"),
        ("Ænéas", "AENEAS"),
        ("Øster Łódź", "OSTER LODZ"),
        ("Nguyễn Thị", "NGUYEN THI"),
        ("O’Neill", "O NEILL"),
        ("ﬁlle Nª", "FILLE NA"),
        ("Jean_Pierre", "JEAN PIERRE"),
        ("12, rue de l'Église", "12 RUE DE L EGLISE"),
        ("Ἀθῆναι", ""),  # non-Latin letters become spaces
        ("\u00a0Zoé\u202f", "ZOE"),
    ],
)
def test_fold(raw, expected):
    assert fold(raw) == expected


def test_tokens_and_name_key():
    assert tokens("Jean-Pierre  LE GOFF") == ["JEAN", "PIERRE", "LE", "GOFF"]
    assert tokens("") == []
    assert tokens(" - ") == []
    assert name_key("Le Goff-Durand") == "LEGOFFDURAND"
    assert name_key("d'Artagnan") == "DARTAGNAN"
    assert name_key("  ") == ""
    assert name_key("Lefèvre") == name_key("LEFEVRE") == "LEFEVRE"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Dupont", "DP3"),
        ("Lefebvre", "LFVR"),
        ("Martin", "MRT2"),
        ("Bernard", "BRNR"),
        ("Petit", "PT"),
        ("Philippe", "FLP"),
        ("Thomas", "TM"),
        ("Catherine", "KTRN"),
        ("Moreau", "MR"),
        ("Laurent", "LR1"),
        ("Schmitt", "XM"),
        ("Guillaume", "GLM"),
        ("Gérard", "JRR"),
        ("Guérin", "GR2"),
        ("François", "FR1K"),
        ("Françoise", "FR1KS"),
        ("Henri", "1R"),
        ("Yves", "IV"),
        ("Christophe", "KRSTF"),
        ("Michel", "MXL"),
        ("Nguyen", "NG2"),
        ("Quentin", "K1T2"),
        ("Sébastien", "SBST2"),
        ("Aubert", "OBR"),
        ("Jean", "J1"),
        ("Jeanne", "JN"),
        ("Emmanuel", "EMNL"),
        ("Deschamps", "DX1P"),
        ("Georges", "JRJ"),
        ("Alexandre", "ALKS1DR"),
        ("Xavier", "KSVR"),
        ("Lambert", "L1BR"),
        ("Fontaine", "F3TN"),
        ("Simon", "SM3"),
        ("Garcia", "GRS"),
        ("Wagner", "VNR"),
        ("Le Goff-Durand", "L GF DR1"),
        ("D'Artagnan", "D ARTN1"),
        ("", ""),
        ("   ", ""),
        ("H", ""),
        ("123", ""),
        ("Louis 14", "L"),
    ],
)
def test_phonetic_pinned(raw, code):
    assert phonetic(raw) == code


@pytest.mark.parametrize(
    "variants",
    [
        ("DUPONT", "DUPOND", "DUPOMT", "Dupont", "dupond", "DUPONTS"),
        ("LEFEBVRE", "LEFEVRE", "Lefèvre", "LEFEBVRES"),
        ("MARTIN", "MARTAIN", "MARTINS", "MARTYN"),
        ("BERNARD", "BERNART", "BERNARDS"),
        ("PETIT", "PETIS", "PETITT", "PETITS"),
        ("PHILIPPE", "FILIPE", "PHILIPE", "FILIPPE"),
        ("THOMAS", "TOMAS", "TOMA"),
        ("CATHERINE", "KATHERINE", "CATHRINE", "KATRINE"),
        ("MOREAU", "MOREAUX", "MORO", "MOREAUD"),
        ("LAURENT", "LAURANT", "LORAN", "LAURENS"),
        ("SCHMITT", "SCHMIDT", "SCHMITZ", "SCHMIT", "CHMIT"),
        ("GUILLAUME", "GUILLOME", "GUILAUME"),
        ("GERARD", "GÉRARD", "GIRARD", "JERARD"),
        ("HENRI", "HENRY", "ENRI"),
        ("YVES", "IVES", "YVE"),
        ("CHRISTOPHE", "CRISTOPHE", "KRISTOF"),
        ("QUENTIN", "KENTIN", "KANTIN", "QUANTIN"),
        ("MAILLARD", "MAYARD", "MAIARD"),
        ("AUBERT", "OBERT", "AUBER"),
        ("DESCHAMPS", "DECHAMP", "DESCHAMP"),
        ("GEORGES", "JORGE", "GEORGE"),
        ("ALEXANDRE", "ALEKSANDRE"),
        ("LAMBERT", "LANBERT"),
        ("FONTAINE", "FONTENE", "FONTÈNE"),
        ("GAUTHIER", "GAUTIER"),
        ("CHEVALIER", "CHEVALLIER"),
        ("LEROY", "LEROI"),
        ("LEMAIRE", "LEMERE", "LEMÈRE"),
        ("FAURE", "FORE"),
        ("ROUX", "ROUS", "ROU"),
        ("MULLER", "MÜLLER", "MULER"),
        ("WAGNER", "VAGNER"),
        ("MARCHAND", "MARCHANT"),
        ("CLEMENT", "CLÉMENT", "CLEMANT"),
        ("HADDAD", "ADAD"),
        ("BONNET", "BONET"),
        ("MATHIEU", "MATTHIEU", "MATIEU"),
        ("PERRIN", "PÉRIN", "PERIN"),
        ("NGUYEN", "NGUYÊN"),
    ],
)
def test_phonetic_variants_match(variants):
    codes = {phonetic(v) for v in variants}
    assert len(codes) == 1, {v: phonetic(v) for v in variants}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MARTIN", "MARTAN"),  # nasal IN vs AN
        ("DUPONT", "DUPUIS"),
        ("JEAN", "JEANNE"),
        ("GERARD", "GUERARD"),  # soft vs hard G
        ("BERNARD", "BERTRAND"),
        ("PETIT", "PETITJEAN"),
        ("FRANCOIS", "FRANCOISE"),
        ("LE GOFF", "LEGOFF"),  # words are coded separately
    ],
)
def test_phonetic_keeps_different_names_apart(a, b):
    assert phonetic(a) != phonetic(b)


def test_phonetic_of_name_key_ignores_word_boundaries():
    assert phonetic(name_key("Le Goff")) == phonetic(name_key("LEGOFF")) == "LGF"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("06-12-34-56-78", "0612345678"),
        ("+33 6 12 34 56 78", "0612345678"),
        ("+33612345678", "0612345678"),
        ("+33 (0)6 12 34 56 78", "0612345678"),
        (" +33 1 23 45 67 89", "0123456789"),
        ("0033 6 12 34 56 78", "0612345678"),
        ("0033612345678", "0612345678"),
        ("+33 6 1", "061"),
        ("+33", "0"),
        ("+32 2 123 45 67", "3221234567"),
        ("33 6 12 34 56 78", "33612345678"),  # no "+": not a country code
        ("tél. : 04 72 00 00 00 (bureau)", "0472000000"),
        ("abc", ""),
    ],
)
def test_digits(raw, expected):
    assert digits(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12/03/1958", date(1958, 3, 12)),
        ("12-03-1958", date(1958, 3, 12)),
        ("12.03.1958", date(1958, 3, 12)),
        ("1958-03-12", date(1958, 3, 12)),
        ("12031958", date(1958, 3, 12)),
        ("  12/03/1958 ", date(1958, 3, 12)),
        ("1/3/1958", date(1958, 3, 1)),
        ("29/02/2000", date(2000, 2, 29)),
        ("29/02/1900", None),  # 1900 was not a leap year
        ("31/04/1958", None),
        ("00/01/1958", None),
        ("12/13/1958", None),
        ("12/03/58", None),  # two-digit year refused
        ("1958/03/12", None),
        ("19580312", None),  # compact form is always DDMMYYYY
        ("12/03-1958", date(1958, 3, 12)),
        ("1203195", None),
        ("120319581", None),
        ("", None),
        ("hier", None),
        ("１２/03/1958", None),  # fullwidth digits
    ],
)
def test_parse_birth_date(raw, expected):
    assert parse_birth_date(raw) == expected


def test_parse_birth_date_none():
    assert parse_birth_date(None) is None


# --- properties ----------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=30,
)
latin_names = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéèêëàâäîïôöùûüçœæÿ' -",
    max_size=30,
)


@settings(database=None)
@given(st.one_of(names, latin_names))
def test_fold_properties(s):
    folded = fold(s)
    assert FOLDED.fullmatch(folded)
    assert fold(folded) == folded
    assert tokens(s) == folded.split()
    assert re.fullmatch(r"[A-Z0-9]*", name_key(s))
    assert name_key(s) == folded.replace(" ", "")


@settings(database=None)
@given(st.one_of(names, latin_names))
def test_phonetic_properties(s):
    code = phonetic(s)
    assert phonetic(fold(s)) == code
    assert phonetic(s) == code  # deterministic (and cached)
    assert PHONETIC.fullmatch(code)
    assert len(code.split()) <= len(tokens(s))


@settings(database=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'", max_size=30))
def test_phonetic_ignores_case(s):
    assert phonetic(s) == phonetic(s.upper()) == phonetic(s.title())


@settings(database=None)
@given(names)
def test_digits_only_digits(s):
    assert re.fullmatch(r"[0-9]*", digits(s))


@settings(database=None)
@given(st.dates(min_value=date(1000, 1, 1)))
def test_parse_birth_date_round_trip(d):
    dd, mm, yyyy = f"{d.day:02d}", f"{d.month:02d}", f"{d.year:04d}"
    for typed in (
        f"{dd}/{mm}/{yyyy}",
        f"{dd}-{mm}-{yyyy}",
        f"{dd}.{mm}.{yyyy}",
        f"{yyyy}-{mm}-{dd}",
        f"{dd}{mm}{yyyy}",
        f"{d.day}/{d.month}/{yyyy}",
    ):
        assert parse_birth_date(typed) == d
