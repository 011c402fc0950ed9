"""Noms de partenaires saisis en texte libre : clé de rapprochement, type deviné, découpage.

Sert à la reprise des champs « partenaire » écrits à la main (lieux, actions collectives,
signalements, contacts d'accueil, conventions d'évaluation, transmissions) vers l'annuaire :

- :func:`key` — deux textes désignent le même partenaire quand leurs clés sont égales : casse,
  accents, ponctuation et espaces ne comptent pas (``"C.C.A.S.  de Belley"`` et ``"ccas de
  belley"`` donnent ``"CCAS DE BELLEY"``) ; les points d'un sigle sont retirés (``C.C.A.S.`` →
  ``CCAS``) avant que le reste de la ponctuation ne devienne une espace ;
- :func:`guess_kind` — le type quand un mot le dit sans ambiguïté (« CCAS », « MDPH », « Cap
  emploi », « CLIC », « hôpital », « CH », « France Services »…), sinon ``AUTRE`` ; la première
  règle du tableau :data:`KIND_RULES` qui s'applique l'emporte ;
- :func:`split_list` — une liste saisie dans un seul champ (« CPAM, mutuelles ; CCAS ») en noms
  distincts, l'ordre gardé, les doublons (même clé) retirés.
"""

from __future__ import annotations

import re

from parcours.rules.text import fold

__all__ = ["KIND_RULES", "OTHER", "guess_kind", "key", "split_list"]

OTHER = "AUTRE"

_ACRONYM_DOTS = re.compile(r"\b((?:[A-Za-z]\.){2,})")

# (type, mots ou suites de mots de la clé) : la première règle qui trouve l'un de ses motifs,
# mot entier, décide. Les types sont les valeurs de ``partners.Partner.Kind``.
KIND_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("FRANCE_SERVICES", ("FRANCE SERVICES", "FRANCE SERVICE", "MAISON FRANCE SERVICES")),
    ("CAP_EMPLOI", ("CAP EMPLOI",)),
    ("MDPH", ("MDPH", "MAISON DEPARTEMENTALE DES PERSONNES HANDICAPEES")),
    ("CCAS", ("CCAS", "CIAS", "CENTRE COMMUNAL D ACTION SOCIALE")),
    ("CLIC", ("CLIC",)),
    (
        "SANTE_TRAVAIL",
        ("SANTE AU TRAVAIL", "MEDECINE DU TRAVAIL", "SPST", "SIST", "MEDECIN DU TRAVAIL"),
    ),
    (
        "ETABLISSEMENT_SANTE",
        ("HOPITAL", "CH", "CHU", "CHS", "CENTRE HOSPITALIER", "CLINIQUE", "HOSPITALIER"),
    ),
    ("DEPARTEMENT", ("CONSEIL DEPARTEMENTAL", "DEPARTEMENT", "CD")),
    (
        "SECURITE_SOCIALE",
        ("CPAM", "CAF", "MSA", "CARSAT", "CNAV", "URSSAF", "CAISSE PRIMAIRE", "ANGDM"),
    ),
    ("BAILLEUR", ("BAILLEUR", "OPAC", "OPH", "HLM", "HABITAT")),
    ("ASSOCIATION", ("ASSOCIATION", "ASSO")),
)

_PATTERNS = tuple(
    (kind, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
    for kind, words in KIND_RULES
)
_SEPARATORS = re.compile(r"[,;/\n]+")


def key(text: str) -> str:
    """La clé de rapprochement d'un nom : sigles sans points, puis ``rules.text.fold``.

    ``key("  Hôpital   Fleyriat ") == "HOPITAL FLEYRIAT"`` ; ``key("C.C.A.S. d'Oyonnax") ==
    "CCAS D OYONNAX"`` ; ``key("") == ""``.
    """
    if not text:
        return ""
    return fold(_ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), text))


def guess_kind(text: str) -> str:
    """Le type de partenaire que dit le nom, ou ``"AUTRE"`` (``KIND_RULES``, dans l'ordre)."""
    folded = key(text)
    for kind, pattern in _PATTERNS:
        if pattern.search(folded):
            return kind
    return OTHER


def split_list(text: str) -> list[str]:
    """Les noms d'une liste saisie dans un champ, séparés par ``,`` ``;`` ``/`` ou une ligne.

    Chaque nom est débarrassé de ses espaces autour ; les vides et les doublons (même
    :func:`key`) sont retirés, la première écriture gardée.
    """
    names: list[str] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(text or ""):
        name = " ".join(part.split())
        k = key(name)
        if k and k not in seen:
            seen.add(k)
            names.append(name)
    return names
