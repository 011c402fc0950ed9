"""Tâches de fond (django-tasks) : essais répétés quand la base est verrouillée, et échecs dits.

- :func:`retry_when_locked` : une tâche qui rencontre « database is locked » (SQLite, pendant
  l'écriture d'une autre connexion) est reprise après un délai croissant
  (``rules.background.retry_delay``), jusqu'à ``LOCK_ATTEMPTS`` essais ; les tâches du projet
  sont reprenables (un import est tout ou rien, et relancé ne crée rien deux fois) ;
- :func:`on_failure` : chaque domaine enregistre, pour sa tâche, ce qui marque son objet (ciblage,
  import d'historique) « Échec » avec une raison en français ; appelé quand la tâche lève
  (signal ``task_finished``) et quand le travailleur meurt en pleine tâche
  (:func:`fail_abandoned`, appelé par ``parcours travailleur``) : une page n'attend jamais
  indéfiniment une tâche qui ne finira pas ;
- :func:`daily` : une tâche quotidienne (la purge de conservation) ; :func:`schedule_daily` met
  en file son prochain passage (``run_after``), au démarrage de ``parcours travailleur`` et à
  la fin de chaque passage : une seule exécution en attente à la fois.
"""

from __future__ import annotations

import datetime
import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError

from parcours.core import clock
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


# --- tâches quotidiennes ----------------------------------------------------------------------

#: chemin de la tâche → (tâche, heure murale de son passage quotidien)
_DAILY: dict[str, tuple[Any, datetime.time]] = {}


def daily(at: datetime.time) -> Callable[[Any], Any]:
    """Déclare la tâche (sans argument) ``task`` quotidienne, à l'heure ``at`` (Paris) : mise en
    file par :func:`schedule_daily`, au démarrage du travailleur et à la fin de chaque passage."""

    def register(task: Any) -> Any:
        _DAILY[task.module_path] = (task, at)
        return task

    return register


def next_daily_run(task: Any) -> datetime.datetime | None:
    """Le prochain passage prévu de la tâche quotidienne ``task`` : celui qui attend en file,
    sinon celui que le travailleur mettra en file à son démarrage."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    _, at = _DAILY[task.module_path]
    waiting = (
        DBTaskResult.objects.filter(status="READY", task_path=task.module_path)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is not None:
        return timezone.localtime(waiting)
    return background.next_daily(timezone.localtime(clock.now()), at)


def schedule_daily() -> int:
    """Met en file le prochain passage de chaque tâche quotidienne qui n'en a pas déjà un en
    attente ; renvoie le nombre mis en file. Sans effet si la file ne sait pas différer une tâche
    (tâches immédiates des essais)."""
    from django.utils import timezone
    from django_tasks import default_task_backend
    from django_tasks_db.models import DBTaskResult

    if not default_task_backend.supports_defer:
        return 0
    queued = 0
    for path, (task, at) in _DAILY.items():
        if DBTaskResult.objects.filter(status="READY", task_path=path).exists():
            continue
        task.using(run_after=background.next_daily(timezone.localtime(clock.now()), at)).enqueue()
        queued += 1
    return queued
