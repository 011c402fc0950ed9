"""Validation du lot d'historique : chaque ligne, chaque colonne, et les liens entre fichiers
(un entretien renvoie à un accompagnement valide, de ce lot ou d'un import précédent…).

Chaque fichier a sa fonction de contrôle (``check_<fichier>``), qui renvoie la ligne mise en
forme ; une ligne fautive est rejetée avec toutes ses erreurs (fichier, ligne, colonne, motif).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.db.models import Choices

from parcours.core.nomenclatures import (
    Action,
    Canal,
    Emetteur,
    Fonction,
    Issue,
    Mode,
    Origine,
    Problematique,
    Programme,
    Risque,
    Secteur,
    Sexe,
    StatutOffre,
    TypeCollectif,
)
from parcours.rules import nir as nir_rules
from parcours.steering.history.reading import COLUMNS, Problem, Report, Row

T = TypeVar("T")

#: Une ligne valide, mise en forme (clés en français, valeurs Python).
Valid = dict[str, Any]

PDP_ONLY = frozenset(
    {"MAINTIEN_EMPLOI", "LICENCIEMENT_INAPTITUDE", "INVALIDITE_RETRAITE", "PARCOURS_SOINS"}
)

_CODES: dict[type[Choices], frozenset[str]] = {}


def _codes(choices: type[Choices]) -> frozenset[str]:
    """Les codes d'une nomenclature (calculés une fois : ``Choices.values`` coûte cher)."""
    if choices not in _CODES:
        _CODES[choices] = frozenset(choices.values)
    return _CODES[choices]


class Checker:
    """Valide une ligne : chaque contrôle note son erreur ; la ligne est rejetée s'il y en a."""

    def __init__(self, name: str, row: Row, report: Report) -> None:
        self.name, self.row, self.report = name, row, report
        self.failed = False

    def fail(self, column: str, reason: str) -> None:
        self.report.errors.append(Problem(self.name, self.row["_ligne"], column, reason))
        self.failed = True

    def text(self, column: str, required: bool = False, max_length: int = 100) -> str:
        value = self.row.get(column, "")
        if required and not value:
            self.fail(column, "valeur obligatoire manquante")
        elif len(value) > max_length:
            self.fail(column, f"plus de {max_length} caractères")
        return value

    def code(self, column: str, choices: type[Choices], required: bool = False) -> str:
        value = self.text(column, required)
        if value and value not in _codes(choices):
            self.fail(column, f"« {value} » n'est pas un code connu")
            return ""
        return value

    def codes(self, column: str, choices: type[Choices]) -> list[str]:
        value = self.row.get(column, "")
        result = []
        known = _codes(choices)
        for item in filter(None, (v.strip() for v in value.split("|"))):
            if item not in known:
                self.fail(column, f"« {item} » n'est pas un code connu")
            else:
                result.append(item)
        return result

    def day(self, column: str, required: bool = False) -> date | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            if len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, f"« {value} » n'est pas une date AAAA-MM-JJ")
            return None

    def departement(self, column: str, known: set[str], required: bool = True) -> str:
        value = self.text(column, required)
        if value and value not in known:
            self.fail(column, f"« {value} » n'est pas un code de département INSEE")
            return ""
        return value

    def ref(
        self, column: str, known: Mapping[str, T], what: str, required: bool = True
    ) -> T | None:
        value = self.text(column, required, max_length=64)
        if value and value not in known:
            self.fail(column, f"{what} « {value} » inconnu (absent ou rejeté)")
            return None
        return known.get(value) if value else None

    def boolean(self, column: str) -> bool | None:
        value = self.text(column, True)
        if value and value not in ("0", "1"):
            self.fail(column, f"« {value} » n'est pas 1 ou 0")
        return value == "1"


@dataclass
class Context:
    """Le référentiel et ce qui a déjà été importé pour l'organisme."""

    departements: set[str]
    communes: set[str]
    known: dict[str, dict]  # type -> identifiant d'origine -> identifiant (déjà importé)


@dataclass
class Links:
    """Ce qu'une ligne peut référencer : les lignes valides des fichiers déjà lus, et celles
    des imports précédents ; plus les doublons vus dans les fichiers sans identifiant."""

    departements: set[str]
    communes: set[str]
    agents: dict[str, str]
    people: dict[str, str]
    cases: dict[str, tuple[date, date | None]]  # accompagnement -> (ouverture, clôture)
    actions: dict[str, str]
    sessions: dict[str, str]
    attendances: set[str] = field(default_factory=set)
    occurrences: dict[tuple[str, ...], int] = field(default_factory=dict)

    @classmethod
    def of(cls, ctx: Context) -> Links:
        known = ctx.known
        return cls(
            departements=ctx.departements,
            communes=ctx.communes,
            agents={k: k for k in known["agent"]},
            people={k: k for k in known["beneficiaire"]},
            cases=dict(known["accompagnement_dates"]),
            actions={k: k for k in known["action_collective"]},
            sessions={k: k for k in known["seance"]},
        )

    def learn(self, name: str, valid: dict[str, Valid]) -> None:
        """Les lignes valides de ``name`` deviennent référençables par les fichiers suivants."""
        if name == "agents.csv":
            self.agents.update({k: k for k in valid})
        elif name == "beneficiaires.csv":
            self.people.update({k: k for k in valid})
        elif name == "accompagnements.csv":
            self.cases.update({k: (v["debut"], v["fin"]) for k, v in valid.items()})
        elif name == "actions_collectives.csv":
            self.actions.update({k: k for k in valid})
        elif name == "seances.csv":
            self.sessions.update({k: k for k in valid})


# ---------------------------------------------------------------- un contrôle par fichier


def check_agent(c: Checker, r: Row, links: Links) -> Valid:
    fte = None
    if r.get("etp"):
        try:
            fte = Decimal(r["etp"].replace(",", "."))
            if not Decimal(0) < fte <= Decimal("1.5"):
                c.fail("etp", f"« {r['etp']} » : ETP attendu entre 0 et 1,5")
        except InvalidOperation:
            c.fail("etp", f"« {r['etp']} » n'est pas un nombre")
    return {
        "nom": c.text("nom"),
        "prenom": c.text("prenom"),
        "fonction": c.code("fonction", Fonction, True),
        "departement": c.departement("departement", links.departements),
        "etp": fte if fte is not None else Decimal(1),
    }


def check_person(c: Checker, r: Row, links: Links) -> Valid:
    nir = r.get("nir", "")
    if nir:
        try:
            nir = nir_rules.validate(nir)
        except nir_rules.NirError as error:
            c.fail("nir", f"« {r['nir']} » : {error}")
    commune = r.get("commune_insee", "")
    if commune and commune not in links.communes:
        c.fail("commune_insee", f"« {commune} » n'est pas un code de commune INSEE")
    return {
        "nir": nir,
        "nom": c.text("nom"),
        "prenom": c.text("prenom", max_length=150),
        "sexe": c.code("sexe", Sexe, True),
        "date_naissance": c.day("date_naissance", True),
        "commune": commune or None,
        "departement": c.departement("departement", links.departements),
    }


def check_case(c: Checker, r: Row, links: Links) -> Valid:
    start, end = c.day("date_debut", True), c.day("date_fin")
    outcome = c.code("issue", Issue)
    if bool(r.get("date_fin")) != bool(r.get("issue")):
        c.fail("issue", "date_fin et issue sont toutes deux vides ou toutes deux remplies")
    if start and end and end < start:
        c.fail("date_fin", f"« {end.isoformat()} » précède date_debut")
    programme = c.code("programme", Programme, True)
    if outcome in PDP_ONLY and programme and programme != Programme.PDP:
        c.fail("issue", f"« {outcome} » est une issue du seul programme PDP")
    return {
        "beneficiaire": c.ref("beneficiaire_id", links.people, "bénéficiaire"),
        "programme": programme,
        "origine": c.code("origine", Origine, True),
        "departement": c.departement("departement", links.departements),
        "referent": c.ref("referent_id", links.agents, "agent", required=False),
        "debut": start,
        "fin": end,
        "issue": outcome,
        "risque": c.code("risque", Risque),
        "secteur": c.code("secteur", Secteur),
    }


def check_contact(c: Checker, r: Row, links: Links) -> Valid:
    on = c.day("date", True)
    dates = c.ref("accompagnement_id", links.cases, "accompagnement")
    if on and dates:
        start, end = dates
        if on < start:
            c.fail("date", f"« {on.isoformat()} » précède l'ouverture de l'accompagnement")
        elif end and on > end:
            c.fail("date", f"« {on.isoformat()} » suit la clôture de l'accompagnement")
    minutes = r.get("duree_minutes", "")
    if minutes and not (minutes.isdigit() and int(minutes) <= 1440):
        c.fail("duree_minutes", f"« {minutes} » n'est pas une durée en minutes")
    return {
        "accompagnement": r.get("accompagnement_id"),
        "date": on,
        "mode": c.code("mode", Mode, True),
        "agent": c.ref("agent_id", links.agents, "agent", required=False),
        "duree": int(minutes) if minutes.isdigit() else None,
        "actions": c.codes("actions", Action),
        "problematiques": c.codes("problematiques", Problematique),
    }


def check_group_action(c: Checker, r: Row, links: Links) -> Valid:
    return {
        "type": c.code("type", TypeCollectif, True),
        "programme": c.code("programme", Programme, True),
        "departement": c.departement("departement", links.departements),
        "intitule": c.text("intitule", max_length=200),
    }


def check_session(c: Checker, r: Row, links: Links) -> Valid:
    return {
        "action": c.ref("action_id", links.actions, "action"),
        "date": c.day("date", True),
        "lieu": c.text("lieu", max_length=200),
    }


def check_attendance(c: Checker, r: Row, links: Links) -> Valid:
    key = source_key(r.get("seance_id", ""), r.get("beneficiaire_id", ""))
    if key in links.attendances:
        c.fail("beneficiaire_id", "participation en double pour cette séance")
    links.attendances.add(key)
    return {
        "key": key,
        "seance": c.ref("seance_id", links.sessions, "séance"),
        "beneficiaire": c.ref("beneficiaire_id", links.people, "bénéficiaire"),
        "present": c.boolean("present"),
    }


def check_referral(c: Checker, r: Row, links: Links) -> Valid:
    return {
        "beneficiaire": c.ref("beneficiaire_id", links.people, "bénéficiaire"),
        "date": c.day("date", True),
        "emetteur": c.code("emetteur", Emetteur, True),
        "programme": c.code("programme", Programme),
        "departement": c.departement("departement", links.departements, required=False),
    }


def check_offer(c: Checker, r: Row, links: Links) -> Valid:
    return {
        "beneficiaire": c.ref("beneficiaire_id", links.people, "bénéficiaire"),
        "date": c.day("date_envoi", True),
        "canal": c.code("canal", Canal, True),
        "statut": c.code("statut", StatutOffre, True),
        "programme": c.code("programme", Programme),
        "departement": c.departement("departement", links.departements, required=False),
    }


def check_front_line(c: Checker, r: Row, links: Links) -> Valid:
    content = tuple(r.get(k, "") for k in ("date", "departement", "agent_id", "beneficiaire_id"))
    content += (r.get("motif", ""),)
    links.occurrences[content] = links.occurrences.get(content, 0) + 1
    return {
        "key": source_key(*content, str(links.occurrences[content])),
        "date": c.day("date", True),
        "departement": c.departement("departement", links.departements),
        "agent": c.ref("agent_id", links.agents, "agent", required=False),
        "beneficiaire": c.ref("beneficiaire_id", links.people, "bénéficiaire", required=False),
        "motif": c.text("motif", max_length=300),
    }


Check = Callable[[Checker, Row, Links], Valid]

#: Les fichiers dans l'ordre de leurs liens ; ``True`` : sans identifiant d'origine, la ligne a
#: pour clé celle tirée de son contenu (``key``).
STEPS: tuple[tuple[str, Check, bool], ...] = (
    ("agents.csv", check_agent, False),
    ("beneficiaires.csv", check_person, False),
    ("accompagnements.csv", check_case, False),
    ("entretiens.csv", check_contact, False),
    ("actions_collectives.csv", check_group_action, False),
    ("seances.csv", check_session, False),
    ("participations.csv", check_attendance, True),
    ("signalements.csv", check_referral, False),
    ("offres.csv", check_offer, False),
    ("contacts_accueil.csv", check_front_line, True),
)


# ---------------------------------------------------------------- le lot


def _unique_ids(name: str, rows: list[Row], report: Report) -> list[Row]:
    seen, kept = set(), []
    for row in rows:
        key = row.get("id", "")
        if key and key in seen:
            report.errors.append(
                Problem(
                    name, row["_ligne"], "id", f"identifiant « {key} » en double dans le fichier"
                )
            )
            continue
        seen.add(key)
        kept.append(row)
    return kept


def _validate(
    name: str, rows: list[Row], report: Report, check: Check, links: Links
) -> dict[str, Valid]:
    valid = {}
    has_id = "id" in COLUMNS[name][0]
    for row in _unique_ids(name, rows, report) if has_id else rows:
        c = Checker(name, row, report)
        if has_id:
            c.text("id", required=True, max_length=64)
        value = check(c, row, links)
        if not c.failed:
            valid[row.get("id") or str(row["_ligne"])] = value
    report.valid[name] = len(valid)
    return valid


def validate(bundle: dict[str, list[Row]], ctx: Context, report: Report) -> dict[str, dict]:
    """Les lignes valides de chaque fichier, par identifiant d'origine, liens suivis."""
    links = Links.of(ctx)
    out: dict[str, dict[str, Valid]] = {}
    for name, check, keyed_by_content in STEPS:
        valid = _validate(name, bundle.get(name, []), report, check, links)
        out[name] = {v["key"]: v for v in valid.values()} if keyed_by_content else valid
        links.learn(name, out[name])
    return out


def source_key(*parts: str) -> str:
    """La référence externe d'une ligne sans identifiant : ses valeurs, ou leur empreinte si
    elles dépassent 64 caractères."""
    key = "|".join(parts)
    return key if len(key) <= 64 else hashlib.sha256(key.encode()).hexdigest()
