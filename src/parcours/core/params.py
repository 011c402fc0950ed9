"""Les paramètres d'adresse des vues (``request.GET``), lus d'une seule façon.

Chaque lecture passe par une règle de ``rules/params.py`` ; une valeur refusée lève
``BadParameter`` (une ``BadRequest``), que Django change en page 400 française
(``erreurs/400.html``, gestionnaire ``handler400`` de ``urls.py``) nommant le paramètre en
cause. Absent ou vide : la valeur par défaut.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import BadRequest

from parcours.rules import params as rules


class BadParameter(BadRequest):
    """Un paramètre d'adresse refusé ; ``message`` : la phrase française montrée."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _raw(request, name: str) -> str:
    return request.GET.get(name, "").strip()


def _checked(parse, *args, **kwargs):
    try:
        return parse(*args, **kwargs)
    except rules.InvalidParameter as error:
        raise BadParameter(error.message) from None


def year_param(request, name: str = "annee", default: int | None = None) -> int | None:
    """L'année ``?annee=`` (de ``rules.params.YEAR_MIN`` à ``YEAR_MAX``), à défaut ``default``."""
    raw = _raw(request, name)
    return _checked(rules.parse_year, raw) if raw else default


def date_param(request, name: str, default: datetime.date | None = None) -> datetime.date | None:
    """Une date ``AAAA-MM-JJ`` ou ``JJ/MM/AAAA`` qui existe, dans la période acceptée."""
    raw = _raw(request, name)
    return _checked(rules.parse_date, raw) if raw else default


def int_param(
    request, name: str, default: int | None, *, minimum: int = 0, maximum: int = rules.ID_MAX
) -> int | None:
    """Un entier en chiffres entre ``minimum`` et ``maximum``."""
    raw = _raw(request, name)
    if not raw:
        return default
    return _checked(rules.parse_int, raw, label=f"Paramètre « {name} »", minimum=minimum,
                    maximum=maximum)  # fmt: skip


def id_param(request, name: str) -> int | None:
    """L'identifiant d'un objet (entier positif), ou ``None`` s'il est absent."""
    raw = _raw(request, name)
    return _checked(rules.parse_id, raw, label=f"Paramètre « {name} »") if raw else None


def choice_param(request, name: str, choices: Iterable[str], default: str = "") -> str:
    """Une valeur parmi ``choices`` ; absent ou vide : ``default``."""
    raw = _raw(request, name)
    if not raw:
        return default
    return _checked(
        rules.parse_choice, raw, label=f"Paramètre « {name} »", choices=frozenset(choices)
    )


def flag_param(request, name: str) -> bool:
    """Une case d'adresse : ``1`` oui ; ``0``, vide ou absent non."""
    return _checked(rules.parse_flag, _raw(request, name), label=f"Paramètre « {name} »")


def text_param(request, name: str) -> str:
    """Un texte de recherche ; absent : chaîne vide."""
    return _checked(rules.parse_text, _raw(request, name), label=f"Paramètre « {name} »")
