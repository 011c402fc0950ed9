"""Numéros de téléphone : formes acceptées, refusées, et relecture de la forme normalisée."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcours.rules.phone import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("0612345678", "06 12 34 56 78"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        (" 01 23 45 67 89 ", "01 23 45 67 89"),
        ("0912345678", "09 12 34 56 78"),
        ("+33612345678", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ("0262 12 34 56", "02 62 12 34 56"),
        ("0262 12 34 5", None),  # 9 chiffres
        ("02 62 12 34 56", "02 62 12 34 56"),  # La Réunion, fixe
        ("+262 692 12 34 56", "06 92 12 34 56"),  # La Réunion, mobile
        ("+262 269 61 23 45", "02 69 61 23 45"),  # Mayotte
        ("+590 590 12 34 56", "05 90 12 34 56"),  # Guadeloupe
        ("+594 694 12 34 56", "06 94 12 34 56"),  # Guyane
        ("+596 696 12 34 56", "06 96 12 34 56"),  # Martinique
        ("+687 12 34 56", "+687 12 34 56"),  # Nouvelle-Calédonie : 6 chiffres
        ("+689 87 12 34 56", "+689 87 12 34 56"),  # Polynésie : 8 chiffres
        ("+508 41 23 45", "+508 41 23 45"),  # Saint-Pierre-et-Miquelon
        ("+681 72 12 34", "+681 72 12 34"),  # Wallis-et-Futuna
        ("+687 12 34 5", None),
        ("+687 12 34 56 7", None),
        ("abc", None),
        ("06 12 34 56 7a", None),
        ("061234567", None),  # 9 chiffres
        ("06123456789", None),  # 11 chiffres
        ("0012345678", None),  # 00 : préfixe international, pas un numéro
        ("1612345678", None),  # ne commence pas par 0
        ("+33 06 12 34 56 78", None),  # 0 de trop sans parenthèses
        ("+3361234567", None),  # 8 chiffres après +33
        ("+336123456789", None),
        ("+32 2 123 45 67", None),  # Belgique : hors du périmètre
        ("+0033 6 12 34 56 78", None),
        ("06+12345678", None),
        ("06 12 34 56 78 poste 12", None),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3960", "39 60"),
        ("39 60", "39 60"),
        ("36.46", "36 46"),
        ("3000", "30 00"),
        ("3999", "39 99"),
        ("2960", None),
        ("396", None),
        ("39600", None),
        ("04 72 00 00 00", "04 72 00 00 00"),
    ],
)
def test_short_service_numbers_only_when_asked(raw, expected):
    assert normalise(raw, short=True) == expected
    if expected is not None and len(expected) == 5:
        assert normalise(raw) is None


national = st.builds(
    lambda second, rest: f"0{second}{rest}",
    st.integers(1, 9),
    st.text("0123456789", min_size=8, max_size=8),
)


@given(national, st.lists(st.sampled_from(["", " ", ".", "-"]), min_size=9, max_size=9))
def test_every_spelling_of_a_national_number_reads_back_the_same(number, separators):
    spelled = "".join(d + s for d, s in zip(number, [*separators, ""], strict=True))
    written = normalise(spelled)
    assert written == " ".join(number[i : i + 2] for i in range(0, 10, 2))
    assert normalise(written) == written
    assert normalise("+33 " + number[1:]) == written


@given(st.text(max_size=25))
def test_normalise_is_idempotent(raw):
    written = normalise(raw)
    if written is not None:
        assert normalise(written) == written
