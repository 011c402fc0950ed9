"""Observatory of fragility (formats.md §6, domaine.md §9): the retiree's score, the commune's
flags, the département's reference and the map's classes. Pure functions of their arguments.

- **Score** of one retiree for the year ``annee`` of the import: ``age = annee − annee_naissance``;
  age points 1 to 4 by the organisation's three thresholds (defaults 70, 80, 90: ``age < 70`` → 1,
  ``70 ≤ age < 80`` → 2, ``80 ≤ age < 90`` → 3, ``age ≥ 90`` → 4); ``+ 3`` for a survivor's
  pension, ``+ 4`` for the CSG exemption: 1 to 11.
- **Secrecy**: fewer than :data:`SECRECY_THRESHOLD` (11) retirees → ``secret``, no mean shown,
  never fragile.
- **Département reference**: mean and *population* standard deviation of the unrounded mean
  scores of its non-secret communes, each commune counted once.
- **Fragile**: not secret and unrounded mean ``≥ moyenne + ½ × écart type``.
- **Concentration**: strictly more than :data:`CONCENTRATION_THRESHOLD` (200) people aged 60+.
- **White zone**: fragile with fewer than :data:`WHITE_ZONE_ACTIONS` (2) collective actions.

Means are exact fractions (``score_sum / retirees``) until they are shown: the threshold is
compared on exact values, then :func:`round2` / :func:`round4` round half away from zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import floor, isqrt, lcm

__all__ = [
    "CONCENTRATION_THRESHOLD",
    "DEFAULT_AGE_THRESHOLDS",
    "MAP_CLASSES",
    "MAX_SCORE",
    "MIN_SCORE",
    "SECRECY_THRESHOLD",
    "WHITE_ZONE_ACTIONS",
    "Reference",
    "age_points",
    "clean_age_thresholds",
    "default_period",
    "is_concentration",
    "is_fragile",
    "is_secret",
    "is_white_zone",
    "map_class",
    "mean",
    "reference",
    "round2",
    "round4",
    "score",
    "score_sql",
]

#: the organisation's default age thresholds: 70, 80 and 90 years open bands 2, 3 and 4
DEFAULT_AGE_THRESHOLDS: tuple[int, int, int] = (70, 80, 90)
SECRECY_THRESHOLD = 11
CONCENTRATION_THRESHOLD = 200
WHITE_ZONE_ACTIONS = 2
MIN_SCORE, MAX_SCORE = 1, 11
SURVIVOR_POINTS = 3
CSG_EXEMPTION_POINTS = 4


def age_points(age: int, thresholds: Sequence[int] = DEFAULT_AGE_THRESHOLDS) -> int:
    """1 below the first threshold (under-60 retirees included), then one more point at each
    threshold reached: with the defaults 69 → 1, 70 → 2, 79 → 2, 80 → 3, 89 → 3, 90 → 4."""
    return 1 + sum(1 for t in thresholds if age >= t)


def score(
    age: int,
    survivor: bool,
    csg_exempt: bool,
    thresholds: Sequence[int] = DEFAULT_AGE_THRESHOLDS,
) -> int:
    """``age points + 3 × reversion + 4 × exonere_csg`` (formats.md §6.1), 1 to 11."""
    return (
        age_points(age, thresholds)
        + SURVIVOR_POINTS * bool(survivor)
        + CSG_EXEMPTION_POINTS * bool(csg_exempt)
    )


def score_sql(
    age: str, survivor: str, csg_exempt: str, thresholds: Sequence[int] = DEFAULT_AGE_THRESHOLDS
) -> str:
    """:func:`score` as a SQL expression over the given column expressions (integers ``age``,
    ``survivor`` and ``csg_exempt`` 0/1), for DuckDB: the same points, thresholds inlined as
    integers (they come from :func:`clean_age_thresholds`, never from a file)."""
    points = " + ".join(f"CASE WHEN {age} >= {int(t)} THEN 1 ELSE 0 END" for t in thresholds)
    return (
        f"(1 + {points} + {SURVIVOR_POINTS} * {survivor} + {CSG_EXEMPTION_POINTS} * {csg_exempt})"
    )


def clean_age_thresholds(raw: object) -> tuple[tuple[int, int, int], str | None]:
    """The organisation's three thresholds from a list or ``"70, 80, 90"``, and a French error.

    Three integers, strictly increasing, between 1 and 120; anything else keeps the defaults
    and says why."""
    if raw in (None, "", []):
        return DEFAULT_AGE_THRESHOLDS, None
    if isinstance(raw, str):
        parts: list[object] = list(raw.replace(";", ",").replace(" ", ",").split(","))
    elif isinstance(raw, list | tuple):
        parts = list(raw)
    else:
        return DEFAULT_AGE_THRESHOLDS, "Trois âges entiers attendus, par exemple « 70, 80, 90 »."
    try:
        values = [int(str(p).strip()) for p in parts if str(p).strip()]
    except (TypeError, ValueError):
        return DEFAULT_AGE_THRESHOLDS, "Trois âges entiers attendus, par exemple « 70, 80, 90 »."
    if len(values) != 3:
        return DEFAULT_AGE_THRESHOLDS, "Trois âges attendus (début des tranches 2, 3 et 4)."
    if not all(1 <= v <= 120 for v in values):
        return DEFAULT_AGE_THRESHOLDS, "Chaque âge doit être compris entre 1 et 120 ans."
    if not values[0] < values[1] < values[2]:
        return DEFAULT_AGE_THRESHOLDS, "Les trois âges doivent être strictement croissants."
    return (values[0], values[1], values[2]), None


def mean(score_sum: int, retirees: int) -> Fraction | None:
    """The exact mean score, ``None`` without retirees."""
    return Fraction(score_sum, retirees) if retirees else None


def _round(value: Fraction | float, places: int) -> float:
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    scaled = floor(abs(value) * 10**places + Fraction(1, 2))
    return float(sign * scaled / 10**places)


def round2(value: Fraction | float) -> float:
    """Half away from zero to 2 decimals: 3.345 → 3.35, 3.344 → 3.34."""
    return _round(value, 2)


def round4(value: Fraction | float) -> float:
    """Half away from zero to 4 decimals (the département's reference in §6.3)."""
    return _round(value, 4)


def is_secret(retirees: int) -> bool:
    """Statistical secrecy: fewer than 11 retirees (10 → secret, 11 → shown)."""
    return retirees < SECRECY_THRESHOLD


def is_concentration(retirees_60_plus: int) -> bool:
    """More than 200 people aged 60+ (200 → no, 201 → yes)."""
    return retirees_60_plus > CONCENTRATION_THRESHOLD


@dataclass(frozen=True)
class Reference:
    """A département's reference: mean and population standard deviation of its non-secret
    communes' unrounded means (``None`` when it has no such commune)."""

    mean: Fraction | None
    variance: Fraction | None
    communes: int

    @property
    def sd(self) -> float | None:
        return None if self.variance is None else _sqrt(self.variance)

    @property
    def threshold(self) -> float | None:
        """``mean + ½ × sd``: a commune at or above it is fragile."""
        if self.mean is None or self.sd is None:
            return None
        return float(self.mean) + 0.5 * self.sd


def _sqrt(value: Fraction) -> float:
    """The square root of an exact fraction, correctly rounded enough for 4 decimals."""
    scale = 10**24
    return isqrt(int(value * scale * scale)) / scale


def reference(means: Iterable[Fraction]) -> Reference:
    """The reference of the communes whose exact ``means`` are given (non-secret ones only).

    Exact, in integers over the common denominator ``L`` of the means (summing fractions one by
    one normalises each partial sum, which costs seconds for a national file):
    ``m = Σ xᵢ / K`` and ``variance = Σ xᵢ² / K − m²``."""
    values = list(means)
    if not values:
        return Reference(None, None, 0)
    k = len(values)
    common = lcm(*(v.denominator for v in values))
    scaled = [v.numerator * (common // v.denominator) for v in values]  # xᵢ = scaledᵢ / L
    total = sum(scaled)
    squares = sum(x * x for x in scaled)
    m = Fraction(total, common * k)
    variance = Fraction(squares * k - total * total, common * common * k * k)
    return Reference(m, variance, k)


def _gap_terms(value: Fraction, ref: Reference) -> tuple[int, int, int, int]:
    """``value − m = g / d`` and ``variance = c / e`` as integers, without normalising."""
    assert ref.mean is not None and ref.variance is not None
    m, v = ref.mean, ref.variance
    g = value.numerator * m.denominator - m.numerator * value.denominator
    d = value.denominator * m.denominator
    return g, d, v.numerator, v.denominator


def is_fragile(commune_mean: Fraction | None, secret: bool, ref: Reference) -> bool:
    """Not secret and ``mean ≥ moyenne + ½ × écart type``, compared exactly:
    ``mean − moyenne ≥ ½ sd`` ⇔ ``mean ≥ moyenne`` and ``4 (mean − moyenne)² ≥ variance``."""
    if secret or commune_mean is None or ref.mean is None or ref.variance is None:
        return False
    g, d, c, e = _gap_terms(commune_mean, ref)
    return g >= 0 and 4 * g * g * e >= c * d * d


def default_period(year: int) -> tuple[date, date]:
    """The crossing's default period: the 12 months before 31 December of ``year``, i.e.
    1 January to 31 December of ``year`` (both included)."""
    return date(year, 1, 1), date(year, 12, 31)


def is_white_zone(fragile: bool, actions: int) -> bool:
    """A fragile commune with fewer than 2 collective actions over the period (0 or 1)."""
    return fragile and actions < WHITE_ZONE_ACTIONS


#: the map's five classes, from the reference: far below, below, above the mean, fragile, very
MAP_CLASSES = (
    "nettement sous la moyenne",
    "sous la moyenne",
    "au-dessus de la moyenne",
    "fragile (moyenne + ½ écart type)",
    "très fragile (moyenne + 1 écart type)",
)


def map_class(value: Fraction | None, ref: Reference) -> int | None:
    """The class (0–4) of ``value`` against ``ref``: at or below ``m − ½ sd``, below ``m``, below
    ``m + ½ sd`` (the fragile threshold), below ``m + sd``, at or above ``m + sd``. ``None`` for a
    secret commune or a reference without communes."""
    if value is None or ref.mean is None or ref.variance is None:
        return None
    g, d, c, e = _gap_terms(value, ref)
    # |gap| ≥ ½ sd ⇔ 4 gap² ≥ variance ; gap ≥ sd ⇔ gap² ≥ variance (gap = g / d, variance = c / e)
    half = 4 * g * g * e >= c * d * d
    if g < 0:
        return 0 if half else 1
    if not half:
        return 2
    return 3 if g * g * e < c * d * d else 4
