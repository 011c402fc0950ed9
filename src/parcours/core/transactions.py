"""Une transaction par requête qui écrit, aucune pour une requête qui lit.

``ATOMIC_REQUESTS`` enveloppait **toute** requête dans une transaction ; sur SQLite, ouverte en
``IMMEDIATE`` (``BEGIN IMMEDIATE`` prend le verrou d'écriture d'emblée, pour qu'une transaction
n'échoue jamais en passant de la lecture à l'écriture), une simple page consultée tenait donc le
verrou d'écriture de la base du début à la fin : pendant un import long, toutes les pages
attendaient derrière lui.

:class:`AtomicUnsafeRequestsMiddleware`, dernier de ``MIDDLEWARE``, n'enveloppe que les méthodes
qui écrivent (POST, PUT, PATCH, DELETE) : la vue s'exécute dans ``transaction.atomic()``, annulée
si elle lève une exception (avant que les autres intergiciels ne rendent la page d'erreur, comme
le faisait ``ATOMIC_REQUESTS``) ou si la réponse est une erreur du service (5xx) ; validée sinon.
Une vue marquée ``@transaction.non_atomic_requests`` reste hors transaction.

GET et HEAD s'exécutent en validation automatique : sur SQLite (mode WAL), leurs lectures ne
bloquent personne et ne sont bloquées par personne ; une écriture qu'elles font quand même (entrée
du journal d'audit d'une consultation) est validée aussitôt, et chaque service qui écrit plusieurs
lignes ouvre sa propre transaction (``@transaction.atomic``, ``docs/coding-style.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, transaction

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ATTRIBUTE = "_parcours_atomic"


class AtomicUnsafeRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException as error:
            self._close(request, error)
            raise
        self._close(request, None, failed=response.status_code >= 500)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if request.method not in UNSAFE_METHODS:
            return None
        if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", ()):
            return None
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        atomic.__enter__()
        setattr(request, _ATTRIBUTE, atomic)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Dernier intergiciel : appelé le premier, avant que la page d'erreur ne soit rendue.
        self._close(request, exception)
        return None

    @staticmethod
    def _close(request: HttpRequest, error: BaseException | None, *, failed: bool = False) -> None:
        atomic = getattr(request, _ATTRIBUTE, None)
        if atomic is None:
            return
        delattr(request, _ATTRIBUTE)
        if error is not None:
            atomic.__exit__(type(error), error, error.__traceback__)
            return
        if failed:
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        atomic.__exit__(None, None, None)
