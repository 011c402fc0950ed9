"""Courriels et SMS des services de la détection : partis après validation de la transaction."""

from __future__ import annotations

from typing import Protocol

from django.db import transaction

from parcours.core import messaging


class Sender(Protocol):
    """Un expéditeur de ``core.messaging`` (``FileSender``, ``ConsoleSender``…)."""

    def send(self, message: messaging.Message) -> None: ...


def send_after_commit(sender: Sender, messages: list[messaging.Message]) -> None:
    """Confie ``messages`` à ``sender`` une fois la transaction en cours validée : une écriture
    annulée n'envoie rien ; hors transaction, l'envoi est immédiat."""
    if not messages:
        return
    pending = list(messages)

    def deliver() -> None:
        for message in pending:
            sender.send(message)

    transaction.on_commit(deliver)
