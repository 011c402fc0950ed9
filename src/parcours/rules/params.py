"""Paramètres d'adresse (``?annee=``, ``?du=``, ``?page=``, identifiants) : ce qui est accepté.

Règles pures : une valeur texte entre, une valeur typée sort, ou ``InvalidParameter`` porte le
message français à montrer. Les bornes gardent tout calcul de date qui suit (premier et dernier
jour de l'année, lendemain d'une date de fin) loin des limites de Python et des bases.
"""

import datetime
import re

YEAR_MIN = 1900
YEAR_MAX = 2100
DATE_MIN = datetime.date(YEAR_MIN, 1, 1)
DATE_MAX = datetime.date(YEAR_MAX, 12, 31)
ID_MAX = 2**63 - 1  # le plus grand entier des bases (BIGINT, INTEGER de SQLite)
MAX_LENGTH = 20  # au-delà, aucune valeur acceptée ne s'écrit ainsi

_DIGITS = re.compile(r"[0-9]+")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_FRENCH = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


class InvalidParameter(ValueError):
    """Valeur refusée ; ``message`` : la phrase française pour l'agent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_int(text: str, *, label: str, minimum: int, maximum: int) -> int:
    """Un entier écrit en chiffres (0-9 seulement), entre ``minimum`` et ``maximum`` inclus."""
    value = text.strip()
    if len(value) > MAX_LENGTH or not _DIGITS.fullmatch(value):
        raise InvalidParameter(f"{label} : « {value[:MAX_LENGTH]} » n'est pas un nombre.")
    number = int(value)
    if not minimum <= number <= maximum:
        raise InvalidParameter(f"{label} : {number} est hors des valeurs permises.")
    return number


def parse_year(text: str) -> int:
    """Une année de ``YEAR_MIN`` à ``YEAR_MAX`` inclus."""
    value = text.strip()
    if len(value) > MAX_LENGTH or not _DIGITS.fullmatch(value):
        raise InvalidParameter(f"Année « {value[:MAX_LENGTH]} » invalide : écrivez-la en chiffres.")
    year = int(value)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidParameter(
            f"Année {year} hors de la période acceptée ({YEAR_MIN} à {YEAR_MAX})."
        )
    return year


def parse_date(text: str) -> datetime.date:
    """Une date ``AAAA-MM-JJ`` ou ``JJ/MM/AAAA``, qui existe, de ``DATE_MIN`` à ``DATE_MAX``."""
    value = text.strip()
    match = None if len(value) > MAX_LENGTH else _ISO.fullmatch(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = None if len(value) > MAX_LENGTH else _FRENCH.fullmatch(value)
        if not match:
            raise InvalidParameter(
                f"Date « {value[:MAX_LENGTH]} » invalide : écrivez-la JJ/MM/AAAA."
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        day_value = datetime.date(year, month, day)
    except ValueError:
        raise InvalidParameter(f"La date « {value} » n'existe pas.") from None
    if not DATE_MIN <= day_value <= DATE_MAX:
        raise InvalidParameter(
            f"Date {day_value:%d/%m/%Y} hors de la période acceptée ({YEAR_MIN} à {YEAR_MAX})."
        )
    return day_value


def parse_id(text: str, *, label: str = "Identifiant") -> int:
    """Un identifiant : un entier de 1 à ``ID_MAX``."""
    return parse_int(text, label=label, minimum=1, maximum=ID_MAX)


def parse_choice(text: str, *, label: str, choices: frozenset[str]) -> str:
    """Une valeur parmi ``choices`` (comparée telle quelle, espaces retirés)."""
    value = text.strip()
    if value not in choices:
        raise InvalidParameter(f"{label} : valeur « {value[:MAX_LENGTH]} » inconnue.")
    return value


def parse_flag(text: str, *, label: str) -> bool:
    """Une case à cocher d'adresse : ``1`` (oui), ``0`` ou vide (non)."""
    value = text.strip()
    if value not in {"", "0", "1"}:
        raise InvalidParameter(f"{label} : « {value[:MAX_LENGTH]} » n'est ni 0 ni 1.")
    return value == "1"


TEXT_MAX_LENGTH = 100  # un texte de recherche (nom d'un partenaire…)


def parse_text(text: str, *, label: str, max_length: int = TEXT_MAX_LENGTH) -> str:
    """Un texte de recherche : espaces retirés, au plus ``max_length`` caractères, sans
    caractère de contrôle (un octet nul ferait échouer la requête SQL)."""
    value = text.strip()
    if len(value) > max_length:
        raise InvalidParameter(f"{label} : {max_length} caractères au plus.")
    if any(ord(char) < 32 for char in value):
        raise InvalidParameter(f"{label} : caractère de contrôle refusé.")
    return value
