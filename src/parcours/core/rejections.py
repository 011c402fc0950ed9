"""Lignes rejetées d'un import : toutes comptées, les premières gardées, les autres résumées.

Un import de fichier (ciblage, historique) peut rejeter des millions de lignes. En base, il ne
garde que les ``PARCOURS_REJECTIONS_KEPT`` premiers motifs (1 000 par défaut : ligne, colonne,
motif), leur **nombre total** et un **résumé par motif** (colonne et motif, valeurs citées
effacées : « code commune « … » inconnu »). La liste complète s'écrit au fil de l'import, en
JSON par ligne compressé (gzip), dans un fichier à part (:func:`path_for`) que la page de
l'import offre en CSV (``core.tabular``) : une liste de page ne charge jamais ce détail.

Le fichier est écrit sous un nom provisoire puis renommé à la fin (:meth:`Rejections.close`) :
un import interrompu ne laisse jamais de liste à moitié écrite sous le nom attendu.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

#: Au-delà de ce nombre de motifs distincts, le résumé range le reste sous « autres motifs ».
SUMMARY_KEYS = 200
OTHERS = "autres motifs"

_QUOTED = re.compile(r"«[^»]*»")
_NUMBER = re.compile(r"\d+")


def kept() -> int:
    """Le nombre de motifs gardés en base pour un import (réglage ``PARCOURS_REJECTIONS_KEPT``)."""
    return int(getattr(settings, "PARCOURS_REJECTIONS_KEPT", 1000))


def general_reason(reason: str) -> str:
    """Le motif sans les valeurs qu'il cite, pour compter ensemble les rejets de même nature."""
    return _NUMBER.sub("…", _QUOTED.sub("« … »", reason))


def directory() -> Path:
    base = getattr(settings, "PARCOURS_IMPORT_DIR", None) or settings.VAR_DIR / "imports"
    return Path(base) / "rejets"


def path_for(kind: str, pk: int) -> Path:
    """Le fichier de la liste complète des rejets de l'import ``kind`` n° ``pk``."""
    return directory() / f"{kind}-{pk}.jsonl.gz"


class Rejections:
    """Collecte les rejets d'un import : ``add`` pour chacun, ``close`` à la fin.

    ``fields`` : les clés d'un rejet, dans l'ordre des colonnes du CSV (``ligne`` en fait
    partie ; toutes les autres, motif généralisé, forment la clé du résumé).
    """

    def __init__(self, fields: Sequence[str], *, path: Path | None = None, keep: int | None = None):
        self.fields = tuple(fields)
        self.keep = kept() if keep is None else keep
        self.count = 0
        self.first: list[dict[str, Any]] = []
        self.by_reason: Counter[tuple[str, ...]] = Counter()
        self.path = path
        self._out: Any = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._partial = path.with_name(path.name + ".partiel")
            self._out = gzip.open(  # noqa: SIM115 (fermé par close() ou discard())
                self._partial, "wt", encoding="utf-8", compresslevel=5
            )

    def add(self, record: dict[str, Any]) -> None:
        self.count += 1
        if len(self.first) < self.keep:
            self.first.append(record)
        key = tuple(
            general_reason(str(record.get(f) or "")) if f == "motif" else str(record.get(f) or "")
            for f in self.fields
            if f != "ligne"
        )
        if key in self.by_reason or len(self.by_reason) < SUMMARY_KEYS:
            self.by_reason[key] += 1
        else:
            self.by_reason[(*("" for _ in key[:-1]), OTHERS)] += 1
        if self._out is not None:
            self._out.write(json.dumps([record.get(f) for f in self.fields], ensure_ascii=False))
            self._out.write("\n")

    def extend(self, records: Sequence[dict[str, Any]]) -> None:
        for record in records:
            self.add(record)

    def summary(self) -> list[dict[str, Any]]:
        """Le nombre de rejets par motif (et colonne, fichier…), du plus fréquent au plus rare."""
        names = [f for f in self.fields if f != "ligne"]
        rows = [
            dict(zip(names, key, strict=True)) | {"nombre": n} for key, n in self.by_reason.items()
        ]
        return sorted(rows, key=lambda r: (-r["nombre"], *(str(r[f]) for f in names)))

    def close(self) -> None:
        """Termine la liste complète et la rend visible sous son nom (renommage atomique)."""
        if self._out is not None:
            self._out.close()
            self._out = None
            os.replace(self._partial, self.path)  # type: ignore[arg-type]

    def discard(self) -> None:
        """Abandonne la liste complète (import annulé)."""
        if self._out is not None:
            self._out.close()
            self._out = None
            self._partial.unlink(missing_ok=True)


def read(path: Path) -> Iterator[list[Any]]:
    """Chaque rejet de la liste complète ``path`` (valeurs dans l'ordre de ``fields``)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def write_all(path: Path, fields: Sequence[str], records: Sequence[dict[str, Any]]) -> None:
    """Écrit d'un coup la liste complète ``records`` (reprise des imports anciens)."""
    collector = Rejections(fields, path=path, keep=0)
    collector.extend(records)
    collector.close()
