"""Chargement idempotent du découpage administratif (régions, départements, EPCI, communes)."""

import gzip
import json
from pathlib import Path

from django.db import transaction

from parcours.core.models import Commune, Departement, Epci, Region

DATA_FILE = Path(__file__).parent / "data" / "decoupage-administratif.json.gz"


def read_reference(path: Path = DATA_FILE) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _upsert(model, objs, fields, batch_size=2000):
    model.objects.bulk_create(
        objs,
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=fields,
    )


@transaction.atomic
def load_reference(path: Path = DATA_FILE) -> dict[str, int]:
    """Insère ou met à jour ; sûr à relancer. Renvoie les effectifs chargés."""
    data = read_reference(path)
    _upsert(Region, [Region(code=r["code"], name=r["nom"]) for r in data["regions"]], ["name"])
    _upsert(
        Departement,
        [
            Departement(code=d["code"], name=d["nom"], region_id=d["region"])
            for d in data["departements"]
        ],
        ["name", "region"],
    )
    _upsert(
        Epci,
        [Epci(code=e["code"], name=e["nom"], kind=e.get("type") or "") for e in data["epci"]],
        ["name", "kind"],
    )
    _upsert(
        Commune,
        [
            Commune(
                code=c["code"],
                name=c["nom"],
                departement_id=c["departement"],
                epci_id=c.get("epci"),
                population=c.get("population"),
                postal_codes=" ".join(c.get("codes_postaux") or []),
            )
            for c in data["communes"]
        ],
        ["name", "departement", "epci", "population", "postal_codes"],
    )
    return {
        "regions": len(data["regions"]),
        "departements": len(data["departements"]),
        "epci": len(data["epci"]),
        "communes": len(data["communes"]),
    }
