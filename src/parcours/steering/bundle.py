"""Un lot d'historique synthétique (formats.md §2), déterministe : mesures et essais d'import.

Proportions d'une région d'une année (domaine.md §13) : 40 000 personnes, 150 000 entretiens,
50 000 contacts d'accueil, la moitié des accompagnements en PDP, 4 sur 10 clos dans l'année.
"""

import random
from datetime import date, timedelta
from pathlib import Path

from parcours.core import tabular
from parcours.rules import nir as nir_rules

REGION_DEPARTEMENTS = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
PROGRAMMES = [
    ("PDP", 50),
    ("PARCOURS_SANTE", 15),
    ("RETOUR_DOMICILE", 15),
    ("BIEN_VIEILLIR", 12),
    ("DEUIL", 5),
    ("AUTRE", 3),
]
MODES = [
    ("RECEPTION_RDV", 30),
    ("ACCUEIL_SANS_RDV", 5),
    ("PERMANENCE", 6),
    ("VAD", 15),
    ("TELEPHONE", 30),
    ("VISIO", 3),
    ("COURRIER", 6),
    ("RENCONTRE_INFORMELLE", 1),
    ("CONTACT_TIERS", 4),
]
PDP_ISSUES = ["MAINTIEN_EMPLOI", "LICENCIEMENT_INAPTITUDE", "INVALIDITE_RETRAITE", "PARCOURS_SOINS"]
OTHER_ISSUES = ["OBJECTIFS_ATTEINTS", "ORIENTATION_PARTENAIRE", "ABANDON", "DEMENAGEMENT"]


def _weighted(rng, pairs):
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _writer(folder: Path, name: str, header: list[str]):
    f = (folder / name).open("w", encoding="utf-8", newline="")
    return f, tabular.TableWriter(f, header)


def generate(
    folder: Path,
    *,
    people: int = 40000,
    contacts: int = 150000,
    front_line: int = 50000,
    year: int = 2025,
    seed: int = 6,
) -> dict:
    """Écrit le lot dans ``folder`` ; renvoie le nombre de lignes de chaque fichier."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    deps = REGION_DEPARTEMENTS
    counts = {}

    f, w = _writer(folder, "agents.csv", ["id", "nom", "prenom", "fonction", "departement", "etp"])
    agents: dict[str, list[str]] = {d: [] for d in deps}
    n = 0
    for d in deps:
        for function, k in (("AS", 14), ("CSAM", 4), ("MANAGER", 2)):
            for _ in range(k):
                n += 1
                w.row([f"A{n}", f"Agent{n}", "Prénom", function, d, rng.choice(["1", "0,8"])])
                if function == "AS":
                    agents[d].append(f"A{n}")
    f.close()
    counts["agents.csv"] = n

    f, w = _writer(
        folder,
        "beneficiaires.csv",
        ["id", "nir", "nom", "prenom", "sexe", "date_naissance", "commune_insee", "departement"],
    )
    person_dep = []
    for i in range(people):
        sex = rng.choice("FM")
        born = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 25000))
        d = deps[i % len(deps)]
        nir = ""
        if i % 3 == 0:
            base = (
                f"{'1' if sex == 'M' else '2'}{born.year % 100:02d}{born.month:02d}"
                f"{d[:2]}{rng.randrange(1, 990):03d}{i % 1000:03d}"
            )
            nir = f"{base}{nir_rules.compute_key(base):02d}"
        w.row([f"B{i}", nir, f"Nom{i % 5000}", "Prénom", sex, born.isoformat(), "", d])
        person_dep.append(d)
    f.close()
    counts["beneficiaires.csv"] = people

    first = date(year, 1, 1)
    f, w = _writer(
        folder,
        "accompagnements.csv",
        [
            "id",
            "beneficiaire_id",
            "programme",
            "origine",
            "departement",
            "referent_id",
            "date_debut",
            "date_fin",
            "issue",
            "risque",
            "secteur",
        ],
    )
    cases: list[tuple[date, date, str]] = []
    for i in range(people):
        for _ in range(1 if rng.random() < 0.85 else 2):
            c = len(cases)
            d = person_dep[i]
            programme = _weighted(rng, PROGRAMMES)
            start = first - timedelta(days=rng.randrange(-200, 300))
            end = None
            if rng.random() < 0.4:
                end = min(start + timedelta(days=rng.randrange(30, 400)), date(year, 12, 31))
                if end < start:
                    end = start
            issue = ""
            if end:
                issue = rng.choice(PDP_ISSUES if programme == "PDP" else OTHER_ISSUES)
            risk = rng.choice(["MALADIE", "MALADIE", "AT_MP", ""]) if programme == "PDP" else ""
            sector = (
                rng.choice(["INDUSTRIE", "CONSTRUCTION", "TERTIAIRE_MARCHAND", ""])
                if programme == "PDP"
                else ""
            )
            w.row(
                [
                    f"C{c}",
                    f"B{i}",
                    programme,
                    rng.choice(["SIGNALEMENT", "OFFRE_DE_SERVICE", "DEMANDE_DIRECTE"]),
                    d,
                    rng.choice(agents[d]),
                    start.isoformat(),
                    end.isoformat() if end else "",
                    issue,
                    risk,
                    sector,
                ]
            )
            cases.append((start, end or date(year, 12, 31), d))
    f.close()
    counts["accompagnements.csv"] = len(cases)

    f, w = _writer(
        folder,
        "entretiens.csv",
        [
            "id",
            "accompagnement_id",
            "date",
            "mode",
            "agent_id",
            "duree_minutes",
            "actions",
            "problematiques",
        ],
    )
    for i in range(contacts):
        c = rng.randrange(len(cases))
        start, end, d = cases[c]
        span = (end - start).days
        on = start + timedelta(days=rng.randrange(0, span + 1))
        w.row(
            [
                f"E{i}",
                f"C{c}",
                on.isoformat(),
                _weighted(rng, MODES),
                rng.choice(agents[d]),
                rng.choice(["30", "45", "60", ""]),
                rng.choice(["INFO_ORIENTATION", "EVALUATION_BESOINS|DEMARCHES_LIAISONS", ""]),
                rng.choice(["EMPLOI", "SANTE|ACCES_DROITS", ""]),
            ]
        )
    f.close()
    counts["entretiens.csv"] = contacts

    f, w = _writer(
        folder,
        "contacts_accueil.csv",
        ["date", "departement", "agent_id", "beneficiaire_id", "motif"],
    )
    for _ in range(front_line):
        d = rng.choice(deps)
        w.row(
            [
                (first + timedelta(days=rng.randrange(365))).isoformat(),
                d,
                "",
                f"B{rng.randrange(people)}" if rng.random() < 0.3 else "",
                "Demande d'information",
            ]
        )
    f.close()
    counts["contacts_accueil.csv"] = front_line
    return counts
