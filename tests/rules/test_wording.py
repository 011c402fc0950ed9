"""Accords, « né » / « née », dates en toutes lettres : valeurs exactes."""

import datetime

import pytest

from parcours.rules.wording import born, count, long_date, number


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (0, "une séance", "aucune séance"),
        (1, "une séance", "1 séance"),
        (2, "une séance", "2 séances"),
        (0, "un entretien", "aucun entretien"),
        (1, "un entretien", "1 entretien"),
        (1234, "un entretien", "1\u202f234 entretiens"),
        (2, "une personne inscrite", "2 personnes inscrites"),
        (0, "une personne inscrite", "aucune personne inscrite"),
        (3, "un choix", "3 choix"),
        (3, "un travail|travaux", "3 travaux"),
        (1, "un travail|travaux", "1 travail"),
    ],
)
def test_count(n, noun, expected):
    assert count(n, noun) == expected


def test_count_needs_an_article():
    with pytest.raises(ValueError, match="article"):
        count(2, "séance")


def test_number():
    assert number(999) == "999"
    assert number(1000) == "1\u202f000"
    assert number(1_234_567) == "1\u202f234\u202f567"


@pytest.mark.parametrize(
    ("sex", "expected"), [("F", "née"), ("M", "né"), ("", "né·e"), (None, "né·e")]
)
def test_born(sex, expected):
    assert born(sex) == expected


@pytest.mark.parametrize(
    ("day", "weekday", "expected"),
    [
        (datetime.date(2026, 5, 1), False, "1er mai 2026"),
        (datetime.date(2026, 5, 1), True, "vendredi 1er mai 2026"),
        (datetime.date(2026, 5, 2), False, "2 mai 2026"),
        (datetime.date(2026, 5, 31), False, "31 mai 2026"),
        (datetime.date(2026, 2, 1), True, "dimanche 1er février 2026"),
        (datetime.date(2026, 8, 11), True, "mardi 11 août 2026"),
        (datetime.date(2026, 12, 21), False, "21 décembre 2026"),
    ],
)
def test_long_date(day, weekday, expected):
    assert long_date(day, weekday=weekday) == expected


def test_long_date_without_the_year():
    assert long_date(datetime.date(2026, 6, 1), weekday=True, year=False) == "lundi 1er juin"
    assert long_date(datetime.date(2026, 6, 2), year=False) == "2 juin"
