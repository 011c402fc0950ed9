"""Targeting rules (ciblage, domaine.md §3.3): which rows of an extract become targets.

A rule is a code, a programme and parameters stored per organisation (``TargetingRule`` in
``outreach``); this module holds the catalogue (:data:`RULES`), validates parameters
(:func:`clean_parameters`) and evaluates one row (:func:`evaluate`). Everything is a pure
function of the values given by the caller (the extraction date included).

First rule, ``ARRET_LONG`` (monthly sick-leave extract, formats.md §3): the person has been on
sick leave for **more than** ``duree_min_jours`` days at the extraction date (60 by default),
``(date_extraction - date_debut_arret).days > duree_min_jours``: with 60 days, leave started
on 1 March is targeted from 1 May (61 days), not on 30 April (60 days). Optional filters: an age
range at the extraction date (bounds included) and a list of départements of residence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .calendar import age_on

__all__ = [
    "ARRET_LONG",
    "DEFAULT_SICK_LEAVE_DAYS",
    "RULES",
    "RuleSpec",
    "SickLeaveFacts",
    "clean_parameters",
    "describe",
    "evaluate",
    "is_long_sick_leave",
    "matches_sick_leave",
    "sick_leave_days",
]

ARRET_LONG = "ARRET_LONG"
DEFAULT_SICK_LEAVE_DAYS = 60


@dataclass(frozen=True)
class RuleSpec:
    code: str
    label: str
    programme: str  # code of formats.md §1 « programme »
    source: str  # kind of file the rule reads
    defaults: dict[str, Any] = field(default_factory=dict)


RULES: dict[str, RuleSpec] = {
    ARRET_LONG: RuleSpec(
        code=ARRET_LONG,
        label="Arrêt de travail de longue durée",
        programme="PDP",
        source="extrait_arrets",
        defaults={
            "duree_min_jours": DEFAULT_SICK_LEAVE_DAYS,
            "age_min": None,
            "age_max": None,
            "departements": [],
        },
    ),
}


@dataclass(frozen=True)
class SickLeaveFacts:
    """What the sick-leave rule needs from one row of the extract."""

    sick_leave_start: date
    birth_date: date
    departement: str


def sick_leave_days(start: date, extraction_date: date) -> int:
    """Calendar days of sick leave at the extraction date: ``(extraction - start).days``."""
    return (extraction_date - start).days


def is_long_sick_leave(start: date, extraction_date: date, min_days: int) -> bool:
    """More than ``min_days`` days: ``(extraction - start).days > min_days`` (strict)."""
    return sick_leave_days(start, extraction_date) > min_days


def matches_sick_leave(
    facts: SickLeaveFacts, extraction_date: date, params: dict[str, Any]
) -> bool:
    """The ``ARRET_LONG`` rule with cleaned parameters (see :func:`clean_parameters`)."""
    if not is_long_sick_leave(facts.sick_leave_start, extraction_date, params["duree_min_jours"]):
        return False
    if params["age_min"] is not None or params["age_max"] is not None:
        if facts.birth_date > extraction_date:
            return False
        age = age_on(facts.birth_date, extraction_date)
        if params["age_min"] is not None and age < params["age_min"]:
            return False
        if params["age_max"] is not None and age > params["age_max"]:
            return False
    departements = params["departements"]
    return not departements or facts.departement in departements


_EVALUATORS = {ARRET_LONG: matches_sick_leave}


def evaluate(code: str, facts: SickLeaveFacts, on: date, params: dict[str, Any]) -> bool:
    """Apply rule ``code`` to one row's facts on date ``on`` (the extraction date)."""
    return _EVALUATORS[code](facts, on, params)


def _int_or_none(value: Any, name: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = "Nombre entier attendu."
        return None
    if number < 0:
        errors[name] = "La valeur ne peut pas être négative."
        return None
    return number


def clean_parameters(
    code: str, raw: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Parameters of rule ``code`` completed with its defaults, and French errors by name.

    ``ARRET_LONG``: ``duree_min_jours`` integer 1–3650 (60 when absent), ``age_min`` /
    ``age_max`` integers or ``None`` with ``age_min <= age_max``, ``departements`` a list of
    codes (upper-cased, sorted, without duplicates). Unknown keys are refused.
    """
    if code not in RULES:
        return {}, {"code": f"Règle de ciblage inconnue : « {code} »."}
    spec = RULES[code]
    raw = dict(raw or {})
    errors: dict[str, str] = {}
    unknown = sorted(set(raw) - set(spec.defaults))
    if unknown:
        errors["__all__"] = "Paramètres inconnus : " + ", ".join(unknown) + "."
    params = dict(spec.defaults) | {k: v for k, v in raw.items() if k in spec.defaults}
    days = _int_or_none(params["duree_min_jours"], "duree_min_jours", errors)
    if days is None and "duree_min_jours" not in errors:
        days = DEFAULT_SICK_LEAVE_DAYS
    elif days is not None and not 1 <= days <= 3650:
        errors["duree_min_jours"] = "La durée doit être comprise entre 1 et 3 650 jours."
    params["duree_min_jours"] = days
    params["age_min"] = _int_or_none(params["age_min"], "age_min", errors)
    params["age_max"] = _int_or_none(params["age_max"], "age_max", errors)
    if (
        params["age_min"] is not None
        and params["age_max"] is not None
        and params["age_min"] > params["age_max"]
    ):
        errors["age_max"] = "L'âge maximum doit être supérieur ou égal à l'âge minimum."
    deps = params["departements"] or []
    if isinstance(deps, str):
        deps = [d for d in deps.replace(",", " ").split() if d]
    params["departements"] = sorted({str(d).strip().upper() for d in deps if str(d).strip()})
    return params, errors


def describe(code: str, params: dict[str, Any]) -> str:
    """The rule in one French sentence, for screens and reports."""
    if code != ARRET_LONG:
        return RULES[code].label if code in RULES else code
    text = f"Arrêt de travail de plus de {params['duree_min_jours']} jours à la date d'extraction"
    lo, hi = params.get("age_min"), params.get("age_max")
    if lo is not None and hi is not None:
        text += f", âge de {lo} à {hi} ans"
    elif lo is not None:
        text += f", âge d'au moins {lo} ans"
    elif hi is not None:
        text += f", âge d'au plus {hi} ans"
    if params.get("departements"):
        text += ", départements " + ", ".join(params["departements"])
    return text + "."
