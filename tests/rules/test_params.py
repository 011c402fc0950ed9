import datetime

import pytest

from parcours.rules import params
from parcours.rules.params import InvalidParameter


def test_year_bounds_are_inclusive():
    assert params.parse_year("1900") == 1900
    assert params.parse_year(" 2100 ") == 2100
    for text in ("1899", "2101", "0", "10000"):
        with pytest.raises(InvalidParameter, match="hors de la période acceptée"):
            params.parse_year(text)


@pytest.mark.parametrize("text", ["-1", "abc", "２０２６", "2026.0", "+2026", "", "9" * 21])
def test_year_must_be_ascii_digits(text):
    with pytest.raises(InvalidParameter, match="Année .* invalide"):
        params.parse_year(text)


def test_dates_iso_or_french_within_bounds():
    assert params.parse_date("2026-02-28") == datetime.date(2026, 2, 28)
    assert params.parse_date("1/2/2026") == datetime.date(2026, 2, 1)
    assert params.parse_date("01/01/1900") == params.DATE_MIN
    assert params.parse_date("2100-12-31") == params.DATE_MAX
    with pytest.raises(InvalidParameter, match="n'existe pas"):
        params.parse_date("31/02/2026")
    with pytest.raises(InvalidParameter, match="n'existe pas"):
        params.parse_date("2026-13-01")
    for text in ("31/12/1899", "2101-01-01", "0001-01-01", "31/12/9999"):
        with pytest.raises(InvalidParameter, match="hors de la période acceptée"):
            params.parse_date(text)
    for text in ("demain", "2026-1-1", "9" * 40, "2026/01/01"):
        with pytest.raises(InvalidParameter, match="JJ/MM/AAAA"):
            params.parse_date(text)


def test_ids_and_ints():
    assert params.parse_id("1") == 1
    assert params.parse_id(str(params.ID_MAX)) == params.ID_MAX
    for text in ("0", str(params.ID_MAX + 1)):
        with pytest.raises(InvalidParameter, match="hors des valeurs permises"):
            params.parse_id(text)
    for text in ("-1", "abc", "1e3", "²", "9" * 21):
        with pytest.raises(InvalidParameter, match="n'est pas un nombre"):
            params.parse_id(text, label="Page")
    assert params.parse_int("0", label="n", minimum=0, maximum=5) == 0
    assert params.parse_int("5", label="n", minimum=0, maximum=5) == 5
    with pytest.raises(InvalidParameter):
        params.parse_int("6", label="n", minimum=0, maximum=5)


def test_choices_and_flags():
    assert params.parse_choice("a", label="État", choices=frozenset({"a"})) == "a"
    with pytest.raises(InvalidParameter, match="État : valeur « b » inconnue"):
        params.parse_choice("b", label="État", choices=frozenset({"a"}))
    assert params.parse_flag("1", label="x") is True
    assert params.parse_flag("0", label="x") is False
    assert params.parse_flag("", label="x") is False
    with pytest.raises(InvalidParameter, match="ni 0 ni 1"):
        params.parse_flag("2", label="x")


def test_parse_text():
    assert params.parse_text("  Cap emploi ", label="q") == "Cap emploi"
    assert params.parse_text("", label="q") == ""
    assert (
        params.parse_text("a" * params.TEXT_MAX_LENGTH, label="q") == "a" * params.TEXT_MAX_LENGTH
    )
    with pytest.raises(params.InvalidParameter, match="caractères au plus"):
        params.parse_text("a" * (params.TEXT_MAX_LENGTH + 1), label="q")
    with pytest.raises(params.InvalidParameter, match="contrôle"):
        params.parse_text("a\x00b", label="q")
