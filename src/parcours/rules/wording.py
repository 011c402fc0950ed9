"""Écrire en français : nombres avec leur nom (accord), « né » / « née », dates en toutes lettres.

- ``count(0, "une séance")`` → ``"aucune séance"`` ; ``count(1, …)`` → ``"1 séance"`` ;
  ``count(2, …)`` → ``"2 séances"`` (le pluriel commence à 2). Le nom s'écrit avec son article
  indéfini (``un`` ou ``une``), qui en donne le genre ; le pluriel ajoute un « s » à chaque mot
  (sauf mots finissant par s, x ou z), ou s'écrit après une barre : ``"un travail|travaux"``.
  Les milliers sont séparés par une espace insécable fine (``1 234 séances``).
- ``born("F")`` → ``"née"``, ``born("M")`` → ``"né"``, sexe inconnu → ``"né·e"``.
- ``long_date(date(2026, 5, 1))`` → ``"1er mai 2026"`` (« 1er » pour le premier du mois) ;
  ``weekday=True`` → ``"vendredi 1er mai 2026"`` ; ``year=False`` → ``"vendredi 1er mai"``.
"""

from __future__ import annotations

import datetime

__all__ = ["born", "count", "long_date", "number"]

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
THIN_SPACE = "\u202f"


def number(n: int) -> str:
    """``1234`` → ``"1 234"`` (espace insécable fine entre les milliers)."""
    return f"{n:,}".replace(",", THIN_SPACE)


def _plural_word(word: str) -> str:
    return word if word.endswith(("s", "x", "z")) else word + "s"


def count(n: int, noun: str) -> str:
    """``n`` suivi de ``noun`` accordé ; zéro s'écrit « aucun » / « aucune »."""
    singular, _, plural = noun.partition("|")
    article, _, words = singular.partition(" ")
    if article not in {"un", "une"} or not words:
        raise ValueError(f"nom sans article indéfini : {noun!r}")
    if n == 0:
        return f"{'aucune' if article == 'une' else 'aucun'} {words}"
    if abs(n) == 1:
        return f"{n} {words}"
    return f"{number(n)} {plural or ' '.join(_plural_word(w) for w in words.split(' '))}"


def born(sex: str | None) -> str:
    """« né », « née », ou « né·e » quand le sexe n'est pas connu."""
    return {"F": "née", "M": "né"}.get(sex or "", "né·e")


def long_date(day: datetime.date, *, weekday: bool = False, year: bool = True) -> str:
    """La date en toutes lettres, « 1er » le premier du mois (sans l'année si ``year`` est
    faux : « lundi 1er juin »)."""
    written = f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"
    written += f" {day.year}" if year else ""
    return f"{WEEKDAYS[day.weekday()]} {written}" if weekday else written
