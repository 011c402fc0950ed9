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

Event rules (events file, formats.md §6.4; the *faits générateurs* of domaine.md §3), one per
event code: the row's ``evenement`` is the rule's event and it happened **at most**
``delai_max_jours`` days before the extraction date, ``0 <= (date_extraction -
date_evenement).days <= delai_max_jours`` (with 60 days: an event on 1 March is targeted on
30 April, 60 days, not on 1 May, 61 days). ``PLUS_90_ANS``: aged ``age_min`` (90) or more at the
extraction date and no home visit (contact of mode ``VAD``) in Parcours's records since the date
``mois_sans_visite`` (24) months before the extraction date, that date included (a visit exactly
24 months before still counts as a visit).

``FRAGILITE`` (retirees file, formats.md §4 and §6): score (formats.md §6.1) at least
``score_min`` (8), optionally aged at least ``age_min`` in the file's year, in the listed
départements, and only in the white zones of the observatory (``zones_blanches``).

Every new rule has ``delai_offre_mois`` (12; 0 = no exclusion): a person who received an offer of
service since the date that many months before the extraction date (included) is not targeted
again (:func:`offer_window_start`). A person in an open case of the rule's programme never is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .calendar import add_months, age_on
from .events_extract import EVENTS

__all__ = [
    "ARRET_LONG",
    "DEFAULT_SICK_LEAVE_DAYS",
    "EVENT_RULES",
    "FRAGILITE",
    "PLUS_90_ANS",
    "RULES",
    "SOURCES",
    "EventFacts",
    "FragilityFacts",
    "RuleSpec",
    "SickLeaveFacts",
    "matches_event",
    "matches_fragility",
    "matches_plus_90",
    "offer_window_start",
    "rules_for_source",
    "visited_recently",
    "clean_parameters",
    "describe",
    "evaluate",
    "is_long_sick_leave",
    "matches_sick_leave",
    "sick_leave_days",
]

ARRET_LONG = "ARRET_LONG"
PLUS_90_ANS = "PLUS_90_ANS"
FRAGILITE = "FRAGILITE"
DEFAULT_SICK_LEAVE_DAYS = 60
DEFAULT_OFFER_MONTHS = 12
DEFAULT_MONTHS_WITHOUT_VISIT = 24
DEFAULT_SCORE_MIN = 8

#: kind of file a rule reads → its French name (formats.md §3, §6.4, §4)
SOURCES: dict[str, str] = {
    "extrait_arrets": "Extrait des arrêts de travail",
    "evenements": "Fichier d'événements",
    "retraites": "Fichier des retraités (avec identités)",
}


@dataclass(frozen=True)
class RuleSpec:
    code: str
    label: str
    programme: str  # code of formats.md §1 « programme »
    source: str  # kind of file the rule reads (a key of SOURCES)
    defaults: dict[str, Any] = field(default_factory=dict)
    #: events file: the event code the rule selects
    event: str = ""
    #: the rule looks at the person's home visits in Parcours (known people only)
    uses_home_visits: bool = False


#: event rules: event code → (label, programme, default ``delai_max_jours``)
EVENT_RULES: dict[str, tuple[str, str, int]] = {
    "NOUVEAU_RETRAITE": ("Nouveaux retraités", "BIEN_VIEILLIR", 60),
    "REVERSION": ("Nouvelles pensions de réversion (veuvage)", "DEUIL", 90),
    "C2S": ("Nouvelle complémentaire santé solidaire (C2S)", "PARCOURS_SANTE", 60),
    "SEPARATION": ("Séparation", "AUTRE", 90),
    "NAISSANCE": ("Naissance", "AUTRE", 90),
    "DECES_CONJOINT": ("Décès du conjoint", "DEUIL", 90),
    "IMPAYE_LOYER": ("Impayé de loyer", "AUTRE", 60),
    "SORTIE_HOSPITALISATION": ("Sortie d'hospitalisation", "RETOUR_DOMICILE", 30),
}

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
    **{
        code: RuleSpec(
            code=code,
            label=label,
            programme=programme,
            source="evenements",
            event=code,
            defaults={
                "delai_max_jours": days,
                "departements": [],
                "delai_offre_mois": DEFAULT_OFFER_MONTHS,
            },
        )
        for code, (label, programme, days) in EVENT_RULES.items()
    },
    PLUS_90_ANS: RuleSpec(
        code=PLUS_90_ANS,
        label="Retraités de 90 ans et plus sans visite à domicile",
        programme="BIEN_VIEILLIR",
        source="evenements",
        event=PLUS_90_ANS,
        uses_home_visits=True,
        defaults={
            "age_min": 90,
            "mois_sans_visite": DEFAULT_MONTHS_WITHOUT_VISIT,
            "departements": [],
            "delai_offre_mois": DEFAULT_OFFER_MONTHS,
        },
    ),
    FRAGILITE: RuleSpec(
        code=FRAGILITE,
        label="Retraités fragiles selon le score de l'observatoire",
        programme="BIEN_VIEILLIR",
        source="retraites",
        defaults={
            "score_min": DEFAULT_SCORE_MIN,
            "age_min": None,
            "departements": [],
            "zones_blanches": False,
            "delai_offre_mois": DEFAULT_OFFER_MONTHS,
        },
    ),
}


def rules_for_source(source: str) -> list[RuleSpec]:
    """The rules reading files of kind ``source``, in catalogue order."""
    return [spec for spec in RULES.values() if spec.source == source]


@dataclass(frozen=True)
class SickLeaveFacts:
    """What the sick-leave rule needs from one row of the extract."""

    sick_leave_start: date
    birth_date: date
    departement: str


@dataclass(frozen=True)
class EventFacts:
    """What an event rule needs from one row of the events file (and, for ``PLUS_90_ANS``, the
    date of the person's last home visit recorded in Parcours, ``None`` if never or unknown)."""

    event: str
    event_date: date
    birth_date: date
    departement: str
    last_home_visit: date | None = None


@dataclass(frozen=True)
class FragilityFacts:
    """What ``FRAGILITE`` needs from one row of the retirees file: its score and age for the
    file's year (formats.md §6.1), its département, whether its commune is a white zone."""

    score: int
    age: int
    departement: str
    white_zone: bool


def sick_leave_days(start: date, extraction_date: date) -> int:
    """Calendar days of sick leave at the extraction date: ``(extraction - start).days``."""
    return (extraction_date - start).days


def is_long_sick_leave(start: date, extraction_date: date, min_days: int) -> bool:
    """More than ``min_days`` days: ``(extraction - start).days > min_days`` (strict)."""
    return sick_leave_days(start, extraction_date) > min_days


def _in_departements(departement: str, params: dict[str, Any]) -> bool:
    departements = params["departements"]
    return not departements or departement in departements


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
    return _in_departements(facts.departement, params)


def matches_event(
    code: str, facts: EventFacts, extraction_date: date, params: dict[str, Any]
) -> bool:
    """An event rule: the rule's event, ``0 <= days since the event <= delai_max_jours``."""
    if facts.event != RULES[code].event:
        return False
    days = (extraction_date - facts.event_date).days
    if not 0 <= days <= params["delai_max_jours"]:
        return False
    return _in_departements(facts.departement, params)


def visited_recently(last_visit: date | None, extraction_date: date, months: int) -> bool:
    """A home visit on or after the date ``months`` months before the extraction date."""
    return last_visit is not None and last_visit >= add_months(extraction_date, -months)


def matches_plus_90(facts: EventFacts, extraction_date: date, params: dict[str, Any]) -> bool:
    """``PLUS_90_ANS``: the event, aged ``age_min``+ at the extraction date, no recent visit."""
    if facts.event != PLUS_90_ANS or facts.birth_date > extraction_date:
        return False
    if age_on(facts.birth_date, extraction_date) < params["age_min"]:
        return False
    if visited_recently(facts.last_home_visit, extraction_date, params["mois_sans_visite"]):
        return False
    return _in_departements(facts.departement, params)


def matches_fragility(facts: FragilityFacts, extraction_date: date, params: dict[str, Any]) -> bool:
    """``FRAGILITE``: ``score >= score_min``, ``age >= age_min`` when set, départements, white
    zones when asked (``extraction_date`` is not used: the age is the file year's)."""
    if facts.score < params["score_min"]:
        return False
    if params["age_min"] is not None and facts.age < params["age_min"]:
        return False
    if params["zones_blanches"] and not facts.white_zone:
        return False
    return _in_departements(facts.departement, params)


def offer_window_start(extraction_date: date, params: dict[str, Any]) -> date | None:
    """First day of the « already offered » window (``delai_offre_mois`` months before the
    extraction date, included); ``None`` when the rule excludes no one (0 or no such key)."""
    months = params.get("delai_offre_mois") or 0
    return add_months(extraction_date, -months) if months else None


def evaluate(code: str, facts: Any, on: date, params: dict[str, Any]) -> bool:
    """Apply rule ``code`` to one row's facts on date ``on`` (the extraction date)."""
    if code == ARRET_LONG:
        return matches_sick_leave(facts, on, params)
    if code == PLUS_90_ANS:
        return matches_plus_90(facts, on, params)
    if code == FRAGILITE:
        return matches_fragility(facts, on, params)
    return matches_event(code, facts, on, params)


def _int_or_none(value: Any, name: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors[name] = "Nombre entier attendu."
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


def _bounded(
    params: dict[str, Any],
    name: str,
    default: int | None,
    lo: int,
    hi: int,
    message: str,
    errors: dict[str, str],
) -> None:
    """An integer parameter: empty → ``default``; outside ``lo``–``hi`` → ``message``."""
    number = _int_or_none(params[name], name, errors)
    if number is None and name not in errors:
        number = default
    elif number is not None and not lo <= number <= hi:
        errors[name] = message
    params[name] = number


def _boolean(value: Any, name: str, errors: dict[str, str]) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("1", "true", "on", "oui"):
        return True
    if text in ("", "0", "false", "off", "non"):
        return False
    errors[name] = "Valeur oui/non attendue (1 ou 0)."
    return False


def clean_parameters(
    code: str, raw: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Parameters of rule ``code`` completed with its defaults, and French errors by name.

    ``duree_min_jours`` integer 1–3650 (60 when absent); ``delai_max_jours`` 1–3650;
    ``age_min`` / ``age_max`` integers or ``None`` with ``age_min <= age_max`` (``PLUS_90_ANS``:
    ``age_min`` 60–120, 90 when absent); ``mois_sans_visite`` 1–240 (24); ``score_min`` 1–11 (8);
    ``zones_blanches`` a boolean; ``delai_offre_mois`` 0–120 (12; 0 = no exclusion);
    ``departements`` a list of codes (upper-cased, sorted, without duplicates). Unknown keys
    are refused.
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
    defaults = spec.defaults
    if "duree_min_jours" in params:
        _bounded(params, "duree_min_jours", DEFAULT_SICK_LEAVE_DAYS, 1, 3650,
                 "La durée doit être comprise entre 1 et 3 650 jours.", errors)  # fmt: skip
    if "delai_max_jours" in params:
        _bounded(params, "delai_max_jours", defaults["delai_max_jours"], 1, 3650,
                 "Le délai doit être compris entre 1 et 3 650 jours.", errors)  # fmt: skip
    if "mois_sans_visite" in params:
        _bounded(params, "mois_sans_visite", DEFAULT_MONTHS_WITHOUT_VISIT, 1, 240,
                 "La durée sans visite doit être de 1 à 240 mois.", errors)  # fmt: skip
    if "score_min" in params:
        _bounded(params, "score_min", DEFAULT_SCORE_MIN, 1, 11,
                 "Le score minimum doit être compris entre 1 et 11.", errors)  # fmt: skip
    if "delai_offre_mois" in params:
        _bounded(params, "delai_offre_mois", DEFAULT_OFFER_MONTHS, 0, 120,
                 "Le délai doit être compris entre 0 et 120 mois.", errors)  # fmt: skip
    if code == PLUS_90_ANS:
        _bounded(params, "age_min", 90, 60, 120,
                 "L'âge minimum doit être compris entre 60 et 120 ans.", errors)  # fmt: skip
    elif "age_min" in params:
        params["age_min"] = _int_or_none(params["age_min"], "age_min", errors)
    if "age_max" in params:
        params["age_max"] = _int_or_none(params["age_max"], "age_max", errors)
        if (
            params["age_min"] is not None
            and params["age_max"] is not None
            and params["age_min"] > params["age_max"]
        ):
            errors["age_max"] = "L'âge maximum doit être supérieur ou égal à l'âge minimum."
    if "zones_blanches" in params:
        params["zones_blanches"] = _boolean(params["zones_blanches"], "zones_blanches", errors)
    deps = params["departements"] or []
    if isinstance(deps, str):
        deps = [d for d in deps.replace(",", " ").split() if d]
    params["departements"] = sorted({str(d).strip().upper() for d in deps if str(d).strip()})
    return params, errors


def _plural(number: int, one: str, many: str) -> str:
    return f"{number} {one if number in (0, 1) else many}"


def _common_tail(params: dict[str, Any]) -> str:
    text = ""
    if params.get("departements"):
        text += ", départements " + ", ".join(params["departements"])
    months = params.get("delai_offre_mois")
    if months:
        text += f", sans offre de service reçue depuis {months} mois"
    return text + "."


def describe(code: str, params: dict[str, Any]) -> str:
    """The rule in one French sentence, for screens and reports."""
    if code not in RULES:
        return code
    spec = RULES[code]
    if code == ARRET_LONG:
        text = (
            f"Arrêt de travail de plus de {params['duree_min_jours']} jours à la date d'extraction"
        )
        lo, hi = params.get("age_min"), params.get("age_max")
        if lo is not None and hi is not None:
            text += f", âge de {lo} à {hi} ans"
        elif lo is not None:
            text += f", âge d'au moins {lo} ans"
        elif hi is not None:
            text += f", âge d'au plus {hi} ans"
        return text + _common_tail(params)
    if code == PLUS_90_ANS:
        return (
            f"Personnes de {params['age_min']} ans ou plus à la date d'extraction, sans visite à "
            f"domicile enregistrée depuis {params['mois_sans_visite']} mois" + _common_tail(params)
        )
    if code == FRAGILITE:
        text = f"Retraités dont le score de fragilité est d'au moins {params['score_min']}"
        if params.get("age_min") is not None:
            text += f", âgés d'au moins {params['age_min']} ans dans l'année du fichier"
        if params.get("zones_blanches"):
            text += ", dans les zones blanches de l'observatoire"
        return text + _common_tail(params)
    days = _plural(params["delai_max_jours"], "jour", "jours")
    return (
        f"Événement « {EVENTS[spec.event]} » survenu au plus {days} "
        "avant la date d'extraction" + _common_tail(params)
    )
