"""SIRET : 14 chiffres, clé de Luhn ; La Poste : somme des chiffres multiple de 5."""

import pytest

from parcours.rules.siret import luhn_ok, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("73282932000074", "73282932000074"),  # clé de Luhn juste
        ("732 829 320 00074", "73282932000074"),  # espaces permis
        ("73282932000075", None),  # clé fausse
        ("7328293200007", None),  # 13 chiffres
        ("732829320000744", None),  # 15 chiffres
        ("7328293200007A", None),
        ("", None),
        ("35600000000048", "35600000000048"),  # siège de La Poste : Luhn juste
        ("35600000049837", "35600000049837"),  # établissement de La Poste : somme 45
        ("35600000049838", None),  # La Poste, somme 46 : refusé
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_la_poste_rule_only_for_la_poste():
    # somme 45 (multiple de 5), Luhn faux, mais pas La Poste : refusé
    assert not luhn_ok("12300000049837")
    assert normalise("12300000049837") is None
    assert not luhn_ok("35600000049837")


def test_luhn_exact():
    assert luhn_ok("0000000000000")
    assert luhn_ok("18")  # 1×2 + 8 = 10
    assert not luhn_ok("19")
