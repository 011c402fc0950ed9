import pytest

from parcours.rules.postal import is_usable_address


@pytest.mark.parametrize(
    ("address", "postal_code", "commune", "usable"),
    [
        ("3 rue des Lilas", "01000", "Bourg-en-Bresse", True),
        ("Lieu-dit Les Granges", "01190", "Sermoyer", True),
        (" 3 rue des Lilas ", " 01000 ", "Bourg-en-Bresse", True),
        ("", "01000", "Bourg-en-Bresse", False),
        ("   ", "01000", "Bourg-en-Bresse", False),
        ("3 rue des Lilas", "", "Bourg-en-Bresse", False),
        ("3 rue des Lilas", "0100", "Bourg-en-Bresse", False),
        ("3 rue des Lilas", "010000", "Bourg-en-Bresse", False),
        ("3 rue des Lilas", "01A00", "Bourg-en-Bresse", False),
        ("3 rue des Lilas", "01000", "", False),
        ("3 rue des Lilas", "01000", None, False),
    ],
)
def test_usable_address(address, postal_code, commune, usable):
    assert is_usable_address(address, postal_code, commune) is usable
