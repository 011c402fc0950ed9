"""Normalisation for person search (names, phone numbers, birth dates).

Used on about 1,000,000 people: everything is precompiled at import, ASCII input takes a fast
path, and each function is pure and deterministic.

Phonetic key (:func:`phonetic`) — a simple French sound-alike code written for Parcours, in the
spirit of Soundex FR / Phonex. Each word of :func:`tokens` (digits removed) is coded
separately and the codes are joined by one space (``"Le Goff-Durand"`` -> ``"L GF DR1"``; use
``phonetic(name_key(s))`` to ignore word boundaries). Per word, in this order:

1. ``Y`` -> ``I``, ``W`` -> ``V``.
2. Silent endings: trailing ``D T S X Z`` are removed (repeatedly, the first letter is kept):
   DUPONT = DUPOND, PETIT = PETIS, BERNARD = BERNART, SCHMITT = SCHMIDT = SCHMITZ,
   MOREAU = MOREAUX.
3. Consonant spellings: ``SCH``, ``CH`` (not before R/L), ``SH`` -> the "ch" sound (code ``X``);
   ``CHR``/``CHL`` -> ``KR``/``KL``; ``PH`` -> F; ``GH`` -> G; ``TH`` -> T; every other ``H`` is
   silent; ``GE`` before A/O/U and ``G`` before E/I -> J; ``GU`` before E/I -> G; ``GN`` -> N;
   ``C`` before E/I -> S, other ``C``, ``Q``, ``QU`` -> K; inner ``X`` -> KS; ``Z`` -> S;
   ``BV`` -> V (LEFEBVRE = LEFEVRE); ``ILL`` after a vowel -> I (MAILLARD = MAYARD).
4. Double letters are collapsed (SS -> S, LL -> L…).
5. Nasal vowels, when followed by a consonant or the end of the word, become digits kept in
   the code: ``IEN``, ``AIN``, ``EIN``, ``IN``, ``UN`` (and with M) -> ``2`` (MARTIN =
   MARTAIN); ``AN``, ``EN``, ``AM``, ``EM`` -> ``1`` (LAURENT = LORAN); ``ON``, ``OM`` -> ``3``
   (DUPONT = DUPOMT).
6. Vowel spellings: ``EAU``, ``AU`` -> O; ``OU`` -> U; ``AI``, ``EI``, ``EU`` -> E.
7. The first character is kept; every later vowel (A E I O U) is dropped. Consonants
   separated by a vowel are not merged (GERARD -> ``JRR``).

So the code is made of: an optional leading vowel, the consonants ``B D F G J K L M N P R S T V
X`` and the nasal digits ``1 2 3``. Recall is favoured over precision (MOREAU = MARIE =
``MR``): rank or filter the candidates with first name and birth date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

__all__ = [
    "digits",
    "edit_distance",
    "fold",
    "name_key",
    "parse_birth_date",
    "phonetic",
    "tokens",
    "typo_budget",
]

# --- fold ---------------------------------------------------------------------------------

_SPECIAL = str.maketrans(
    {
        "œ": "OE",
        "Œ": "OE",
        "æ": "AE",
        "Æ": "AE",
        "ß": "SS",
        "ẞ": "SS",
        "ø": "O",
        "Ø": "O",
        "đ": "D",
        "Đ": "D",
        "ð": "D",
        "Ð": "D",
        "ł": "L",
        "Ł": "L",
        "ı": "I",
        "þ": "TH",
        "Þ": "TH",
        "’": "'",
    }
)
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")


def _strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def fold(s: str) -> str:
    """Accents removed, uppercase, only ``A-Z 0-9`` and single spaces, stripped.

    ``"  Hélène d'Œuvray-Müller "`` -> ``"HELENE D OEUVRAY MULLER"``. Steps: œ/æ/ß (and ø, đ,
    ł, ı, þ) mapped to Latin letters, uppercase, NFKD with combining marks dropped, anything
    outside ``[A-Z0-9]`` becomes a space, spaces collapsed. Idempotent.
    """
    if not s:
        return ""
    s = s.upper() if s.isascii() else _fold_non_ascii(s)
    return _NON_ALNUM.sub(" ", s).strip()


def _fold_non_ascii(s: str) -> str:
    # Upper twice: NFKD may yield lowercase letters (ª -> a, ﬁ -> fi).
    return _strip_marks(s.translate(_SPECIAL).upper()).upper()


def tokens(s: str) -> list[str]:
    """Words of ``fold(s)``: ``"Jean-Pierre  LE GOFF"`` -> ``["JEAN", "PIERRE", "LE", "GOFF"]``."""
    return fold(s).split()


def name_key(s: str) -> str:
    """``fold(s)`` without spaces, for prefix search: ``"Le Goff-Durand"`` -> ``"LEGOFFDURAND"``."""
    return fold(s).replace(" ", "")


# --- phonetic -----------------------------------------------------------------------------

_SILENT_END = "DTSXZ"
_VOWELS = "AEIOU"
# Lowercase "x" is the internal placeholder of the "ch" sound (uppercased at the end).
_CONSONANT_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"SCH", "x"),
        (r"CH(?=[RL])", "K"),
        (r"CH|SH", "x"),
        (r"PH", "F"),
        (r"GH", "G"),
        (r"TH", "T"),
        (r"H", ""),
        (r"GE(?=[AOU])", "J"),
        (r"G(?=[EI])", "J"),
        (r"GU(?=[EI])", "G"),
        (r"GN", "N"),
        (r"C(?=[EI])", "S"),
        (r"QU|Q|C", "K"),
        (r"X", "KS"),
        (r"Z", "S"),
        (r"BV", "V"),
        (r"(?<=[AEIOU])ILL", "I"),
    )
]
_DOUBLES = re.compile(r"(.)\1+")
_NASAL_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"(?<=I)E[NM](?![AEIOU])", "2"),
        (r"(?:AI|EI|I|U)[NM](?![AEIOU])", "2"),
        (r"[AE][NM](?![AEIOU])", "1"),
        (r"O[NM](?![AEIOU])", "3"),
    )
]
_VOWEL_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"EAU|AU", "O"),
        (r"OU", "U"),
        (r"AI|EI|EU", "E"),
    )
]
_INNER_VOWELS = re.compile(r"[AEIOU]")
_NOT_LETTER = re.compile(r"[^A-Z]+")
_YW = str.maketrans("YW", "IV")


@lru_cache(maxsize=65536)  # surnames repeat a lot: bulk indexing mostly hits the cache
def _phonetic_word(word: str) -> str:
    word = word.translate(_YW)
    word = word[0] + word[1:].rstrip(_SILENT_END)
    for pattern, repl in _CONSONANT_RULES:
        word = pattern.sub(repl, word)
    word = _DOUBLES.sub(r"\1", word)
    for pattern, repl in _NASAL_RULES:
        word = pattern.sub(repl, word)
    for pattern, repl in _VOWEL_RULES:
        word = pattern.sub(repl, word)
    if not word:
        return ""
    return (word[0] + _INNER_VOWELS.sub("", word[1:])).upper()


def phonetic(s: str) -> str:
    """French sound-alike key (algorithm in the module docstring); ``""`` for empty input.

    ``phonetic("Dupont") == phonetic("Dupond") == "DP3"``; ``phonetic("Lefebvre") ==
    phonetic("Lefèvre") == "LFVR"``; words are coded separately and joined by a space; a word
    with no sound left (``"H"``) and digits are skipped.
    """
    codes = []
    for token in tokens(s):
        word = _NOT_LETTER.sub("", token)
        if word:
            code = _phonetic_word(word)
            if code:
                codes.append(code)
    return " ".join(codes)


# --- phone numbers ------------------------------------------------------------------------

_NON_DIGIT = re.compile(r"[^0-9]+")
_FR_INTERNATIONAL = re.compile(r"^\s*(?:\+\s*|00\s*)33")


def digits(s: str) -> str:
    """Digits only, French international prefix turned into the national ``0``.

    ``"+33 6 12 34 56 78"``, ``"+33 (0)6 12 34 56 78"`` and ``"0033 6 12 34 56 78"`` ->
    ``"0612345678"``; ``"06.12.34.56.78"`` -> ``"0612345678"``; other country codes are kept
    as digits (``"+32 2 123"`` -> ``"322123"``). Partial input works the same (``"+33 6 1"`` ->
    ``"061"``), so it can be used for prefix search.
    """
    if not s:
        return ""
    match = _FR_INTERNATIONAL.match(s)
    if match:
        rest = _NON_DIGIT.sub("", s[match.end() :])
        return "0" + (rest[1:] if rest.startswith("0") else rest)
    return _NON_DIGIT.sub("", s)


# --- birth dates --------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")


def parse_birth_date(s: str) -> date | None:
    """A date typed in a search box, or None if it is not a valid date.

    Accepted (surrounding spaces ignored): ``12/03/1958``, ``12-03-1958``, ``12.03.1958``
    (day and month may have 1 digit: ``1/3/1958``), ISO ``1958-03-12``, and ``12031958``
    (always day-month-year). Two-digit years are refused (ambiguous). No range check beyond the
    calendar: the caller decides what a plausible birth date is.
    """
    if not s:
        return None
    s = s.strip()
    if not s.isascii():
        return None
    for pattern, order in ((_DMY, "dmy"), (_YMD, "ymd"), (_DMY_COMPACT, "dmy")):
        match = pattern.fullmatch(s)
        if match:
            a, b, c = (int(g) for g in match.groups())
            day, month, year = (a, b, c) if order == "dmy" else (c, b, a)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


# --- typos --------------------------------------------------------------------------------


def typo_budget(token: str) -> int:
    """How many typing errors a searched name may contain: 0 under 4 letters, 1 up to 7, then 2."""
    if len(token) < 4:
        return 0
    return 1 if len(token) <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), capped at ``limit + 1``.

    Counts insertions, deletions, substitutions and swaps of two adjacent letters, each as 1:
    ``edit_distance("DUPNOT", "DUPONT", 2) == 1``. Stops early once every alignment exceeds
    ``limit`` and then returns ``limit + 1``, so comparing a name with thousands of candidates
    stays cheap.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)
