"""Courriels et SMS des services de la détection : l'expéditeur attendu."""

from __future__ import annotations

from typing import Protocol

from parcours.core import messaging


class Sender(Protocol):
    """Un expéditeur de ``core.messaging`` (``FileSender``, ``ConsoleSender``…)."""

    def send(self, message: messaging.Message) -> None: ...
