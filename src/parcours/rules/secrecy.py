"""Secret statistique des agrégats publiés (formats.md §8, et §6.2 pour l'observatoire).

Règles pures : ni Django, ni entrées-sorties.

- **Seuil** : une case qui compte moins de 11 personnes distinctes est masquée (secret
  primaire) ; 10 personnes : masquée, 11 : publiée.
- **Secret secondaire** (règle complémentaire simple) : un tableau publie ses cases et leurs
  totaux (marges, valeur ``TOTAL`` dans une dimension). Sur chaque « ligne » — les cases qui ne
  diffèrent que par une dimension, avec leur total — dont le total est publié, une case masquée
  seule se retrouverait par soustraction ; on masque donc aussi la plus petite case publiée de la
  ligne, et on recommence tant que la ligne n'a pas au moins deux cases masquées totalisant au
  moins le seuil. Une case masquée en secret secondaire peut rendre à son tour une autre ligne
  (l'autre dimension) vulnérable : on itère jusqu'à ce que plus rien ne change.
- **Limites** (dites aussi dans docs/decisions.md) : la règle protège de la soustraction dans
  *un* tableau et ses marges (et des totaux publiés ailleurs qui coïncident avec ces marges, comme
  ceux du rapport d'activité) ; elle ne protège pas d'un croisement de plusieurs tableaux faits
  sur des découpages différents, ni d'une résolution par programmation linéaire de plusieurs
  cases masquées. Les personnes ne s'additionnent pas (une personne compte dans deux programmes),
  la soustraction n'en donne qu'une borne : on la traite pourtant comme exacte, par prudence ; les
  entretiens, eux, s'additionnent exactement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

__all__ = [
    "PRIMARY",
    "SECONDARY",
    "THRESHOLD",
    "TOTAL",
    "Cell",
    "aggregates",
    "is_secret",
    "suppress",
]

THRESHOLD = 11
TOTAL = "TOTAL"
PRIMARY = "primaire"
SECONDARY = "secondaire"

Key = tuple[str, ...]


def is_secret(people: int, threshold: int = THRESHOLD) -> bool:
    """Vrai si une case de ``people`` personnes distinctes doit être masquée (moins de 11)."""
    return people < threshold


@dataclass(frozen=True)
class Cell:
    """Une case publiée : ses valeurs (une par dimension, ``TOTAL`` pour une marge), ses comptes
    (None quand elle est masquée) et la raison du masquage (``""``, primaire, secondaire)."""

    key: Key
    people: int | None
    contacts: int | None
    secret: str

    def as_row(self, by: Sequence[str]) -> dict[str, str | int | None]:
        row: dict[str, str | int | None] = dict(zip(by, self.key, strict=True))
        row["personnes"] = self.people
        row["entretiens"] = self.contacts
        row["secret"] = 1 if self.secret else 0
        return row


def _lines(keys: Iterable[Key]) -> dict[Key, list[Key]]:
    """Chaque total (clé avec ``TOTAL`` à une dimension) → les cases de sa ligne."""
    lines: dict[Key, list[Key]] = defaultdict(list)
    for key in keys:
        for d, value in enumerate(key):
            if value != TOTAL:
                lines[key[:d] + (TOTAL,) + key[d + 1 :]].append(key)
    return lines


def suppress(counts: Mapping[Key, tuple[int, int]], threshold: int = THRESHOLD) -> dict[Key, str]:
    """Les cases à masquer, avec leur raison : ``counts`` donne pour chaque case (marges
    comprises) ``(personnes, entretiens)``."""
    hidden = {key: PRIMARY for key, (people, _) in counts.items() if is_secret(people, threshold)}
    lines = {
        total: sorted(members)
        for total, members in _lines(counts).items()
        if total in counts and members
    }
    changed = True
    while changed:
        changed = False
        for total in sorted(lines):
            if total in hidden:
                continue
            members = lines[total]
            while True:
                masked = [k for k in members if k in hidden]
                people = sum(counts[k][0] for k in masked)
                if not masked or (len(masked) >= 2 and people >= threshold):
                    break
                shown = [k for k in members if k not in hidden]
                if not shown:  # pragma: no cover - un total publié a toujours une case publiée
                    hidden[total] = SECONDARY
                    changed = True
                    break
                smallest = min(shown, key=lambda k: (counts[k][0], counts[k][1], k))
                hidden[smallest] = SECONDARY
                changed = True
    return hidden


def _order(key: Key) -> tuple[tuple[bool, str], ...]:
    return tuple((value == TOTAL, value) for value in key)


def aggregates(
    rows: Iterable[Mapping[str, object]],
    by: Sequence[str],
    *,
    person: str = "pseudonyme",
    threshold: int = THRESHOLD,
) -> list[Cell]:
    """Personnes distinctes (``person``) et entretiens (lignes) par case de ``by``, avec toutes
    les marges (``TOTAL``) ; cases sous le seuil masquées, puis secret secondaire. Ordre : par
    valeurs, les totaux après les cases."""
    if not by:
        raise ValueError("aggregates : au moins une dimension")
    people: dict[Key, set[object]] = defaultdict(set)
    contacts: dict[Key, int] = defaultdict(int)
    for row in rows:
        values = tuple("" if row[d] is None else str(row[d]) for d in by)
        for mask in product((False, True), repeat=len(by)):
            key = tuple(TOTAL if m else v for v, m in zip(values, mask, strict=True))
            people[key].add(row[person])
            contacts[key] += 1
    counts = {key: (len(people[key]), contacts[key]) for key in people}
    hidden = suppress(counts, threshold)
    return [
        Cell(key, None, None, hidden[key])
        if key in hidden
        else Cell(key, counts[key][0], counts[key][1], "")
        for key in sorted(counts, key=_order)
    ]
