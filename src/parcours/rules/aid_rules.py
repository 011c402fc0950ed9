"""Aid eligibility and amount rules, evaluated from data (domaine.md §7).

An aid is described by two dictionaries an administrator edits (stored as JSON):

``conditions`` (every key optional; all given conditions must hold):
    age_min, age_max (int, age on the request date) · gir_min, gir_max (int) ·
    regimes (list of scheme codes) · revenu_max (monthly income ≤, euros) ·
    qf_max (quotient familial ceiling), qf_max_handicap (ceiling when a child is disabled),
    qf_strict (true: QF must be *below* the ceiling, default: ≤) ·
    evenements (list of life-event codes) with evenement_mois (event within N months) ·
    canal ("TRAVAILLEUR_SOCIAL": on a social worker's request only) ·
    frequence_mois (at most once per N months per person or household) ·
    sans_autre_plan (true: no other plan in progress) · enfants_min (int).

``amount`` (the amount rule):
    {"type": "fixe", "montant": "500"}
    {"type": "pourcentage", "taux": "80", "plafond": "1500"}          (of the cost)
    {"type": "tranches", "base": "revenu"|"qf", "tranches": [{"max": "600", "montant": "500"},
        {"max": null, "montant": "0"}]}                                 (ceilings inclusive)
    {"type": "heures", "taux_horaire": "22.50", "heures_max": "20",
        "participation": [{"max": "1000", "taux": "10"}, {"max": null, "taux": "50"}]}
        → hours × hourly rate − participation (% of that cost, by monthly-income bracket)
    optional "majorations": [{"si": {"grande_precarite": true, "enfants_min": 1,
        "enfants_max": 2, "naissances": 2}, "montant": "1300", "mensualite_min": "30"}]
        (the first matching case replaces the amount) and, for loans, "mensualite_min".

Money is ``Decimal`` (euros, rounded to the cent, half up). Every function is pure: the caller
gives the situation, including the request date and the last grant of the same aid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .calendar import add_months, format_fr

__all__ = [
    "AMOUNT_TYPES",
    "CHANNEL_LABELS",
    "CONDITION_KEYS",
    "EVENT_LABELS",
    "REGIME_LABELS",
    "AidOutcome",
    "Reason",
    "Situation",
    "amount_rule_errors",
    "conditions_errors",
    "euros",
    "evaluate",
    "version_overlap",
]

CENT = Decimal("0.01")
AMOUNT_TYPES = ("fixe", "pourcentage", "tranches", "heures")
CONDITION_KEYS = (
    "age_min",
    "age_max",
    "gir_min",
    "gir_max",
    "regimes",
    "revenu_max",
    "qf_max",
    "qf_max_handicap",
    "qf_strict",
    "evenements",
    "evenement_mois",
    "canal",
    "frequence_mois",
    "sans_autre_plan",
    "enfants_min",
)
REGIME_LABELS = {
    "REGIME_GENERAL": "Régime général",
    "MSA": "Mutualité sociale agricole",
    "CNRACL": "CNRACL (fonction publique territoriale et hospitalière)",
    "MINES": "Régime minier",
    "AUTRE": "Autre régime",
}
EVENT_LABELS = {
    "NAISSANCE": "Naissance",
    "HOSPITALISATION": "Sortie d'hospitalisation",
    "DECES_CONJOINT": "Décès du conjoint",
    "SEPARATION": "Séparation",
    "PERTE_EMPLOI": "Perte d'emploi",
}
CHANNEL_LABELS = {
    "PERSONNE": "Demande de la personne",
    "TRAVAILLEUR_SOCIAL": "Demande d'un travailleur social",
}


def euros(amount: Decimal) -> str:
    """« 1 300 € », « 22,50 € » (cents shown only when there are some)."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount) * 100, 100)
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    if cents:
        return f"{sign}{grouped},{int(cents):02d} €"
    return f"{sign}{grouped} €"


@dataclass(frozen=True)
class Situation:
    """What the request (or the simulator) says about the person, on the request date."""

    on: date
    age: int | None = None
    gir: int | None = None
    regime: str = ""
    monthly_income: Decimal | None = None
    family_quotient: Decimal | None = None
    children: int = 0
    disabled_child: bool = False
    severe_poverty: bool = False
    births: int = 0
    event: str = ""
    event_on: date | None = None
    channel: str = "PERSONNE"
    cost: Decimal | None = None
    hours: Decimal | None = None
    last_granted_on: date | None = None
    other_plan_in_progress: bool = False


@dataclass(frozen=True)
class Reason:
    ok: bool
    text: str


@dataclass(frozen=True)
class AidOutcome:
    eligible: bool
    amount: Decimal
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    monthly_minimum: Decimal | None = None

    @property
    def failures(self) -> list[str]:
        return [r.text for r in self.reasons if not r.ok]


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _check_conditions(c: dict[str, Any], s: Situation) -> list[Reason]:
    reasons: list[Reason] = []

    def add(ok: bool, yes: str, no: str) -> None:
        reasons.append(Reason(ok, yes if ok else no))

    if "age_min" in c or "age_max" in c:
        low, high = c.get("age_min"), c.get("age_max")
        bounds = (
            f"entre {low} et {high} ans"
            if low is not None and high is not None
            else f"au moins {low} ans"
            if low is not None
            else f"au plus {high} ans"
        )
        if s.age is None:
            add(False, "", f"Âge inconnu : la condition d'âge ({bounds}) ne peut être vérifiée.")
        else:
            ok = (low is None or s.age >= low) and (high is None or s.age <= high)
            add(ok, f"Âge {s.age} ans : {bounds}, condition remplie.",
                f"Âge {s.age} ans : l'aide est réservée aux personnes de {bounds}.")  # fmt: skip
    if "gir_min" in c or "gir_max" in c:
        low, high = c.get("gir_min", 1), c.get("gir_max", 6)
        if s.gir is None:
            add(False, "", f"GIR inconnu : une évaluation (GIR {low} à {high}) est nécessaire.")
        else:
            add(low <= s.gir <= high, f"GIR {s.gir} : dans la plage GIR {low} à {high}.",
                f"GIR {s.gir} : l'aide est réservée aux GIR {low} à {high}.")  # fmt: skip
    if c.get("regimes"):
        names = ", ".join(REGIME_LABELS.get(r, r) for r in c["regimes"])
        label = REGIME_LABELS.get(s.regime, s.regime) if s.regime else "Régime inconnu"
        add(s.regime in c["regimes"], f"{label} : régime couvert par l'aide.",
            f"{label} : l'aide est réservée à : {names}.")  # fmt: skip
    if "revenu_max" in c:
        ceiling = _dec(c["revenu_max"])
        if s.monthly_income is None:
            add(False, "", "Ressources inconnues : le plafond de ressources ne peut être vérifié.")
        else:
            add(s.monthly_income <= ceiling,
                f"Ressources {euros(s.monthly_income)} par mois : sous le plafond de "
                f"{euros(ceiling)}.",
                f"Ressources {euros(s.monthly_income)} par mois : au-dessus du plafond de "
                f"{euros(ceiling)}.")  # fmt: skip
    if "qf_max" in c:
        ceiling = _dec(c["qf_max"])
        if s.disabled_child and "qf_max_handicap" in c:
            ceiling = _dec(c["qf_max_handicap"])
        strict = bool(c.get("qf_strict"))
        word = "inférieur à" if strict else "au plus"
        if s.family_quotient is None:
            add(False, "", "Quotient familial inconnu : le plafond ne peut être vérifié.")
        else:
            qf = s.family_quotient
            ok = qf < ceiling if strict else qf <= ceiling
            label = f"Quotient familial {euros(qf)}"
            add(ok, f"{label} : {word} {euros(ceiling)}, condition remplie.",
                f"{label} : il doit être {word} {euros(ceiling)}.")  # fmt: skip
    if c.get("evenements"):
        names = ", ".join(EVENT_LABELS.get(e, e).lower() for e in c["evenements"])
        months = c.get("evenement_mois")
        if s.event not in c["evenements"] or s.event_on is None:
            add(False, "", f"Aucun événement ouvrant droit ({names}).")
        elif s.event_on > s.on:
            add(False, "", "La date de l'événement est postérieure à la demande.")
        elif months is not None and add_months(s.event_on, months) < s.on:
            add(False, "",
                f"{EVENT_LABELS.get(s.event, s.event)} le {format_fr(s.event_on)} : plus de "
                f"{months} mois avant la demande.")  # fmt: skip
        else:
            within = f", dans les {months} mois" if months is not None else ""
            add(True, f"{EVENT_LABELS.get(s.event, s.event)} le {format_fr(s.event_on)}{within}.",
                "")  # fmt: skip
    if c.get("canal") == "TRAVAILLEUR_SOCIAL":
        add(s.channel == "TRAVAILLEUR_SOCIAL", "Demande présentée par un travailleur social.",
            "Cette aide n'est accordée que sur demande d'un travailleur social.")  # fmt: skip
    if c.get("frequence_mois"):
        months = c["frequence_mois"]
        if s.last_granted_on is None:
            add(True, f"Aucune aide identique accordée dans les {months} derniers mois.", "")
        else:
            next_on = add_months(s.last_granted_on, months)
            add(next_on <= s.on, f"Dernière aide identique le {format_fr(s.last_granted_on)}, "
                f"il y a plus de {months} mois.",
                f"Aide identique déjà accordée le {format_fr(s.last_granted_on)} : au plus une "
                f"fois par {months} mois, pas avant le {format_fr(next_on)}.")  # fmt: skip
    if c.get("sans_autre_plan"):
        add(not s.other_plan_in_progress, "Aucun autre plan d'aide en cours.",
            "Un autre plan d'aide est en cours : les deux ne se cumulent pas.")  # fmt: skip
    if c.get("enfants_min"):
        n = c["enfants_min"]
        label = f"{s.children} enfant(s) à charge"
        add(s.children >= n, f"{label} : au moins {n}.",
            f"{label} : l'aide demande au moins {n} enfant(s).")  # fmt: skip
    return reasons


def _matches(case: dict[str, Any], s: Situation) -> bool:
    if "grande_precarite" in case and bool(case["grande_precarite"]) != s.severe_poverty:
        return False
    if "enfants_min" in case and s.children < case["enfants_min"]:
        return False
    if "enfants_max" in case and s.children > case["enfants_max"]:
        return False
    return not ("naissances" in case and s.births != case["naissances"])


def _bracket(
    brackets: list[dict[str, Any]], value: Decimal, key: str
) -> tuple[Decimal, dict[str, Any]]:
    for b in brackets:
        if b.get("max") is None or value <= _dec(b["max"]):
            return _dec(b[key]), b
    return Decimal(0), {}


def _amount(rule: dict[str, Any], s: Situation) -> tuple[Decimal | None, str, Decimal | None]:
    """(amount or None if it cannot be computed, explanation, minimum monthly repayment)."""
    kind = rule.get("type")
    minimum = _dec(rule["mensualite_min"]) if rule.get("mensualite_min") else None
    for case in rule.get("majorations", []):
        if _matches(case.get("si", {}), s):
            amount = _dec(case["montant"])
            if case.get("mensualite_min"):
                minimum = _dec(case["mensualite_min"])
            why = case.get("libelle", "cas prévu par le règlement")
            return amount, f"Montant majoré : {euros(amount)} ({why}).", minimum
    if kind == "fixe":
        amount = _dec(rule["montant"])
        return amount, f"Montant forfaitaire : {euros(amount)}.", minimum
    if kind == "pourcentage":
        if s.cost is None:
            return (
                None,
                "Coût inconnu : le montant (pourcentage du coût) ne peut être calculé.",
                minimum,
            )
        rate, cap = _dec(rule["taux"]), rule.get("plafond")
        raw = (s.cost * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        if cap is not None and raw > _dec(cap):
            return _dec(cap), (f"{rate.normalize():f} % de {euros(s.cost)} = {euros(raw)}, "
                               f"plafonné à {euros(_dec(cap))}."), minimum  # fmt: skip
        return raw, f"{rate.normalize():f} % de {euros(s.cost)} = {euros(raw)}.", minimum
    if kind == "tranches":
        base = rule.get("base", "revenu")
        value = s.family_quotient if base == "qf" else s.monthly_income
        label = "quotient familial" if base == "qf" else "ressources mensuelles"
        if value is None:
            unknown = "Quotient familial inconnu" if base == "qf" else "Ressources inconnues"
            return None, f"{unknown} : le barème ne peut être appliqué.", minimum
        amount, bracket = _bracket(rule["tranches"], value, "montant")
        upper = f"jusqu'à {euros(_dec(bracket['max']))}" if bracket.get("max") else "au-delà"
        return (
            amount,
            f"Barème ({label} {euros(value)}, tranche {upper}) : {euros(amount)}.",
            minimum,
        )
    if kind == "heures":
        if s.hours is None or s.monthly_income is None:
            return (
                None,
                "Heures ou ressources inconnues : le montant ne peut être calculé.",
                minimum,
            )
        hours = s.hours
        if rule.get("heures_max") is not None and hours > _dec(rule["heures_max"]):
            hours = _dec(rule["heures_max"])
        rate = _dec(rule["taux_horaire"])
        cost = (hours * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        share, _ = _bracket(rule.get("participation", []), s.monthly_income, "taux")
        participation = (cost * share / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        amount = cost - participation
        return (
            amount,
            (
                f"{hours.normalize():f} h × {euros(rate)} = {euros(cost)}, moins la "
                f"participation de {share.normalize():f} % ({euros(participation)}) : "
                f"{euros(amount)}."
            ),
            minimum,
        )
    return None, f"Règle de montant inconnue ({kind!r}).", minimum


def evaluate(
    conditions: dict[str, Any], amount_rule: dict[str, Any], situation: Situation
) -> AidOutcome:
    """Eligibility and amount, with the French reason of each yes and each no."""
    reasons = _check_conditions(conditions or {}, situation)
    amount, explanation, minimum = _amount(amount_rule or {}, situation)
    reasons.append(Reason(amount is not None, explanation))
    eligible = all(r.ok for r in reasons) and amount is not None and amount > 0
    if amount is not None and amount <= 0 and all(r.ok for r in reasons):
        reasons.append(Reason(False, "Le montant calculé est nul : aucune aide à verser."))
    return AidOutcome(
        eligible=eligible,
        amount=amount.quantize(CENT) if eligible and amount is not None else Decimal("0.00"),
        reasons=tuple(reasons),
        monthly_minimum=minimum if eligible else None,
    )


def version_overlap(
    new: tuple[date, date | None], others: list[tuple[date, date | None]]
) -> tuple[date, date | None] | None:
    """The first existing version whose dates overlap ``new`` (end inclusive, None = open)."""
    start, end = new
    if end is not None and end < start:
        raise ValueError("La fin de validité précède le début.")
    for other in others:
        o_start, o_end = other
        if (end is None or o_start <= end) and (o_end is None or start <= o_end):
            return other
    return None


def _is_decimal(value: object) -> bool:
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return value is not None and Decimal(str(value)).is_finite()


def conditions_errors(conditions: dict[str, Any]) -> list[str]:
    """French messages for an invalid conditions dictionary (empty list when valid)."""
    if not isinstance(conditions, dict):
        return ["Les conditions doivent être un objet JSON."]
    errors = [f"Condition inconnue : « {k} »." for k in conditions if k not in CONDITION_KEYS]
    for key in ("age_min", "age_max", "gir_min", "gir_max", "evenement_mois", "frequence_mois",
                "enfants_min"):  # fmt: skip
        if key in conditions and (
            not isinstance(conditions[key], int) or isinstance(conditions[key], bool)
            or conditions[key] < 0
        ):  # fmt: skip
            errors.append(f"« {key} » doit être un nombre entier positif.")
    for key in ("revenu_max", "qf_max", "qf_max_handicap"):
        if key in conditions and not _is_decimal(conditions[key]):
            errors.append(f"« {key} » doit être un montant en euros.")
    for key in ("gir_min", "gir_max"):
        if isinstance(conditions.get(key), int) and not 1 <= conditions[key] <= 6:
            errors.append(f"« {key} » doit être compris entre 1 et 6.")
    return errors


def amount_rule_errors(rule: dict[str, Any]) -> list[str]:
    """French messages for an invalid amount rule (empty list when valid)."""
    if not isinstance(rule, dict):
        return ["La règle de montant doit être un objet JSON."]
    kind = rule.get("type")
    if kind not in AMOUNT_TYPES:
        return [f"Type de montant inconnu : « {kind} » (attendu : {', '.join(AMOUNT_TYPES)})."]
    required = {
        "fixe": ["montant"],
        "pourcentage": ["taux"],
        "tranches": ["tranches"],
        "heures": ["taux_horaire"],
    }[kind]
    errors = [f"« {k} » est obligatoire pour un montant de type {kind}." for k in required
              if k not in rule]  # fmt: skip
    for key in ("montant", "taux", "plafond", "taux_horaire", "heures_max", "mensualite_min"):
        if key in rule and rule[key] is not None and not _is_decimal(rule[key]):
            errors.append(f"« {key} » doit être un nombre décimal.")
    for list_key, value_key in (("tranches", "montant"), ("participation", "taux")):
        brackets = rule.get(list_key)
        if brackets is None:
            continue
        if not isinstance(brackets, list) or not brackets:
            errors.append(f"« {list_key} » doit être une liste non vide.")
            continue
        previous = None
        for i, b in enumerate(brackets, 1):
            if not isinstance(b, dict) or not _is_decimal(b.get(value_key)):
                errors.append(f"{list_key} n°{i} : « {value_key} » doit être un nombre décimal.")
                continue
            top = b.get("max")
            if top is not None:
                if not _is_decimal(top):
                    errors.append(f"{list_key} n°{i} : « max » doit être un montant.")
                elif previous is not None and Decimal(str(top)) <= previous:
                    errors.append(f"{list_key} n°{i} : les plafonds doivent être croissants.")
                else:
                    previous = Decimal(str(top))
            elif i != len(brackets):
                errors.append(
                    f"{list_key} n°{i} : seule la dernière tranche peut être sans plafond."
                )
    for i, case in enumerate(rule.get("majorations", []), 1):
        if not isinstance(case, dict) or not _is_decimal(case.get("montant")):
            errors.append(f"majoration n°{i} : « montant » doit être un nombre décimal.")
    return errors
