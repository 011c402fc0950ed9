"""Fabriques du module de détection : extraits d'arrêts de travail (formats.md §3)."""

import datetime
from pathlib import Path

from parcours.demo.outreach import generate_extract  # noqa: F401 (réexport)
from parcours.rules import nir as nir_rules
from parcours.rules.sick_leave_extract import COLUMNS

HEADER = ";".join(COLUMNS)


def nir_for(i: int, sex: str = "F", birth=datetime.date(1975, 4, 1), dep="69") -> str:
    base = f"{'2' if sex == 'F' else '1'}{birth.year % 100:02d}{birth.month:02d}{dep}" + (
        f"{100 + i // 1000:03d}{i % 1000:03d}"
    )
    return base + f"{nir_rules.compute_key(base):02d}"


def extract_row(i: int, *, start="2026-01-10", commune="69123", sex="F", **overrides) -> str:
    birth = datetime.date(1975, 4, 1)
    cells = {
        "nir": nir_for(i, sex=sex, birth=birth),
        "nom": f"Arret{i}",
        "prenom": "Claire",
        "sexe": sex,
        "date_naissance": birth.isoformat(),
        "commune_insee": commune,
        "adresse": f'"{i} rue des Lilas; bâtiment B"',
        "code_postal": "69003",
        "date_debut_arret": start,
        "risque": "MALADIE",
        "telephone": "0601020304",
        "email": "",
    }
    cells.update(overrides)
    return ";".join(cells[c] for c in COLUMNS)


def write_extract(path: Path, rows: list[str], *, bom=False, header=HEADER) -> Path:
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def event_row(
    i: int,
    event: str = "NOUVEAU_RETRAITE",
    when: str = "2026-05-01",
    *,
    birth=datetime.date(1964, 4, 1),
    commune="01053",
    sex="F",
    **overrides,
) -> str:
    """Une ligne du fichier d'événements (formats.md §6.4)."""
    from parcours.rules.events_extract import COLUMNS as EVENT_COLUMNS

    cells = {
        "nir": nir_for(i, sex=sex, birth=birth),
        "nom": f"Evenement{i}",
        "prenom": "Jeanne",
        "sexe": sex,
        "date_naissance": birth.isoformat(),
        "commune_insee": commune,
        "adresse": f"{i} rue des Tilleuls",
        "code_postal": "01000",
        "telephone": "0601020304",
        "email": "",
        "evenement": event,
        "date_evenement": when,
    }
    cells.update(overrides)
    return ";".join(cells[c] for c in EVENT_COLUMNS)


def write_events(path: Path, rows: list[str]) -> Path:
    from parcours.rules.events_extract import COLUMNS as EVENT_COLUMNS

    return write_extract(path, rows, header=";".join(EVENT_COLUMNS))
