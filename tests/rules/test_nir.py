"""NIR: normalisation, key, validation with French messages, masking and display."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.rules import nir
from parcours.rules.nir import NirError


def independent_key(nir13: str) -> int:
    """Official INSEE formulation: for Corsica, number with 2A/2B read as 20, minus 1,000,000
    (2A) or 2,000,000 (2B); key = 97 - (number mod 97)."""
    dept = nir13[5:7]
    number = int(nir13[:5] + ("20" if dept in ("2A", "2B") else dept) + nir13[7:])
    number -= {"2A": 1_000_000, "2B": 2_000_000}.get(dept, 0)
    return 97 - number % 97


VALID = [
    # (as typed, normalized)
    ("1 84 12 76 451 089 46", "184127645108946"),  # classic example, Seine-Maritime
    ("2 69 05 49 588 157 80", "269054958815780"),  # classic example, Maine-et-Loire
    ("1 80 05 2A 004 123 10", "180052A00412310"),  # Corse-du-Sud
    ("2 92 11 2B 033 045 61", "292112B03304561"),  # Haute-Corse
    ("1 80 05 19 004 123 10", "180051900412310"),  # same key as the 2A one (2A -> 19)
    ("2 84 05 99 350 012 42", "284059935001242"),  # born abroad (99)
    ("3 99 10 99 123 001 47", "399109912300147"),  # temporary number
    ("1 84 05 75 056 066 97", "184057505606697"),  # key 97 (number divisible by 97)
    ("1 84 05 75 056 065 01", "184057505606501"),  # key 01
    ("2 84 20 99 123 456 52", "284209912345652"),  # month 20 (special code)
    ("2 84 50 21 345 678 24", "284502134567824"),  # month 50 (special code)
    ("1 99 12 99 999 999 61", "199129999999961"),
]


@pytest.mark.parametrize(("typed", "normalized"), VALID)
def test_valid_examples(typed, normalized):
    assert nir.validate(typed) == normalized
    assert nir.compute_key(normalized[:13]) == int(normalized[13:])
    assert independent_key(normalized[:13]) == int(normalized[13:])


@pytest.mark.parametrize(
    ("nir13", "key"),
    [
        ("1841276451089", 46),
        ("2690549588157", 80),
        ("180052A004123", 10),
        ("292112B033045", 61),
        ("1800519004123", 10),
        ("1800518004123", 37),
        ("180052B004123", 37),
        ("1840575056066", 97),
        ("1840575056065", 1),
        ("1000000000000", 47),
    ],
)
def test_compute_key_pinned(nir13, key):
    assert nir.compute_key(nir13) == key


def test_2b_is_18_and_differs_from_2a():
    assert nir.compute_key("180052B004123") == nir.compute_key("1800518004123")
    assert nir.compute_key("180052A004123") != nir.compute_key("180052B004123")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "184127645108",  # 12
        "18412764510890",  # 14
        "1841276451089 ",  # not normalized
        "184127645108a",  # lowercase / letter at the end
        "18412A6451089",  # 2A outside the département
        "180052a004123",  # lowercase 2a
        "180052C004123",  # not Corsica
        "1800A2B004123",
        "１841276451089",  # fullwidth digit
    ],
)
def test_compute_key_rejects_malformed(bad):
    with pytest.raises(ValueError):
        nir.compute_key(bad)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 84 12 76 451 089 46", "184127645108946"),
        ("1.84.12.76.451.089.46", "184127645108946"),
        ("1-84-12-76-451-089-46", "184127645108946"),
        ("1\u00a084\u00a012 76\u202f451\t089\n46", "184127645108946"),
        ("  1 80 05 2a 004 123 10  ", "180052A00412310"),
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert nir.normalize(raw) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "1.84.12.76.451.089.46",
        "1-84-12-76-451-089-46",
        "184127645108946",
        " 1 84 12 76 451 089 46 ",
        "1\u00a084\u00a012\u00a076\u00a0451\u00a0089\u00a046",
    ],
)
def test_validate_accepts_separators(typed):
    assert nir.validate(typed) == "184127645108946"


def test_validate_lowercase_corsica():
    assert nir.validate("1 80 05 2a 004 123 10") == "180052A00412310"


def error_of(raw):
    with pytest.raises(NirError) as info:
        nir.validate(raw)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == info.value.message
    return info.value


def test_empty():
    err = error_of("  ")
    assert err.code == "vide"
    assert err.message == "Le NIR est vide : saisissez les 15 caractères (13 + clé)."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "18412764510894",
            "Le NIR doit comporter 15 caractères (13 + clé de 2 chiffres) : 14 reçus.",
        ),
        (
            "1841276451089466",
            "Le NIR doit comporter 15 caractères (13 + clé de 2 chiffres) : 16 reçus.",
        ),
        (
            "1 84 12 76 451 089",
            "Le NIR doit comporter 15 caractères (13 + clé de 2 chiffres) : 13 reçus.",
        ),
        ("1", "Le NIR doit comporter 15 caractères (13 + clé de 2 chiffres) : 1 reçu."),
    ],
)
def test_length(raw, message):
    err = error_of(raw)
    assert err.code == "longueur"
    assert err.message == message


@pytest.mark.parametrize("sex", ["1", "2", "3", "4", "7", "8"])
def test_sex_codes_accepted(sex):
    body = sex + "841276451089"
    valid = body + f"{nir.compute_key(body):02d}"
    assert nir.validate(valid) == valid


@pytest.mark.parametrize("sex", ["0", "5", "6", "9", "A"])
def test_sex_codes_refused(sex):
    err = error_of(sex + "84127645108900")
    assert err.code == "sexe"
    assert err.message == (
        "Le 1er caractère du NIR (sexe) doit être 1 ou 2 (3, 4, 7 ou 8 pour un numéro provisoire)."
    )


def test_year_not_digits():
    err = error_of("1A4127645108946")
    assert err.code == "annee"
    assert "2 chiffres" in err.message


def with_key(body13: str) -> str:
    return body13 + f"{nir.compute_key(body13):02d}"


@pytest.mark.parametrize("month", ["01", "12", "20", "30", "42", "50", "75", "99"])
def test_months_accepted(month):
    valid = with_key(f"184{month}76451089")
    assert nir.validate(valid) == valid


@pytest.mark.parametrize("month", ["00", "13", "19", "43", "49", "1A", "2A"])
def test_months_refused(month):
    err = error_of(f"184{month}7645108900")
    assert err.code == "mois"
    assert err.message == (
        "Le mois de naissance (4e et 5e caractères du NIR) doit être compris entre 01 et 12 "
        "(ou 20 à 42, 50 à 99 pour les cas particuliers)."
    )


def test_month_13_even_with_a_matching_key():
    assert nir.compute_key("1841376451089") == 62  # the key alone would match
    assert error_of("184137645108962").code == "mois"


@pytest.mark.parametrize("dept", ["2C", "A2", "AA", "3A", "2 "])
def test_departement_refused(dept):
    err = error_of(f"18412{dept}45108900".replace(" ", "X"))
    assert err.code == "departement"
    assert "2A / 2B" in err.message


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("184127645A08946", "commune"),  # letter in the commune
        ("18412762A108946", "commune"),  # 2A in the commune
        ("18412764510A946", "ordre"),  # letter in the order number
        ("18412764512A946", "ordre"),  # 2A in the order number
        ("1841276451089A6", "cle_format"),
        ("18412764510892A", "cle_format"),
        ("18412764510892B", "cle_format"),
    ],
)
def test_letters_in_wrong_places(raw, code):
    assert error_of(raw).code == code


@pytest.mark.parametrize(
    "raw",
    [
        "184127645108947",  # key off by one
        "184127645108900",
        "184127645108999",
        "180052B00412310",  # 2A's key with 2B
        "180052A00412311",
        "294112B03304561",  # digits swapped in the month
        "184127645108964",  # key digits swapped
    ],
)
def test_wrong_key(raw):
    err = error_of(raw)
    assert err.code == "cle"
    assert err.message == "La clé de contrôle ne correspond pas au numéro : vérifiez la saisie."
    assert raw[13:] not in err.message
    assert "46" not in err.message  # the expected key is never revealed


def test_mask_exact_format():
    assert nir.mask("284052A12345678") == "2 84 05 •• ••• ••• ••"
    assert nir.mask("1 84 12 76 451 089 46") == "1 84 12 •• ••• ••• ••"


def test_format_display():
    assert nir.format_display("284052A12345678") == "2 84 05 2A 123 456 78"
    assert nir.format_display("1.84.12.76.451.089.46") == "1 84 12 76 451 089 46"


@pytest.mark.parametrize("bad", ["", "12345", "1841276451089467"])
def test_mask_and_display_need_15_chars(bad):
    with pytest.raises(ValueError):
        nir.mask(bad)
    with pytest.raises(ValueError):
        nir.format_display(bad)


@pytest.mark.parametrize(
    ("value", "sex"),
    [("1", "M"), ("3", "M"), ("7", "M"), ("2", "F"), ("4", "F"), ("8", "F")],
)
def test_sex_from_nir(value, sex):
    assert nir.sex_from_nir(value + "84127645108946") == sex


def test_sex_from_nir_unknown():
    with pytest.raises(ValueError):
        nir.sex_from_nir("584127645108946")


def test_birth_year_month():
    assert nir.birth_year_month("184127645108946") == (84, 12)
    assert nir.birth_year_month("184127645108946", reference_year=2026) == (1984, 12)
    assert nir.birth_year_month("205127645108946", reference_year=2026) == (2005, 12)
    assert nir.birth_year_month("226127645108946", reference_year=2026) == (2026, 12)
    assert nir.birth_year_month("227127645108946", reference_year=2026) == (1927, 12)
    assert nir.birth_year_month("284209912345652", reference_year=2026) == (1984, None)
    with pytest.raises(ValueError):
        nir.birth_year_month("184137645108946")


# --- properties ----------------------------------------------------------------------------

digit = st.sampled_from("0123456789")


@st.composite
def nir13s(draw):
    sex = draw(st.sampled_from("123478"))
    year = draw(st.text(digit, min_size=2, max_size=2))
    month = f"{draw(st.sampled_from([*range(1, 13), *range(20, 43), *range(50, 100)])):02d}"
    dept = draw(st.one_of(st.text(digit, min_size=2, max_size=2), st.sampled_from(["2A", "2B"])))
    rest = draw(st.text(digit, min_size=6, max_size=6))
    return sex + year + month + dept + rest


@settings(database=None)
@given(nir13s())
def test_key_matches_independent_computation(n13):
    key = nir.compute_key(n13)
    assert 1 <= key <= 97
    assert key == independent_key(n13)


@settings(database=None)
@given(nir13s())
def test_display_round_trip_and_mask(n13):
    valid = with_key(n13)
    assert nir.validate(valid) == valid
    shown = nir.format_display(valid)
    assert nir.validate(shown) == valid
    masked = nir.mask(valid)
    assert masked == f"{valid[0]} {valid[1:3]} {valid[3:5]} •• ••• ••• ••"
    # only sex, year and month are visible: never the place, the order number nor the key
    assert re.sub(r"[ •]", "", masked) == valid[:5]
    assert masked.count("•") == 10


@settings(database=None)
@given(nir13s(), st.integers(min_value=0, max_value=99))
def test_any_other_key_is_refused(n13, key):
    candidate = n13 + f"{key:02d}"
    if key == nir.compute_key(n13):
        assert nir.validate(candidate) == candidate
    else:
        with pytest.raises(NirError) as info:
            nir.validate(candidate)
        assert info.value.code == "cle"


@settings(database=None)
@given(st.text(max_size=20))
def test_validate_never_crashes(raw):
    try:
        result = nir.validate(raw)
    except NirError as err:
        assert err.message
    else:
        assert len(result) == 15
