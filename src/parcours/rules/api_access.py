"""Partner API access rules (formats.md §7): scopes, token validity, rate-limit window.

Pure functions: the current date and time arrive as arguments.

Rate limit: a **fixed window** of ``window`` seconds (aligned on multiples of ``window`` since
the epoch); a token may make ``limit`` calls per window. The call that exceeds the limit is
refused with ``Retry-After`` = the seconds left until the next window (at least 1).
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "SCOPES",
    "ScopeError",
    "is_active",
    "parse_scopes",
    "rate_decision",
    "window_start",
]

SCOPES: tuple[str, ...] = (
    "signalements:ecrire",
    "signalements:lire",
    "orientations:lire",
    "orientations:repondre",
    "evaluations:lire",
    "collectif:lire",
    "rapports:lire",
    "referentiel:lire",
)


class ScopeError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_scopes(raw: str) -> list[str]:
    """``"a,b"`` → the scopes, in the order of :data:`SCOPES`, each once.

    An empty list or an unknown scope is an error (message in French).
    """
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    if not wanted:
        raise ScopeError("Indiquez au moins une portée.")
    unknown = sorted(wanted - set(SCOPES))
    if unknown:
        raise ScopeError(f"Portée inconnue : {', '.join(unknown)} (portées : {', '.join(SCOPES)}).")
    return [scope for scope in SCOPES if scope in wanted]


def is_active(*, expires_on: date | None, revoked: bool, today: date) -> bool:
    """A token works until the end of its expiry day (inclusive), unless it is revoked."""
    if revoked:
        return False
    return expires_on is None or today <= expires_on


def window_start(now_seconds: int, window: int) -> int:
    """The start (seconds since the epoch) of the window that contains ``now_seconds``."""
    if window <= 0:
        raise ValueError("window must be positive")
    return now_seconds - now_seconds % window


def rate_decision(*, calls: int, limit: int, now_seconds: int, window: int) -> int:
    """``calls`` counts this call too. 0 = allowed; otherwise the ``Retry-After`` seconds."""
    if calls <= limit:
        return 0
    return max(1, window_start(now_seconds, window) + window - now_seconds)
