"""Tâches de fond : délais d'attente entre deux essais, et attente jugée anormale.

Pur : les durées sont en secondes, sans horloge (l'appelant mesure) ; l'heure de la prochaine
exécution d'une tâche quotidienne se calcule à partir de l'instant que l'appelant donne.
"""

import datetime

#: essais d'une tâche quand la base est verrouillée (« database is locked »), le premier compris
LOCK_ATTEMPTS = 6
#: délai entre deux essais (ou deux redémarrages du travailleur) : 1, 2, 4, 8, 16 puis 30 s
FIRST_DELAY = 1.0
MAX_DELAY = 30.0
#: un travailleur resté en vie au moins ce temps repart du premier délai s'il s'arrête
STABLE_AFTER = 60.0
#: au-delà, une tâche « en attente » est signalée comme anormale sur sa page (10 minutes)
WAITING_LIMIT = 600.0


def retry_delay(failures: int) -> float:
    """Le délai avant l'essai suivant, après ``failures`` échecs consécutifs (1 ou plus)."""
    if failures < 1:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * float(2 ** (failures - 1)))


def waited_too_long(waited: float) -> bool:
    """Vrai si une tâche attend depuis plus de ``WAITING_LIMIT`` secondes sans avoir démarré."""
    return waited > WAITING_LIMIT


def next_daily(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """La prochaine heure ``at`` (heure murale du fuseau de ``now``) strictement après ``now`` :
    aujourd'hui si elle n'est pas encore passée, sinon demain. Au changement d'heure, l'heure
    murale reste la même (03:30 l'hiver comme l'été)."""
    today = datetime.datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    if today > now:
        return today
    tomorrow = now.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, at, tzinfo=now.tzinfo)
