"""Lecture du lot d'historique (formats.md §2) : fichiers connus, en-têtes, lignes ; le
rapport (lignes lues, valides, créées, déjà importées ; erreurs par fichier, ligne, colonne).

Chaque cellule passe par ``core.tabular.restore`` : un lot écrit par Parcours (cellules
neutralisées contre l'injection de formule) se relit avec ses valeurs d'origine."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parcours.core.tabular import restore

#: Une ligne lue : colonne -> valeur (sans espaces autour), et ``_ligne`` (son numéro).
Row = dict[str, Any]

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
    """Une ligne (ou un fichier) rejetée : où, et pourquoi, en français."""

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
    """Le compte rendu d'un import (ou d'un essai), fichier par fichier."""

    dry_run: bool
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    valid: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Une ligne de compte rendu par fichier lu."""
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
    """Les fichiers connus du lot : nom -> contenu brut (à lire par :func:`parse`)."""
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


def parse(name: str, content: bytes, report: Report) -> list[Row] | None:
    """Les lignes d'un fichier (``None`` et l'erreur au rapport s'il est illisible)."""
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
        row = {k: restore(v or "").strip() for k, v in row.items() if k is not None}
        row["_ligne"] = reader.line_num
        rows.append(row)
    report.read[name] = len(rows)
    return rows
