"""Outils communs de la démonstration : tirage pondéré, fuseau, compte rendu."""

import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

T = TypeVar("T")


def pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    """Une valeur de ``[(valeur, poids), …]`` tirée selon les poids."""
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class Summary:
    people: int = 0
    cases: int = 0
    contacts: int = 0
    home_visits: int = 0
    closed: int = 0
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)
