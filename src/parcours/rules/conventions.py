"""Conventions avec les partenaires : état à une date, échéance proche.

- « à venir » : le début est après aujourd'hui ;
- « expirée » : la fin est avant aujourd'hui (le dernier jour compte encore : en cours) ;
- « expire bientôt » : en cours et la fin tombe dans les ``EXPIRY_WARNING_DAYS`` jours (60) —
  fin aujourd'hui ou dans 60 jours inclus, pas à 61 ;
- sinon « en cours » ; une convention sans date de fin est en cours dès son début.
"""

from __future__ import annotations

import datetime

EXPIRY_WARNING_DAYS = 60

UPCOMING = "a_venir"
ACTIVE = "en_cours"
EXPIRING = "expire_bientot"
EXPIRED = "expiree"

LABELS = {
    UPCOMING: "À venir",
    ACTIVE: "En cours",
    EXPIRING: "Expire bientôt",
    EXPIRED: "Expirée",
}


def expires_within(
    end: datetime.date, today: datetime.date, days: int = EXPIRY_WARNING_DAYS
) -> bool:
    """Vrai si la fin tombe entre aujourd'hui et ``days`` jours plus tard, bornes comprises."""
    return today <= end <= today + datetime.timedelta(days=days)


def status(start: datetime.date, end: datetime.date | None, today: datetime.date) -> str:
    """L'état de la convention ``[start, end]`` au jour ``today`` (``end`` vide : sans fin)."""
    if start > today:
        return UPCOMING
    if end is None:
        return ACTIVE
    if end < today:
        return EXPIRED
    if expires_within(end, today):
        return EXPIRING
    return ACTIVE
