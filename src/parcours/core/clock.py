"""L'unique source de « aujourd'hui » et « maintenant » (Europe/Paris), figeable en test."""

import contextlib
from datetime import date, datetime

from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(at: datetime):
    """Fige l'horloge (``at`` doit être conscient du fuseau)."""
    global _frozen
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
