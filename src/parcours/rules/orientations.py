"""Orientations vers un partenaire ou un autre organisme (domaine.md §12) : états, délai de
réponse, relance.

États (codes rangés dans ``Orientation.status``)::

    ENVOYEE ──▶ RECUE ──▶ ACCEPTEE | REFUSEE ──▶ CLOTUREE
       │          │
       └──────────┴──(échéance dépassée sans réponse)──▶ RELANCEE ──▶ RECUE | ACCEPTEE | REFUSEE

- le destinataire accuse réception (``RECUE``), puis accepte ou refuse ; il peut répondre
  directement sans accuser réception ;
- l'échéance de réponse passée (jour d'échéance exclu) sans réponse, l'orientation est
  ``RELANCEE`` : le destinataire reçoit une relance, l'agent qui l'a envoyée une alerte ; une
  orientation n'est relancée qu'une fois par échéance (une relance repousse l'échéance de
  ``REMINDER_DELAY_DAYS`` jours, la suivante vient après cette nouvelle échéance) ;
- une orientation acceptée ou refusée est close (``CLOTUREE``) : la prise en charge est terminée,
  ou le refus pris en compte ; ``CLOTUREE`` est final.

La date du jour arrive en argument : ces fonctions ne lisent ni base ni horloge.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from parcours.rules.report import pct

__all__ = [
    "ANSWERED",
    "DEFAULT_DEADLINE_DAYS",
    "FINAL",
    "LABELS",
    "LINK_VALIDITY_DAYS",
    "ORIENTATION_CATEGORIES",
    "PARTNER_TARGETS",
    "REMINDER_DELAY_DAYS",
    "TRANSITIONS",
    "TransitionError",
    "allowed_targets",
    "answer_delay_days",
    "answered_within_deadline",
    "check_transition",
    "default_deadline",
    "delay_summary",
    "delay_summary_of_counts",
    "link_expired",
    "next_deadline_after_reminder",
    "reminder_due",
]

ENVOYEE = "ENVOYEE"
RECUE = "RECUE"
ACCEPTEE = "ACCEPTEE"
REFUSEE = "REFUSEE"
CLOTUREE = "CLOTUREE"
RELANCEE = "RELANCEE"

LABELS: dict[str, str] = {
    ENVOYEE: "Envoyée",
    RECUE: "Reçue par le destinataire",
    ACCEPTEE: "Acceptée",
    REFUSEE: "Refusée",
    CLOTUREE: "Clôturée",
    RELANCEE: "Relancée (sans réponse à l'échéance)",
}

TRANSITIONS: dict[str, frozenset[str]] = {
    ENVOYEE: frozenset({RECUE, ACCEPTEE, REFUSEE, RELANCEE}),
    RELANCEE: frozenset({RECUE, ACCEPTEE, REFUSEE}),
    RECUE: frozenset({ACCEPTEE, REFUSEE, RELANCEE}),
    ACCEPTEE: frozenset({CLOTUREE}),
    REFUSEE: frozenset({CLOTUREE}),
    CLOTUREE: frozenset(),
}
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

#: ce qui vaut réponse du destinataire (la date de réponse est celle du premier de ces états)
ANSWERED = frozenset({ACCEPTEE, REFUSEE, CLOTUREE})
#: ce que le destinataire choisit lui-même (page du lien, API) ; ``RELANCEE`` vient de l'échéance
PARTNER_TARGETS = frozenset({RECUE, ACCEPTEE, REFUSEE, CLOTUREE})
#: états où une échéance dépassée déclenche la relance
AWAITING = frozenset({ENVOYEE, RECUE})

#: ce qu'une orientation peut partager : ni étapes ni synthèse (elles sont celles d'un parcours
#: partagé), ni documents (Parcours n'en conserve pas encore)
ORIENTATION_CATEGORIES = ("IDENTITE", "SITUATION", "EVALUATION")

DEFAULT_DEADLINE_DAYS = 15
REMINDER_DELAY_DAYS = 8
LINK_VALIDITY_DAYS = 90


class TransitionError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_targets(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def check_transition(current: str, target: str) -> None:
    """Refuse, en français, un passage que la table n'autorise pas."""
    if target not in TRANSITIONS:
        raise TransitionError("État d'orientation inconnu.")
    if current in FINAL:
        raise TransitionError("Cette orientation est clôturée : elle ne change plus d'état.")
    if target not in allowed_targets(current):
        raise TransitionError(
            f"Une orientation « {LABELS.get(current, current).lower()} » ne peut passer à "
            f"« {LABELS[target].lower()} »."
        )


def default_deadline(sent_on: date, days: int = DEFAULT_DEADLINE_DAYS) -> date:
    """L'échéance de réponse proposée : ``days`` jours après l'envoi."""
    return sent_on + timedelta(days=days)


def reminder_due(status: str, deadline: date, last_reminder_on: date | None, today: date) -> bool:
    """Vrai quand l'orientation attend une réponse (envoyée ou reçue), que son échéance est
    passée (``deadline < today``) et qu'aucune relance n'a été faite depuis l'échéance."""
    if status not in AWAITING or deadline >= today:
        return False
    return last_reminder_on is None or last_reminder_on <= deadline


def next_deadline_after_reminder(today: date) -> date:
    """Après une relance, la nouvelle échéance."""
    return today + timedelta(days=REMINDER_DELAY_DAYS)


def answer_delay_days(sent_on: date, answered_on: date | None) -> int | None:
    """Jours entre l'envoi et la réponse ; ``None`` sans réponse."""
    if answered_on is None:
        return None
    return max(0, (answered_on - sent_on).days)


def answered_within_deadline(deadline: date, answered_on: date | None) -> bool:
    """Répondu au plus tard le jour de l'échéance (première échéance, fixée à l'envoi)."""
    return answered_on is not None and answered_on <= deadline


def link_expired(issued_on: date, today: date) -> bool:
    """Le lien envoyé au partenaire vaut ``LINK_VALIDITY_DAYS`` jours, jour d'émission compris."""
    return today > issued_on + timedelta(days=LINK_VALIDITY_DAYS - 1)


def _median_of_counts(counts: dict[int, int]) -> float:
    """La médiane des valeurs comptées ``{valeur: combien}`` (au moins une valeur)."""
    total = sum(counts.values())
    wanted = [(total - 1) // 2, total // 2]  # les deux rangs du milieu (les mêmes si impair)
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and wanted[len(found)] < seen:
            found.append(value)
    return (found[0] + found[1]) / 2


def delay_summary_of_counts(groups: Iterable[tuple[int | None, bool, int]]) -> dict[str, object]:
    """``delay_summary`` sur des orientations déjà comptées : des groupes (délai de réponse en
    jours ou ``None`` sans réponse, répondue dans l'échéance, combien), comme les rend un
    ``GROUP BY`` de la base ; un délai négatif (réponse datée avant l'envoi) compte 0 jour."""
    total = answered = within = 0
    delays: dict[int, int] = {}
    for delay, in_time, n in groups:
        total += n
        if in_time:
            within += n
        if delay is not None:
            answered += n
            delays[max(0, delay)] = delays.get(max(0, delay), 0) + n
    return {
        "total": total,
        "answered": answered,
        "median_days": _median_of_counts(delays) if delays else None,
        "within_deadline_pct": pct(within, total) if total else None,
    }


def delay_summary(rows: Iterable[tuple[date, date, date | None]]) -> dict[str, object]:
    """Sur des orientations (envoi, échéance initiale, réponse ou ``None``) : combien, combien
    ont une réponse, la médiane du délai de réponse en jours (``None`` sans réponse) et la part
    (en %, une décimale) répondue au plus tard à l'échéance, sur toutes les orientations."""
    return delay_summary_of_counts(
        (
            None if answered is None else (answered - sent).days,
            answered_within_deadline(deadline, answered),
            1,
        )
        for sent, deadline, answered in rows
    )
