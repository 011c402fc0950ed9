"""Données de démonstration du module de détection (signalements, accueil, ciblage, campagne)."""

import datetime
import random
from pathlib import Path

from parcours.rules import nir as nir_rules
from parcours.rules.sick_leave_extract import COLUMNS

HEADER = ";".join(COLUMNS)


def generate_extract(path: Path, count: int, *, seed: int = 1, extraction=None) -> Path:
    """Un extrait réaliste de ``count`` lignes : ~55 % d'arrêts de plus de 60 jours."""
    extraction = extraction or datetime.date(2026, 6, 1)
    rng = random.Random(seed)
    communes = ["01053", "01283", "69123", "69266", "69029", "38185", "42218"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\n")
        for i in range(count):
            sex = rng.choice("FM")
            birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(16000))
            base = (
                f"{'2' if sex == 'F' else '1'}{birth.year % 100:02d}{birth.month:02d}"
                f"{rng.choice(['01', '69', '38', '75'])}{i // 1000 % 1000:03d}{i % 1000:03d}"
            )
            start = extraction - datetime.timedelta(days=rng.randrange(3, 140))
            handle.write(
                ";".join(
                    [
                        base + f"{nir_rules.compute_key(base):02d}",
                        f"Nom{i}",
                        rng.choice(["Claire", "Jean", "Léa", "Marc", "Zoé"]),
                        sex,
                        birth.isoformat(),
                        rng.choice(communes),
                        f"{rng.randrange(1, 200)} rue de la République",
                        "69003",
                        start.isoformat(),
                        rng.choice(["MALADIE", "MALADIE", "AT_MP"]),
                        f"06{rng.randrange(10**8):08d}",
                        "",
                    ]
                )
                + "\n"
            )
    return path
