"""Tâches de fond (django-tasks) : essais répétés quand la base est verrouillée, et échecs dits.

- :func:`retry_when_locked` : une tâche qui rencontre « database is locked » (SQLite, pendant
  l'écriture d'une autre connexion) est reprise après un délai croissant
  (``rules.background.retry_delay``), jusqu'à ``LOCK_ATTEMPTS`` essais ; les tâches du projet
  sont reprenables (un import est tout ou rien, et relancé ne crée rien deux fois) ;
- :func:`on_failure` : chaque domaine enregistre, pour sa tâche, ce qui marque son objet (ciblage,
  import d'historique) « Échec » avec une raison en français ; appelé quand la tâche lève
  (signal ``task_finished``) et quand le travailleur meurt en pleine tâche
  (:func:`fail_abandoned`, appelé par ``parcours travailleur``) : une page n'attend jamais
  indéfiniment une tâche qui ne finira pas.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError

from parcours.rules import background

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "La tâche de fond s'est arrêtée sur une erreur inattendue : rien n'a été enregistré. "
    "Relancez-la ; si l'échec se répète, prévenez l'administrateur."
)
WORKER_DIED = (
    "Le travailleur des tâches de fond s'est arrêté pendant la tâche : rien n'a été enregistré. "
    "Relancez-la ; si l'échec se répète, prévenez l'administrateur."
)

#: chemin de la tâche (« module.fonction ») -> ce qui marque son objet en échec
_ON_FAILURE: dict[str, Callable[..., None]] = {}


def is_locked(error: BaseException) -> bool:
    """Vrai pour l'erreur « database is locked » (ou « table is locked ») de SQLite."""
    return isinstance(error, OperationalError) and "is locked" in str(error).lower()


def retry_when_locked(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        failures = 0
        while True:
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                failures += 1
                if not is_locked(error) or failures >= background.LOCK_ATTEMPTS:
                    raise
                delay = background.retry_delay(failures)
                logger.warning(
                    "Base verrouillée (%s, essai %d) : reprise dans %.0f s",
                    func.__name__,
                    failures,
                    delay,
                )
                time.sleep(delay)

    return wrapper


def on_failure(task: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Enregistre ``handler(*args, reason=…)`` pour la tâche ``task`` (ses arguments d'appel)."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        _ON_FAILURE[task.module_path] = handler
        return handler

    return register


def task_failed(task_path: str, args: list | tuple, kwargs: dict, reason: str) -> None:
    handler = _ON_FAILURE.get(task_path)
    if handler is None:
        return
    retry_when_locked(handler)(*args, reason=reason, **kwargs)


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """Signal ``task_finished`` : une tâche qui a levé marque son objet en échec."""
    from django_tasks import TaskResultStatus

    if task_result.status != TaskResultStatus.FAILED:
        return
    try:
        task_failed(task_result.task.module_path, task_result.args, task_result.kwargs, UNEXPECTED)
    except Exception:
        logger.exception("Échec de la tâche %s non reporté sur sa page", task_result.id)


def fail_abandoned(worker_id: str) -> int:
    """Les tâches que le travailleur ``worker_id`` (ou tout travailleur dont l'identifiant commence
    par ``worker_id``) avait commencées quand il est mort : chacune
    est marquée en échec (tâche et objet), jamais relancée d'office (une tâche qui fait mourir le
    travailleur le referait mourir). Renvoie leur nombre."""
    from django_tasks_db.models import DBTaskResult

    abandoned = [
        result
        for result in DBTaskResult.objects.running()
        if result.worker_ids and str(result.worker_ids[-1]).startswith(worker_id)
    ]
    for result in abandoned:
        retry_when_locked(result.set_failed)(RuntimeError(WORKER_DIED))
        task_failed(
            result.task_path,
            result.args_kwargs.get("args", []),
            result.args_kwargs.get("kwargs", {}),
            WORKER_DIED,
        )
    return len(abandoned)
