"""Import de l'historique d'activité (formats.md §2) : valider chaque ligne, puis écrire.

Étapes : lire le dossier ou le ``.zip`` ; vérifier les en-têtes ; valider chaque ligne (fichier,
ligne, colonne, motif en français) en suivant les liens entre fichiers ; puis, hors essai, écrire
en masse (``bulk_create``) les lignes valides qui n'ont pas déjà été importées (les identifiants
d'origine sont gardés dans :class:`ExternalRef` : un second import ne change rien).

Tous les fichiers sont importés : agents, bénéficiaires, accompagnements et entretiens, puis
actions collectives, séances et participations (``groups``), signalements, offres et contacts
d'accueil (``outreach``). Les lignes sans identifiant d'origine (participations, contacts
d'accueil) ont pour référence externe une clé tirée de leur contenu : un second import du même
lot ne change rien.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from parcours.core import audit
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

COLUMNS = {
    "agents.csv": (["id", "fonction", "departement"], ["nom", "prenom", "etp"]),
    "beneficiaires.csv": (
        ["id", "sexe", "date_naissance", "departement"],
        ["nir", "nom", "prenom", "commune_insee"],
    ),
    "accompagnements.csv": (
        ["id", "beneficiaire_id", "programme", "origine", "departement", "date_debut"],
        ["referent_id", "date_fin", "issue", "risque", "secteur"],
    ),
    "entretiens.csv": (
        ["id", "accompagnement_id", "date", "mode"],
        ["agent_id", "duree_minutes", "actions", "problematiques"],
    ),
    "actions_collectives.csv": (["id", "type", "programme", "departement"], ["intitule"]),
    "seances.csv": (["id", "action_id", "date"], ["lieu"]),
    "participations.csv": (["seance_id", "beneficiaire_id", "present"], []),
    "signalements.csv": (
        ["id", "beneficiaire_id", "date", "emetteur"],
        ["programme", "departement"],
    ),
    "offres.csv": (
        ["id", "beneficiaire_id", "date_envoi", "canal", "statut"],
        ["programme", "departement"],
    ),
    "contacts_accueil.csv": (["date", "departement"], ["agent_id", "beneficiaire_id", "motif"]),
}
IMPORTED = tuple(COLUMNS)


class BundleError(Exception):
    """Le lot ne peut pas être lu (dossier absent, zip illisible, beneficiaires.csv manquant)."""


@dataclass
class Problem:
    file: str
    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne {self.column}")
        return f"{', '.join(where)} : {self.reason}"


@dataclass
class Report:
    dry_run: bool
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    valid: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        for name in COLUMNS:
            if name not in self.read:
                continue
            text = (
                f"{name} : {self.read[name]} lignes lues, {self.valid.get(name, 0)} valides, "
                f"{self.read[name] - self.valid.get(name, 0)} rejetées"
            )
            if name in IMPORTED:
                verb = "à créer" if self.dry_run else "créées"
                text += (
                    f", {self.created.get(name, 0)} {verb}, "
                    f"{self.already.get(name, 0)} déjà importées"
                )
            out.append(text)
        return out


# ---------------------------------------------------------------- lecture du lot


def read_bundle(path: str | Path) -> dict[str, bytes]:
    """Les fichiers connus du lot : nom -> lignes (dictionnaires, avec ``_ligne``)."""
    path = Path(path)
    raw: dict[str, bytes] = {}
    if path.is_dir():
        for name in COLUMNS:
            if (path / name).is_file():
                raw[name] = (path / name).read_bytes()
    elif path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if name in COLUMNS:
                    raw[name] = archive.read(info)
    elif path.exists():
        raise BundleError(f"« {path} » n'est ni un dossier ni une archive .zip.")
    else:
        raise BundleError(f"« {path} » est introuvable.")
    if "beneficiaires.csv" not in raw:
        raise BundleError("Le lot doit contenir beneficiaires.csv.")
    return raw


def parse(name: str, content: bytes, report: Report) -> list[dict] | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(Problem(name, None, "", "le fichier n'est pas encodé en UTF-8"))
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    headers = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    required, optional = COLUMNS[name]
    missing = [c for c in required if c not in headers]
    if missing:
        report.errors.append(
            Problem(name, 1, "", "colonnes obligatoires absentes : " + ", ".join(missing))
        )
        return None
    extra = [h for h in headers if h not in required and h not in optional]
    if extra:
        report.warnings.append(f"{name} : colonnes inconnues ignorées : {', '.join(extra)}")
    rows = []
    for row in reader:
        row = {k: (v or "").strip() for k, v in row.items() if k is not None}
        row["_ligne"] = reader.line_num
        rows.append(row)
    report.read[name] = len(rows)
    return rows


# ---------------------------------------------------------------- validation


_CODES: dict = {}


def _codes(choices) -> frozenset:
    """Les codes d'une nomenclature (calculés une fois : ``Choices.values`` coûte cher)."""
    if choices not in _CODES:
        _CODES[choices] = frozenset(choices.values)
    return _CODES[choices]


class Checker:
    """Valide une ligne : chaque contrôle note son erreur ; la ligne est rejetée s'il y en a."""

    def __init__(self, name: str, row: dict, report: Report):
        self.name, self.row, self.report = name, row, report
        self.failed = False

    def fail(self, column: str, reason: str):
        self.report.errors.append(Problem(self.name, self.row["_ligne"], column, reason))
        self.failed = True

    def text(self, column: str, required: bool = False, max_length: int = 100) -> str:
        value = self.row.get(column, "")
        if required and not value:
            self.fail(column, "valeur obligatoire manquante")
        elif len(value) > max_length:
            self.fail(column, f"plus de {max_length} caractères")
        return value

    def code(self, column: str, choices, required: bool = False) -> str:
        value = self.text(column, required)
        if value and value not in _codes(choices):
            self.fail(column, f"« {value} » n'est pas un code connu")
            return ""
        return value

    def codes(self, column: str, choices) -> list[str]:
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

    def ref(self, column: str, known, what: str, required: bool = True):
        value = self.text(column, required, max_length=64)
        if value and value not in known:
            self.fail(column, f"{what} « {value} » inconnu (absent ou rejeté)")
            return None
        return known.get(value) if value and isinstance(known, dict) else value or None

    def boolean(self, column: str) -> bool | None:
        value = self.text(column, True)
        if value and value not in ("0", "1"):
            self.fail(column, f"« {value} » n'est pas 1 ou 0")
        return value == "1"


@dataclass
class Context:
    departements: set[str]
    communes: set[str]
    known: dict[str, dict]  # kind -> source_id -> object id (already imported)


def _unique_ids(name: str, rows: list[dict], report: Report) -> list[dict]:
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


def _validate(name: str, rows: list[dict], report: Report, check: Callable) -> dict:
    valid = {}
    for row in _unique_ids(name, rows, report) if "id" in COLUMNS[name][0] else rows:
        c = Checker(name, row, report)
        if "id" in COLUMNS[name][0]:
            c.text("id", required=True, max_length=64)
        value = check(c, row)
        if not c.failed:
            valid[row.get("id") or str(row["_ligne"])] = value
    report.valid[name] = len(valid)
    return valid


def validate(bundle: dict[str, list[dict]], ctx: Context, report: Report) -> dict[str, dict]:
    """Les lignes valides de chaque fichier, par identifiant d'origine, liens suivis."""
    deps = ctx.departements
    out: dict[str, dict] = {}

    def agent(c, r):
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
            "departement": c.departement("departement", deps),
            "etp": fte if fte is not None else Decimal(1),
        }

    out["agents.csv"] = _validate("agents.csv", bundle.get("agents.csv", []), report, agent)
    agents = {**{k: k for k in ctx.known["agent"]}, **{k: k for k in out["agents.csv"]}}

    def person(c, r):
        nir = r.get("nir", "")
        if nir:
            try:
                nir = nir_rules.validate(nir)
            except nir_rules.NirError as error:
                c.fail("nir", f"« {r['nir']} » : {error}")
        commune = r.get("commune_insee", "")
        if commune and commune not in ctx.communes:
            c.fail("commune_insee", f"« {commune} » n'est pas un code de commune INSEE")
        return {
            "nir": nir,
            "nom": c.text("nom"),
            "prenom": c.text("prenom", max_length=150),
            "sexe": c.code("sexe", Sexe, True),
            "date_naissance": c.day("date_naissance", True),
            "commune": commune or None,
            "departement": c.departement("departement", deps),
        }

    out["beneficiaires.csv"] = _validate(
        "beneficiaires.csv", bundle.get("beneficiaires.csv", []), report, person
    )
    people = {
        **{k: k for k in ctx.known["beneficiaire"]},
        **{k: k for k in out["beneficiaires.csv"]},
    }

    def case(c, r):
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
            "beneficiaire": c.ref("beneficiaire_id", people, "bénéficiaire"),
            "programme": programme,
            "origine": c.code("origine", Origine, True),
            "departement": c.departement("departement", deps),
            "referent": c.ref("referent_id", agents, "agent", required=False),
            "debut": start,
            "fin": end,
            "issue": outcome,
            "risque": c.code("risque", Risque),
            "secteur": c.code("secteur", Secteur),
        }

    out["accompagnements.csv"] = _validate(
        "accompagnements.csv", bundle.get("accompagnements.csv", []), report, case
    )
    cases = {
        **ctx.known["accompagnement_dates"],
        **{k: (v["debut"], v["fin"]) for k, v in out["accompagnements.csv"].items()},
    }

    def contact(c, r):
        on = c.day("date", True)
        case_id = c.ref("accompagnement_id", cases, "accompagnement")
        if on and case_id:
            start, end = cases[r["accompagnement_id"]]
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
            "agent": c.ref("agent_id", agents, "agent", required=False),
            "duree": int(minutes) if minutes.isdigit() else None,
            "actions": c.codes("actions", Action),
            "problematiques": c.codes("problematiques", Problematique),
        }

    out["entretiens.csv"] = _validate(
        "entretiens.csv", bundle.get("entretiens.csv", []), report, contact
    )

    def group_action(c, r):
        return {
            "type": c.code("type", TypeCollectif, True),
            "programme": c.code("programme", Programme, True),
            "departement": c.departement("departement", deps),
            "intitule": c.text("intitule", max_length=200),
        }

    out["actions_collectives.csv"] = _validate(
        "actions_collectives.csv", bundle.get("actions_collectives.csv", []), report, group_action
    )
    actions = {
        **{k: k for k in ctx.known["action_collective"]},
        **{k: k for k in out["actions_collectives.csv"]},
    }

    def session(c, r):
        return {
            "action": c.ref("action_id", actions, "action"),
            "date": c.day("date", True),
            "lieu": c.text("lieu", max_length=200),
        }

    out["seances.csv"] = _validate("seances.csv", bundle.get("seances.csv", []), report, session)
    sessions = {**{k: k for k in ctx.known["seance"]}, **{k: k for k in out["seances.csv"]}}
    seen_attendances: set = set()

    def attendance(c, r):
        key = _source_key(r.get("seance_id", ""), r.get("beneficiaire_id", ""))
        if key in seen_attendances:
            c.fail("beneficiaire_id", "participation en double pour cette séance")
        seen_attendances.add(key)
        return {
            "key": key,
            "seance": c.ref("seance_id", sessions, "séance"),
            "beneficiaire": c.ref("beneficiaire_id", people, "bénéficiaire"),
            "present": c.boolean("present"),
        }

    out["participations.csv"] = _rekey(
        _validate("participations.csv", bundle.get("participations.csv", []), report, attendance)
    )

    def referral(c, r):
        return {
            "beneficiaire": c.ref("beneficiaire_id", people, "bénéficiaire"),
            "date": c.day("date", True),
            "emetteur": c.code("emetteur", Emetteur, True),
            "programme": c.code("programme", Programme),
            "departement": c.departement("departement", deps, required=False),
        }

    out["signalements.csv"] = _validate(
        "signalements.csv", bundle.get("signalements.csv", []), report, referral
    )

    def offer(c, r):
        return {
            "beneficiaire": c.ref("beneficiaire_id", people, "bénéficiaire"),
            "date": c.day("date_envoi", True),
            "canal": c.code("canal", Canal, True),
            "statut": c.code("statut", StatutOffre, True),
            "programme": c.code("programme", Programme),
            "departement": c.departement("departement", deps, required=False),
        }

    out["offres.csv"] = _validate("offres.csv", bundle.get("offres.csv", []), report, offer)
    occurrences: dict = {}

    def front_line(c, r):
        content = tuple(
            r.get(k, "") for k in ("date", "departement", "agent_id", "beneficiaire_id")
        )
        content += (r.get("motif", ""),)
        occurrences[content] = occurrences.get(content, 0) + 1
        return {
            "key": _source_key(*content, str(occurrences[content])),
            "date": c.day("date", True),
            "departement": c.departement("departement", deps),
            "agent": c.ref("agent_id", agents, "agent", required=False),
            "beneficiaire": c.ref("beneficiaire_id", people, "bénéficiaire", required=False),
            "motif": c.text("motif", max_length=300),
        }

    out["contacts_accueil.csv"] = _rekey(
        _validate(
            "contacts_accueil.csv", bundle.get("contacts_accueil.csv", []), report, front_line
        )
    )
    return out


def _source_key(*parts: str) -> str:
    """La référence externe d'une ligne sans identifiant : ses valeurs, ou leur empreinte si
    elles dépassent 64 caractères."""
    key = "|".join(parts)
    return key if len(key) <= 64 else hashlib.sha256(key.encode()).hexdigest()


def _rekey(rows: dict) -> dict:
    return {row["key"]: row for row in rows.values()}


PDP_ONLY = frozenset(
    {"MAINTIEN_EMPLOI", "LICENCIEMENT_INAPTITUDE", "INVALIDITE_RETRAITE", "PARCOURS_SOINS"}
)


# ---------------------------------------------------------------- écriture


def _known(organisation) -> dict:
    from parcours.cases.models import Case
    from parcours.steering.models import ExternalRef

    known: dict[str, dict] = {k: {} for k in ExternalRef.Kind.values}
    known["accompagnement_dates"] = {}
    if organisation.pk is None:  # essai pour un organisme encore inexistant
        return known
    for kind, source, obj in ExternalRef.objects.filter(organisation=organisation).values_list(
        "kind", "source_id", "object_id"
    ):
        known[kind][source] = obj
    cases = Case.objects.filter(
        organisation=organisation,
        pk__in=ExternalRef.objects.filter(
            organisation=organisation, kind=ExternalRef.Kind.ACCOMPAGNEMENT
        ).values("object_id"),
    ).values_list("pk", "opened_on", "closed_on")
    by_pk = {pk: (opened, closed) for pk, opened, closed in cases}
    known["accompagnement_dates"] = {
        src: by_pk[pk] for src, pk in known["accompagnement"].items() if pk in by_pk
    }
    return known


def run(
    path,
    *,
    organisation,
    dry_run: bool,
    actor=None,
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Valide le lot puis, hors essai, écrit les lignes valides non encore importées."""
    from parcours.core.models import Commune, Departement

    report = Report(dry_run=dry_run)
    raw = read_bundle(path)
    bundle = {}
    for name, content in raw.items():
        progress(f"Lecture de {name}…")
        rows = parse(name, content, report)
        if rows is not None:
            bundle[name] = rows
    if "beneficiaires.csv" not in bundle:
        return report
    ctx = Context(
        departements=set(Departement.objects.values_list("code", flat=True)),
        communes=set(Commune.objects.values_list("code", flat=True)),
        known=_known(organisation),
    )
    progress("Validation des lignes…")
    valid = validate(bundle, ctx, report)
    _write(organisation, valid, ctx.known, report, actor, dry_run, progress)
    return report


BATCH = 5000


def _new(name, rows: dict, known: dict, report: Report) -> dict:
    fresh = {k: v for k, v in rows.items() if k not in known}
    report.already[name] = len(rows) - len(fresh)
    report.created[name] = len(fresh)
    return fresh


def _write(organisation, valid, known, report, actor, dry_run, progress):
    from parcours.cases.models import Case, Contact, ContactAction, ContactProblem
    from parcours.core.models import User
    from parcours.people.models import Person
    from parcours.people.services import derive_search_keys, set_nir
    from parcours.steering.models import ExternalRef

    agents = _new("agents.csv", valid["agents.csv"], known["agent"], report)
    people = _new("beneficiaires.csv", valid["beneficiaires.csv"], known["beneficiaire"], report)
    cases = _new(
        "accompagnements.csv", valid["accompagnements.csv"], known["accompagnement"], report
    )
    contacts = _new("entretiens.csv", valid["entretiens.csv"], known["entretien"], report)
    later = {
        name: _new(name, valid[name], known[kind], report)
        for name, kind in (
            ("actions_collectives.csv", "action_collective"),
            ("seances.csv", "seance"),
            ("participations.csv", "participation"),
            ("signalements.csv", "signalement"),
            ("offres.csv", "offre"),
            ("contacts_accueil.csv", "contact_accueil"),
        )
    }
    if dry_run:
        return

    def refs(kind, pairs):
        _insert(
            ExternalRef,
            ["organisation_id", "kind", "source_id", "object_id"],
            [(organisation.pk, kind, s, o) for s, o in pairs],
        )

    with transaction.atomic():
        progress(f"Agents : {len(agents)} à créer…")
        unusable = make_password(None)
        users = [
            User(
                organisation=organisation,
                username=f"{organisation.code}.historique.{source}"[:150],
                first_name=a["prenom"][:150],
                last_name=a["nom"][:150],
                function=a["fonction"],
                fte=a["etp"],
                is_active=False,
                password=unusable,
            )
            for source, a in agents.items()
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        through = User.departements.through
        through.objects.bulk_create(
            [
                through(user_id=u.pk, departement_id=a["departement"])
                for u, a in zip(users, agents.values())
            ],
            batch_size=BATCH,
        )
        refs("agent", zip(agents, [u.pk for u in users]))
        agent_ids = {**known["agent"], **dict(zip(agents, [u.pk for u in users]))}

        progress(f"Bénéficiaires : {len(people)} à créer…")
        person_ids = dict(known["beneficiaire"])
        items = list(people.items())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            rows = []
            for _, p in chunk:
                person = SimpleNamespace(
                    last_name=p["nom"] or "(inconnu)",
                    birth_name="",
                    first_names=p["prenom"],
                    phone="",
                )
                derive_search_keys(person)
                set_nir(person, p["nir"] or None)
                rows.append(
                    vars(person)
                    | {
                        "organisation_id": organisation.pk,
                        "sex": p["sexe"],
                        "birth_date": p["date_naissance"],
                        "commune_id": p["commune"],
                        "departement_id": p["departement"],
                        "created_by_id": actor.pk if actor else None,
                    }
                )
            ids = _fast_insert(Person, rows)
            pairs = [(source, pk) for (source, _), pk in zip(chunk, ids)]
            refs("beneficiaire", pairs)
            person_ids.update(pairs)
            progress(f"  bénéficiaires : {min(start + BATCH, len(items))}/{len(items)}")

        progress(f"Accompagnements : {len(cases)} à créer…")
        case_ids = dict(known["accompagnement"])
        case_referent = {}
        items = list(cases.items())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            rows = [
                {
                    "organisation_id": organisation.pk,
                    "person_id": person_ids[c["beneficiaire"]],
                    "programme": c["programme"],
                    "origin": c["origine"],
                    "departement_id": c["departement"],
                    "referent_id": agent_ids.get(c["referent"]) if c["referent"] else None,
                    "opened_on": c["debut"],
                    "state": Case.State.CLOS if c["fin"] else Case.State.OUVERT,
                    "closed_on": c["fin"],
                    "outcome": c["issue"],
                    "risk": c["risque"],
                    "sector": c["secteur"],
                }
                for _, c in chunk
            ]
            ids = _fast_insert(Case, rows)
            pairs = [(source, pk) for (source, _), pk in zip(chunk, ids)]
            refs("accompagnement", pairs)
            case_ids.update(pairs)
            case_referent.update({pk: row["referent_id"] for pk, row in zip(ids, rows)})
            progress(f"  accompagnements : {min(start + BATCH, len(items))}/{len(items)}")

        progress(f"Entretiens : {len(contacts)} à créer…")
        fallback = None
        missing_referents = set(case_ids.values()) - set(case_referent)
        if missing_referents:
            case_referent.update(
                Case.objects.filter(pk__in=missing_referents).values_list("pk", "referent_id")
            )
        items = list(contacts.items())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            rows = []
            for _, c in chunk:
                case_id = case_ids[c["accompagnement"]]
                staff_id = agent_ids.get(c["agent"]) if c["agent"] else None
                staff_id = staff_id or case_referent.get(case_id)
                if staff_id is None:
                    fallback = fallback or _history_agent(organisation, unusable)
                    staff_id = fallback.pk
                rows.append(
                    {
                        "organisation_id": organisation.pk,
                        "case_id": case_id,
                        "on": c["date"],
                        "mode": c["mode"],
                        "duration_minutes": c["duree"],
                        "staff_id": staff_id,
                    }
                )
            batch = _fast_insert(Contact, rows)
            _insert(
                ContactAction,
                ["contact_id", "code"],
                [(pk, code) for (_, c), pk in zip(chunk, batch) for code in set(c["actions"])],
            )
            _insert(
                ContactProblem,
                ["contact_id", "code"],
                [
                    (pk, code)
                    for (_, c), pk in zip(chunk, batch)
                    for code in set(c["problematiques"])
                ],
            )
            refs("entretien", [(source, pk) for (source, _), pk in zip(chunk, batch)])
            progress(f"  entretiens : {min(start + BATCH, len(items))}/{len(items)}")

        _write_outreach_and_groups(
            organisation, later, known, person_ids, agent_ids, refs, unusable, progress
        )

        progress("Statistiques du planificateur…")
        _analyze([Person, Case, Contact, ContactAction, ContactProblem, ExternalRef])
        audit.record(
            actor=actor,
            action="CREATE",
            object_type="import_historique",
            organisation_id=organisation.pk,
            summary="Import d'historique d'activité",
            changes={"crees": report.created, "deja_importes": report.already},
        )


def _write_outreach_and_groups(
    organisation, later, known, person_ids, agent_ids, refs, unusable, progress
):
    """Actions collectives, séances, participations, signalements, offres, contacts d'accueil :
    écrits en masse comme les entretiens, chacun avec sa référence externe."""
    import datetime

    from parcours.groups.models import GroupAction, Registration, Session
    from parcours.outreach.models import Campaign, FrontLineContact, Referral, ServiceOffer
    from parcours.people.models import Person

    def aware(day, hour=9):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def insert(name, kind, model, items, row):
        progress(f"{name} : {len(items)} à créer…")
        created = {}
        items = list(items.items())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            ids = _fast_insert(model, [row(v) for _, v in chunk])
            pairs = [(source, pk) for (source, _), pk in zip(chunk, ids)]
            refs(kind, pairs)
            created.update(pairs)
        return {**known[kind], **created}

    fallback = []

    def history_agent():
        if not fallback:
            fallback.append(_history_agent(organisation, unusable).pk)
        return fallback[0]

    action_ids = insert(
        "Actions collectives",
        "action_collective",
        GroupAction,
        later["actions_collectives.csv"],
        lambda a: {
            "organisation_id": organisation.pk,
            "type": a["type"],
            "programme": a["programme"],
            "title": a["intitule"] or "Action collective (historique)",
            "departement_id": a["departement"],
        },
    )
    # Une séance historique n'a ni heure ni jauge : 9 h et autant de places que de participants.
    seats: dict[str, int] = {}
    for p in later["participations.csv"].values():
        seats[p["seance"]] = seats.get(p["seance"], 0) + 1
    session_ids = insert(
        "Séances",
        "seance",
        Session,
        {k: v | {"source": k} for k, v in later["seances.csv"].items()},
        lambda s: {
            "organisation_id": organisation.pk,
            "action_id": action_ids[s["action"]],
            "date": s["date"],
            "start_time": datetime.time(9),
            "partner_place": s["lieu"],
            "capacity": min(max(seats.get(s["source"], 0), 1), 32767),
        },
    )
    sessions_dates = dict(
        Session.objects.filter(pk__in=set(session_ids.values())).values_list("pk", "date")
    )
    insert(
        "Participations",
        "participation",
        Registration,
        later["participations.csv"],
        lambda p: {
            "organisation_id": organisation.pk,
            "session_id": session_ids[p["seance"]],
            "person_id": person_ids[p["beneficiaire"]],
            "status": Registration.Status.INSCRIT,
            "relation": Registration.Relation.PERSONNE,
            "channel": Registration.Channel.AGENT,
            "present": p["present"],
            "registered_at": aware(sessions_dates[session_ids[p["seance"]]]),
        },
    )
    # Un signalement ou une offre sans département prend celui de la personne (formats.md §5).
    needed = {
        person_ids[r["beneficiaire"]]
        for name in ("signalements.csv", "offres.csv")
        for r in later[name].values()
        if not r["departement"]
    }
    person_dep = dict(Person.objects.filter(pk__in=needed).values_list("pk", "departement_id"))
    insert(
        "Signalements",
        "signalement",
        Referral,
        later["signalements.csv"],
        lambda r: {
            "organisation_id": organisation.pk,
            "person_id": person_ids[r["beneficiaire"]],
            "emitter": r["emetteur"],
            "received_on": r["date"],
            "reason": "Signalement importé de l'historique",
            "programme": r["programme"] or Programme.AUTRE,
            "departement_id": r["departement"] or person_dep[person_ids[r["beneficiaire"]]],
            # Historique : hors des files d'attente (aucune AS n'a à le prendre en charge).
            "status": Referral.Status.PRIS_EN_CHARGE,
            "status_changed_on": r["date"],
        },
    )
    offers = later["offres.csv"]
    campaign_ids = {}
    for key in sorted({(o["date"], o["canal"], o["programme"]) for o in offers.values()}):
        sent_on, channel, programme = key
        campaign_ids[key] = Campaign.objects.create(
            organisation=organisation,
            name=f"Offres importées de l'historique ({sent_on:%d/%m/%Y})",
            channel=channel,
            proposal=Campaign.Proposal.RENDEZ_VOUS,
            programme=programme or Programme.AUTRE,
            sent_on=sent_on,
            created_by_id=history_agent(),
        ).pk
    progress(f"Offres : {len(offers)} à créer…")
    items = list(offers.items())
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        ids = _allocate_ids(ServiceOffer, len(chunk))
        rows = [
            {
                "organisation_id": organisation.pk,
                "campaign_id": campaign_ids[(o["date"], o["canal"], o["programme"])],
                "person_id": person_ids[o["beneficiaire"]],
                "reference": f"HIST{pk}",
                "sent_on": o["date"],
                "channel": o["canal"],
                "status": o["statut"],
                "programme": o["programme"] or Programme.AUTRE,
                "departement_id": o["departement"] or person_dep[person_ids[o["beneficiaire"]]],
            }
            for (_, o), pk in zip(chunk, ids)
        ]
        _fast_insert(ServiceOffer, rows, ids=ids)
        refs("offre", [(source, pk) for (source, _), pk in zip(chunk, ids)])
    front = later["contacts_accueil.csv"]
    insert(
        "Contacts d'accueil",
        "contact_accueil",
        FrontLineContact,
        front,
        lambda f: {
            "organisation_id": organisation.pk,
            "at": aware(f["date"], 12),
            "date": f["date"],
            "departement_id": f["departement"],
            "agent_id": agent_ids.get(f["agent"]) if f["agent"] else history_agent(),
            "person_id": person_ids[f["beneficiaire"]] if f["beneficiaire"] else None,
            "channel": FrontLineContact.Channel.ACCUEIL,
            "reason": f["motif"] or "Contact d'accueil (historique)",
            "answer": FrontLineContact.Answer.INFORMATION,
        },
    )
    _analyze([GroupAction, Session, Registration, Referral, ServiceOffer, FrontLineContact])


def _analyze(models) -> None:
    """Après un import massif, les statistiques du planificateur (ce que ferait l'autovacuum)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _allocate_ids(model, count: int) -> list[int]:
    """Réserve ``count`` identifiants : la séquence sur PostgreSQL ; sur SQLite, la suite du
    plus grand (l'import tient le verrou d'écriture de sa transaction : nul ne s'intercale)."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _fast_insert(model, rows: list[dict], ids: list[int] | None = None) -> list[int]:
    """Insère ``rows`` (attname -> valeur) sans instancier de modèles ; les autres colonnes
    reçoivent la valeur par défaut de leur champ, les dates automatiques maintenant. Renvoie les
    identifiants, dans l'ordre des lignes."""
    from django.db import connection

    if not rows:
        return []
    ids = ids or _allocate_ids(model, len(rows))
    now = timezone.now()
    fields = model._meta.concrete_fields
    given = set(rows[0])
    constants: dict[str, object] = {}
    adapters: dict[str, Callable[..., object]] = {}
    for f in fields:
        if f.primary_key or f.attname in given:
            kind = f.get_internal_type()
            if kind == "DateField":
                adapters[f.attname] = connection.ops.adapt_datefield_value
            elif kind in ("TimeField", "DateTimeField"):
                adapters[f.attname] = lambda v, f=f: f.get_db_prep_save(v, connection)
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants[f.attname] = f.get_db_prep_save(now, connection)
        else:
            constants[f.attname] = f.get_db_prep_save(f.get_default(), connection)
    columns = [f.attname for f in fields]
    pk = model._meta.pk.attname
    values = []
    for pk_value, row in zip(ids, rows):
        line: list[object] = []
        for c in columns:
            if c == pk:
                line.append(pk_value)
            elif c in constants:
                line.append(constants[c])
            elif c in adapters:
                line.append(adapters[c](row[c]))
            else:
                line.append(row[c])
        values.append(tuple(line))
    _insert(model, columns, values)
    return ids


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Insertion en masse sans instancier de modèles (tables sans identifiant à relire)."""
    if not rows:
        return
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":  # COPY : le plus rapide sur PostgreSQL
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                rows[start : start + BATCH],
            )


def _history_agent(organisation, password):
    from parcours.core.models import User

    user, _ = User.objects.get_or_create(
        username=f"{organisation.code}.historique",
        defaults={
            "organisation": organisation,
            "last_name": "Historique (agent non renseigné)",
            "is_active": False,
            "password": password,
        },
    )
    return user
